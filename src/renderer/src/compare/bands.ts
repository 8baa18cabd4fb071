import type { SessionAnnotations } from '../../../shared/annotations';
import { checkValue, RANGES } from '../../../shared/agreement/guard';
import { kappaFromTable } from '../../../shared/agreement/stats';
import { ANY, presence, type Span } from '../../../shared/agreement/time';

/**
 * One rater's ruptures as 0/1 per unit, by the statistics' own rule (a unit is marked when a
 * segment covers its midpoint, half-open; a point event marks the unit it falls in).
 */
function ruptureUnits(a: SessionAnnotations, raterId: number, unitMs: number, units: number): Uint8Array {
  const spans: Span[] = a.segments
    .filter((s) => s.raterId === raterId && s.kind === 'rupture')
    .map((s) => ({ code: ANY, startMs: s.startMs, endMs: s.endMs }));
  return presence(spans, ANY, unitMs, units);
}

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
    const mark = ruptureUnits(a, id, unitMs, units);
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

/**
 * Agreement on rupture presence within a stretch (the visible one), per pair of raters, over
 * 1-second units: the share of units where both say the same, and Cohen's kappa (null when it is
 * undefined: both raters constant over the stretch).
 */
export function stretchAgreement(
  a: SessionAnnotations,
  raters: { id: number; name: string }[],
  from: number,
  to: number,
  unitMs = 1000,
): { raters: [string, string]; agreement: number | null; kappa: number | null; units: number }[] {
  const first = Math.max(0, Math.floor(from / unitMs));
  const units = Math.max(0, Math.ceil(to / unitMs) - first);
  const marks = new Map<number, Uint8Array>();
  for (const r of raters) marks.set(r.id, ruptureUnits(a, r.id, unitMs, first + units).subarray(first));
  const out = [];
  for (let i = 0; i < raters.length; i++)
    for (let j = i + 1; j < raters.length; j++) {
      const x = marks.get(raters[i]!.id)!;
      const y = marks.get(raters[j]!.id)!;
      let both = 0;
      let none = 0;
      let onlyX = 0;
      let onlyY = 0;
      for (let u = 0; u < units; u++) {
        if (x[u] && y[u]) both++;
        else if (!x[u] && !y[u]) none++;
        else if (x[u]) onlyX++;
        else onlyY++;
      }
      const n = units;
      const po = n ? (both + none) / n : null;
      // The statistics' own kappa (and its guard): null where neither rater varies.
      const kappa = n
        ? checkValue('kappa', kappaFromTable({ a: both, b: onlyX, c: onlyY, d: none }).value, RANGES.coefficient).value
        : null;
      out.push({
        raters: [raters[i]!.name, raters[j]!.name] as [string, string],
        agreement: po,
        kappa,
        units: n,
      });
    }
  return out;
}
