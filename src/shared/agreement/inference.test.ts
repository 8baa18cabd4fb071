import { describe, expect, it } from 'vitest';
import { KRIPPENDORFF_2011, SHROUT_FLEISS_1979 } from '../../../tests/support/reliability-data';
import {
  alphaBootstrapHK,
  bootstrapUnits,
  congerKappa,
  fCdf,
  fleissKappa,
  fQuantile,
  gwetAndBp,
  gwetMulti,
  iccInference,
  kappaInference,
  seeded,
} from './inference';

describe('the F distribution', () => {
  it('matches tabled quantiles', () => {
    // Standard F tables (97.5 % points).
    expect(fQuantile(0.975, 5, 18)).toBeCloseTo(3.38, 2);
    expect(fQuantile(0.975, 5, 15)).toBeCloseTo(3.58, 2);
    expect(fQuantile(0.95, 1, 10)).toBeCloseTo(4.96, 2);
    expect(fCdf(fQuantile(0.9, 3, 7.5), 3, 7.5)).toBeCloseTo(0.9, 9);
  });
});

describe('ICC confidence intervals', () => {
  it("reproduce R psych::ICC on Shrout & Fleiss's (1979) example", () => {
    // Shrout & Fleiss 1979, Table 2: six targets, four judges. psych::ICC(sf) prints (2 d.p.):
    // ICC1 .17 [−.13, .72] F 1.8 (5, 18) p .16; ICC2 .29 [.02, .76] F 11 (5, 15) p .00014;
    // ICC3 .71 [.34, .95]; ICC1k .44 [−.88, .91]; ICC2k .62 [.07, .93]; ICC3k .91 [.68, .99].
    const sf = SHROUT_FLEISS_1979;
    const { icc, inference } = iccInference(sf);
    const i = inference!;
    expect(icc.ICC2_1.value).toBeCloseTo(0.29, 2);
    const at = (k: keyof typeof i) => [i[k].lower, i[k].upper].map((v) => Math.round(v! * 100) / 100);
    expect(at('ICC1_1')).toEqual([-0.13, 0.72]);
    expect(at('ICC2_1')).toEqual([0.02, 0.76]);
    expect(at('ICC3_1')).toEqual([0.34, 0.95]);
    expect(at('ICC1_k')).toEqual([-0.88, 0.91]);
    expect(at('ICC2_k')).toEqual([0.07, 0.93]);
    expect(at('ICC3_k')).toEqual([0.68, 0.99]);
    expect(i.ICC1_1.F).toBeCloseTo(1.8, 1);
    expect(i.ICC1_1.p).toBeCloseTo(0.164, 2);
    expect(i.ICC3_1.F).toBeCloseTo(11.03, 1);
    expect(i.ICC3_1.p).toBeLessThan(0.0002);
    expect(i.ICC2_1.name).toBe('ICC(A,1): two-way random effects, absolute agreement, single rater');
  });
});

describe("Fleiss' kappa", () => {
  it('matches the worked example of 10 subjects × 14 raters (κ = 0.210)', () => {
    // The standard worked example (e.g. Wikipedia, "Fleiss' kappa"): counts per category.
    const counts = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const units = counts.map((row) => row.flatMap((n, c) => Array<number>(n).fill(c + 1)));
    expect(fleissKappa(units).value).toBeCloseTo(0.21, 3);
    // statsmodels 0.13.5 fleiss_kappa on the same counts: 0.20993070442195522.
    expect(fleissKappa(units).value).toBeCloseTo(0.20993070442195522, 12);
    expect(
      fleissKappa([
        [1, 1],
        [1, 1],
      ]).note,
    ).toMatch(/every rating is the same category/);
  });
});

