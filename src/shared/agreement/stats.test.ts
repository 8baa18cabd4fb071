import { describe, expect, it } from 'vitest';
import { KRIPPENDORFF_2011, SHROUT_FLEISS_1979 } from '../../../tests/support/reliability-data';
import {
  chiSquareP,
  cochranQ,
  cohenKappa,
  icc,
  krippendorffAlpha,
  mcnemar,
  negativeAgreement,
  pabak,
  positiveAgreement,
  table2x2,
  weightedKappaQuadratic,
} from './stats';

/** Expands a contingency table into paired ratings. */
function fromTable(table: number[][], labels: number[]): [number[], number[]] {
  const a: number[] = [];
  const b: number[] = [];
  table.forEach((row, i) =>
    row.forEach((count, j) => {
      for (let n = 0; n < count; n++) {
        a.push(labels[i]!);
        b.push(labels[j]!);
      }
    }),
  );
  return [a, b];
}

describe("Cohen's kappa", () => {
  it('matches the textbook 2×2 example (p_o = .70, p_e = .50, κ = .40)', () => {
    const [a, b] = fromTable(
      [
        [20, 5],
        [10, 15],
      ],
      [1, 0],
    );
    const k = cohenKappa(a, b);
    expect(k.po).toBeCloseTo(0.7, 10);
    expect(k.pe).toBeCloseTo(0.5, 10);
    expect(k.value).toBeCloseTo(0.4, 10);
  });

  it('matches a hand-computed 3×3 example (κ = .5245)', () => {
    const [a, b] = fromTable(
      [
        [11, 3, 1],
        [2, 8, 4],
        [1, 2, 9],
      ],
      [1, 2, 3],
    );
    expect(cohenKappa(a, b).value).toBeCloseTo(0.5245, 4);
  });

  it('is 1 for identical ratings, symmetric in raters, and invariant to relabeling', () => {
    const a = ['W', 'C', 'none', 'W', 'none', 'C', 'W', 'none'];
    const b = ['W', 'none', 'none', 'W', 'C', 'C', 'W', 'none'];
    expect(cohenKappa(a, a).value).toBe(1);
    expect(cohenKappa(a, b).value).toBeCloseTo(cohenKappa(b, a).value!, 12);
    const relabel = (x: string[]) => x.map((v) => ({ W: 'x', C: 'y', none: 'z' })[v]!);
    expect(cohenKappa(relabel(a), relabel(b)).value).toBeCloseTo(cohenKappa(a, b).value!, 12);
  });

  it('explains instead of dividing by zero when both raters used one category', () => {
    const k = cohenKappa(['absent', 'absent', 'absent'], ['absent', 'absent', 'absent']);
    expect(k.value).toBeNull();
    expect(k.note).toMatch(/kappa undefined: both raters used one and the same category/);
    expect(cohenKappa([], []).value).toBeNull();
  });
});

describe('quadratic-weighted kappa', () => {
  it('matches a hand-computed 3×3 example (κ_w = .6545)', () => {
    const [a, b] = fromTable(
      [
        [11, 3, 1],
        [2, 8, 4],
        [1, 2, 9],
      ],
      [1, 2, 3],
    );
    expect(weightedKappaQuadratic(a, b).value).toBeCloseTo(0.6545, 4);
  });
  it('is 1 for identical ratings and symmetric', () => {
    const a = [1, 2, 3, 4, 5, 3, 2];
    const b = [1, 3, 3, 5, 4, 2, 2];
    expect(weightedKappaQuadratic(a, a).value).toBeCloseTo(1, 12);
    expect(weightedKappaQuadratic(a, b).value).toBeCloseTo(weightedKappaQuadratic(b, a).value!, 12);
  });
  it('refuses one category with a reason', () => {
    expect(weightedKappaQuadratic([3, 3], [3, 3]).note).toMatch(/only one category/);
  });
});

describe('PABAK and positive / negative agreement', () => {
  it('computes them from the 2×2 table', () => {
    const t = table2x2(
      [true, true, false, false, true, false, false, false],
      [true, false, false, false, true, true, false, false],
    );
    expect(t).toEqual({ a: 2, b: 1, c: 1, d: 4 });
    expect(pabak(t).value).toBeCloseTo(2 * (6 / 8) - 1, 12);
    expect(positiveAgreement(t).value).toBeCloseTo(4 / 6, 12);
    expect(negativeAgreement(t).value).toBeCloseTo(8 / 10, 12);
  });
  it('explains rare-event degenerate cases', () => {
    const allAbsent = table2x2([false, false], [false, false]);
    expect(positiveAgreement(allAbsent)).toEqual({
      value: null,
      note: expect.stringMatching(/neither rater marked presence/),
    });
    expect(pabak(allAbsent).value).toBe(1);
  });
});

