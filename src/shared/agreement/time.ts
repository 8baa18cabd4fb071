/**
 * Agreement of two coders on time (Bakeman, Quera & Gnisci 2009): time-unit kappa and
 * event-based agreement, per code and for "any" code. Pure functions on spans in ms.
 */
import { percentileInterval, seeded } from './inference';
import { kappaFromTable, negativeAgreement, pabak, positiveAgreement, table2x2, type Stat } from './stats';

export interface Span {
  code: string;
  startMs: number;
  endMs: number;
}

export const ANY = 'any';

/** W2 before W10. One collator: creating one per comparison is what made this slow. */
export const byCode = new Intl.Collator('en', { numeric: true });

/**
 * Presence arrays are kept per span list (weakly), so a rater compared with several others is
 * rasterised once per code, not once per pair.
 */
const presenceCache = new WeakMap<Span[], Map<string, Uint8Array>>();

/** Presence per unit as 0/1 bytes, for one code or (ANY) for every code together. */
export function presence(spans: Span[], code: string, unitMs: number, units: number): Uint8Array {
  let cache = presenceCache.get(spans);
  if (!cache) presenceCache.set(spans, (cache = new Map()));
  const key = `${code}\u0000${unitMs}\u0000${units}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const out = rasterise(spans, code, unitMs, units);
  cache.set(key, out);
  return out;
}

/**
 * The units a span occupies: those whose midpoint (i + 0.5)·unit lies in [start, end) (half-open,
 * so two adjacent spans never both claim a unit); a point (start = end) occupies the unit it falls
 * in. Returns [first, last], empty when last < first.
 */
export function unitsOf(startMs: number, endMs: number, unitMs: number): [number, number] {
  return [firstUnit(startMs, endMs, unitMs), lastUnit(startMs, endMs, unitMs)];
}
// The two ends apart, without an array: these run for every span and code of a study.
function firstUnit(startMs: number, endMs: number, unitMs: number): number {
  return endMs <= startMs ? Math.floor(startMs / unitMs) : Math.ceil(startMs / unitMs - 0.5);
}
function lastUnit(startMs: number, endMs: number, unitMs: number): number {
  return endMs <= startMs ? Math.floor(startMs / unitMs) : Math.ceil(endMs / unitMs - 0.5) - 1;
}

/**
 * A span's units clipped to the session: a point event exactly at the session's end (a last mark
 * at the recording's final frame) counts in the last unit rather than falling off the end.
 */
function clippedUnits(s: Span, unitMs: number, units: number): [number, number] {
  if (s.endMs <= s.startMs) {
    const u = Math.min(units - 1, Math.max(0, Math.floor(s.startMs / unitMs)));
    return s.startMs <= units * unitMs ? [u, u] : [1, 0];
  }
  return [
    Math.max(0, firstUnit(s.startMs, s.endMs, unitMs)),
    Math.min(units - 1, lastUnit(s.startMs, s.endMs, unitMs)),
  ];
}

function rasterise(spans: Span[], code: string, unitMs: number, units: number): Uint8Array {
  const out = new Uint8Array(units);
  for (const s of spans) {
    if (code !== ANY && s.code !== code) continue;
    const [first, last] = clippedUnits(s, unitMs, units);
    if (last >= first) out.fill(1, first, last + 1);
  }
  return out;
}

/**
 * Presence of `code` (or of any code when `code` is ANY) in each time unit: a unit counts as
 * present when a span with that code covers the unit's midpoint (half-open), or a point event
 * with that code falls in it.
 */
export function unitPresence(spans: Span[], code: string, unitMs: number, units: number): boolean[] {
  return Array.from(presence(spans, code, unitMs, units), (v) => v === 1);
}

/**
 * With a tolerance of ±t units, a unit one coder marked counts as agreed when the other marked
 * the same code within t units of it (both are then treated as present there).
 */
export function withTolerance(a: Uint8Array, b: Uint8Array, t: number): [Uint8Array, Uint8Array] {
  if (t <= 0) return [a, b];
  const near = (x: Uint8Array, i: number) => {
    for (let j = Math.max(0, i - t); j <= Math.min(x.length - 1, i + t); j++) if (x[j]) return true;
    return false;
  };
  const a2 = a.map((v, i) => (v || (b[i] && near(a, i)) ? 1 : 0));
  const b2 = b.map((v, i) => (v || (a[i] && near(b, i)) ? 1 : 0));
  return [a2, b2];
}

export interface TimeUnitResult extends Stat {
  units: number;
}

/**
 * The covered units of a span list as merged, sorted [first, last] runs: the same presence as
 * `presence`, but O(spans) to compare, which is what makes a whole study fast.
 */
const runCache = new WeakMap<Span[], Map<string, [number, number][]>>();
export function presenceRuns(spans: Span[], code: string, unitMs: number, units: number): [number, number][] {
  let cache = runCache.get(spans);
  if (!cache) runCache.set(spans, (cache = new Map()));
  const key = `${code}\u0000${unitMs}\u0000${units}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const runs: [number, number][] = [];
  for (const s of spans) {
    if (code !== ANY && s.code !== code) continue;
    const [first, last] = clippedUnits(s, unitMs, units);
    if (last >= first) runs.push([first, last]);
  }
  runs.sort((p, q) => p[0] - q[0]);
  const merged: [number, number][] = [];
  for (const r of runs) {
    const top = merged[merged.length - 1];
    if (top && r[0] <= top[1] + 1) top[1] = Math.max(top[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  cache.set(key, merged);
  return merged;
}

/** The 2×2 presence table of two run lists over `units` units (no tolerance). */
export function tableFromRuns(x: [number, number][], y: [number, number][], units: number) {
  const size = (r: [number, number][]) => r.reduce((n, [f, l]) => n + l - f + 1, 0);
  let both = 0;
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const lo = Math.max(x[i]![0], y[j]![0]);
    const hi = Math.min(x[i]![1], y[j]![1]);
    if (hi >= lo) both += hi - lo + 1;
    if (x[i]![1] < y[j]![1]) i++;
    else j++;
  }
  const nx = size(x);
  const ny = size(y);
  return { a: both, b: nx - both, c: ny - both, d: units - nx - ny + both };
}

function kappaOfTable(table: { a: number; b: number; c: number; d: number }, code: string): Stat {
  if (table.a + table.b + table.c === 0) {
    return {
      value: null,
      note: `kappa undefined: neither coder marked ${code === ANY ? 'anything' : code} (all units absent)`,
    };
  }
  return kappaFromTable(table);
}

function kappaOfPresence(x: Uint8Array, y: Uint8Array, code: string): Stat {
  const table = table2x2(x, y);
  if (table.a + table.b + table.c === 0) {
    return {
      value: null,
      note: `kappa undefined: neither coder marked ${code === ANY ? 'anything' : code} (all units absent)`,
    };
  }
  return kappaFromTable(table);
}

export function timeUnitKappa(
  a: Span[],
  b: Span[],
  code: string,
  opts: { unitMs: number; toleranceMs: number; durationMs: number },
): TimeUnitResult {
  const units = Math.ceil(opts.durationMs / opts.unitMs);
  if (units <= 0) return { value: null, note: 'kappa undefined: the session has no length', units: 0 };
  const t = Math.round(opts.toleranceMs / opts.unitMs);
  const [x, y] = withTolerance(presence(a, code, opts.unitMs, units), presence(b, code, opts.unitMs, units), t);
  return { ...kappaOfPresence(x, y, code), units };
}

export interface EventResult extends Stat {
  matched: number;
  nA: number;
  nB: number;
  /** Mean overlap |A∩B| / |A∪B| of the matched pairs. */
  meanIoU: number | null;
}

/**
 * Event-based agreement for one code: events of A and B are matched one-to-one when their
 * onsets differ by at most `windowMs`; agreement = 2M / (N_A + N_B) (the F1 score). Matching
 * walks both onset-sorted lists and pairs each event with the earliest unmatched partner in
 * range, which yields a maximum matching for this "within distance on a line" structure.
 */
export function eventAgreement(a: Span[], b: Span[], code: string, windowMs: number): EventResult {
  const { A, B, matches } = matchEvents(a, b, code, windowMs);
  const nA = A.length;
  const nB = B.length;
  if (nA + nB === 0)
    return {
      value: null,
      note: `event agreement undefined: neither coder marked ${code === ANY ? 'any event' : code}`,
      matched: 0,
      nA,
      nB,
      meanIoU: null,
    };
  const ious = matches.map(([x, y]) => {
    const inter = Math.max(0, Math.min(x.endMs, y.endMs) - Math.max(x.startMs, y.startMs));
    const union = Math.max(x.endMs, y.endMs) - Math.min(x.startMs, y.startMs);
    return union === 0 ? 1 : inter / union;
  });
  return {
    value: (2 * matches.length) / (nA + nB),
    matched: matches.length,
    nA,
    nB,
    meanIoU: ious.length ? ious.reduce((s, v) => s + v, 0) / ious.length : null,
  };
}

/**
 * A coder's events of one code in onset order (for "any", one per distinct span: a segment
 * carrying several codes is still one event). Worked out once per span list and code, like
 * `presenceRuns`: a study asks for every code of every coder in each of their pairs.
 */
const eventCache = new WeakMap<Span[], Map<string, Span[]>>();
function eventsOf(x: Span[], code: string): Span[] {
  let cache = eventCache.get(x);
  if (!cache) {
    cache = new Map();
    // Grouped in one pass (in list order, so the stable sort keeps ties as a filter would).
    for (const s of x) {
      const list = cache.get(s.code);
      if (list) list.push(s);
      else cache.set(s.code, [s]);
    }
    for (const list of cache.values()) list.sort((p, q) => p.startMs - q.startMs);
    eventCache.set(x, cache);
  }
  const key = code === ANY ? `${ANY}\u0000events` : code;
  let events = cache.get(key);
  if (!events) {
    events =
      code === ANY
        ? [...new Map(x.map((s) => [`${s.startMs}:${s.endMs}`, s])).values()].sort((p, q) => p.startMs - q.startMs)
        : [];
    cache.set(key, events);
  }
  return events;
}

/** The events of one code of both coders, and their one-to-one matches. */
function matchEvents(a: Span[], b: Span[], code: string, windowMs: number) {
  const A = eventsOf(a, code);
  const B = eventsOf(b, code);
  let i = 0;
  let j = 0;
  const matches: [Span, Span][] = [];
  while (i < A.length && j < B.length) {
    const d = A[i]!.startMs - B[j]!.startMs;
    if (Math.abs(d) <= windowMs) {
      matches.push([A[i]!, B[j]!]);
      i++;
      j++;
    } else if (d < 0) i++;
    else j++;
  }
  return { A, B, matches };
}

/** A percentile interval, or why there is none. */
export interface Interval {
  lower: number | null;
  upper: number | null;
  /** Resamples in which the figure was undefined (left out). */
  undefined_resamples: number;
}

/**
 * Intervals for one pair of coders within one session ("any" code): a seeded block bootstrap
 * over time (Carlstein's non-overlapping blocks). Units next to each other are not independent
 * (a rupture spans many), so whole blocks of `blockMs` are drawn with replacement, as many as
 * the session has. Each block's 2×2 unit table and event counts are tallied once (an event
 * belongs to the block of its onset; a match to the block of the first coder's onset), so a
 * resample is a sum of tallies. Null intervals when the session has fewer than two blocks.
 */
export function pairBlockBootstrap(
  a: Span[],
  b: Span[],
  opts: {
    unitMs: number;
    toleranceMs: number;
    windowMs: number;
    durationMs: number;
    blockMs: number;
    resamples: number;
    seed: number;
    confidence?: number;
  },
): { blocks: number; time_unit_kappa_any: Interval; event_agreement_any: Interval; pabak: Interval } {
  const units = Math.max(0, Math.ceil(opts.durationMs / opts.unitMs));
  const perBlock = Math.max(1, Math.round(opts.blockMs / opts.unitMs));
  const blocks = Math.ceil(units / perBlock);
  const none = { lower: null, upper: null, undefined_resamples: 0 };
  if (blocks < 2) return { blocks, time_unit_kappa_any: none, event_agreement_any: none, pabak: none };
  const t = Math.round(opts.toleranceMs / opts.unitMs);
  const [x, y] = withTolerance(presence(a, ANY, opts.unitMs, units), presence(b, ANY, opts.unitMs, units), t);
  // Per block: both, only a, only b, neither; events of a, of b, matched.
  const tally = new Float64Array(blocks * 7);
  for (let u = 0; u < units; u++) {
    const k = Math.floor(u / perBlock) * 7;
    tally[k + (x[u] ? (y[u] ? 0 : 1) : y[u] ? 2 : 3)]!++;
  }
  const blockOf = (ms: number) => Math.min(blocks - 1, Math.max(0, Math.floor(ms / opts.unitMs / perBlock)));
  const { A, B, matches } = matchEvents(a, b, ANY, opts.windowMs);
  // A match and both of its events belong to the block of the first coder's onset (an unmatched
  // event to its own), so no resample can hold more matches than events: 2M ≤ N₁ + N₂ always.
  const matchedB = new Set<Span>();
  for (const [x, y] of matches) {
    const k = blockOf(x.startMs) * 7;
    tally[k + 6]!++;
    tally[k + 5]!++;
    matchedB.add(y);
  }
  for (const e of A) tally[blockOf(e.startMs) * 7 + 4]!++;
  for (const e of B) if (!matchedB.has(e)) tally[blockOf(e.startMs) * 7 + 5]!++;
  const rnd = seeded(opts.seed);
  const figures: [number[], number[], number[]] = [[], [], []];
  const undef = [0, 0, 0];
  const sum = new Float64Array(7);
  for (let r = 0; r < opts.resamples; r++) {
    sum.fill(0);
    for (let i = 0; i < blocks; i++) {
      const k = Math.floor(rnd() * blocks) * 7;
      for (let j = 0; j < 7; j++) sum[j]! += tally[k + j]!;
    }
    const table = { a: sum[0]!, b: sum[1]!, c: sum[2]!, d: sum[3]! };
    const kappa = table.a + table.b + table.c === 0 ? null : kappaFromTable(table).value;
    const events = sum[4]! + sum[5]! === 0 ? null : (2 * sum[6]!) / (sum[4]! + sum[5]!);
    const pa = pabak(table).value;
    [kappa, events, pa].forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) undef[i]!++;
      else figures[i]!.push(v);
    });
  }
  const interval = (values: number[], i: number): Interval => ({
    ...percentileInterval(values, opts.confidence),
    undefined_resamples: undef[i]!,
  });
  return {
    blocks,
    time_unit_kappa_any: interval(figures[0], 0),
    event_agreement_any: interval(figures[1], 1),
    pabak: interval(figures[2], 2),
  };
}

