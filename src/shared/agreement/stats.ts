/**
 * Agreement statistics, pure TypeScript (no I/O, no UI). Every function returns a defined
 * result for degenerate input: `value: null` with a `note` that says why, never NaN.
 *
 * Sources:
 * - Cohen, J. (1960). A coefficient of agreement for nominal scales. Educ. Psychol. Meas. 20.
 * - Cohen, J. (1968). Weighted kappa. Psychol. Bull. 70 (quadratic weights: Fleiss & Cohen 1973).
 * - Byrt, Bishop & Carlin (1993). Bias, prevalence and kappa (PABAK = 2·p_o − 1).
 * - Cicchetti & Feinstein (1990). High agreement but low kappa II (positive/negative agreement).
 * - Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability (coincidence matrices,
 *   difference functions for nominal, ordinal, interval and ratio data).
 * - Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations. Psychol. Bull. 86(2).
 * - McNemar (1947); Cochran (1950) for related proportions.
 */

import { checkValue, RANGES } from './guard';

export interface Stat {
  value: number | null;
  /** Why the value is null, or a caveat. */
  note?: string;
}

const undefinedStat = (note: string): Stat => ({ value: null, note });

export type Label = string | number | boolean;

/** Agreement table of two raters over the same targets (pairs with a missing value are dropped). */
function pairs(a: (Label | null)[], b: (Label | null)[]): [Label, Label][] {
  if (a.length !== b.length) throw new Error('Both raters must rate the same targets (arrays of equal length).');
  const out: [Label, Label][] = [];
  for (let i = 0; i < a.length; i++)
    if (a[i] !== null && a[i] !== undefined && b[i] !== null && b[i] !== undefined) out.push([a[i]!, b[i]!]);
  return out;
}

/**
 * Cohen's kappa: κ = (p_o − p_e) / (1 − p_e), with p_o the observed share of agreement and p_e
 * the agreement expected from the two raters' marginal distributions (Cohen 1960).
 */
export function cohenKappa(
  a: (Label | null)[],
  b: (Label | null)[],
): Stat & { po: number | null; pe: number | null; n: number } {
  const ps = pairs(a, b);
  const n = ps.length;
  if (n === 0)
    return { ...undefinedStat('kappa undefined: no target was rated by both raters'), po: null, pe: null, n };
  const ma = new Map<string, number>();
  const mb = new Map<string, number>();
  let agree = 0;
  for (const [x, y] of ps) {
    const kx = String(x);
    const ky = String(y);
    if (kx === ky) agree++;
    ma.set(kx, (ma.get(kx) ?? 0) + 1);
    mb.set(ky, (mb.get(ky) ?? 0) + 1);
  }
  const po = agree / n;
  let pe = 0;
  for (const [k, v] of ma) pe += (v / n) * ((mb.get(k) ?? 0) / n);
  if (1 - pe < 1e-12) {
    return {
      ...undefinedStat('kappa undefined: both raters used one and the same category for every target'),
      po,
      pe,
      n,
    };
  }
  return { value: (po - pe) / (1 - pe), po, pe, n };
}

/**
 * Quadratic-weighted kappa for ordered categories (Cohen 1968; Fleiss & Cohen 1973):
 * w_ij = 1 − (i − j)² / (k − 1)², κ_w = (p_o(w) − p_e(w)) / (1 − p_e(w)). The categories are
 * the given `scale` (e.g. 1..5) or, by default, the distinct values seen, in numeric order.
 */
