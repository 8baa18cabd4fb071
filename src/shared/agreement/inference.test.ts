import { describe, expect, it } from 'vitest';
import { fCdf, fleissKappa, fQuantile, iccInference } from './inference';

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
    const sf = [
      [9, 2, 5, 8],
      [6, 1, 3, 2],
      [8, 4, 6, 8],
      [7, 1, 2, 6],
      [10, 5, 6, 9],
      [6, 2, 4, 7],
    ];
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
    expect(
      fleissKappa([
        [1, 1],
        [1, 1],
      ]).note,
    ).toMatch(/every rating is the same category/);
  });
});
