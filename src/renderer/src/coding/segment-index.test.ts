import { describe, expect, it } from 'vitest';
import { ruptureStatuses } from '../../../shared/annotation-logic';
import { seg } from '../../../shared/segment-fixture';
import { segmentIndex, withChanged } from './segment-index';

const session = () => {
  const segments = [
    seg(1, 'rupture', 1000, 5000),
    seg(2, 'repair', 6000, 9000, { linkedRuptureIds: [1], rating: 4 }),
    seg(3, 'comment', 7000, 7000),
    seg(4, 'rupture', 20000, 24000),
  ];
  return { segments, statuses: ruptureStatuses(segments) };
};

describe('withChanged (an edit applied on screen)', () => {
  it('replaces one segment in place: the others keep their identity, the index follows, the statuses are kept when they cannot change', () => {
    const { segments, statuses } = session();
    const nudged = { ...segments[0]!, endMs: 5100 };
    const next = withChanged(segments, statuses, [nudged], []);
    expect(next.segments.map((s) => s.id)).toEqual([1, 2, 3, 4]);
    expect(next.segments[0]).toBe(nudged);
    expect(next.segments[1]).toBe(segments[1]);
    expect(segmentIndex(next.segments).get(1)).toBe(nudged);
    expect(segmentIndex(segments).get(1)).toBe(segments[0]);
    expect(next.ruptureStatus).toBe(statuses);
  });

  it('works the statuses out again when a rupture moves or a repair changes its rating', () => {
    const { segments, statuses } = session();
    const moved = withChanged(segments, statuses, [{ ...segments[0]!, startMs: 1500 }], []);
    expect(moved.ruptureStatus).toEqual(ruptureStatuses(moved.segments));
    expect(moved.ruptureStatus[0]!.msToFirstRepair).toBe(4500);
    const weaker = withChanged(segments, statuses, [{ ...segments[1]!, rating: 2 }], []);
    expect(weaker.ruptureStatus[0]!.status).toBe('partly');
  });

  it('puts a stored comment in the place of the one shown under a temporary id', () => {
    const { segments, statuses } = session();
    const shown = withChanged(segments, statuses, [seg(-1, 'comment', 8000, 8000, { note: 'x' })], []);
    expect(shown.segments.map((s) => s.id)).toEqual([1, 2, 3, -1, 4]);
    const stored = withChanged(
      shown.segments,
      shown.ruptureStatus,
      [seg(9, 'comment', 8000, 8000, { note: 'x' })],
      [-1],
    );
    expect(stored.segments.map((s) => s.id)).toEqual([1, 2, 3, 9, 4]);
    expect(segmentIndex(stored.segments).has(-1)).toBe(false);
    expect(segmentIndex(stored.segments).get(9)!.note).toBe('x');
    expect(stored.ruptureStatus).toBe(shown.ruptureStatus);
    // A rupture's new id is named in the statuses: they are worked out again.
    const rupture = withChanged(segments, statuses, [seg(-2, 'rupture', 30000, 31000)], []);
    const kept = withChanged(rupture.segments, rupture.ruptureStatus, [seg(10, 'rupture', 30000, 31000)], [-2]);
    expect(kept.ruptureStatus.map((r) => r.ruptureId)).toEqual([1, 4, 10]);
  });

  it('keeps the list in time order when a segment passes its neighbours, adds new ones, and drops links to a deleted rupture', () => {
    const { segments, statuses } = session();
    const passed = withChanged(segments, statuses, [{ ...segments[0]!, startMs: 8000, endMs: 12000 }], []);
    expect(passed.segments.map((s) => s.id)).toEqual([2, 3, 1, 4]);
    expect(segmentIndex(passed.segments).get(1)!.startMs).toBe(8000);
    const added = withChanged(segments, statuses, [seg(5, 'comment', 500, 500)], []);
    expect(added.segments.map((s) => s.id)).toEqual([5, 1, 2, 3, 4]);
    const removed = withChanged(segments, statuses, [], [1]);
    expect(removed.segments.map((s) => s.id)).toEqual([2, 3, 4]);
    expect(segmentIndex(removed.segments).get(2)!.linkedRuptureIds).toEqual([]);
    expect(removed.ruptureStatus.map((r) => r.ruptureId)).toEqual([4]);
  });
});
