import type { SessionAnnotations } from '../../../shared/annotations';

/** Stretches (in ms) where raters disagree on whether a rupture is present, per 1-second unit. */
export function disagreementBands(
  a: SessionAnnotations,
  raterIds: number[],
  durationMs: number,
  unitMs = 1000,
): { start: number; end: number }[] {
  if (raterIds.length < 2) return [];
  const units = Math.ceil(durationMs / unitMs);
  const counts = new Uint16Array(units);
  for (const id of raterIds) {
    const mark = new Uint8Array(units);
    for (const s of a.segments) {
      if (s.raterId !== id || s.kind !== 'rupture') continue;
      const first = Math.max(0, Math.ceil(s.startMs / unitMs - 0.5));
      const last = Math.min(units - 1, Math.floor(s.endMs / unitMs - 0.5));
      mark.fill(1, first, last + 1);
    }
    for (let i = 0; i < units; i++) counts[i]! += mark[i]!;
  }
  const bands: { start: number; end: number }[] = [];
  for (let i = 0; i < units; i++) {
    const split = counts[i]! > 0 && counts[i]! < raterIds.length;
    if (!split) continue;
    const last = bands[bands.length - 1];
    if (last && last.end === i * unitMs) last.end = (i + 1) * unitMs;
    else bands.push({ start: i * unitMs, end: (i + 1) * unitMs });
  }
  return bands;
}