describe("kappa's standard errors and intervals (Fleiss, Cohen & Everitt 1969)", () => {
  // Reference values from an independent implementation: statsmodels 0.13.5,
  // statsmodels.stats.inter_rater.cohens_kappa on this table (wt=None, 'quadratic', 'linear').
  const table = [
    [20, 5, 2],
    [3, 15, 4],
    [1, 2, 18],
  ];
  const ratings = table.flatMap((row, i) =>
    row.flatMap((n, j) => Array.from({ length: n }, () => [i + 1, j + 1] as const)),
  );
  const a = ratings.map((r) => r[0]);
  const b = ratings.map((r) => r[1]);
  it('unweighted', () => {
    const r = kappaInference(a, b, 'none');
    expect(r.value).toBeCloseTo(0.6354166666666666, 12);
    expect(r.se).toBeCloseTo(0.07659869670429878, 12);
    expect(r.se0).toBeCloseTo(0.08431184244851826, 12);
    expect(r.lower).toBeCloseTo(0.48528597986353406, 9);
    expect(r.upper).toBeCloseTo(0.7855473534697992, 9);
    expect(r.p).toBeLessThan(1e-10);
  });
  it('quadratic and linear weights', () => {
    const q = kappaInference(a, b, 'quadratic');
    expect(q.value).toBeCloseTo(0.7291666666666667, 12);
    expect(q.se).toBeCloseTo(0.07660828077246398, 12);
    expect(q.se0).toBeCloseTo(0.11888083555066593, 12);
    const l = kappaInference(a, b, 'linear');
    expect(l.value).toBeCloseTo(0.6829710144927537, 12);
    expect(l.se).toBeCloseTo(0.07246289487666138, 12);
    expect(l.se0).toBeCloseTo(0.0948610351358108, 12);
  });
  it('Gwet AC1 and Brennan–Prediger, by hand', () => {
    // p_a = 53/70; π = (24/70+26/70)/2 … hand-computed: π1 = 51/140, π2 = 44/140, π3 = 45/140.
    const g = gwetAndBp(a, b);
    const pa = 53 / 70;
    const pis = [51 / 140, 44 / 140, 45 / 140];
    const pe = pis.reduce((s, p) => s + p * (1 - p), 0) / 2;
    expect(g.ac1.value).toBeCloseTo((pa - pe) / (1 - pe), 12);
    expect(g.bp.value).toBeCloseTo((pa - 1 / 3) / (2 / 3), 12);
    // A declared fourth category (never used) changes BP's chance model.
    expect(gwetAndBp(a, b, 4).bp.value).toBeCloseTo((pa - 1 / 4) / (3 / 4), 12);
  });
});

describe("Gwet's AC1 and AC2 for any number of raters", () => {
  it('equals the two-rater AC1 on two raters', () => {
    const a = [1, 1, 2, 3, 2, 1, 3, 3, 2, 1];
    const b = [1, 2, 2, 3, 2, 1, 1, 3, 3, 1];
    expect(gwetMulti(a.map((x, i) => [x, b[i]!])).value).toBeCloseTo(gwetAndBp(a, b).ac1.value!, 12);
  });
  it('AC2 with linear weights, by hand', () => {
    // Units (1,1), (1,2), (3,3) on 1–3: w = 1 − |k − l| / 2. p_a = (1 + 0.5 + 1) / 3;
    // π = (1/2, 1/6, 1/3); T_w = 3 + 4 × 0.5 = 5; p_e = 5 / 6 · Σ π(1 − π) = 5/6 · 11/18.
    const units = [
      [1, 1],
      [1, 2],
      [3, 3],
    ];
    const pa = 2.5 / 3;
    const pe = (5 / 6) * (1 / 4 + 5 / 36 + 2 / 9);
    expect(gwetMulti(units, 'linear').value).toBeCloseTo((pa - pe) / (1 - pe), 12);
    expect(gwetMulti(units, 'linear').value).toBeCloseTo(0.660377, 5);
  });
  it('three raters with a missing rating: units rated once count for π but not p_a', () => {
    // Unit 1: A, A, A; unit 2: A, B, –; unit 3: B, –, –. p_a = (1 + 0) / 2.
    // π_A = (1 + 1/2 + 0) / 3 = 1/2, π_B = 1/2; p_e = 2 · 1/4 / 1 = 1/2 → AC1 = 0.
    const units = [
      ['A', 'A', 'A'],
      ['A', 'B', null],
      ['B', null, null],
    ];
    expect(gwetMulti(units).value).toBeCloseTo(0, 12);
    expect(gwetMulti(units).units).toBe(2);
    expect(
      gwetMulti(
        [
          ['A', 'A'],
          ['B', null],
        ],
        'linear',
      ).note,
    ).toMatch(/ordered numeric/);
    expect(gwetMulti([['A', null]]).value).toBeNull();
  });
});

describe('the seeded bootstrap', () => {
  it('repeats exactly with the same seed, and its interval holds the estimate', async () => {
    const { krippendorffAlpha } = await import('./stats');
    const rnd = seeded(3);
    const units = Array.from({ length: 60 }, () => {
      const truth = Math.floor(rnd() * 5);
      return [truth, rnd() < 0.8 ? truth : Math.floor(rnd() * 5), rnd() < 0.2 ? null : truth];
    });
    const stat = (s: (number | null)[][]) => krippendorffAlpha(s, 'interval').value;
    const a = bootstrapUnits(units, stat, { resamples: 500, seed: 42 });
    const b = bootstrapUnits(units, stat, { resamples: 500, seed: 42 });
    const c = bootstrapUnits(units, stat, { resamples: 500, seed: 43 });
    expect(a).toEqual(b);
    expect(c.lower).not.toBe(a.lower);
    const est = stat(units)!;
    expect(a.lower!).toBeLessThan(est);
    expect(a.upper!).toBeGreaterThan(est);
    expect(a.upper! - a.lower!).toBeLessThan(0.5);
  });
});

