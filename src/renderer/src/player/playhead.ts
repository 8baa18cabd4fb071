import { useCallback, useSyncExternalStore } from 'react';
import { createValueStore } from '../ui/value-store';

/**
 * Where the playhead stands, on the session's clock, as a small store: it changes four times a
 * second while playing, and only what shows it listens (the overview's mark, the transcript's
 * current utterance, an open segment's growing box), not the whole player.
 */
export function createPlayhead() {
  return createValueStore(0);
}
export type Playhead = ReturnType<typeof createPlayhead>;

/**
 * What a component shows of the playhead: `select` maps the time to it (an index, a rounded
 * time), and the component renders again only when that changes. `select` should be stable.
 */
export function usePlayhead<T>(playhead: Playhead, select: (ms: number) => T): T {
  const read = useCallback(() => select(playhead.get()), [playhead, select]);
  return useSyncExternalStore(playhead.subscribe, read);
}