export function weightedKappaQuadratic(
  a: (number | null)[],
  b: (number | null)[],
  scale?: number[],
): Stat & { n: number } {
  const ps = pairs(a, b) as [number, number][];
  const n = ps.length;
  if (n === 0) return { ...undefinedStat('weighted kappa undefined: no target was rated by both raters'), n };
  const cats = scale ?? [...new Set(ps.flat())].sort((x, y) => x - y);
  const k = cats.length;
  if (k < 2) return { ...undefinedStat('weighted kappa undefined: only one category was used'), n };
  const idx = new Map(cats.map((c, i) => [c, i]));
  const obs = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const [x, y] of ps) {
    const i = idx.get(x);
    const j = idx.get(y);
    if (i === undefined || j === undefined)
      throw new Error(`A rating (${i === undefined ? x : y}) is outside the scale.`);
    obs[i]![j]! += 1;
  }
  const rows = obs.map((r) => r.reduce((s, v) => s + v, 0) / n);
  const cols = cats.map((_, j) => obs.reduce((s, r) => s + r[j]!, 0) / n);
  let po = 0;
  let pe = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = 1 - ((i - j) * (i - j)) / ((k - 1) * (k - 1));
      po += (w * obs[i]![j]!) / n;
      pe += w * rows[i]! * cols[j]!;
    }
  }
  if (1 - pe < 1e-12) return { ...undefinedStat('weighted kappa undefined: no variation in the ratings'), n };
  return { value: (po - pe) / (1 - pe), n };
}

/** The 2×2 table of two raters on presence (true) / absence (false). */
export interface Binary2x2 {
  /** both present */
  a: number;
  /** first present, second absent */
  b: number;
  /** first absent, second present */
  c: number;
  /** both absent */
  d: number;
}

export function table2x2(x: ArrayLike<boolean | number>, y: ArrayLike<boolean | number>): Binary2x2 {
  if (x.length !== y.length) throw new Error('Both raters must rate the same units.');
  const t = { a: 0, b: 0, c: 0, d: 0 };
  for (let i = 0; i < x.length; i++) {
    if (x[i] && y[i]) t.a++;
    else if (x[i]) t.b++;
    else if (y[i]) t.c++;
    else t.d++;
  }
  return t;
}

/**
 * Cohen's kappa straight from a 2×2 presence table (the same κ as `cohenKappa`, without building
 * label maps: time-unit kappa runs it for every code of every pair of every session).
 */
export function kappaFromTable(t: Binary2x2): Stat {
  const n = t.a + t.b + t.c + t.d;
  if (n === 0) return undefinedStat('kappa undefined: no units');
  const po = (t.a + t.d) / n;
  const pa = (t.a + t.b) / n;
  const pb = (t.a + t.c) / n;
  const pe = pa * pb + (1 - pa) * (1 - pb);
  if (1 - pe < 1e-12)
    return undefinedStat('kappa undefined: both raters used one and the same category for every unit');
  return { value: (po - pe) / (1 - pe) };
}

/** Prevalence- and bias-adjusted kappa: PABAK = 2·p_o − 1 (Byrt, Bishop & Carlin 1993). */
export function pabak(t: Binary2x2): Stat {
  const n = t.a + t.b + t.c + t.d;
  if (n === 0) return undefinedStat('PABAK undefined: no units');
  return { value: (2 * (t.a + t.d)) / n - 1 };
}

/** Positive agreement 2a / (2a + b + c) (Cicchetti & Feinstein 1990). */
export function positiveAgreement(t: Binary2x2): Stat {
  const den = 2 * t.a + t.b + t.c;
  return den === 0
    ? undefinedStat('positive agreement undefined: neither rater marked presence')
    : { value: (2 * t.a) / den };
}

/** Negative agreement 2d / (2d + b + c) (Cicchetti & Feinstein 1990). */
export function negativeAgreement(t: Binary2x2): Stat {
  const den = 2 * t.d + t.b + t.c;
  return den === 0
    ? undefinedStat('negative agreement undefined: neither rater marked absence')
    : { value: (2 * t.d) / den };
}

export type AlphaMetric = 'nominal' | 'ordinal' | 'interval' | 'ratio';

/**
 * Krippendorff's alpha for any number of raters with missing values (Krippendorff 2011):
 * α = 1 − D_o / D_e = 1 − (n − 1) · Σ o_ck δ²_ck / Σ n_c n_k δ²_ck, where o is the coincidence
 * matrix (each unit with m_u ≥ 2 values adds 1/(m_u − 1) per ordered pair of values), n_c its
 * marginals and n their total. Difference functions δ²: nominal 0/1; ordinal
 * (Σ_{g=c..k} n_g − (n_c + n_k)/2)²; interval (c − k)²; ratio ((c − k)/(c + k))².
 * `units[u][r]` is rater r's value for unit u, or null when missing.
 */