describe("Krippendorff's alpha", () => {
  // Krippendorff (2011), the reliability data of 4 coders × 12 units (tests/support/reliability-data.ts).
  const N = null;
  const units = KRIPPENDORFF_2011;
  it('reproduces the published values: nominal .743, ordinal .815, interval .849, ratio .797', () => {
    expect(krippendorffAlpha(units, 'nominal').value).toBeCloseTo(0.7434, 4);
    expect(krippendorffAlpha(units, 'ordinal').value).toBeCloseTo(0.8154, 4);
    expect(krippendorffAlpha(units, 'interval').value).toBeCloseTo(0.8491, 4);
    expect(krippendorffAlpha(units, 'ratio').value).toBeCloseTo(0.7974, 4);
  });
  it('is 1 for perfect agreement and invariant to the order of raters', () => {
    expect(
      krippendorffAlpha(
        [
          [1, 1],
          [2, 2],
          [3, 3],
        ],
        'interval',
      ).value,
    ).toBeCloseTo(1, 12);
    const swapped = units.map((u) => [...u].reverse());
    expect(krippendorffAlpha(swapped, 'ordinal').value).toBeCloseTo(krippendorffAlpha(units, 'ordinal').value!, 12);
  });
  it('explains degenerate data', () => {
    expect(
      krippendorffAlpha(
        [
          [1, N],
          [N, 2],
        ],
        'nominal',
      ).note,
    ).toMatch(/no unit was rated by two or more raters/);
    expect(
      krippendorffAlpha(
        [
          [2, 2],
          [2, 2],
        ],
        'interval',
      ).note,
    ).toMatch(/no variation/);
    expect(krippendorffAlpha([['a', 'b']], 'interval').note).toMatch(/needs numeric values/);
  });
});

describe('intraclass correlations (Shrout & Fleiss 1979)', () => {
  // Their Table 2: 6 targets rated by 4 judges. Published: ICC(1,1) .17, (2,1) .29, (3,1) .71,
  // (1,4) .44, (2,4) .62, (3,4) .91; mean squares BMS 11.24, JMS 32.49, EMS 1.02, WMS 6.26.
  const ratings = SHROUT_FLEISS_1979;
  it('reproduces the published example', () => {
    const r = icc(ratings);
    expect(r.ms!.MSR).toBeCloseTo(11.2417, 4);
    expect(r.ms!.MSC).toBeCloseTo(32.4861, 4);
    expect(r.ms!.MSE).toBeCloseTo(1.0194, 4);
    expect(r.ms!.MSW).toBeCloseTo(6.2639, 4);
    expect(r.ICC1_1.value).toBeCloseTo(0.1657, 4);
    expect(r.ICC2_1.value).toBeCloseTo(0.2898, 4);
    expect(r.ICC3_1.value).toBeCloseTo(0.7148, 4);
    expect(r.ICC1_k.value).toBeCloseTo(0.4428, 4);
    expect(r.ICC2_k.value).toBeCloseTo(0.6201, 4);
    expect(r.ICC3_k.value).toBeCloseTo(0.9093, 4);
    expect(r.note).toMatch(/ICC\(2,1\).*default/);
  });
  it('is 1 when raters agree exactly, and explains no variance or too few targets', () => {
    expect(
      icc([
        [1, 1],
        [3, 3],
        [5, 5],
      ]).ICC2_1.value,
    ).toBeCloseTo(1, 12);
    expect(
      icc([
        [2, 2],
        [2, 2],
      ]).ICC2_1.note,
    ).toMatch(/no variance/);
    expect(icc([[2, 3]]).ICC2_1.note).toMatch(/at least two targets/);
    expect(icc([[2], [3]]).ICC2_1.note).toMatch(/at least two raters/);
  });
});

describe('tests of related proportions', () => {
  it('χ² upper tail matches known quantiles', () => {
    expect(chiSquareP(3.841459, 1)).toBeCloseTo(0.05, 5);
    expect(chiSquareP(5.991465, 2)).toBeCloseTo(0.05, 5);
    expect(chiSquareP(0, 3)).toBe(1);
  });
  it('McNemar: exact binomial for few discordant pairs, χ² otherwise', () => {
    // 2 vs 8 discordant: exact two-sided p = 2·P(X ≤ 2 | n=10, ½) = 0.109375.
    const x = [...Array(8).fill(false), true, true, ...Array(5).fill(true)];
    const y = [...Array(8).fill(true), false, false, ...Array(5).fill(true)];
    const r = mcnemar(x, y);
    expect(r).toMatchObject({ b: 2, c: 8, exact: true });
    expect(r.p).toBeCloseTo(0.109375, 6);
    const big = mcnemar(
      [...Array(30).fill(true), ...Array(10).fill(false)],
      [...Array(30).fill(false), ...Array(10).fill(true)],
    );
    expect(big.statistic).toBeCloseTo(400 / 40, 10);
    expect(big.p).toBeCloseTo(chiSquareP(10, 1), 10);
    expect(mcnemar([true], [true]).note).toMatch(/never disagree/);
  });
  it("Cochran's Q for three perspectives", () => {
    // Hand-computed: columns C = [2, 5, 6], rows R = [1, 2, 3, 3, 2, 2], N = 13, k = 3:
    // Q = 2·(3·65 − 169) / (3·13 − 31) = 52 / 8 = 6.5, df 2, p = e^(−3.25).
    const rows = [
      [false, false, true],
      [false, true, true],
      [true, true, true],
      [true, true, true],
      [false, true, true],
      [false, true, true],
    ];
    const r = cochranQ(rows);
    expect(r.statistic).toBeCloseTo(6.5, 10);
    expect(r.df).toBe(2);
    expect(r.p).toBeCloseTo(Math.exp(-3.25), 8);
    expect(cochranQ([[true, true, true]]).note).toMatch(/no session where the perspectives differ/);
  });
});

