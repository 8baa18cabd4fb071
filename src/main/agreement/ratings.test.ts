/**
 * Agreement on ratings tables: the cases an outside check caught (named), and the invariants a
 * methodologist relies on, over generated rating sets (fast-check). Reference values from R
 * (psych 2.2.9) are fixtures, computed once (tests/fixtures/agreement/r-psych-reference.json).
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RANGES } from '../../shared/agreement/guard';
import { gwetMulti } from '../../shared/agreement/inference';
import { cohenKappa } from '../../shared/agreement/stats';
import { parseRatingsTable } from './segment-files';
import { ratingsReport, type Level } from './ratings';

// Generated inputs from a fixed seed, so CI repeats the same cases; FC_SEED=random (or a
// number) explores others (a failure prints its seed and counterexample).
fc.configureGlobal({
  ...fc.readConfigureGlobal(),
  ...(process.env.FC_SEED === 'random' ? {} : { seed: Number(process.env.FC_SEED ?? 20261206) }),
});

const R = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../../tests/fixtures/agreement/r-psych-reference.json'), 'utf8'),
) as {
  offset_3e6: { ratings: number[][]; icc: Record<string, { value: number; F: number; lower: number; upper: number }> };
  ordinal_two_raters: {
    a: number[];
    b: number[];
    cohen_kappa: { value: number; lower: number; upper: number };
    weighted_kappa_quadratic: { value: number };
    icc: Record<string, { value: number; lower: number; upper: number }>;
  };
};

/** A units × raters matrix as the parser gives it. */
function data(matrix: (number | string | null)[][]) {
  return {
    units: matrix.map((_, i) => `u${i + 1}`),
    raters: (matrix[0] ?? []).map((_, j) => `r${j + 1}`),
    table: matrix,
  };
}
type Report = Record<string, unknown> & {
  icc: Record<string, number | null>;
  icc_ci: Record<string, { lower: number | null; upper: number | null; F: number | null }> | null;
  krippendorff_alpha: Record<string, number | null>;
  notes: Record<string, string>;
  methods: string;
};
const report = (m: (number | string | null)[][], opts: Parameters<typeof ratingsReport>[1] = {}) =>
  ratingsReport(data(m), opts) as Report;

const ICCS = ['ICC1_1', 'ICC2_1', 'ICC3_1', 'ICC1_k', 'ICC2_k', 'ICC3_k'] as const;

/** Every figure of a report in its range, and every interval around its estimate (or null). */
function expectPossible(r: Report, k: number) {
  for (const key of ICCS) {
    const v = r.icc[key];
    const [lo, hi] = key.endsWith('_1') ? RANGES.iccSingle(k) : RANGES.iccAverage;
    if (v !== null) {
      expect(v).toBeGreaterThanOrEqual(lo - 1e-9);
      expect(v).toBeLessThanOrEqual(hi + 1e-9);
    }
    const ci = r.icc_ci?.[key];
    if (ci && ci.lower !== null) {
      expect(v).not.toBeNull();
      expect(ci.lower).toBeLessThanOrEqual(v! + 1e-6);
      expect(ci.upper!).toBeGreaterThanOrEqual(v! - 1e-6);
      expect(ci.lower).toBeGreaterThanOrEqual(lo - 1e-9);
      expect(ci.upper!).toBeLessThanOrEqual(hi + 1e-9);
    }
  }
  for (const v of Object.values(r.krippendorff_alpha))
    if (v !== null) expect(Math.abs(v)).toBeLessThanOrEqual(1 + 1e-9);
  for (const [key, value] of Object.entries(r)) {
    if (typeof value === 'number' && /kappa|gwet|brennan|pabak/.test(key) && !key.endsWith('_units'))
      expect(Math.abs(value)).toBeLessThanOrEqual(1);
    if (key.endsWith('_ci') && value && typeof value === 'object' && 'lower' in value) {
      const ci = value as { lower: number | null; upper: number | null };
      const est = r[key.replace(/_ci$/, '')] as number | null;
      if (ci.lower !== null) {
        expect(est).not.toBeNull();
        expect(ci.lower).toBeLessThanOrEqual(est! + 1e-6);
        expect(ci.upper!).toBeGreaterThanOrEqual(est! - 1e-6);
        expect(Math.abs(ci.lower)).toBeLessThanOrEqual(1);
        expect(Math.abs(ci.upper!)).toBeLessThanOrEqual(1);
      }
    }
  }
  expect(JSON.stringify(r)).not.toMatch(/Infinity|NaN/);
  expect(r.methods).not.toMatch(/Infinity|NaN|n\/a/);
}

