import { useCallback, useMemo, useState } from 'react';

/** A moment chosen for the playlist: a segment or a feedback comment, with its span. */
export interface PlaylistItem {
  kind: 'segment' | 'thread';
  id: number;
  startMs: number;
  endMs: number;
}

const keyOf = (i: Pick<PlaylistItem, 'kind' | 'id'>) => `${i.kind}:${i.id}`;

/**
 * The session's playlist of marked moments, in the order chosen: segments (from the segment list)
 * and comments (from the feedback panel) alike. Lives in the side panel, so both tabs add to it.
 */
export function usePlaylist() {
  const [items, setItems] = useState<PlaylistItem[]>([]);
  const keys = useMemo(() => new Set(items.map(keyOf)), [items]);
  const toggle = useCallback(
    (item: PlaylistItem) =>
      setItems((list) =>
        list.some((x) => keyOf(x) === keyOf(item)) ? list.filter((x) => keyOf(x) !== keyOf(item)) : [...list, item],
      ),
    [],
  );
  const has = useCallback((kind: PlaylistItem['kind'], id: number) => keys.has(`${kind}:${id}`), [keys]);
  const clear = useCallback(() => setItems([]), []);
  return { items, toggle, has, clear };
}
export type Playlist = ReturnType<typeof usePlaylist>;