export interface PairAgreement {
  raters: [string, string];
  time_unit_kappa: Record<string, Stat>;
  event_agreement: Record<string, Stat & { matched: number; nA: number; nB: number }>;
  mean_iou: Record<string, number | null>;
  pabak: Stat;
  positive_agreement: Stat;
  negative_agreement: Stat;
}

/** Everything for one pair of coders: per code and for "any", as the CLI prints it. */
export function pairAgreement(
  names: [string, string],
  a: Span[],
  b: Span[],
  /** `codes`: every code of the study, sorted (so every pair reports the same keys). */
  opts: { unitMs: number; toleranceMs: number; windowMs: number; durationMs?: number; codes?: string[] },
): PairAgreement {
  const durationMs = opts.durationMs ?? [...a, ...b].reduce((m, s) => Math.max(m, s.endMs), 0);
  // Every pair reports the same codes (all codes of the study), so tables line up.
  const codes = opts.codes ?? [...new Set([...a, ...b].map((s) => s.code))].sort(byCode.compare);
  const tuk: Record<string, Stat> = {};
  const ev: PairAgreement['event_agreement'] = {};
  const iou: Record<string, number | null> = {};
  const units = Math.max(0, Math.ceil(durationMs / opts.unitMs));
  const t = Math.round(opts.toleranceMs / opts.unitMs);
  let anyTable = { a: 0, b: 0, c: 0, d: 0 };
  for (const code of [...codes, ANY]) {
    if (units === 0) tuk[code] = { value: null, note: 'kappa undefined: the session has no length' };
    else if (t === 0) {
      const table = tableFromRuns(
        presenceRuns(a, code, opts.unitMs, units),
        presenceRuns(b, code, opts.unitMs, units),
        units,
      );
      tuk[code] = kappaOfTable(table, code);
      if (code === ANY) anyTable = table;
    } else {
      const [x, y] = withTolerance(presence(a, code, opts.unitMs, units), presence(b, code, opts.unitMs, units), t);
      tuk[code] = kappaOfPresence(x, y, code);
      if (code === ANY) anyTable = table2x2(x, y);
    }
    const e = eventAgreement(a, b, code, opts.windowMs);
    ev[code] = { value: e.value, ...(e.note ? { note: e.note } : {}), matched: e.matched, nA: e.nA, nB: e.nB };
    iou[code] = e.meanIoU;
  }
  const table = anyTable;
  return {
    raters: names,
    time_unit_kappa: tuk,
    event_agreement: ev,
    mean_iou: iou,
    pabak: pabak(table),
    positive_agreement: positiveAgreement(table),
    negative_agreement: negativeAgreement(table),
  };
}