export function krippendorffAlpha(
  units: (Label | null)[][],
  metric: AlphaMetric,
): Stat & { pairable: number; observed?: number; expected?: number } {
  // The pairable values: those of units rated by two or more raters.
  const rows: Label[][] = [];
  for (const u of units) {
    const present = u.filter((v): v is Label => v !== null && v !== undefined);
    if (present.length >= 2) rows.push(present);
  }
  const pairable = rows.reduce((n, r) => n + r.length, 0);
  if (pairable === 0) return { ...undefinedStat('alpha undefined: no unit was rated by two or more raters'), pairable };
  const n = pairable;
  if (metric === 'nominal') {
    // Ordered pairs of different values within units (each unit weighted 1/(m_u − 1)), and over
    // all pairable values: m² − Σ counts² — no value-by-value table.
    let dObs = 0;
    const total = new Map<string, number>();
    for (const r of rows) {
      const counts = new Map<string, number>();
      for (const v of r) {
        const key = String(v);
        counts.set(key, (counts.get(key) ?? 0) + 1);
        total.set(key, (total.get(key) ?? 0) + 1);
      }
      let same = 0;
      for (const c of counts.values()) same += c * c;
      dObs += (r.length * r.length - same) / (r.length - 1);
    }
    let sq = 0;
    for (const c of total.values()) sq += c * c;
    return alphaOf(n, dObs, n * n - sq, pairable);
  }
  for (const r of rows)
    for (const v of r)
      if (typeof v !== 'number' || !Number.isFinite(v))
        return { ...undefinedStat(`${metric} alpha needs numeric values; "${v}" is not a number`), pairable: 0 };
  let values = rows as number[][];
  if (metric === 'ratio') {
    if (values.some((r) => r.some((v) => v < 0)))
      return { ...undefinedStat('ratio alpha undefined: ratio values cannot be negative'), pairable };
    return ratioAlpha(values, pairable);
  }
  if (metric === 'ordinal') {
    // Ordinal δ between values c < k is (Σ_{g=c..k} n_g − (n_c + n_k)/2) = M_k − M_c with
    // M_g = (number of pairable values below g) + n_g/2: the interval metric on M (cumulative sums
    // over the sorted values), so the same linear formulas apply.
    const counts = new Map<number, number>();
    for (const r of values) for (const v of r) counts.set(v, (counts.get(v) ?? 0) + 1);
    const sorted = [...counts.keys()].sort((x, y) => x - y);
    const mid = new Map<number, number>();
    let below = 0;
    for (const v of sorted) {
      const c = counts.get(v)!;
      mid.set(v, below + c / 2);
      below += c;
    }
    values = values.map((r) => r.map((v) => mid.get(v)!));
  }
  // Interval: Σ_{i≠j} (x_i − x_j)² = 2m Σ(x − x̄)², within each unit (about the unit's mean) and
  // over all values (about the grand mean): two passes, so neither an offset of 10⁸ nor a scale
  // of 10⁻⁸ costs precision, and every term is a sum of squares (never negative by rounding).
  let mean = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of values)
    for (const v of r) {
      mean += v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  mean /= n;
  if (lo === hi)
    return {
      ...undefinedStat('alpha undefined: every value is the same, so there is no variation to agree on'),
      pairable,
    };
  let dObs = 0;
  let total = 0;
  for (const r of values) {
    let m = 0;
    for (const v of r) m += v;
    m /= r.length;
    let within = 0;
    for (const v of r) {
      within += (v - m) * (v - m);
      total += (v - mean) * (v - mean);
    }
    dObs += (2 * r.length * within) / (r.length - 1);
  }
  return alphaOf(n, dObs, 2 * n * total, pairable);
}

