import { snapMs } from '../../../shared/segment-rules';
import type { Segment } from '../../../shared/annotations';

/**
 * Assigns each segment of one lane a row so that overlapping segments stack instead of hiding
 * each other (greedy interval partitioning; point comments get a minimum width).
 */
export function stackRows(segments: Segment[], minMs: number): { rows: Map<number, number>; count: number } {
  const sorted = [...segments].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs || a.id - b.id);
  const ends: number[] = [];
  const rows = new Map<number, number>();
  for (const s of sorted) {
    const end = Math.max(s.endMs, s.startMs + minMs);
    let row = ends.findIndex((e) => e <= s.startMs);
    if (row < 0) {
      row = ends.length;
      ends.push(end);
    } else ends[row] = end;
    rows.set(s.id, row);
  }
  return { rows, count: Math.max(1, ends.length) };
}

/** Snaps to the shared grid (100 ms) unless `free`. */
export const snap = (ms: number, free: boolean): number => snapMs(ms, free);
