/**
 * What a methods section needs beside the point estimates: F tests and F-based confidence
 * intervals for the six intraclass correlations, and Fleiss' kappa for many raters. Pure.
 *
 * Sources:
 * - Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
 *   reliability. Psychol. Bull. 86(2), 420–428 (F tests, intervals for ICC(1) and ICC(3)).
 * - McGraw, K. O. & Wong, S. P. (1996). Forming inferences about some intraclass correlation
 *   coefficients. Psychol. Methods 1(1), 30–46 (names ICC(A,1), ICC(C,1) …; the Satterthwaite
 *   interval for absolute agreement).
 * - Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychol. Bull.
 *   76(5), 378–382.
 * - The regularized incomplete beta function by its continued fraction (Lentz's method).
 */
import { checkInterval, RANGES } from './guard';
import { icc, krippendorffAlpha, type IccResult, type Label, type Stat } from './stats';

function lnGamma(x: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** I_x(a, b), the regularized incomplete beta function. */
export function betaRegularized(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); else use the symmetry.
  if (x > (a + 1) / (a + b + 2)) return 1 - betaRegularized(1 - x, b, a);
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 1000; m++) {
    const m2 = 2 * m;
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return (front * h) / a;
}

/** P(F ≤ f) for the F distribution with d1, d2 degrees of freedom. */
export function fCdf(f: number, d1: number, d2: number): number {
  if (f <= 0) return 0;
  return betaRegularized((d1 * f) / (d1 * f + d2), d1 / 2, d2 / 2);
}

/** The p-quantile of F(d1, d2), by bisection on the CDF (d2 may be fractional: Satterthwaite). */
export function fQuantile(p: number, d1: number, d2: number): number {
  let lo = 0;
  let hi = 1;
  while (fCdf(hi, d1, d2) < p && hi < 1e12) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (fCdf(mid, d1, d2) < p) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-12 * hi) break;
  }
  return (lo + hi) / 2;
}

export interface IccInference {
  /** McGraw & Wong's name beside Shrout & Fleiss's. */
  name: string;
  /** Null when it cannot be computed (raters who agree perfectly leave no error: F = ∞). */
  F: number | null;
  df1: number;
  df2: number;
  /** One-sided p of the F test that the ICC is 0. */
  p: number | null;
  lower: number | null;
  upper: number | null;
  /** Why the interval or the test is missing, or that a bound was cut to the ICC's range. */
  note?: string;
}

export const ICC_NAMES = {
  ICC1_1: 'ICC(1): one-way random effects, single rater',
  ICC2_1: 'ICC(A,1): two-way random effects, absolute agreement, single rater',
  ICC3_1: 'ICC(C,1): two-way mixed effects, consistency, single rater',
  ICC1_k: 'ICC(k): one-way random effects, mean of k raters',
  ICC2_k: 'ICC(A,k): two-way random effects, absolute agreement, mean of k raters',
  ICC3_k: 'ICC(C,k): two-way mixed effects, consistency, mean of k raters',
} as const;
export type IccKey = keyof typeof ICC_NAMES;

/**
 * F tests and (1 − alpha) confidence intervals for the six ICCs (complete rows only), as R's
 * psych::ICC gives them: ICC(1) and ICC(3) from F = MSR/MSW and MSR/MSE (Shrout & Fleiss),
 * ICC(A,1) with McGraw & Wong's Satterthwaite degrees of freedom, and the average-rater bounds by
 * Spearman–Brown from the single-rater ones (ICC(A,k)) or as 1 − 1/F (ICC(k), ICC(C,k)).
 */
