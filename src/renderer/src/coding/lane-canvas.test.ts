import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../shared/annotations';
import { segmentAt, segmentsInFrame } from './lane-density';

const seg = (id: number, startMs: number, endMs: number) => ({ id, startMs, endMs }) as Segment;

describe('a lane drawn zoomed out', () => {
  const list = [seg(1, 0, 1000), seg(2, 5000, 6000), seg(3, 20_000, 21_000)];
  const rows = new Map([
    [1, 0],
    [2, 1],
    [3, 0],
  ]);

  it('counts the segments in the laid-out stretch as the boxes would', () => {
    expect(segmentsInFrame(list, { from: 0, to: 10_000, msPerPx: 10 })).toBe(2);
    expect(segmentsInFrame(list, { from: 22_500, to: 30_000, msPerPx: 10 })).toBe(1); // ends within 2 s before
    expect(segmentsInFrame(list, { from: 40_000, to: 50_000, msPerPx: 10 })).toBe(0);
  });

  it('finds the segment under a press in its row, the nearest within the slack', () => {
    expect(segmentAt(list, rows, 500, 0, 100)?.id).toBe(1);
    expect(segmentAt(list, rows, 5500, 0, 100)).toBeNull(); // that one is in row 1
    expect(segmentAt(list, rows, 5500, 1, 100)?.id).toBe(2);
    expect(segmentAt(list, rows, 1080, 0, 100)?.id).toBe(1);
    expect(segmentAt(list, rows, 1200, 0, 100)).toBeNull();
  });
});
