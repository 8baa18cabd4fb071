import type { RuptureStatus, Segment } from '../../../shared/annotations';
import { ruptureStatuses } from '../../../shared/annotation-logic';

/**
 * Segments by id, built once per list and shared by everything that looks them up (the lanes, the
 * segment list, the coding hooks). A list made by `withChanged` gets its index from the previous
 * one's at the cost of a copy, so an edit of one segment of thousands does not rebuild it.
 */
const indexes = new WeakMap<readonly Segment[], Map<number, Segment>>();

export function segmentIndex(segments: readonly Segment[]): Map<number, Segment> {
  let index = indexes.get(segments);
  if (!index) {
    index = new Map(segments.map((s) => [s.id, s]));
    indexes.set(segments, index);
  }
  return index;
}

/** The order segments are kept in: by start, then by id. */
export const segmentOrder = (a: Segment, b: Segment) => a.startMs - b.startMs || a.id - b.id;

/**
 * The list with `changed` in place of (or added to) their namesakes and `removed` taken away,
 * still in order, plus the rupture statuses for it (the old ones when the change cannot have
 * touched them). Links to removed ruptures are dropped. Unchanged segments keep their identity,
 * so memoised rows and boxes do not render again.
 */
export function withChanged(
  prev: Segment[],
  prevStatuses: RuptureStatus[],
  changed: Segment[],
  removed: number[],
): { segments: Segment[]; ruptureStatus: RuptureStatus[] } {
  const prevIndex = segmentIndex(prev);
  // The common cases, an edit of one segment that stays between its neighbours, or a new segment
  // shown under a temporary id replaced by the stored one: a copy of the list with one element
  // replaced, and a copy of the index.
  const replacing = removed.length === 1 && changed.length === 1 && !prevIndex.has(changed[0]!.id);
  if (changed.length === 1 && (!removed.length || replacing)) {
    const s = changed[0]!;
    const old = prevIndex.get(replacing ? removed[0]! : s.id);
    // Only a comment's id may change unnoticed: ruptures and repairs are named in the statuses.
    if (old && (old.id === s.id || s.kind === 'comment')) {
      const i = prev.indexOf(old);
      const before = prev[i - 1];
      const after = prev[i + 1];
      if ((!before || segmentOrder(before, s) < 0) && (!after || segmentOrder(s, after) < 0)) {
        const segments = prev.slice();
        segments[i] = s;
        const index = new Map(prevIndex);
        if (old.id !== s.id) index.delete(old.id);
        index.set(s.id, s);
        indexes.set(segments, index);
        return {
          segments,
          ruptureStatus: statusInputsSame(old, s) ? prevStatuses : ruptureStatuses(segments),
        };
      }
    }
  }
  // A new segment (one shown before the store answers): put in its place by a binary search.
  if (changed.length === 1 && !removed.length && !prevIndex.has(changed[0]!.id)) {
    const s = changed[0]!;
    let lo = 0;
    let hi = prev.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (segmentOrder(prev[mid]!, s) < 0) lo = mid + 1;
      else hi = mid;
    }
    const segments = [...prev.slice(0, lo), s, ...prev.slice(lo)];
    const index = new Map(prevIndex);
    index.set(s.id, s);
    indexes.set(segments, index);
    // A comment is in nobody's status; a new rupture or repair changes them.
    return { segments, ruptureStatus: s.kind === 'comment' ? prevStatuses : ruptureStatuses(segments) };
  }
  const gone = new Set(removed);
  const byId = new Map(prevIndex);
  for (const id of removed) byId.delete(id);
  if (gone.size) {
    for (const [id, s] of byId) {
      if (s.linkedRuptureIds.some((r) => gone.has(r))) {
        byId.set(id, { ...s, linkedRuptureIds: s.linkedRuptureIds.filter((r) => !gone.has(r)) });
      }
    }
  }
  for (const s of changed) byId.set(s.id, s);
  const segments = [...byId.values()];
  // Usually still in order (an edit rarely passes a neighbour): sort only when needed.
  if (segments.some((x, i) => i > 0 && segmentOrder(segments[i - 1]!, x) > 0)) segments.sort(segmentOrder);
  indexes.set(segments, byId);
  return { segments, ruptureStatus: ruptureStatuses(segments) };
}

/** Whether a segment's change leaves every rupture's status as it was (ruptureStatuses' inputs). */
function statusInputsSame(a: Segment, b: Segment): boolean {
  if (a.kind !== b.kind || a.startMs !== b.startMs) return false;
  // A rupture's status reads its id and start; a repair's start, rating and links count too.
  if (a.kind !== 'repair') return true;
  return (
    a.rating === b.rating &&
    a.linkedRuptureIds.length === b.linkedRuptureIds.length &&
    a.linkedRuptureIds.every((r, i) => r === b.linkedRuptureIds[i])
  );
}