export function iccInference(
  matrix: number[][],
  alpha = 0.05,
): { icc: IccResult; inference: Record<IccKey, IccInference> | null } {
  const r = icc(matrix);
  if (!r.ms || (r.ICC2_1.value === null && r.ICC3_1.value === null && r.ICC1_1.value === null))
    return { icc: r, inference: null };
  const { MSR, MSC, MSE, MSW } = r.ms;
  const { n, k } = r;
  const q = 1 - alpha / 2;
  const raw = {} as Record<IccKey, Omit<IccInference, 'note'>>;
  // With no residual (raters agree perfectly, or differ only by a constant) F = MSR/0: no test
  // and no F-based interval exist; that is said, not printed as "F = Infinity, p = NaN".
  const perfect = (what: string) =>
    `No F test or interval for ${what}: the ratings leave no ${what === 'ICC(1)' ? 'variation within targets' : 'residual error'} (the raters agree perfectly${what === 'ICC(1)' ? '' : ' up to a constant'}), so F is infinite.`;
  const notes: Partial<Record<IccKey, string>> = {};
  // An F test and its bounds give the single-rater ICC ((F − 1)/(F + k − 1)) and the average
  // one (1 − 1/F): one-way with F = MSR/MSW for ICC(1), two-way with F = MSR/MSE for ICC(3).
  const fromF = (within: number, df1: number, df2: number, single: IccKey, average: IccKey, what: string) => {
    if (!(within > 0)) {
      const test = { F: null, df1, df2, p: null };
      raw[single] = { name: ICC_NAMES[single], ...test, lower: null, upper: null };
      raw[average] = { name: ICC_NAMES[average], ...test, lower: null, upper: null };
      notes[single] = notes[average] = perfect(what);
      return test;
    }
    const F = MSR / within;
    const FL = F / fQuantile(q, df1, df2);
    const FU = F * fQuantile(q, df2, df1);
    const test = { F, df1, df2, p: 1 - fCdf(F, df1, df2) };
    raw[single] = { name: ICC_NAMES[single], ...test, lower: (FL - 1) / (FL + k - 1), upper: (FU - 1) / (FU + k - 1) };
    raw[average] = { name: ICC_NAMES[average], ...test, lower: 1 - 1 / FL, upper: 1 - 1 / FU };
    return test;
  };
  fromF(MSW, n - 1, n * (k - 1), 'ICC1_1', 'ICC1_k', 'ICC(1)');
  const test3 = fromF(MSE, n - 1, (n - 1) * (k - 1), 'ICC3_1', 'ICC3_k', 'ICC(3)');
  // Absolute agreement (McGraw & Wong 1996, Table 7, case 2A): Satterthwaite's v.
  const rho = r.ICC2_1.value;
  if (rho === null || !(MSE > 0) || rho >= 1) {
    raw.ICC2_1 = { name: ICC_NAMES.ICC2_1, ...test3, lower: null, upper: null };
    raw.ICC2_k = { name: ICC_NAMES.ICC2_k, ...test3, lower: null, upper: null };
    if (!(MSE > 0)) notes.ICC2_1 = notes.ICC2_k = perfect('ICC(A)');
  } else {
    const a = (k * rho) / (n * (1 - rho));
    const b = 1 + (k * rho * (n - 1)) / (n * (1 - rho));
    const v = (a * MSC + b * MSE) ** 2 / ((a * MSC) ** 2 / (k - 1) + (b * MSE) ** 2 / ((n - 1) * (k - 1)));
    const Fs = fQuantile(q, n - 1, v);
    const Fs2 = fQuantile(q, v, n - 1);
    const L2 = (n * (MSR - Fs * MSE)) / (Fs * (k * MSC + (k * n - k - n) * MSE) + n * MSR);
    const U2 = (n * (Fs2 * MSR - MSE)) / (k * MSC + (k * n - k - n) * MSE + n * Fs2 * MSR);
    const sb = (x: number) => (k * x) / (1 + (k - 1) * x);
    raw.ICC2_1 = { name: ICC_NAMES.ICC2_1, ...test3, lower: L2, upper: U2 };
    raw.ICC2_k = { name: ICC_NAMES.ICC2_k, ...test3, lower: sb(L2), upper: sb(U2) };
  }
  // Every interval in the ICC's range and around its estimate, or withheld with the reason.
  const out = {} as Record<IccKey, IccInference>;
  for (const key of Object.keys(ICC_NAMES) as IccKey[]) {
    const x = raw[key];
    const single = key.endsWith('_1');
    const checked = checkInterval(
      iccLabel(key),
      r[key].value,
      x.lower,
      x.upper,
      single ? RANGES.iccSingle(k) : RANGES.iccAverage,
      { truncate: true },
    );
    const note = [notes[key], checked.note].filter(Boolean).join(' ');
    out[key] = { ...x, lower: checked.lower, upper: checked.upper, ...(note ? { note } : {}) };
  }
  return { icc: r, inference: out };
}