describe("Conger's kappa (Conger 1980)", () => {
  it("equals Cohen's kappa for two raters, and is computed by hand for three", async () => {
    const { cohenKappa } = await import('./stats');
    const a = [1, 1, 2, 2, 3, 3, 1, 2, 3, 1];
    const b = [1, 2, 2, 2, 3, 1, 1, 2, 3, 3];
    expect(congerKappa(a.map((x, i) => [x, b[i]!])).value).toBeCloseTo(cohenKappa(a, b).value!, 12);
    // Three raters, four units (hand-computed): P_o = (1 + 1/3 + 1/3 + 1)/4 = 2/3;
    // rater shares of x: R1 2/4, R2 3/4, R3 1/4 (of y: 2/4, 1/4, 3/4);
    // P_e = [((6/4)² − 14/16) + ((6/4)² − 14/16)] / 6 = (44/16) / 6 = 11/24;
    // κ = (2/3 − 11/24) / (1 − 11/24) = 5/13.
    const units = [
      ['x', 'x', 'x'],
      ['x', 'x', 'y'],
      ['y', 'x', 'y'],
      ['y', 'y', 'y'],
    ];
    expect(congerKappa(units).value).toBeCloseTo(5 / 13, 12);
  });
});

describe("Hayes & Krippendorff's bootstrap of alpha", () => {
  // Krippendorff (2011), the reliability data of 4 coders × 12 units (tests/support/reliability-data.ts).
  const units = KRIPPENDORFF_2011;
  it('draws M = min(25·cells, (raters − 1)·n/2) pairs per resample, centres on alpha, and repeats with its seed', () => {
    for (const metric of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
      const r = alphaBootstrapHK(units, metric, { resamples: 4000, seed: 5 });
      // 40 pairable values, 4 coders: (4 − 1)·40/2 = 60 < 25 × the cells used.
      expect(r.draws).toBe(60);
      // E[α*] = 1 − E[δ²]/D_e = α when pairs are drawn with the coincidences' probabilities.
      expect(Math.abs(r.mean! - r.alpha!)).toBeLessThan(0.01);
      expect(r.lower!).toBeLessThan(r.alpha!);
      expect(r.upper!).toBeGreaterThanOrEqual(r.alpha!);
      expect(r.upper!).toBeLessThanOrEqual(1);
    }
    const a = alphaBootstrapHK(units, 'nominal', { resamples: 1000, seed: 9 });
    expect(a.alpha).toBeCloseTo(0.7434, 4);
    expect(alphaBootstrapHK(units, 'nominal', { resamples: 1000, seed: 9 })).toEqual(a);
    expect(alphaBootstrapHK(units, 'nominal', { resamples: 1000, seed: 10 }).lower).not.toBe(a.lower);
    // q: the share of resamples below each minimum falls as the minimum falls.
    const q = a.probability_below!;
    expect(Object.keys(q)).toEqual(['0.9', '0.8', '0.7', '0.667', '0.6', '0.5']);
    expect(q['0.9']!).toBeGreaterThanOrEqual(q['0.8']!);
    expect(q['0.8']!).toBeGreaterThanOrEqual(q['0.5']!);
    expect(q['0.9']!).toBeGreaterThan(0.5);
  });

  it('more data gives a narrower interval; perfect agreement stays [1, 1]; undefined alpha says why', () => {
    const rnd = seeded(11);
    const make = (k: number) =>
      Array.from({ length: k }, () => {
        const t = Math.floor(rnd() * 4);
        return [t, rnd() < 0.75 ? t : Math.floor(rnd() * 4), rnd() < 0.75 ? t : Math.floor(rnd() * 4)];
      });
    // 12 units × 3 raters: M = 36 draws; 120 units: 360 (below the cap of 25 × 16 cells = 400,
    // which is where this algorithm stops narrowing).
    const small = alphaBootstrapHK(make(12), 'nominal', { resamples: 2000, seed: 1 });
    const large = alphaBootstrapHK(make(120), 'nominal', { resamples: 2000, seed: 1 });
    expect([small.draws, large.draws]).toEqual([36, 360]);
    expect(large.upper! - large.lower!).toBeLessThan((small.upper! - small.lower!) / 2);
    expect(alphaBootstrapHK(make(600), 'nominal', { resamples: 10, seed: 1 }).draws).toBe(400);
    const perfect = alphaBootstrapHK(
      Array.from({ length: 40 }, (_, i) => [i % 3, i % 3]),
      'nominal',
      { resamples: 500, seed: 1 },
    );
    expect([perfect.alpha, perfect.lower, perfect.upper]).toEqual([1, 1, 1]);
    expect(
      alphaBootstrapHK(
        [
          [1, 1],
          [1, 1],
        ],
        'interval',
        { resamples: 100, seed: 1 },
      ).note,
    ).toMatch(/no variation/);
    expect(alphaBootstrapHK([[1, null]], 'nominal', { resamples: 100, seed: 1 }).note).toMatch(/two or more/);
  });
});
