/** When a lane is drawn instead of built of boxes, and what a press on the drawing picks. */
import type { Segment } from '../../../shared/annotations';
import type { Frame } from './lane-geometry';

/** Above this many segments in the laid-out stretch, a lane is drawn, not built of boxes. */
export const DENSE_SEGMENTS = 250;

/** How many of a lane's segments fall in the laid-out stretch (as laneBoxes counts them). */
export function segmentsInFrame(list: readonly Segment[], frame: Frame): number {
  let n = 0;
  for (const s of list) if (s.endMs >= frame.from - 2000 && s.startMs <= frame.to) n++;
  return n;
}

/** The segment drawn at a moment and row of a dense lane (the nearest within `slackMs`), or null. */
export function segmentAt(
  list: readonly Segment[],
  rows: Map<number, number>,
  ms: number,
  row: number,
  slackMs: number,
): Segment | null {
  let best: Segment | null = null;
  let bestDist = Infinity;
  for (const s of list) {
    if ((rows.get(s.id) ?? 0) !== row) continue;
    const d = ms < s.startMs ? s.startMs - ms : ms > s.endMs ? ms - s.endMs : 0;
    if (d <= slackMs && d < bestDist) {
      best = s;
      bestDist = d;
    }
  }
  return best;
}