/** "ICC(2,1)" for the key ICC2_1. */
export function iccLabel(key: IccKey): string {
  const [, model, raters] = /^ICC(\d)_(\w)$/.exec(key)!;
  return `ICC(${model},${raters})`;
}

/**
 * Fleiss' kappa for any number of raters on nominal categories, over the units every rater rated
 * (the statistic needs the same number of ratings per unit): κ = (P̄ − P̄e) / (1 − P̄e).
 */
export function fleissKappa(units: (Label | null)[][]): Stat & { units: number; raters: number } {
  const complete = units.filter((u) => u.length >= 2 && u.every((v) => v !== null && v !== undefined)) as Label[][];
  const m = complete[0]?.length ?? 0;
  if (complete.length < 2 || m < 2)
    return {
      value: null,
      note: "Fleiss' kappa undefined: needs two or more units rated by every rater",
      units: complete.length,
      raters: m,
    };
  const totals = new Map<string, number>();
  let pBar = 0;
  for (const u of complete) {
    const counts = new Map<string, number>();
    for (const v of u) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    let agree = 0;
    for (const [c, n] of counts) {
      agree += n * (n - 1);
      totals.set(c, (totals.get(c) ?? 0) + n);
    }
    pBar += agree / (m * (m - 1));
  }
  pBar /= complete.length;
  let pe = 0;
  for (const n of totals.values()) pe += (n / (complete.length * m)) ** 2;
  if (pe >= 1 - 1e-12)
    return {
      value: null,
      note: "Fleiss' kappa undefined: every rating is the same category",
      units: complete.length,
      raters: m,
    };
  return { value: (pBar - pe) / (1 - pe), units: complete.length, raters: m };
}

export interface KappaInference extends Stat {
  /** Large-sample standard error (for the interval) and the one under κ = 0 (for the test). */
  se: number | null;
  se0: number | null;
  lower: number | null;
  upper: number | null;
  z: number | null;
  /** Two-sided p of the test that κ = 0. */
  p: number | null;
  n: number;
}

/** The standard normal CDF (Abramowitz & Stegun 7.1.26 via erf, |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/**
 * Kappa from a k × k table of counts and agreement weights (identity: Cohen's kappa; linear or
 * quadratic: weighted kappa), with the large-sample standard errors of Fleiss, Cohen & Everitt
 * (1969): SE for the interval (κ ± 1.96·SE) and SE₀ under κ = 0 for the z test.
 */
export function kappaFromCounts(counts: number[][], weights: number[][]): KappaInference {
  const k = counts.length;
  const n = counts.reduce((s, r) => s + r.reduce((t, v) => t + v, 0), 0);
  const none = (note: string): KappaInference => ({
    value: null,
    note,
    se: null,
    se0: null,
    lower: null,
    upper: null,
    z: null,
    p: null,
    n,
  });
  if (n === 0) return none('kappa undefined: no target was rated by both raters');
  const p = counts.map((r) => r.map((v) => v / n));
  const row = p.map((r) => r.reduce((s, v) => s + v, 0));
  const col = p[0]!.map((_, j) => p.reduce((s, r) => s + r[j]!, 0));
  let po = 0;
  let pe = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      po += weights[i]![j]! * p[i]![j]!;
      pe += weights[i]![j]! * row[i]! * col[j]!;
    }
  if (1 - pe < 1e-12) return none('kappa undefined: no variation in the ratings');
  const kappa = (po - pe) / (1 - pe);
  const wRow = row.map((_, i) => col.reduce((s, c, j) => s + c * weights[i]![j]!, 0));
  const wCol = col.map((_, j) => row.reduce((s, r, i) => s + r * weights[i]![j]!, 0));
  let a = 0;
  let a0 = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      a += p[i]![j]! * (weights[i]![j]! - (wRow[i]! + wCol[j]!) * (1 - kappa)) ** 2;
      a0 += row[i]! * col[j]! * (weights[i]![j]! - (wRow[i]! + wCol[j]!)) ** 2;
    }
  const v = (a - (kappa - pe * (1 - kappa)) ** 2) / (n * (1 - pe) ** 2);
  const v0 = (a0 - pe * pe) / (n * (1 - pe) ** 2);
  const se = v > 0 ? Math.sqrt(v) : 0;
  const se0 = v0 > 0 ? Math.sqrt(v0) : null;
  const z = se0 ? kappa / se0 : null;
  // κ ± 1.96·SE may reach past ±1 (a normal approximation): cut to the range, and said.
  const ci = checkInterval(
    'kappa',
    kappa,
    kappa - 1.959963984540054 * se,
    kappa + 1.959963984540054 * se,
    RANGES.coefficient,
    { truncate: true },
  );
  return {
    value: kappa,
    se,
    se0,
    lower: ci.lower,
    upper: ci.upper,
    ...(ci.note ? { note: ci.note } : {}),
    z,
    p: z === null ? null : 2 * (1 - normalCdf(Math.abs(z))),
    n,
  };
}

