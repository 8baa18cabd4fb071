import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/support/tmp';
import { runCli } from '../../cli/index';
import { SHROUT_FLEISS_1979 } from '../../../tests/support/reliability-data';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), tty: false, env: {} });
  return { code, stdout, stderr };
}
function file(name: string, text: string) {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const p = path.join(t.dir, name);
  fs.writeFileSync(p, text);
  return p;
}

describe('alliance-review agreement', () => {
  it('ratings: ICC over complete units, alpha with missing data, kappa for two raters', async () => {
    const sf = SHROUT_FLEISS_1979;
    const rows = ['unit,rater,value'];
    sf.forEach((r, u) => r.forEach((v, j) => rows.push(`s${u + 1},judge${j + 1},${v}`)));
    rows.push('s7,judge1,5', 's7,judge2,', 's7,judge3,6', 's7,judge4,5'); // incomplete unit: left out of ICC
    const res = await cli(['agreement', 'ratings', file('r.csv', rows.join('\n')), '--json']);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({ n_units: 7, n_raters: 4, icc_units_complete: 6, icc_default: 'ICC2_1' });
    expect(out.icc.ICC2_1).toBeCloseTo(0.2898, 4);
    expect(out.icc.ICC3_k).toBeCloseTo(0.9093, 4);
    expect(Object.keys(out.krippendorff_alpha)).toEqual(['nominal', 'ordinal', 'interval', 'ratio']);
    expect(out.cohen_kappa).toBeUndefined();

    const two = await cli([
      'agreement',
      'ratings',
      file('two.csv', 'unit,rater,value\n1,A,1\n1,B,1\n2,A,2\n2,B,3\n3,A,3\n3,B,3\n4,A,1\n4,B,2\n'),
      '--json',
    ]);
    const t = JSON.parse(two.stdout);
    expect(t.n_raters).toBe(2);
    expect(typeof t.cohen_kappa).toBe('number');
    expect(typeof t.weighted_kappa_quadratic).toBe('number');
  });

  it('segments: per pair, time-unit kappa and event agreement keyed by code and any', async () => {
    const csv = 'rater,code,start,end\nA,W2,10,20\nA,C1,40,45\nB,W2,11,20\nB,C1,70,75\nC,W2,10,21\nD,W2,12,19\n';
    const res = await cli([
      'agreement',
      'segments',
      file('s.csv', csv),
      '--unit-ms',
      '1000',
      '--tolerance-ms',
      '0',
      '--window-ms',
      '3000',
      '--json',
    ]);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.pairs.map((p: { raters: string[] }) => p.raters.join('-'))).toEqual([
      'A-B',
      'A-C',
      'A-D',
      'B-C',
      'B-D',
      'C-D',
    ]);
    const ab = out.pairs[0];
    expect(Object.keys(ab.time_unit_kappa)).toEqual(['C1', 'W2', 'any']);
    expect(ab.event_agreement).toMatchObject({ W2: 1, C1: 0 });
    for (const k of ['mean_iou', 'pabak', 'positive_agreement', 'negative_agreement']) expect(ab).toHaveProperty(k);
    // C and D never marked C1: undefined with a reason, not NaN.
    expect(out.pairs[5].time_unit_kappa.C1).toBeNull();
    expect(out.pairs[5].notes['time_unit_kappa.C1']).toMatch(/neither coder marked C1/);
  });

  it('reads an ELAN export with one tier per rater', async () => {
    const elan = 'Coder A\t00:00:10.000\t00:00:20.000\tW2\nCoder B\t00:00:11.000\t00:00:20.000\tW2\n';
    const out = JSON.parse((await cli(['agreement', 'segments', file('e.txt', elan), '--json'])).stdout);
    expect(out.format).toBe('elan');
    expect(out.pairs[0].raters).toEqual(['Coder A', 'Coder B']);
    expect(out.pairs[0].event_agreement.W2).toBe(1);
  });

  it('reads ratings files as researchers write them: NA as missing, names normalised, no hex, any separator', async () => {
    const jose1 = 'Jos\u00e9';
    const jose2 = 'Jose\u0301'; // the same name, decomposed
    const text = [
      'unit;rater;value',
      `1;${jose1};2`,
      `1;Ana;NA`,
      `2;${jose2};3`,
      '2;Ana;3',
      '3;Ana;.',
      `3;${jose1};4`,
      '4;Ana;1',
      `4; ${jose1} ;1`,
    ].join('\n');
    const out = JSON.parse((await cli(['agreement', 'ratings', file('semi.csv', text), '--json'])).stdout);
    expect(out.n_raters).toBe(2);
    expect(out.notes.missing).toBe('2 values were read as missing (empty, NA, N/A, ".", "-", "?", NaN or null).');
    const tabs = JSON.parse(
      (await cli(['agreement', 'ratings', file('t.tsv', text.replace(/;/g, '\t')), '--json'])).stdout,
    );
    expect(tabs.n_raters).toBe(2);
    const hex = await cli(['agreement', 'ratings', file('hex.csv', 'unit,rater,value\n1,A,0x10\n1,B,16\n')]);
    expect(hex.stderr).toContain('line 2: "0x10" is not a number written in decimals.');
    // A header with nothing under it is said, not answered with a page of n/a.
    const bare = await cli(['agreement', 'ratings', file('bare.csv', 'unit,rater,value\n')]);
    expect(bare.code).toBe(1);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toBe('alliance-review: bare.csv has a header but no ratings under it; nothing computed.\n');
    const noSpans = await cli(['agreement', 'segments', file('spans.csv', 'rater,code,start,end\n')]);
    expect(noSpans.code).toBe(1);
    expect(noSpans.stderr).toBe('alliance-review: spans.csv has no coded segments in it; nothing computed.\n');
  });

  it('gives F tests, 95 % intervals, McGraw & Wong names, Fleiss kappa and a methods text', async () => {
    const sf = SHROUT_FLEISS_1979;
    const rows = ['unit,rater,value', ...sf.flatMap((r, u) => r.map((v, j) => `${u + 1},J${j + 1},${v}`))];
    const out = JSON.parse((await cli(['agreement', 'ratings', file('sf.csv', rows.join('\n')), '--json'])).stdout);
    expect(out.icc_ci.ICC2_1).toMatchObject({
      name: 'ICC(A,1): two-way random effects, absolute agreement, single rater',
      df1: 5,
      df2: 15,
    });
    expect([out.icc_ci.ICC2_1.lower, out.icc_ci.ICC2_1.upper].map((v: number) => v.toFixed(2))).toEqual([
      '0.02',
      '0.76',
    ]);
    expect(out.fleiss_kappa).not.toBeNull();
    expect(out.conger_kappa).not.toBeNull();
    // Gwet's AC1 for four raters, and AC2 weighted for numeric ratings (same as the library's).
    const { gwetMulti } = await import('../../shared/agreement/inference');
    expect(out.gwet_ac1).toBeCloseTo(gwetMulti(sf).value!, 3);
    expect(out.gwet_ac2_linear).toBeCloseTo(gwetMulti(sf, 'linear').value!, 3);
    expect(out.gwet_ac2_quadratic).toBeGreaterThan(out.gwet_ac2_linear);
    expect(out.methods).toMatch(
      /^The ratings \(6 units, 4 raters\) were treated as ordinal \(assumed from the data: whole numbers with 10 distinct values .*\)\. The intraclass correlation ICC\(2,1\) \(Shrout & Fleiss, 1979\), i\.e\. ICC\(A,1\) of McGraw and Wong \(1996\) — a two-way random-effects model, absolute agreement, single rater, .* was computed over the 6 units rated by all 4 raters: ICC = \.29, 95% CI \[\.02, \.76\] \(F-based, McGraw & Wong, 1996\), F\(5, 15\) = 11\.03, p < \.001\. .*Computed with Alliance Review \d+\.\d+\.\d+\.$/,
    );
  });

  it('gives kappa with its standard error and interval, weighted kappas, Gwet AC1 and Brennan–Prediger', async () => {
    const table = [
      [20, 5, 2],
      [3, 15, 4],
      [1, 2, 18],
    ];
    const rows = ['unit,rater,value'];
    let u = 0;
    table.forEach((row, i) =>
      row.forEach((n, j) => {
        for (let x = 0; x < n; x++) rows.push(`${++u},A,${i + 1}`, `${u},B,${j + 1}`);
      }),
    );
    const out = JSON.parse((await cli(['agreement', 'ratings', file('k.csv', rows.join('\n')), '--json'])).stdout);
    // statsmodels 0.13.5 cohens_kappa on the same table: κ .635417, SE .076599, CI [.485286, .785547].
    expect(out.cohen_kappa).toBeCloseTo(0.635417, 5);
    expect(out.cohen_kappa_ci).toMatchObject({ se: 0.076599, lower: 0.485286, upper: 0.785547 });
    expect(out.weighted_kappa_linear).toBeCloseTo(0.682971, 5);
    expect(out.weighted_kappa_quadratic_ci.se).toBeCloseTo(0.076608, 5);
    expect(out.gwet_ac1).not.toBeNull();
    expect(out.brennan_prediger).toBeCloseTo((53 / 70 - 1 / 3) / (2 / 3), 5);
    expect(out.confusion).toEqual({ categories: ['1', '2', '3'], matrix: table });
    // Category 1 against the rest: [[20, 7], [4, 39]] → p_o = 59/70, p_e = (27·24 + 43·46)/70².
    const pe = (27 * 24 + 43 * 46) / 70 ** 2;
    expect(out.per_category_kappa['1']).toBeCloseTo((59 / 70 - pe) / (1 - pe), 5);
    expect(out.krippendorff_alpha_detail.nominal.pairable_values).toBe(140);
    // A declared fifth category nobody used still counts in Brennan–Prediger's chance model.
    const declared = JSON.parse(
      (await cli(['agreement', 'ratings', file('k5.csv', rows.join('\n')), '--categories', '1,2,3,4,5', '--json']))
        .stdout,
    );
    expect(declared.brennan_prediger).toBeCloseTo((53 / 70 - 1 / 5) / (4 / 5), 5);
    expect(declared.confusion.categories).toEqual(['1', '2', '3', '4', '5']);
  });

  it('gives PABAK with the prevalence and bias indices for two categories', async () => {
    const rows = ['unit,rater,value'];
    const cells: [string, string, number][] = [
      ['yes', 'yes', 40],
      ['yes', 'no', 9],
      ['no', 'yes', 6],
      ['no', 'no', 45],
    ];
    let u = 0;
    for (const [x, y, n] of cells) for (let i = 0; i < n; i++) rows.push(`${++u},A,${x}`, `${u},B,${y}`);
    const out = JSON.parse((await cli(['agreement', 'ratings', file('yn.csv', rows.join('\n')), '--json'])).stdout);
    expect(out.confusion.categories.sort()).toEqual(['no', 'yes']);
    expect(out.pabak).toBeCloseTo(2 * 0.85 - 1, 6);
    expect(Math.abs(out.prevalence_index)).toBeCloseTo(0.05, 6);
    expect(Math.abs(out.bias_index)).toBeCloseTo(0.03, 6);
  });

  it('bootstraps alpha with a seed (the same run gives the same interval), and gives pairwise and Light kappa', async () => {
    const rows = ['unit,rater,value'];
    for (let u = 1; u <= 30; u++) rows.push(`${u},A,${u % 5}`, `${u},B,${u % 7 === 0 ? 1 : u % 5}`, `${u},C,${u % 5}`);
    const f = file('b.csv', rows.join('\n'));
    const one = JSON.parse(
      (await cli(['agreement', 'ratings', f, '--bootstrap', '300', '--seed', '7', '--json'])).stdout,
    );
    const two = JSON.parse(
      (await cli(['agreement', 'ratings', f, '--bootstrap', '300', '--seed', '7', '--json'])).stdout,
    );
    expect(one.krippendorff_alpha_ci).toEqual(two.krippendorff_alpha_ci);
    expect(one.bootstrap).toMatchObject({
      resamples: 300,
      seed: 7,
      method: expect.stringMatching(/Hayes & Krippendorff/),
    });
    // Hayes & Krippendorff's bootstrap (30 units × 3 raters: 90 pairable values, M = (3 − 1)·90/2),
    // and the unit bootstrap beside it; both hold the estimate.
    for (const ci of [one.krippendorff_alpha_ci.interval, one.krippendorff_alpha_ci_units.interval]) {
      expect(ci.lower).toBeLessThanOrEqual(one.krippendorff_alpha.interval);
      expect(ci.upper).toBeGreaterThanOrEqual(one.krippendorff_alpha.interval);
    }
    expect(one.krippendorff_alpha_ci.interval.pairs_drawn).toBe(90);
    expect(one.krippendorff_alpha_ci.nominal.probability_below['0.8']).toBeGreaterThanOrEqual(0);
    expect(one.methods).toMatch(/Hayes & Krippendorff's bootstrap, 2007; 300 resamples, seed 7/);
    expect(one.pairwise_cohen_kappa.raters).toEqual(['A', 'B', 'C']);
    expect(one.pairwise_cohen_kappa.matrix[0][2]).toBe(1);
    expect(one.light_kappa).toBeCloseTo(
      (one.pairwise_cohen_kappa.matrix[0][1] +
        one.pairwise_cohen_kappa.matrix[0][2] +
        one.pairwise_cohen_kappa.matrix[1][2]) /
        3,
      6,
    );
    expect(JSON.parse((await cli(['agreement', 'ratings', f, '--json'])).stdout).krippendorff_alpha_ci).toBeUndefined();
  });

  it('weights by the scale values or, when asked, by their ranks (which equals weighting the ranks by value)', async () => {
    // A scale of 0, 1 and 5: by value, 0 and 1 are close; by order, every step is one.
    const a = [0, 0, 1, 1, 5, 5, 0, 1, 5, 1, 0, 5];
    const b = [0, 1, 1, 5, 5, 1, 0, 0, 5, 1, 1, 5];
    const rank = (v: number) => ({ 0: 1, 1: 2, 5: 3 })[v as 0 | 1 | 5];
    const csv = (f: (v: number) => number) =>
      ['unit,rater,value', ...a.flatMap((x, i) => [`${i},A,${f(x)}`, `${i},B,${f(b[i]!)}`])].join('\n');
    const run = async (name: string, text: string, extra: string[] = []) =>
      JSON.parse((await cli(['agreement', 'ratings', file(name, text), '--json', ...extra])).stdout);
    const byValue = await run(
      'v.csv',
      csv((x) => x),
    );
    const byOrder = await run(
      'o.csv',
      csv((x) => x),
      ['--weight-by', 'order'],
    );
    const ranks = await run('r.csv', csv(rank));
    expect([byValue.weights_by, byOrder.weights_by]).toEqual(['values', 'order']);
    expect(byOrder.weighted_kappa_linear).not.toBeCloseTo(byValue.weighted_kappa_linear, 3);
    for (const k of ['weighted_kappa_linear', 'weighted_kappa_quadratic', 'gwet_ac2_linear', 'gwet_ac2_quadratic'])
      expect(byOrder[k]).toBeCloseTo(ranks[k], 10);
    expect(byOrder.weighted_kappa_quadratic_ci.lower).toBeCloseTo(ranks.weighted_kappa_quadratic_ci.lower, 10);
    const bad = await cli([
      'agreement',
      'ratings',
      file(
        'x.csv',
        csv((x) => x),
      ),
      '--weight-by',
      'rank',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--weight-by takes values');
  });

  it('leaves out a rater who rated nothing (with a note) and gives one note for text ratings', async () => {
    const rows = [
      'unit,rater,value',
      ...[1, 2, 3, 4].flatMap((u) => [`${u},A,${u}`, `${u},B,${u + (u % 2)}`, `${u},C,`]),
    ];
    const out = JSON.parse((await cli(['agreement', 'ratings', file('e.csv', rows.join('\n')), '--json'])).stdout);
    expect(out.icc.ICC2_1).not.toBeNull();
    expect(out.icc_raters).toEqual(['A', 'B']);
    expect(out.notes.raters_without_ratings).toBe(
      'C gave no rating and was left out of the ICC and the statistics over complete units.',
    );
    const words = ['unit,rater,value', '1,A,low', '1,B,low', '2,A,high', '2,B,low', '3,A,high', '3,B,high'];
    const t = JSON.parse((await cli(['agreement', 'ratings', file('w.csv', words.join('\n')), '--json'])).stdout);
    expect(t.krippendorff_alpha.nominal).not.toBeNull();
    expect(t.krippendorff_alpha.interval).toBeNull();
    expect(t.level).toBe('nominal');
    expect(t.notes.level).toMatch(/^Ratings taken as nominal: inferred: 6 values are text labels \("low", "high"\)/);
    // Three units: kappa's normal-approximation interval reaches past ±1 and is cut, with a note.
    expect(t.notes.cohen_kappa_ci).toMatch(/cut to the figure's possible range/);
    expect(t.cohen_kappa_ci.lower).toBeGreaterThanOrEqual(-1);
    expect(Object.keys(t.notes).sort()).toEqual([
      'cohen_kappa_ci',
      'icc',
      'krippendorff_alpha',
      'level',
      'weighted_kappa_quadratic',
    ]);
  });

  it('summarises three raters or more: mean pairwise figures and Fleiss kappa over time units', async () => {
    // 1-s units over 4 s: A and B mark 0–4 s, C 0–3 s. Units 0–2 all three; unit 3 two of three.
    // P̄ = (1 + 1 + 1 + 1/3) / 4 = 120/144; p(marked) = 11/12 → P̄e = 122/144; κ = −2/22.
    const f = file('three.csv', 'rater,code,start,end\nA,W1,0,4\nB,W1,0,4\nC,W1,0,3\n');
    const out = JSON.parse((await cli(['agreement', 'segments', f, '--json'])).stdout);
    expect(out.multi_rater.raters).toBe(3);
    expect(out.multi_rater.pairs).toBe(3);
    expect(out.multi_rater.fleiss_kappa_units.any).toBeCloseTo(-2 / 22, 3);
    expect(out.multi_rater.fleiss_kappa_units.W1).toBeCloseTo(-2 / 22, 3);
    const pairKappas = out.pairs.map((p: { time_unit_kappa: { any: number | null } }) => p.time_unit_kappa.any);
    const defined = pairKappas.filter((v: number | null) => v !== null);
    expect(out.multi_rater.mean_pairwise.time_unit_kappa_any).toBeCloseTo(
      defined.reduce((a: number, b: number) => a + b, 0) / defined.length,
      3,
    );
    // Two raters: no summary (the pair is the figure).
    const two = JSON.parse(
      (await cli(['agreement', 'segments', file('two.csv', 'rater,code,start,end\nA,W1,0,4\nB,W1,0,4\n'), '--json']))
        .stdout,
    );
    expect(two.multi_rater).toBeUndefined();
  });

  it('refuses a tolerance that is not a whole number of units, and counts a repeated row once', async () => {
    const f = file('s.csv', 'rater,code,start,end\nA,W2,10,20\nA,W2,10,20\nB,W2,10,20\n');
    const bad = await cli(['agreement', 'segments', f, '--tolerance-ms', '400']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      '--tolerance-ms must be 0 or a whole number of units (a multiple of --unit-ms 1000); 400 ms is not',
    );
    const out = JSON.parse((await cli(['agreement', 'segments', f, '--json'])).stdout);
    expect(out.duplicates).toEqual([{ rater: 'A', code: 'W2', start_s: 10, end_s: 20, rows: 2 }]);
    expect(out.pairs[0].event_agreement.W2).toBe(1);
    expect(out.any_definition).toMatch(/whatever their codes/);
    // How much the figure depends on the unit length chosen.
    expect(out.unit_sensitivity.map((u: { unit_ms: number }) => u.unit_ms)).toEqual([500, 1000, 2000, 5000]);
    expect(out.unit_sensitivity[1].pairs[0]).toEqual({ raters: ['A', 'B'], time_unit_kappa_any: 1 });
  });

  it('names bad rows and computes nothing', async () => {
    const res = await cli([
      'agreement',
      'segments',
      file('bad.csv', 'rater,code,start,end\nA,W2,ten,20\nB,W2,30,20\n'),
    ]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('line 2: start or end is not a time');
    expect(res.stderr).toContain('line 3: the end comes before the start.');
  });

  it('session and perspectives read submitted ratings and self-reports from the library', async () => {
    const { mediaFile } = await import('../../../tests/support/media');
    const data = tempDir();
    cleanups.push(data.cleanup);
    const d = ['--data-dir', data.dir];
    await cli(['import', mediaFile('av.mp4'), '--case', 'C-1', '--session', '1', ...d]);
    const csv = file('a.csv', 'type,code,start,end\nrupture,W2,1,2\n');
    await cli(['annotations', 'import', csv, '--session', '1', '--rater', 'O-1', ...d]);
    await cli(['annotations', 'import', csv, '--session', '1', '--rater', 'O-2', ...d]);
    // Not submitted yet: nothing to compare.
    expect(JSON.parse((await cli(['agreement', 'session', '1', '--json', ...d])).stdout).pairs).toEqual([]);
    const { openDatabase } = await import('../db/open');
    const db = openDatabase(data.dir);
    db.exec(
      "INSERT INTO ratings (session_id, rater_id, status) SELECT 1, id, 'submitted' FROM raters WHERE name IN ('O-1', 'O-2')",
    );
    db.close();
    const session = JSON.parse((await cli(['agreement', 'session', '1', '--json', ...d])).stdout);
    expect(session.submitted_raters).toEqual(['O-1', 'O-2']);
    expect(session.pairs[0].time_unit_kappa.W2).toBe(1);
    expect(session.methods).toMatch(
      /time-unit kappa .* O-1 and O-2: κ = 1\.00, event agreement 1\.00\. .*Computed with Alliance Review/,
    );
    // With a block bootstrap over time (a short session: 10-s blocks), each pair has intervals.
    const booted = JSON.parse(
      (await cli(['agreement', 'session', '1', '--bootstrap', '200', '--block-ms', '1000', '--json', ...d])).stdout,
    );
    // Every resample agrees perfectly: an interval of no width says nothing, so none is shown,
    // and the note says why (the resamples where kappa was undefined are still counted).
    expect(booted.pairs[0].ci.time_unit_kappa_any).toMatchObject({ lower: null, upper: null });
    expect(booted.pairs[0].notes['ci.time_unit_kappa_any']).toMatch(/has no width \(every resample gave 1\)/);
    expect(booted.pairs[0].ci.time_unit_kappa_any.undefined_resamples).toBeGreaterThan(0);
    expect(booted.bootstrap).toMatchObject({ resamples: 200, seed: 1, block_ms: 1000, blocks: 6 });
    expect(booted.bootstrap.note).toMatch(/rests on only 6 blocks/);
    expect(booted.methods).toMatch(/block bootstrap over time .* 200 resamples, seed 1.*rests on only 6 blocks/);
    expect((await cli(['agreement', 'session', '1', '--bootstrap', '200', '--block-ms', '1000', ...d])).stdout).toMatch(
      /time-unit kappa \(any\) 1\.000, event agreement/,
    );
    // The study of one session: no interval from resampling one session, and said.
    const study = JSON.parse(
      (await cli(['agreement', 'study', '--bootstrap', '200', '--seed', '3', '--json', ...d])).stdout,
    );
    expect(study.mean.time_unit_kappa_any).toBe(1);
    expect(study.mean_ci.time_unit_kappa_any).toEqual({ lower: null, upper: null });
    expect(study.bootstrap).toMatchObject({
      resamples: 200,
      seed: 3,
      sessions: 1,
      method: expect.stringMatching(/block bootstrap over sessions/),
    });
    expect(study.notes.bootstrap).toMatch(/it would rest on 1 session, fewer than the 5/);
    expect(study.methods).toMatch(/Mean κ = 1\.00; .*No interval: it would rest on 1 session/);
    expect(study.methods).not.toMatch(/\[1\.00, 1\.00\]/);
    const responses = file('r.csv', 'session,perspective,rater,item,value\n1,patient,P-1,tension,no\n');
    expect((await cli(['responses', 'import', responses, ...d])).code).toBe(0);
    const persp = JSON.parse((await cli(['perspectives', '--case', 'C-1', '--json', ...d])).stdout);
    expect(persp.perspectives.observer).toEqual({ sessions_with_data: 1, sessions_with_rupture: 1, rate: 1 });
    expect(persp.perspectives.patient).toEqual({ sessions_with_data: 1, sessions_with_rupture: 0, rate: 0 });
    expect(persp.mcnemar[0]).toMatchObject({ perspectives: ['patient', 'observer'], a_only: 0, b_only: 1 });
    const bad = await cli([
      'responses',
      'import',
      file('bad.csv', 'session,perspective,rater,item,value\n1,patient,P-1,tension,perhaps\n'),
      ...d,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('line 2: tension takes yes or no, not "perhaps".');
  });

  it('exports an instrument as JSON and imports it back with licensed wording pasted in', async () => {
    const data = tempDir();
    cleanups.push(data.cleanup);
    const d = ['--data-dir', data.dir];
    const exported = JSON.parse((await cli(['instruments', 'export', 'wai-sr', ...d])).stdout);
    expect(exported.items).toHaveLength(12);
    exported.items[0].text = 'Licensed wording of item 1';
    const res = await cli(['instruments', 'import', file('wai.json', JSON.stringify(exported)), ...d]);
    expect(res.stdout).toBe(
      'Imported wai-sr (Working Alliance Inventory – short revised (structure only), 12 items).\n',
    );
    const again = JSON.parse((await cli(['instruments', 'export', 'wai-sr', ...d])).stdout);
    expect(again.items[0].text).toBe('Licensed wording of item 1');
    const bad = await cli([
      'instruments',
      'import',
      file('bad.json', JSON.stringify({ ...exported, items: [{ id: 'x', type: 'scale', text: 't' }] })),
      ...d,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/The instrument was not imported\. items\.0\.min/);
  });
});