export type Resolution = 'repaired' | 'partly' | 'unrepaired';
export const RESOLUTIONS: Resolution[] = ['repaired', 'partly', 'unrepaired'];

/**
 * The ruptures two coders both marked (onsets within the window, matched one to one as events
 * are), each with the status each coder gave it: repaired, partly repaired, unrepaired.
 */
export function resolutionPairs(
  a: { startMs: number; status: Resolution }[],
  b: { startMs: number; status: Resolution }[],
  windowMs: number,
): [Resolution, Resolution][] {
  const A = [...a].sort((x, y) => x.startMs - y.startMs);
  const B = [...b].sort((x, y) => x.startMs - y.startMs);
  const out: [Resolution, Resolution][] = [];
  let i = 0;
  let j = 0;
  while (i < A.length && j < B.length) {
    const d = A[i]!.startMs - B[j]!.startMs;
    if (Math.abs(d) <= windowMs) out.push([A[i++]!.status, B[j++]!.status]);
    else if (d < 0) i++;
    else j++;
  }
  return out;
}

export interface ResolutionAgreement {
  /** Ruptures both coders marked. */
  matched: number;
  /** Share of them given the same status. */
  agreement: Stat;
  /** Cohen's kappa over the three statuses. */
  kappa: Stat;
  /** Counts: rows the first coder's status, columns the second's (repaired, partly, unrepaired). */
  table: number[][];
}

/** Agreement on whether the ruptures both coders marked were repaired. */
export function resolutionAgreement(pairs: [Resolution, Resolution][]): ResolutionAgreement {
  const table = RESOLUTIONS.map((x) => RESOLUTIONS.map((y) => pairs.filter(([p, q]) => p === x && q === y).length));
  if (!pairs.length)
    return {
      matched: 0,
      agreement: { value: null, note: 'no rupture was marked by both coders, so there is no repair status to compare' },
      kappa: { value: null, note: 'no rupture was marked by both coders, so there is no repair status to compare' },
      table,
    };
  const same = pairs.filter(([p, q]) => p === q).length;
  const n = pairs.length;
  let pe = 0;
  for (let k = 0; k < 3; k++)
    pe += (table[k]!.reduce((s, v) => s + v, 0) / n) * (table.reduce((s, r) => s + r[k]!, 0) / n);
  return {
    matched: n,
    agreement: { value: same / n },
    kappa:
      1 - pe < 1e-12
        ? { value: null, note: 'kappa undefined: both coders gave every shared rupture the same one status' }
        : { value: (same / n - pe) / (1 - pe) },
    table,
  };
}