export type KappaWeights = 'none' | 'linear' | 'quadratic';
/**
 * Weighted agreement's distances: between the scale values (1, 2, 4 are 1 and 2 apart), or
 * between their ranks in the ordered category set (1, 2, 4 are one step apart each).
 */
export type WeightBy = 'values' | 'order';

/** The targets both raters rated, as pairs of labels (text, so 3 and "3" are one category). */
function paired(a: (Label | null)[], b: (Label | null)[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++)
    if (a[i] !== null && a[i] !== undefined && b[i] !== null && b[i] !== undefined)
      out.push([String(a[i]), String(b[i])]);
  return out;
}

/** Two raters' paired ratings as a table over `categories` (default: the values seen, ordered). */
export function kappaInference(
  a: (Label | null)[],
  b: (Label | null)[],
  weighting: KappaWeights = 'none',
  categories?: Label[],
  /** Weights by the distance of the numeric values (the default for numbers), or of their ranks. */
  by: WeightBy = 'values',
): KappaInference & { categories: string[] } {
  const pairsSeen = paired(a, b);
  const seen = [...new Set(pairsSeen.flat())];
  const numeric = seen.every((v) => Number.isFinite(Number(v)));
  const cats = (categories?.map(String) ?? seen).slice();
  for (const v of seen) if (!cats.includes(v)) cats.push(v);
  if (numeric) cats.sort((x, y) => Number(x) - Number(y));
  const ix = new Map(cats.map((c, i) => [c, i]));
  const k = cats.length;
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const [x, y] of pairsSeen) counts[ix.get(x)!]![ix.get(y)!]! += 1;
  const weights = cats.map((_, i) =>
    cats.map((__, j) => {
      if (weighting === 'none' || k < 2) return i === j ? 1 : 0;
      const d =
        numeric && by === 'values'
          ? Math.abs(Number(cats[i]) - Number(cats[j])) / (Number(cats[k - 1]) - Number(cats[0]))
          : Math.abs(i - j) / (k - 1);
      return weighting === 'linear' ? 1 - d : 1 - d * d;
    }),
  );
  return { ...kappaFromCounts(counts, weights), categories: cats };
}

/**
 * Chance-corrected agreement with other chance models, for two raters on nominal categories
 * (`q`: the number of categories declared, else those seen): Gwet's AC1 (Gwet 2008,
 * p_e = Σ π_k(1 − π_k) / (q − 1), π_k the two raters' mean share of k) and Brennan & Prediger's
 * coefficient (1981, p_e = 1/q). With two categories BP is PABAK.
 */
export function gwetAndBp(a: (Label | null)[], b: (Label | null)[], q?: number): { ac1: Stat; bp: Stat; n: number } {
  const ps = paired(a, b);
  const n = ps.length;
  const cats = [...new Set(ps.flat())];
  const Q = Math.max(q ?? 0, cats.length);
  if (n === 0 || Q < 2) {
    const s = {
      value: null,
      note: n === 0 ? 'undefined: no target was rated by both raters' : 'undefined: fewer than two categories',
    };
    return { ac1: s, bp: s, n };
  }
  const pa = ps.filter(([x, y]) => x === y).length / n;
  let peGwet = 0;
  for (const c of cats) {
    const pi = ps.reduce((s, [x, y]) => s + (x === c ? 1 : 0) + (y === c ? 1 : 0), 0) / (2 * n);
    peGwet += pi * (1 - pi);
  }
  peGwet /= Q - 1;
  return {
    ac1: { value: (pa - peGwet) / (1 - peGwet) },
    bp: { value: (pa - 1 / Q) / (1 - 1 / Q) },
    n,
  };
}