/**
 * α = 1 − D_o / D_e with D_o = Σ/n the observed and D_e = Σ/(n(n − 1)) the expected disagreement
 * (both given back, as a methods section reports them); undefined when there is nothing to
 * disagree about.
 */
function alphaOf(
  n: number,
  dObs: number,
  dExp: number,
  pairable: number,
): Stat & { pairable: number; observed?: number; expected?: number } {
  // The callers compute D_e from centred sums of squares (or counts), so it is zero only when
  // every value is the same, whatever the data's scale.
  if (!(dExp > 0))
    return {
      ...undefinedStat('alpha undefined: every value is the same, so there is no variation to agree on'),
      pairable,
    };
  return {
    ...checkValue("Krippendorff's alpha", 1 - ((n - 1) * Math.max(0, dObs)) / dExp, RANGES.coefficient),
    pairable,
    observed: Math.max(0, dObs) / n,
    expected: dExp / (n * (n - 1)),
  };
}

/** Above this many distinct values ratio alpha (quadratic in them) is not computed, and said. */
export const RATIO_DISTINCT_LIMIT = 20_000;

/**
 * Ratio alpha: δ² = ((c − k)/(c + k))² has no decomposition into sums, so the expected
 * disagreement is summed over pairs of distinct values (with their counts): quadratic in the
 * number of distinct values, fine for rating scales; the interval metric is the one for
 * continuous measurements with many distinct values.
 */
function ratioAlpha(
  rows: number[][],
  pairable: number,
): Stat & { pairable: number; observed?: number; expected?: number } {
  const d2 = (x: number, y: number) => (x + y === 0 ? 0 : ((x - y) / (x + y)) ** 2);
  let dObs = 0;
  const counts = new Map<number, number>();
  for (const r of rows) {
    let s = 0;
    for (let i = 0; i < r.length; i++) {
      counts.set(r[i]!, (counts.get(r[i]!) ?? 0) + 1);
      for (let j = i + 1; j < r.length; j++) s += 2 * d2(r[i]!, r[j]!);
    }
    dObs += s / (r.length - 1);
  }
  const vs = [...counts.keys()];
  if (vs.length > RATIO_DISTINCT_LIMIT)
    return {
      ...undefinedStat(
        `ratio alpha not computed: its expected disagreement is summed over every pair of distinct values, and ${vs.length.toLocaleString('en')} distinct values (more than ${RATIO_DISTINCT_LIMIT.toLocaleString('en')}) are too many to pair; interval alpha and the ICC are given`,
      ),
      pairable,
    };
  const cs = vs.map((v) => counts.get(v)!);
  let dExp = 0;
  for (let i = 0; i < vs.length; i++)
    for (let j = i + 1; j < vs.length; j++) dExp += 2 * cs[i]! * cs[j]! * d2(vs[i]!, vs[j]!);
  return alphaOf(pairable, dObs, dExp, pairable);
}

export interface IccResult {
  ICC1_1: Stat;
  ICC2_1: Stat;
  ICC3_1: Stat;
  ICC1_k: Stat;
  ICC2_k: Stat;
  ICC3_k: Stat;
  n: number;
  k: number;
  /** Mean squares: between targets (R), between raters (C), residual (E), within targets (W). */
  ms: { MSR: number; MSC: number; MSE: number; MSW: number } | null;
  note: string;
}

/**
 * Intraclass correlations of Shrout & Fleiss (1979) for n targets × k raters (complete rows only):
 * ICC(1,1) = (MSR − MSW) / (MSR + (k−1)·MSW); ICC(2,1) = (MSR − MSE) / (MSR + (k−1)·MSE + k·(MSC − MSE)/n);
 * ICC(3,1) = (MSR − MSE) / (MSR + (k−1)·MSE); ICC(1,k) = (MSR − MSW)/MSR;
 * ICC(2,k) = (MSR − MSE) / (MSR + (MSC − MSE)/n); ICC(3,k) = (MSR − MSE)/MSR.
 * ICC(2,1) — two-way random effects, absolute agreement, single rater — is the one to report by
 * default when raters are a sample of possible raters.
 */
