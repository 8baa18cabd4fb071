import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { createValueStore } from '../ui/value-store';

/**
 * Where the playhead stands, on the session's clock, as a small store: only what shows it listens
 * (the overview's mark, the transcript's current utterance, an open segment's growing box), not
 * the whole player. While the media plays it is set when something shown changes: each listener
 * may say when that is next (`dueAt`), and the player's loop sets the playhead then (and at least
 * every PLAYING_TICK_MS), instead of four times a second for everyone.
 */
export function createPlayhead() {
  const store = createValueStore(0);
  /** How the playhead moves on its own between sets: from `ms` at page time `at`, at `rate`; null while it stands. */
  const motion = createValueStore<Motion | null>(
    null,
    (a, b) => a === b || (!!a && !!b && a.ms === b.ms && a.rate === b.rate),
  );
  const dues = new Set<(ms: number) => number>();
  let onDues = () => {};
  return {
    ...store,
    motion,
    /** Registers when what a listener shows changes next after `ms` (session ms); returns its removal. */
    dueAt: (next: (ms: number) => number) => {
      dues.add(next);
      onDues();
      return () => void dues.delete(next);
    },
    /** Told when a listener registers (the loop that sets the playhead looks again at once). */
    onDuesChange: (cb: () => void) => {
      onDues = cb;
      return () => void (onDues = () => {});
    },
    /** The earliest session time after `ms` at which some listener's view changes (Infinity: none). */
    nextDue: (ms: number) => {
      let due = Infinity;
      for (const next of dues) due = Math.min(due, next(ms));
      return due;
    },
  };
}
export type Playhead = ReturnType<typeof createPlayhead>;
export interface Motion {
  ms: number;
  /** performance.now() when the playhead stood at `ms`. */
  at: number;
  rate: number;
}

/**
 * What a component shows of the playhead: `select` maps the time to it (an index, a rounded
 * time), and the component renders again only when that changes. `next` says when, after a given
 * time, the selection may change (see `dueAt`); both should be stable.
 */
export function usePlayhead<T>(playhead: Playhead, select: (ms: number) => T, next?: (ms: number) => number): T {
  const read = useCallback(() => select(playhead.get()), [playhead, select]);
  useEffect(() => (next ? playhead.dueAt(next) : undefined), [playhead, next]);
  return useSyncExternalStore(playhead.subscribe, read);
}