/**
 * Gwet's AC1 and AC2 for any number of raters, missing ratings allowed (Gwet 2014, ch. 3–4):
 * r_ik raters put unit i in category k (r_i in all), r*_ik = Σ_l w_kl r_il;
 * p_a = mean over units rated at least twice of Σ_k r_ik (r*_ik − 1) / (r_i (r_i − 1));
 * π_k = mean over rated units of r_ik / r_i; p_e = T_w / (q (q − 1)) · Σ_k π_k (1 − π_k), with
 * T_w the sum of the weights. Identity weights give AC1; linear or quadratic weights over ordered
 * numeric categories (1 − |x_k − x_l| / range, or its square) give AC2. `categories`: the declared
 * set (an unused category still counts in q and the weights).
 */
export function gwetMulti(
  units: (Label | null)[][],
  weighting: KappaWeights = 'none',
  categories?: Label[],
  by: WeightBy = 'values',
): Stat & { units: number; categories: number } {
  const seen = [
    ...new Set(
      units
        .flat()
        .filter((v) => v !== null && v !== undefined)
        .map(String),
    ),
  ];
  const cats = (categories?.map(String) ?? seen).slice();
  for (const v of seen) if (!cats.includes(v)) cats.push(v);
  const numeric = cats.every((c) => Number.isFinite(Number(c)));
  if (numeric) cats.sort((x, y) => Number(x) - Number(y));
  const q = cats.length;
  const rated = units.filter((u) => u.filter((v) => v !== null && v !== undefined).length >= 1);
  const paired = rated.filter((u) => u.filter((v) => v !== null && v !== undefined).length >= 2);
  if (paired.length === 0)
    return { value: null, note: "Gwet's AC undefined: no unit was rated by two raters", units: 0, categories: q };
  if (q < 2)
    return { value: null, note: "Gwet's AC undefined: fewer than two categories", units: paired.length, categories: q };
  if (weighting !== 'none' && !numeric)
    return { value: null, note: "Gwet's AC2 needs ordered numeric categories", units: paired.length, categories: q };
  const ix = new Map(cats.map((c, i) => [c, i]));
  const byValue = numeric && by === 'values';
  const range = byValue ? Number(cats[q - 1]) - Number(cats[0]) : q - 1;
  const w = cats.map((ck, k) =>
    cats.map((cl, l) => {
      if (weighting === 'none') return k === l ? 1 : 0;
      const d = byValue ? Math.abs(Number(ck) - Number(cl)) / range : Math.abs(k - l) / (q - 1);
      return weighting === 'linear' ? 1 - d : 1 - d * d;
    }),
  );
  const tw = w.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
  const counts = (u: (Label | null)[]) => {
    const r = new Array<number>(q).fill(0);
    for (const v of u) if (v !== null && v !== undefined) r[ix.get(String(v))!]! += 1;
    return r;
  };
  let pa = 0;
  const pi = new Array<number>(q).fill(0);
  for (const u of rated) {
    const r = counts(u);
    const ri = r.reduce((a, b) => a + b, 0);
    for (let k = 0; k < q; k++) pi[k]! += r[k]! / ri;
    if (ri < 2) continue;
    let agree = 0;
    for (let k = 0; k < q; k++) {
      if (!r[k]) continue;
      let star = 0;
      for (let l = 0; l < q; l++) star += w[k]![l]! * r[l]!;
      agree += r[k]! * (star - 1);
    }
    pa += agree / (ri * (ri - 1));
  }
  pa /= paired.length;
  let spread = 0;
  for (let k = 0; k < q; k++) {
    const p = pi[k]! / rated.length;
    spread += p * (1 - p);
  }
  const pe = (tw / (q * (q - 1))) * spread;
  if (pe >= 1 - 1e-12)
    return { value: null, note: "Gwet's AC undefined: chance agreement is 1", units: paired.length, categories: q };
  return { value: (pa - pe) / (1 - pe), units: paired.length, categories: q };
}

