import { describe, expect, it } from 'vitest';
import { ruptureStatuses } from '../../../shared/annotation-logic';
import type { Rater } from '../../../shared/annotations';
import { BoxCache, boxLabel, laneBoxes, layoutLanes } from './lane-boxes';
import { seg } from '../../../shared/segment-fixture';
import { segmentIndex } from './segment-index';

const raters: Rater[] = [{ id: 1, name: 'A', role: 'observer', consensus: false }];

describe('the lanes’ boxes', () => {
  const segments = [
    seg(1, 'rupture', 1000, 5000, { codes: ['W1'] }),
    seg(2, 'rupture', 2000, 6000, { codes: ['C2'] }),
    seg(3, 'repair', 6000, 9000, { codes: ['R3'], linkedRuptureIds: [1], rating: 5 }),
    seg(4, 'comment', 7000, 7000, { note: 'Notice the shift' }),
  ];

  it('stacks overlapping segments in rows, and keeps the lanes an edit did not touch', () => {
    const lanes = layoutLanes(segments, raters, new Map());
    const [ruptures, repairs, comments] = lanes.get(1)!;
    expect(ruptures!.rows.get(1)).toBe(0);
    expect(ruptures!.rows.get(2)).toBe(1);
    expect(ruptures!.count).toBe(2);
    const edited = segments.map((s) => (s.id === 2 ? { ...s, startMs: 5500, endMs: 8000 } : s));
    const again = layoutLanes(edited, raters, lanes).get(1)!;
    expect(again[0]).not.toBe(ruptures);
    expect(again[0]!.count).toBe(1);
    expect(again[1]).toBe(repairs);
    expect(again[2]).toBe(comments);
  });

  it('labels a repaired rupture with a tick and a repair with the ruptures it repairs', () => {
    const statuses = new Map(ruptureStatuses(segments).map((s) => [s.ruptureId, s]));
    const c = { byId: segmentIndex(segments), statuses };
    expect(boxLabel(segments[0]!, c)).toBe('W1 ✓');
    expect(boxLabel(segments[1]!, c)).toBe('C2');
    expect(boxLabel(segments[2]!, c)).toBe('R3 ●5 → W1');
  });

  it('places the boxes of the laid-out stretch, a dragged one where it is dragged', () => {
    const lane = layoutLanes(segments, raters, new Map()).get(1)![0]!;
    const context = {
      frame: { from: 0, to: 10_000, msPerPx: 10 },
      selectedId: 2,
      linked: new Set<number>(),
      drag: {
        id: 1,
        kind: 'rupture' as const,
        mode: 'move' as const,
        originX: 0,
        startMs: 1500,
        endMs: 5500,
        moved: true,
      },
      byId: segmentIndex(segments),
      statuses: new Map(),
    };
    const boxes = laneBoxes(lane, context);
    expect(boxes.map((b) => [b.segment.id, b.left, b.width, b.top])).toEqual([
      [1, 150, 400, 2],
      [2, 200, 400, 22],
    ]);
    expect(boxes[1]!.cls).toContain('selected');
    expect(laneBoxes(lane, { ...context, frame: { from: 20_000, to: 30_000, msPerPx: 10 } })).toEqual([]);
  });

  it('works a lane’s boxes out again only when something they show changed', () => {
    const cache = new BoxCache();
    let made = 0;
    const make = () => (made++, []);
    const first = cache.get('1:rupture', [1, 'a'], make);
    expect(cache.get('1:rupture', [1, 'a'], make)).toBe(first);
    expect(made).toBe(1);
    cache.get('1:rupture', [1, 'b'], make);
    cache.get('1:repair', [1, 'b'], make);
    expect(made).toBe(3);
  });
});