export function icc(matrix: number[][]): IccResult {
  const rows = matrix.filter((r) => r.every((v) => Number.isFinite(v)));
  const n = rows.length;
  const k = rows[0]?.length ?? 0;
  const none = (note: string): IccResult => {
    const s = undefinedStat(note);
    return { ICC1_1: s, ICC2_1: s, ICC3_1: s, ICC1_k: s, ICC2_k: s, ICC3_k: s, n, k, ms: null, note };
  };
  if (k < 2) return none('ICC undefined: needs at least two raters');
  if (n < 2) return none('ICC undefined: needs at least two targets rated by every rater');
  // Two passes over centred data: the grand mean first, then every sum of squares from
  // deviations (the residual directly, not as a difference of totals), so ratings near 3,000,000
  // that differ by a few units keep their variance, and a shift or scale changes nothing.
  let grand = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows)
    for (const v of r) {
      grand += v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  grand /= n * k;
  const rowMeans = rows.map((r) => r.reduce((s, v) => s + (v - grand), 0) / k);
  const colMeans = Array.from({ length: k }, (_, j) => rows.reduce((s, r) => s + (r[j]! - grand), 0) / n);
  let sst = 0;
  let sse = 0;
  let ssw = 0;
  rows.forEach((r, i) =>
    r.forEach((v0, j) => {
      const v = v0 - grand;
      sst += v * v;
      ssw += (v - rowMeans[i]!) ** 2;
      sse += (v - rowMeans[i]! - colMeans[j]!) ** 2;
    }),
  );
  const ssr0 = k * rowMeans.reduce((s, m) => s + m * m, 0);
  const ssc0 = n * colMeans.reduce((s, m) => s + m * m, 0);
  // A sum of squares that is zero but for rounding, relative to the data's own variation (a
  // scale-free tolerance), is zero: decimal ratings (0.1, 0.3) that should cancel leave ~1e-33.
  const tol = 1e-12 * sst;
  const clean = (x: number) => (x <= tol ? 0 : x);
  const ssr = clean(ssr0);
  const ssc = clean(ssc0);
  const MSR = ssr / (n - 1);
  const MSC = ssc / (k - 1);
  const MSE = clean(sse) / ((n - 1) * (k - 1));
  const MSW = clean(ssw) / (n * (k - 1));
  if (lo === hi || sst === 0)
    return { ...none('ICC undefined: every rating is the same (no variance)'), ms: { MSR, MSC, MSE, MSW } };
  if (ssr === 0)
    return {
      ...none(
        'ICC undefined: no variance between targets (every target got the same ratings; raters differ only in level)',
      ),
      ms: { MSR, MSC, MSE, MSW },
    };
  const msScale = MSR + MSC + MSE + MSW;
  // Each ICC in its possible range (single rater: [−1/(k − 1), 1]; mean of k raters: [−1, 1]), or
  // null with the value it came out as: never cut to the range without a word.
  const ratio = (num: number, den: number, what: string, single: boolean): Stat => {
    // A denominator that is zero but for rounding (e.g. MSR = (MSE − MSC)/n exactly) is zero.
    if (den <= 1e-9 * msScale)
      return undefinedStat(
        `${what} undefined: its denominator is zero (no variance between targets beyond the raters' differences)`,
      );
    const checked = checkValue(what, num / den, single ? RANGES.iccSingle(k) : RANGES.iccAverage);
    return checked.value === null ? undefinedStat(checked.note ?? `${what} undefined`) : { value: checked.value };
  };
  return {
    ICC1_1: ratio(MSR - MSW, MSR + (k - 1) * MSW, 'ICC(1,1)', true),
    ICC2_1: ratio(MSR - MSE, MSR + (k - 1) * MSE + (k * (MSC - MSE)) / n, 'ICC(2,1)', true),
    ICC3_1: ratio(MSR - MSE, MSR + (k - 1) * MSE, 'ICC(3,1)', true),
    ICC1_k: ratio(MSR - MSW, MSR, 'ICC(1,k)', false),
    ICC2_k: ratio(MSR - MSE, MSR + (MSC - MSE) / n, 'ICC(2,k)', false),
    ICC3_k: ratio(MSR - MSE, MSR, 'ICC(3,k)', false),
    n,
    k,
    ms: { MSR, MSC, MSE, MSW },
    note: 'ICC(2,1) (two-way random, absolute agreement, single rater) is the default to report.',
  };
}