/** A small seeded generator (mulberry32), so a bootstrap can be repeated exactly. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A percentile bootstrap interval for a statistic of units: units (the independent sampling
 * units) are drawn with replacement `resamples` times from a seeded generator; resamples where
 * the statistic is undefined are left out and counted.
 */
export function bootstrapUnits<T>(
  units: T[],
  statistic: (sample: T[]) => number | null,
  opts: { resamples: number; seed: number; confidence?: number },
): { lower: number | null; upper: number | null; resamples: number; undefinedResamples: number; seed: number } {
  const rnd = seeded(opts.seed);
  const values: number[] = [];
  let undefinedResamples = 0;
  const sample = new Array<T>(units.length);
  for (let b = 0; b < opts.resamples; b++) {
    for (let i = 0; i < units.length; i++) sample[i] = units[Math.floor(rnd() * units.length)]!;
    const v = statistic(sample);
    if (v === null || !Number.isFinite(v)) undefinedResamples++;
    else values.push(v);
  }
  return {
    ...percentileInterval(values, opts.confidence),
    resamples: opts.resamples,
    undefinedResamples,
    seed: opts.seed,
  };
}

/** The percentile interval of resampled values (sorts them); null bounds with fewer than two. */
export function percentileInterval(
  values: number[],
  confidence = 0.95,
): { lower: number | null; upper: number | null } {
  if (values.length < 2) return { lower: null, upper: null };
  values.sort((x, y) => x - y);
  const tail = (1 - confidence) / 2;
  const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))))]!;
  return { lower: at(tail), upper: at(1 - tail) };
}

/**
 * Two raters on categories: the confusion matrix, and per category the kappa of "this category or
 * not" (category-specific kappa), so a methods section can say which categories agree.
 */
export function confusion(
  a: (Label | null)[],
  b: (Label | null)[],
  categories?: Label[],
): { categories: string[]; matrix: number[][]; perCategoryKappa: Record<string, number | null> } {
  const ps = paired(a, b);
  const seen = [...new Set(ps.flat())];
  const cats = (categories?.map(String) ?? []).slice();
  for (const v of seen) if (!cats.includes(v)) cats.push(v);
  if (!categories && cats.every((c) => Number.isFinite(Number(c)))) cats.sort((x, y) => Number(x) - Number(y));
  const ix = new Map(cats.map((c, i) => [c, i]));
  const matrix = cats.map(() => new Array<number>(cats.length).fill(0));
  for (const [x, y] of ps) matrix[ix.get(x)!]![ix.get(y)!]! += 1;
  const perCategoryKappa: Record<string, number | null> = {};
  for (const c of cats) {
    const r = kappaFromCounts(
      [
        [ps.filter(([x, y]) => x === c && y === c).length, ps.filter(([x, y]) => x === c && y !== c).length],
        [ps.filter(([x, y]) => x !== c && y === c).length, ps.filter(([x, y]) => x !== c && y !== c).length],
      ],
      [
        [1, 0],
        [0, 1],
      ],
    );
    perCategoryKappa[c] = r.value;
  }
  return { categories: cats, matrix, perCategoryKappa };
}

/**
 * Conger's kappa (Conger 1980), Cohen's kappa for m raters: the observed agreement is Fleiss's,
 * the chance agreement uses each rater's own distribution over categories:
 * P_e = Σ_k [(Σ_r p_rk)² − Σ_r p_rk²] / (m(m − 1)). With two raters it is Cohen's kappa.
 * Over the units every rater rated.
 */
