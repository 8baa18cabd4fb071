/**
 * Agreement reports as the CLI prints them: numbers (or null) under the names the issue gives,
 * and a `notes` object saying why any figure is null.
 */
import { pairAgreement, type Span } from '../../shared/agreement/time';
import {
  cohenKappa,
  icc,
  krippendorffAlpha,
  weightedKappaQuadratic,
  type AlphaMetric,
  type Stat,
} from '../../shared/agreement/stats';

const round = (x: number | null) => (x === null ? null : Math.round(x * 1e6) / 1e6);

function collect(notes: Record<string, string>, key: string, s: Stat): number | null {
  if (s.note && s.value === null) notes[key] = s.note;
  return round(s.value);
}

export function ratingsReport(data: { units: string[]; raters: string[]; table: (number | string | null)[][] }) {
  const notes: Record<string, string> = {};
  const numeric = data.table.every((row) => row.every((v) => v === null || typeof v === 'number'));
  const complete = data.table.filter((row) => row.every((v) => v !== null)) as number[][];
  const iccResult = numeric ? icc(complete) : icc([]);
  if (!numeric) notes.icc = 'ICC needs numeric ratings.';
  const iccOut = Object.fromEntries(
    (['ICC1_1', 'ICC2_1', 'ICC3_1', 'ICC1_k', 'ICC2_k', 'ICC3_k'] as const).map((k) => [
      k,
      collect(notes, `icc.${k}`, iccResult[k]),
    ]),
  );
  const alpha = Object.fromEntries(
    (['nominal', 'ordinal', 'interval', 'ratio'] as AlphaMetric[]).map((m) => [
      m,
      collect(notes, `krippendorff_alpha.${m}`, krippendorffAlpha(data.table, m)),
    ]),
  );
  const out: Record<string, unknown> = {
    n_units: data.units.length,
    n_raters: data.raters.length,
    raters: data.raters,
    icc: iccOut,
    icc_units_complete: complete.length,
    icc_default: 'ICC2_1',
    krippendorff_alpha: alpha,
  };
  if (data.raters.length === 2) {
    const a = data.table.map((r) => r[0] ?? null);
    const b = data.table.map((r) => r[1] ?? null);
    out.cohen_kappa = collect(notes, 'cohen_kappa', cohenKappa(a, b));
    out.weighted_kappa_quadratic = numeric
      ? collect(
          notes,
          'weighted_kappa_quadratic',
          weightedKappaQuadratic(a as (number | null)[], b as (number | null)[]),
        )
      : null;
    if (!numeric) notes.weighted_kappa_quadratic = 'weighted kappa needs numeric (ordered) ratings.';
  } else if (data.raters.length < 2) {
    notes.raters = 'Agreement needs at least two raters.';
  }
  out.notes = notes;
  return out;
}

export function segmentsReport(
  spans: { rater: string; code: string; startMs: number; endMs: number }[],
  opts: { unitMs: number; toleranceMs: number; windowMs: number; durationMs?: number },
) {
  const raters = [...new Set(spans.map((s) => s.rater))];
  const by = new Map<string, Span[]>(raters.map((r) => [r, []]));
  for (const s of spans) by.get(s.rater)!.push({ code: s.code, startMs: s.startMs, endMs: s.endMs });
  const durationMs = opts.durationMs ?? spans.reduce((m, s) => Math.max(m, s.endMs), 0);
  const codes = [...new Set(spans.map((s) => s.code))];
  const pairs = [];
  for (let i = 0; i < raters.length; i++) {
    for (let j = i + 1; j < raters.length; j++) {
      const p = pairAgreement([raters[i]!, raters[j]!], by.get(raters[i]!)!, by.get(raters[j]!)!, {
        ...opts,
        durationMs,
        codes,
      });
      const notes: Record<string, string> = {};
      const flat = (rec: Record<string, Stat>, key: string) =>
        Object.fromEntries(Object.entries(rec).map(([code, s]) => [code, collect(notes, `${key}.${code}`, s)]));
      pairs.push({
        raters: p.raters,
        time_unit_kappa: flat(p.time_unit_kappa, 'time_unit_kappa'),
        event_agreement: flat(p.event_agreement, 'event_agreement'),
        event_counts: Object.fromEntries(
          Object.entries(p.event_agreement).map(([c, e]) => [c, { matched: e.matched, a: e.nA, b: e.nB }]),
        ),
        mean_iou: Object.fromEntries(Object.entries(p.mean_iou).map(([c, v]) => [c, round(v)])),
        pabak: collect(notes, 'pabak', p.pabak),
        positive_agreement: collect(notes, 'positive_agreement', p.positive_agreement),
        negative_agreement: collect(notes, 'negative_agreement', p.negative_agreement),
        notes,
      });
    }
  }
  return {
    n_raters: raters.length,
    raters,
    unit_ms: opts.unitMs,
    tolerance_ms: opts.toleranceMs,
    window_ms: opts.windowMs,
    duration_ms: durationMs,
    pairs,
    ...(raters.length < 2 ? { notes: { raters: 'Agreement needs at least two raters.' } } : {}),
  };
}