// --- p-values --------------------------------------------------------------------------------

/** ln Γ(x), Lanczos approximation (g = 7, n = 9). */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized upper incomplete gamma Q(s, x) (series / continued fraction, Numerical Recipes §6.2). */
function gammaQ(s: number, x: number): number {
  if (x <= 0) return 1;
  if (x < s + 1) {
    let sum = 1 / s;
    let term = sum;
    for (let n = 1; n < 500; n++) {
      term *= x / (s + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return 1 - sum * Math.exp(-x + s * Math.log(x) - lnGamma(s));
  }
  let b = x + 1 - s;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - s);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.exp(-x + s * Math.log(x) - lnGamma(s)) * h;
}

/** Upper tail of the χ² distribution with `df` degrees of freedom. */
export function chiSquareP(x: number, df: number): number {
  return Math.min(1, Math.max(0, gammaQ(df / 2, x / 2)));
}

export interface TestResult {
  statistic: number | null;
  df: number;
  p: number | null;
  note?: string;
}

/**
 * McNemar's test for two related proportions (e.g. patient vs observer reporting a rupture in
 * the same sessions): χ² = (b − c)² / (b + c), 1 df. For b + c < 25 the exact two-sided
 * binomial p-value is given instead (the χ² approximation is poor there).
 */
export function mcnemar(x: boolean[], y: boolean[]): TestResult & { b: number; c: number; exact: boolean } {
  const t = table2x2(x, y);
  const { b, c } = t;
  if (b + c === 0)
    return {
      statistic: null,
      df: 1,
      p: null,
      b,
      c,
      exact: false,
      note: 'McNemar undefined: the two perspectives never disagree',
    };
  const statistic = (b - c) ** 2 / (b + c);
  if (b + c < 25) {
    const n = b + c;
    const k = Math.min(b, c);
    let tail = 0;
    for (let i = 0; i <= k; i++) tail += Math.exp(lnGamma(n + 1) - lnGamma(i + 1) - lnGamma(n - i + 1) - n * Math.LN2);
    return { statistic, df: 1, p: Math.min(1, 2 * tail), b, c, exact: true };
  }
  return { statistic, df: 1, p: chiSquareP(statistic, 1), b, c, exact: false };
}

/**
 * Cochran's Q for k ≥ 3 related binary measures (rows = sessions, columns = perspectives):
 * Q = (k − 1)·(k·Σ C_j² − N²) / (k·N − Σ R_i²), χ² with k − 1 df (Cochran 1950).
 */
export function cochranQ(rows: boolean[][]): TestResult {
  const k = rows[0]?.length ?? 0;
  if (k < 3)
    return { statistic: null, df: Math.max(0, k - 1), p: null, note: "Cochran's Q needs three or more perspectives" };
  const C = Array.from({ length: k }, (_, j) => rows.reduce((s, r) => s + (r[j] ? 1 : 0), 0));
  const R = rows.map((r) => r.reduce((s, v) => s + (v ? 1 : 0), 0));
  const N = R.reduce((s, v) => s + v, 0);
  const den = k * N - R.reduce((s, v) => s + v * v, 0);
  if (den === 0)
    return {
      statistic: null,
      df: k - 1,
      p: null,
      note: "Cochran's Q undefined: no session where the perspectives differ",
    };
  const Q = ((k - 1) * (k * C.reduce((s, v) => s + v * v, 0) - N * N)) / den;
  return { statistic: Q, df: k - 1, p: chiSquareP(Q, k - 1) };
}