export function congerKappa(units: (Label | null)[][]): Stat & { units: number; raters: number } {
  const complete = units.filter((u) => u.length >= 2 && u.every((v) => v !== null && v !== undefined)) as Label[][];
  const m = complete[0]?.length ?? 0;
  const N = complete.length;
  if (N < 2 || m < 2)
    return {
      value: null,
      note: "Conger's kappa undefined: needs two or more units rated by every rater",
      units: N,
      raters: m,
    };
  let po = 0;
  const perRater = Array.from({ length: m }, () => new Map<string, number>());
  const cats = new Set<string>();
  for (const u of complete) {
    const counts = new Map<string, number>();
    u.forEach((v, r) => {
      const key = String(v);
      cats.add(key);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      perRater[r]!.set(key, (perRater[r]!.get(key) ?? 0) + 1);
    });
    let agree = 0;
    for (const n of counts.values()) agree += n * (n - 1);
    po += agree / (m * (m - 1));
  }
  po /= N;
  let pe = 0;
  for (const c of cats) {
    let sum = 0;
    let sumSq = 0;
    for (const r of perRater) {
      const p = (r.get(c) ?? 0) / N;
      sum += p;
      sumSq += p * p;
    }
    pe += (sum * sum - sumSq) / (m * (m - 1));
  }
  if (pe >= 1 - 1e-12)
    return { value: null, note: "Conger's kappa undefined: every rating is the same category", units: N, raters: m };
  return { value: (po - pe) / (1 - pe), units: N, raters: m };
}

/**
 * Krippendorff's alpha with Hayes & Krippendorff's bootstrap (Hayes & Krippendorff 2007;
 * Krippendorff's "Algorithm for bootstrapping a distribution of α", as in Hayes' KALPHA macro).
 * Not units but pairs of values are resampled: every pair of values within a unit is drawn with
 * probability 2 / ((m_u − 1)·n) (the coincidence matrix, normalised), M times per resample with
 * M = min(25 × the number of non-empty cells of the coincidence matrix, (raters − 1)·n / 2), and
 * α* = 1 − Σδ² / (M·D_e) with the expected disagreement D_e of the data. As the macro does:
 * α* below −1 is set to −1; with a single value ever matched (one non-empty diagonal cell) a
 * perfect α* is 0; and as many perfect α* as chance alone would give (B·Σ_c (o_cc/n)^pairs) are
 * set to 0. Percentile interval (the macro's indices), and q = the share of α* below each
 * minimum acceptable alpha. Seeded, so a run can be repeated.
 *
 * Gwet (2015) and Zapf et al. (2016) criticised this algorithm; the unit bootstrap
 * (`bootstrapUnits` over units) is given beside it.
 */