/** A table of whole-number ratings with some missing, from a seed of true scores. */
const ratingSets = (opts: { raters?: [number, number]; missing?: boolean } = {}) =>
  fc
    .record({
      units: fc.integer({ min: 2, max: 25 }),
      raters: fc.integer({ min: opts.raters?.[0] ?? 2, max: opts.raters?.[1] ?? 4 }),
      seed: fc.integer({ min: 1, max: 1_000_000 }),
      noise: fc.integer({ min: 0, max: 3 }),
      missing: opts.missing === false ? fc.constant(0) : fc.integer({ min: 0, max: 3 }),
    })
    .map(({ units, raters, seed, noise, missing }) => {
      let s = seed;
      const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
      return Array.from({ length: units }, () => {
        const truth = 1 + Math.floor(rnd() * 5);
        return Array.from({ length: raters }, () =>
          rnd() * 10 < missing ? null : Math.min(5, Math.max(1, truth + Math.round((rnd() - 0.5) * noise))),
        );
      });
    });

describe('ratings: the cases an outside check caught', () => {
  it('ratings near 3,000,000 that differ by a few units give psych’s ICCs, and near 10⁸ the same', () => {
    const ref = R.offset_3e6;
    for (const shift of [0, 1e8 - 3e6]) {
      const r = report(
        ref.ratings.map((row) => row.map((v) => v + shift)),
        { level: 'interval' },
      );
      for (const key of ICCS) {
        expect(r.icc[key]).toBeCloseTo(ref.icc[key]!.value, 3);
        expect(r.icc_ci![key]!.lower).toBeCloseTo(ref.icc[key]!.lower, 3);
        expect(r.icc_ci![key]!.upper).toBeCloseTo(ref.icc[key]!.upper, 3);
        expect(r.icc_ci![key]!.F).toBeCloseTo(ref.icc[key]!.F, 3);
      }
      expect(r.notes.icc).toBeUndefined();
    }
  });

  it('gives psych’s kappa, quadratic-weighted kappa and ICCs on a 1–5 scale, the weighted interval around its estimate', () => {
    const ref = R.ordinal_two_raters;
    const r = report(ref.a.map((x, i) => [x, ref.b[i]!]));
    expect(r.level).toBe('ordinal');
    expect(r.cohen_kappa).toBeCloseTo(ref.cohen_kappa.value, 3);
    const ck = r.cohen_kappa_ci as { lower: number; upper: number };
    expect(ck.lower).toBeCloseTo(ref.cohen_kappa.lower, 2);
    expect(ck.upper).toBeCloseTo(ref.cohen_kappa.upper, 2);
    expect(r.weighted_kappa_quadratic).toBeCloseTo(ref.weighted_kappa_quadratic.value, 3);
    const q = r.weighted_kappa_quadratic_ci as { lower: number; upper: number };
    // The estimate and its interval use the same weights: the interval is centred on it.
    expect((q.lower + q.upper) / 2).toBeCloseTo(r.weighted_kappa_quadratic as number, 5);
    for (const key of ICCS) expect(r.icc[key]).toBeCloseTo(ref.icc[key]!.value, 3);
    expect(r.methods).toMatch(/quadratic-weighted kappa \(Cohen, 1968/);
  });

  it('perfect agreement: ICC 1 with no F test, said in words, never "F = Infinity, p = NaN"', () => {
    const r = report(
      [
        [1, 1, 1, 1],
        [3, 3, 3, 3],
        [2, 2, 2, 2],
        [5, 5, 5, 5],
      ],
      { level: 'interval' },
    );
    expect(r.icc.ICC2_1).toBe(1);
    expect(r.icc_ci!.ICC2_1).toMatchObject({ F: null, lower: null, upper: null });
    expect(r.notes['icc_ci.ICC3_1']).toMatch(/No F test or interval .* F is infinite/);
    expect(r.methods).toMatch(
      /ICC = 1\.00 \(the ratings leave no residual error \(the raters agree perfectly, or differ only by a constant\), so no F test or interval can be computed\)/,
    );
    expectPossible(r, 4);
  });

  it('an ICC outside its possible range is not printed: null, and the note names the value', () => {
    // Raters who reverse each other: ICC(1,k) = 1 − 1/F with F far below 1.
    const r = report(
      [
        [1, 5],
        [5, 1],
        [2, 4],
        [4, 2],
        [3, 3.1],
      ],
      { level: 'interval' },
    );
    expect(r.icc.ICC1_k).toBeNull();
    expect(r.notes['icc.ICC1_k']).toMatch(/ICC\(1,k\) came out as -\d+(\.\d+)?, outside its possible range \[-1, 1\]/);
    expectPossible(r, 2);
  });

  it('nominal codes 1–5 get no ICC when declared nominal, and Cohen’s kappa (not Fleiss’) for two raters', () => {
    const m = [
      [1, 1],
      [2, 2],
      [3, 4],
      [5, 5],
      [2, 2],
      [4, 3],
    ];
    const inferred = report(m);
    expect(inferred.level).toBe('ordinal');
    expect(inferred.notes.level).toMatch(/declare --level nominal if they are codes/);
    const r = report(m, { level: 'nominal' });
    expect(r.icc.ICC2_1).toBeNull();
    expect(r.notes.icc).toMatch(/No ICC for nominal ratings/);
    expect(r.krippendorff_alpha.interval).toBeNull();
    expect(r.methods).toMatch(
      /treated as nominal\. Because the ratings are unordered categories, agreement was estimated with Cohen's kappa \(Cohen, 1960\)/,
    );
    expect(r.methods).not.toMatch(/Fleiss' kappa|ICC/);
  });

  it('continuous values: no category table, and the assumption said', () => {
    const m = Array.from({ length: 2000 }, (_, i) => [i * 1.37 + 0.11, i * 1.37 + 0.5]);
    const r = report(m);
    expect(r.level).toBe('interval');
    expect(r.notes.level).toMatch(/inferred: numbers with decimals are taken as interval/);
    expect(r.fleiss_kappa).toBeNull();
    expect(r.confusion).toBeUndefined();
    expect(r.notes.categorical).toMatch(/not computed for interval data/);
    expect(r.icc.ICC2_1).toBeGreaterThan(0.99);
    // Declared ordinal with thousands of values: still no q × q table, and said.
    const o = report(m, { level: 'ordinal' });
    expect(o.notes.categories).toMatch(/4,000 distinct values: too many for a category table/);
    expect(o.krippendorff_alpha.ordinal).toBeGreaterThan(0.99);
  });

  it('three raters who never rate the same unit: the ICC says why in words', () => {
    const r = report([
      [1, null, null],
      [null, 2, null],
      [null, null, 3],
      [4, null, null],
    ]);
    expect(r.notes.icc).toBe(
      'ICC undefined: it needs units rated by every rater (complete rows), and no unit was rated by all 3 raters (4 units have a missing rating).',
    );
  });

  it('two-rater AC1 counts units rated by one rater in its chance term (as irrCAC), and Light’s kappa uses complete cases', () => {
    const m: (number | null)[][] = [
      [1, 1],
      [1, 2],
      [2, 2],
      [2, 2],
      [1, null],
      [1, null],
      [1, 1],
    ];
    const r = report(m, { level: 'nominal' });
    expect(r.gwet_ac1).toBeCloseTo(gwetMulti(m).value!, 6);
    expect(r.gwet_ac1).not.toBeCloseTo(gwetMulti(m.filter((x) => x[1] !== null)).value!, 3);
    const three: (number | null)[][] = [
      [1, 1, 1],
      [1, 2, null],
      [2, 2, 2],
      [2, 1, 2],
      [1, 1, 2],
      [2, 2, null],
    ];
    const l = report(three, { level: 'nominal' });
    const complete = three.filter((row) => row.every((v) => v !== null));
    const pair = (i: number, j: number) =>
      cohenKappa(
        complete.map((x) => x[i]!),
        complete.map((x) => x[j]!),
      ).value!;
    expect(l.light_kappa).toBeCloseTo((pair(0, 1) + pair(0, 2) + pair(1, 2)) / 3, 6);
    expect(l.methods).toMatch(
      /Light's kappa \(the mean of the pairs' Cohen's kappas over the 4 units all raters rated\)/,
    );
  });

  it('reads labels that start with a digit as labels, "-" and "?" as missing, and a decimal comma as an error', () => {
    const p = parseRatingsTable('unit,rater,value\n1,A,1 low\n1,B,4. Neurosis\n2,A,-\n2,B,?\n3,A,1 low\n3,B,1 low\n');
    expect(p.rejected).toEqual([]);
    expect(p.table).toEqual([
      ['1 low', '4. Neurosis'],
      [null, null],
      ['1 low', '1 low'],
    ]);
    expect(p.missing).toBe(2);
    const c = parseRatingsTable('unit;rater;value\n1;A;1,5\n');
    expect(c.rejected[0]!.reason).toMatch(/decimal comma; write it with a point \(1\.5\)/);
  });

  it('with --bootstrap, Fleiss, Conger, Gwet and Light get intervals with their method named; too few units get none, said', () => {
    const m = Array.from({ length: 40 }, (_, i) => [i % 3, i % 3, i % 7 === 0 ? (i + 1) % 3 : i % 3]);
    const r = report(m, { level: 'nominal', bootstrap: 200, seed: 5 });
    for (const key of ['fleiss_kappa_ci', 'conger_kappa_ci', 'gwet_ac1_ci', 'light_kappa_ci'])
      expect(r[key]).toMatchObject({ method: expect.stringMatching(/percentile bootstrap over units/) });
    expect((r.interval_methods as Record<string, string>).krippendorff_alpha_ci).toMatch(/Hayes & Krippendorff/);
    expectPossible(r, 3);
    const few = report(m.slice(0, 4), { level: 'nominal', bootstrap: 200 });
    expect(few.fleiss_kappa_ci).toBeNull();
    expect(few.notes.bootstrap).toMatch(/it would rest on 4 units, fewer than the 5/);
  });

  it('refuses a declared level the data cannot have, with what is wrong', () => {
    expect(() => report([['low', 'high']], { level: 'interval' })).toThrow(
      /--level interval needs numbers, but 2 values are text/,
    );
    expect(() => report([['low', 'high']], { level: 'ordinal' })).toThrow(/needs their order: give --categories/);
    const ordered = report(
      [
        ['low', 'mid'],
        ['high', 'high'],
        ['mid', 'mid'],
      ],
      { level: 'ordinal', categories: ['low', 'mid', 'high'] },
    );
    expect(ordered.krippendorff_alpha.ordinal).not.toBeNull();
    expect(ordered.weighted_kappa_quadratic).not.toBeNull();
  });
});

// The report rounds to six decimals, so two equal figures may differ by one in the sixth
// (0.5078125 rounds either way): invariance is checked to five.
describe('ratings: invariants over generated rating sets', () => {
  const levels: Level[] = ['ordinal', 'interval'];
  it('every figure lies in its range and every interval contains its estimate', () => {
    fc.assert(
      fc.property(ratingSets(), fc.constantFrom(...levels), (m, level) => {
        const r = report(m, { level });
        expectPossible(r, (r.icc_raters as string[]).length);
      }),
      { numRuns: 150 },
    );
    fc.assert(
      fc.property(ratingSets({ raters: [2, 3] }), (m) => {
        const r = report(m, { level: 'nominal', bootstrap: 30 });
        expectPossible(r, (r.icc_raters as string[]).length);
      }),
      { numRuns: 40 },
    );
  });

  const invariant = (a: Report, b: Report) => {
    for (const key of ICCS) {
      if (a.icc[key] === null) expect(b.icc[key]).toBeNull();
      else expect(b.icc[key]).toBeCloseTo(a.icc[key]!, 5);
    }
    for (const m of ['interval', 'ordinal']) {
      if (a.krippendorff_alpha[m] === null) expect(b.krippendorff_alpha[m]).toBeNull();
      else expect(b.krippendorff_alpha[m]).toBeCloseTo(a.krippendorff_alpha[m]!, 5);
    }
  };

  it('shifting every rating changes no ICC and no interval or ordinal alpha (offsets up to 10⁸)', () => {
    fc.assert(
      fc.property(ratingSets(), fc.constantFrom(1, -37.5, 3e6, 1e8), (m, c) => {
        invariant(
          report(m, { level: 'interval' }),
          report(
            m.map((row) => row.map((v) => (v === null ? null : v + c))),
            { level: 'interval' },
          ),
        );
      }),
      { numRuns: 80 },
    );
  });

  it('scaling every rating changes no ICC and no interval or ratio alpha (factors 10⁻⁸ to 10⁸)', () => {
    fc.assert(
      fc.property(ratingSets(), fc.constantFrom(1e-8, 1e-3, 7, 1e8), (m, c) => {
        const a = report(m, { level: 'ratio' });
        const b = report(
          m.map((row) => row.map((v) => (v === null ? null : v * c))),
          { level: 'ratio' },
        );
        invariant(a, b);
        if (a.krippendorff_alpha.ratio === null) expect(b.krippendorff_alpha.ratio).toBeNull();
        else expect(b.krippendorff_alpha.ratio).toBeCloseTo(a.krippendorff_alpha.ratio!, 5);
      }),
      { numRuns: 80 },
    );
  });

  it('permuting units or raters, and swapping two raters, changes nothing', () => {
    fc.assert(
      fc.property(ratingSets(), fc.integer({ min: 1, max: 1000 }), (m, seed) => {
        const units = [...m].sort((x, y) => ((m.indexOf(x) * seed) % 7) - ((m.indexOf(y) * seed) % 7));
        const raters = m.map((row) => [...row].reverse());
        const base = report(m, { level: 'ordinal' });
        for (const other of [report(units, { level: 'ordinal' }), report(raters, { level: 'ordinal' })]) {
          invariant(base, other);
          for (const key of ['fleiss_kappa', 'cohen_kappa', 'weighted_kappa_quadratic', 'gwet_ac1', 'light_kappa'])
            if (typeof base[key] === 'number') expect(other[key]).toBeCloseTo(base[key] as number, 5);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('relabelling nominal categories changes no nominal figure', () => {
    fc.assert(
      fc.property(
        ratingSets({ raters: [2, 4] }),
        fc.shuffledSubarray(['ja', 'né', '1 low', 'W2', 'x'], { minLength: 5 }),
        (m, names) => {
          const relabelled = m.map((row) => row.map((v) => (v === null ? null : names[v - 1]!)));
          const a = report(m, { level: 'nominal' });
          const b = report(relabelled, { level: 'nominal' });
          for (const key of [
            'fleiss_kappa',
            'conger_kappa',
            'cohen_kappa',
            'gwet_ac1',
            'light_kappa',
            'brennan_prediger',
          ])
            if (typeof a[key] === 'number') expect(b[key]).toBeCloseTo(a[key] as number, 9);
            else expect(b[key] ?? null).toBeNull();
          if (a.krippendorff_alpha.nominal !== null)
            expect(b.krippendorff_alpha.nominal).toBeCloseTo(a.krippendorff_alpha.nominal!, 9);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('perfect agreement gives 1 wherever the figure is defined', () => {
    fc.assert(
      fc.property(ratingSets({ missing: false }), (m) => {
        const same = m.map((row) => row.map(() => row[0]!));
        const r = report(same, { level: 'ordinal' });
        for (const key of ['fleiss_kappa', 'cohen_kappa', 'weighted_kappa_quadratic', 'gwet_ac1', 'light_kappa'])
          if (typeof r[key] === 'number') expect(r[key]).toBeCloseTo(1, 9);
        for (const key of ['ICC1_1', 'ICC2_1', 'ICC3_1'] as const)
          if (r.icc[key] !== null) expect(r.icc[key]).toBeCloseTo(1, 9);
        for (const v of Object.values(r.krippendorff_alpha)) if (v !== null) expect(v).toBeCloseTo(1, 9);
      }),
      { numRuns: 80 },
    );
  });
});