describe('no impossible numbers (issue 12)', () => {
  it('decimal ratings that differ only in level give no ICC, with the reason, instead of 1e31', () => {
    const level = [0.1, 0.1, 0.1, 0.1, 0.1].map((a) => [a, 0.3]);
    const r = icc(level);
    for (const k of ['ICC1_1', 'ICC2_1', 'ICC3_1', 'ICC1_k', 'ICC2_k', 'ICC3_k'] as const)
      expect(r[k].value).toBeNull();
    expect(r.note).toMatch(/no variance between targets/);
    const same = icc([0.1, 0.1, 0.1, 0.1].map((v) => [v, v, v]));
    expect(same.ICC2_1.value).toBeNull();
    expect(same.note).toMatch(/every rating is the same/);
  });

  it('every ICC lies in its possible range on noisy decimal data', () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 200; trial++) {
      const k = 2 + (trial % 4);
      const rows = Array.from({ length: 3 + (trial % 7) }, () =>
        Array.from({ length: k }, () => Math.round(rnd() * 3) / 10 + 0.1),
      );
      const r = icc(rows);
      for (const key of ['ICC1_1', 'ICC2_1', 'ICC3_1'] as const) {
        const v = r[key].value;
        if (v !== null) {
          expect(v).toBeLessThanOrEqual(1);
          expect(v).toBeGreaterThanOrEqual(-1 / (k - 1) - 1e-12);
        }
      }
      for (const key of ['ICC1_k', 'ICC2_k', 'ICC3_k'] as const) {
        const v = r[key].value;
        if (v !== null) expect(v).toBeLessThanOrEqual(1);
        if (v !== null) expect(Math.abs(v)).toBeLessThan(1e6);
      }
    }
  });

  it('alpha without the value-by-value table equals the coincidence-matrix definition', () => {
    // The textbook computation (Krippendorff 2011), kept here as the reference.
    const reference = (units: (number | null)[][], metric: 'nominal' | 'ordinal' | 'interval') => {
      const values = [...new Set(units.flat().filter((v): v is number => v !== null))].sort((a, b) => a - b);
      const ix = new Map(values.map((v, i) => [v, i]));
      const m = values.length;
      const o = Array.from({ length: m }, () => new Array<number>(m).fill(0));
      for (const u of units) {
        const p = u.filter((v): v is number => v !== null).map((v) => ix.get(v)!);
        if (p.length < 2) continue;
        for (let i = 0; i < p.length; i++)
          for (let j = 0; j < p.length; j++) if (i !== j) o[p[i]!]![p[j]!]! += 1 / (p.length - 1);
      }
      const nc = o.map((r) => r.reduce((s, v) => s + v, 0));
      const n = nc.reduce((s, v) => s + v, 0);
      const d2 = (c: number, k: number) => {
        if (metric === 'nominal') return c === k ? 0 : 1;
        if (metric === 'interval') return (values[c]! - values[k]!) ** 2;
        const [lo, hi] = c < k ? [c, k] : [k, c];
        let s = 0;
        for (let g = lo; g <= hi; g++) s += nc[g]!;
        return (s - (nc[c]! + nc[k]!) / 2) ** 2;
      };
      let dObs = 0;
      let dExp = 0;
      for (let c = 0; c < m; c++)
        for (let k = 0; k < m; k++) {
          dObs += o[c]![k]! * d2(c, k);
          dExp += nc[c]! * nc[k]! * d2(c, k);
        }
      return 1 - ((n - 1) * dObs) / dExp;
    };
    let seed = 5;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 30; trial++) {
      const units = Array.from({ length: 25 }, () =>
        Array.from({ length: 4 }, () => (rnd() < 0.2 ? null : Math.floor(rnd() * (trial % 2 ? 5 : 40)) + 1)),
      );
      for (const metric of ['nominal', 'ordinal', 'interval'] as const)
        expect(krippendorffAlpha(units, metric).value).toBeCloseTo(reference(units, metric), 9);
    }
  });

  it('ratio alpha needs non-negative values', () => {
    const r = krippendorffAlpha(
      [
        [-1, -2],
        [3, 4],
      ],
      'ratio',
    );
    expect(r.value).toBeNull();
    expect(r.note).toBe('ratio alpha undefined: ratio values cannot be negative');
  });
});