export function alphaBootstrapHK(
  units: (Label | null)[][],
  metric: 'nominal' | 'ordinal' | 'interval' | 'ratio',
  opts: { resamples: number; seed: number; confidence?: number; minimums?: number[] },
): {
  alpha: number | null;
  lower: number | null;
  upper: number | null;
  /** The mean of the resampled alphas (close to alpha: a check on the resampling). */
  mean: number | null;
  draws: number;
  resamples: number;
  seed: number;
  probability_below: Record<string, number> | null;
  note?: string;
} {
  const minimums = opts.minimums ?? [0.9, 0.8, 0.7, 0.667, 0.6, 0.5];
  const rows: Label[][] = [];
  let raters = 0;
  for (const u of units) {
    raters = Math.max(raters, u.length);
    const present = u.filter((v): v is Label => v !== null && v !== undefined);
    if (present.length >= 2) rows.push(present);
  }
  const empty = (note: string) => ({
    alpha: null,
    lower: null,
    upper: null,
    mean: null,
    draws: 0,
    resamples: opts.resamples,
    seed: opts.seed,
    probability_below: null,
    note,
  });
  // The point estimate and its expected disagreement D_e (computed without a value-by-value table).
  const point = krippendorffAlpha(units, metric);
  if (point.value === null || point.expected === undefined) return empty(point.note ?? 'alpha undefined');
  const n = point.pairable;
  const dExp = point.expected;
  // δ² for the metric. Ordinal: the interval metric on mid-ranks (cumulative counts).
  const key = (v: Label) => (metric === 'nominal' ? String(v) : (v as number));
  const mid = new Map<number, number>();
  if (metric === 'ordinal') {
    const counts = new Map<number, number>();
    for (const r of rows) for (const v of r) counts.set(v as number, (counts.get(v as number) ?? 0) + 1);
    let below = 0;
    for (const v of [...counts.keys()].sort((x, y) => x - y)) {
      const c = counts.get(v)!;
      mid.set(v, below + c / 2);
      below += c;
    }
  }
  const delta = (x: Label, y: Label): number => {
    if (metric === 'nominal') return String(x) === String(y) ? 0 : 1;
    const p = x as number;
    const q = y as number;
    if (metric === 'ordinal') return (mid.get(p)! - mid.get(q)!) ** 2;
    if (metric === 'interval') return (p - q) ** 2;
    return p + q === 0 ? 0 : ((p - q) / (p + q)) ** 2;
  };
  // The pairs within units, their probabilities and disagreements; the coincidence matrix's
  // non-empty cells and diagonal, for M and the corrections.
  const weights: number[] = [];
  const deltas: number[] = [];
  const cells = new Set<string>();
  const diagonal = new Map<string | number, number>();
  let pairs = 0;
  for (const r of rows) {
    const w = 2 / ((r.length - 1) * n);
    pairs += (r.length * (r.length - 1)) / 2;
    for (let i = 0; i < r.length; i++)
      for (let j = i + 1; j < r.length; j++) {
        weights.push(w);
        deltas.push(delta(r[i]!, r[j]!));
        const a = key(r[i]!);
        const b = key(r[j]!);
        cells.add(`${a}\u0000${b}`);
        cells.add(`${b}\u0000${a}`);
        if (a === b) diagonal.set(a, (diagonal.get(a) ?? 0) + 2 / (r.length - 1));
      }
  }
  const alpha = point.value;
  const draws = Math.max(1, Math.floor(Math.min(25 * cells.size, ((raters - 1) * n) / 2)));
  const draw = aliasSampler(weights);
  const rnd = seeded(opts.seed);
  const boot = new Float64Array(opts.resamples);
  let perfect = 0;
  for (let b = 0; b < opts.resamples; b++) {
    let sum = 0;
    for (let m = 0; m < draws; m++) sum += deltas[draw(rnd)]!;
    let a = 1 - sum / (draws * dExp);
    if (a < -1) a = -1;
    if (a === 1 && diagonal.size === 1) a = 0;
    if (a === 1) perfect++;
    boot[b] = a;
  }
  // As many perfect resamples as chance would give become 0 (the macro's correction).
  let chance = 0;
  for (const o of diagonal.values()) chance += (o / n) ** pairs;
  const toZero = diagonal.size > 1 ? Math.min(perfect, Math.round(opts.resamples * chance)) : 0;
  for (let b = 0, done = 0; b < boot.length && done < toZero; b++)
    if (boot[b] === 1) {
      boot[b] = 0;
      done++;
    }
  boot.sort();
  const B = boot.length;
  const tail = (1 - (opts.confidence ?? 0.95)) / 2;
  // KALPHA's indices (1-based): trunc(tail·B) and trunc((1 − tail)·B) + 1.
  const at = (i1: number) => boot[Math.min(B - 1, Math.max(0, i1 - 1))]!;
  const below: Record<string, number> = {};
  for (const min of minimums) {
    let k = 0;
    while (k < B && boot[k]! < min) k++;
    below[String(min)] = k / B;
  }
  return {
    alpha,
    lower: B ? at(Math.trunc(tail * B)) : null,
    upper: B ? at(Math.trunc((1 - tail) * B) + 1) : null,
    mean: B ? boot.reduce((x, y) => x + y, 0) / B : null,
    draws,
    resamples: opts.resamples,
    seed: opts.seed,
    probability_below: B ? below : null,
  };
}

/** Walker's alias method (Vose's construction): draws an index with the given weights in O(1). */
function aliasSampler(weights: number[]): (rnd: () => number) => number {
  const k = weights.length;
  const total = weights.reduce((a, b) => a + b, 0);
  const prob = new Float64Array(k);
  const alias = new Int32Array(k);
  const scaled = weights.map((w) => (w * k) / total);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length && large.length) {
    const s = small.pop()!;
    const l = large.pop()!;
    prob[s] = scaled[s]!;
    alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    (scaled[l]! < 1 ? small : large).push(l);
  }
  for (const i of [...small, ...large]) prob[i] = 1;
  return (rnd) => {
    const x = rnd() * k;
    const i = Math.min(k - 1, Math.floor(x));
    return x - i < prob[i]! ? i : alias[i]!;
  };
}
