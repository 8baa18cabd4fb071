/**
 * `agreement ratings`: agreement on a units × raters table, chosen by the level of measurement.
 * The level is declared (`--level`) or inferred from the data with the assumption said; the
 * statistics are those the level allows (Hallgren 2012: kappas for nominal ratings, weighted kappa
 * and ordinal alpha for ordinal ones, the ICC for ordinal, interval and ratio ones), categorical
 * statistics never run over continuous values, and every figure and interval passes the guard
 * (`shared/agreement/guard.ts`): in its range, inside its interval, or null with a note.
 */
import { AppError } from '../../shared/errors';
import { checkInterval, checkValue, clusterCheck, RANGES, reportFigure, round6 } from '../../shared/agreement/guard';
import { cohenKappa, krippendorffAlpha, type AlphaMetric, type Label } from '../../shared/agreement/stats';
import {
  alphaBootstrapHK,
  bootstrapUnits,
  confusion,
  congerKappa,
  fleissKappa,
  gwetAndBp,
  gwetMulti,
  iccInference,
  kappaInference,
  type IccKey,
  type WeightBy,
} from '../../shared/agreement/inference';
import { apa } from '../../shared/agreement/format';
import { APP_VERSION } from '../../shared/version';
import { count } from '../../shared/words';

export const LEVELS = ['nominal', 'ordinal', 'interval', 'ratio'] as const;
export type Level = (typeof LEVELS)[number];

/** Above this many distinct values no category table (q × q) is built. */
export const CATEGORY_LIMIT = 100;
/** Whole numbers with at most this many distinct values are read as a rating scale. */
const SCALE_LIMIT = 10;

const ICC_KEYS = ['ICC1_1', 'ICC2_1', 'ICC3_1', 'ICC1_k', 'ICC2_k', 'ICC3_k'] as const satisfies readonly IccKey[];
const METRICS: AlphaMetric[] = ['nominal', 'ordinal', 'interval', 'ratio'];

const round = round6;

export interface RatingsData {
  units: string[];
  raters: string[];
  table: (number | string | null)[][];
  missing?: number;
}

export interface LevelChoice {
  level: Level;
  declared: boolean;
  /** Why this level (the assumption, when inferred). */
  why: string;
}

/**
 * The level of measurement: as declared (checked against the data), or inferred: text labels are
 * nominal; whole numbers with at most 10 distinct values an ordered rating scale (ordinal); other
 * numbers interval. Declared ordinal text labels need their order (`categories`).
 */
export function chooseLevel(data: RatingsData, declared?: Level, categories?: string[]): LevelChoice {
  const values: (number | string)[] = [];
  for (const row of data.table) for (const v of row) if (v !== null) values.push(v);
  const text = values.filter((v): v is string => typeof v === 'string');
  const distinct = new Set(values.map(String)).size;
  const examples = [...new Set(text)]
    .slice(0, 3)
    .map((t) => `"${t}"`)
    .join(', ');
  if (declared) {
    if (declared !== 'nominal' && text.length) {
      const order = new Set(categories ?? []);
      const unknown = [...new Set(text)].filter((t) => !order.has(t));
      if (declared !== 'ordinal' || unknown.length)
        throw new AppError(
          'INVALID_INPUT',
          declared === 'ordinal'
            ? `--level ordinal with text labels needs their order: give --categories with every label, lowest first (missing: ${unknown
                .slice(0, 3)
                .map((t) => `"${t}"`)
                .join(', ')}).`
            : `--level ${declared} needs numbers, but ${count(text.length, 'value')} ${text.length === 1 ? 'is' : 'are'} text (${examples}).`,
        );
    }
    if (declared === 'ratio' && values.some((v) => typeof v === 'number' && v < 0))
      throw new AppError(
        'INVALID_INPUT',
        '--level ratio needs values of zero or more (a ratio scale has a true zero); this file has negative values.',
      );
    return { level: declared, declared: true, why: `declared with --level ${declared}` };
  }
  if (text.length)
    return {
      level: 'nominal',
      declared: false,
      why: `inferred: ${count(text.length, 'value')} ${text.length === 1 ? 'is a' : 'are'} text label${text.length === 1 ? '' : 's'} (${examples}), so the ratings are taken as unordered categories; declare --level ordinal with --categories to give their order`,
    };
  const whole = values.every((v) => Number.isInteger(v));
  if (whole && distinct <= SCALE_LIMIT)
    return {
      level: 'ordinal',
      declared: false,
      why: `inferred: whole numbers with ${distinct} distinct value${distinct === 1 ? '' : 's'} (at most ${SCALE_LIMIT}) are taken as an ordered rating scale; declare --level nominal if they are codes (diagnoses, categories) or --level interval if the steps are equal`,
    };
  return {
    level: 'interval',
    declared: false,
    why: `inferred: numbers with ${whole ? `${distinct} distinct values (more than ${SCALE_LIMIT})` : 'decimals'} are taken as interval measurements; declare --level ratio for a scale with a true zero, or --level ordinal`,
  };
}

/** Each figure with its range, rounded, guarded; a null figure's reason goes to `notes[key]`. */
const guardFigure = reportFigure;

export interface RatingsOptions {
  bootstrap?: number;
  seed?: number;
  categories?: string[];
  weightBy?: WeightBy;
  level?: Level;
}

export function ratingsReport(data: RatingsData, opts: RatingsOptions = {}) {
  const weightBy = opts.weightBy ?? 'values';
  const seed = opts.seed ?? 1;
  const notes: Record<string, string> = {};
  const methods: string[] = [];
  const level = chooseLevel(data, opts.level, opts.categories);
  if (data.missing)
    notes.missing = `${data.missing} value${data.missing === 1 ? ' was' : 's were'} read as missing (empty, NA, N/A, ".", "-", "?", NaN or null).`;
  notes.level = `Ratings taken as ${level.level}: ${level.why}.`;

  // Numbers for the statistics that need them: the values themselves, or an ordinal label's rank.
  const rank = new Map((opts.categories ?? []).map((c, i) => [c, i + 1]));
  const numericTable: (number | null)[][] | null =
    level.level === 'nominal'
      ? null
      : data.table.map((row) =>
          row.map((v) => (v === null ? null : typeof v === 'number' ? v : (rank.get(v) ?? null))),
        );
  const categorical = level.level === 'nominal' || level.level === 'ordinal';
  const distinct = new Set(
    data.table
      .flat()
      .filter((v) => v !== null)
      .map(String),
  ).size;
  const tableOk = distinct <= CATEGORY_LIMIT;
  if (categorical && !tableOk)
    notes.categories = `${distinct.toLocaleString('en')} distinct values: too many for a category table (at most ${CATEGORY_LIMIT}), so kappas, Gwet's AC and the confusion table are not computed; declare --level interval for measurements.`;
  if (!categorical)
    notes.categorical = `Category statistics (kappas, Fleiss', Conger's, Gwet's AC, Brennan–Prediger, PABAK, nominal alpha, the confusion table) are not computed for ${level.level} data: each distinct value would be its own category.`;
  const doCategories = categorical && tableOk;
  // The declared category set: as labels for the category tables, as numbers (values, or an
  // ordinal label's rank) for the weighted figures.
  const declared = opts.categories as Label[] | undefined;
  const declaredNumbers = opts.categories?.map((c, i) => (rank.size ? i + 1 : Number(c)));

  // Raters with no rating at all are left out of what needs complete rows.
  const empty = data.raters.filter((_, j) => data.table.every((row) => row[j] === null));
  const keep = data.raters.map((_, j) => j).filter((j) => !empty.includes(data.raters[j]!));
  if (empty.length)
    notes.raters_without_ratings = `${empty.join(', ')} gave no rating and ${empty.length === 1 ? 'was' : 'were'} left out of the ICC and the statistics over complete units.`;
  const kept = data.table.map((row) => keep.map((j) => row[j] ?? null));
  const completeIdx = kept.map((row, i) => (row.every((v) => v !== null) ? i : -1)).filter((i) => i >= 0);
  const dropped = data.units.length - completeIdx.length;
  const out: Record<string, unknown> = {
    n_units: data.units.length,
    n_raters: data.raters.length,
    raters: data.raters,
    level: level.level,
    level_declared: level.declared,
    level_reason: level.why,
    units_complete: completeIdx.length,
    units_incomplete: dropped,
  };
  if (data.raters.length < 2) notes.raters = 'Agreement needs at least two raters.';

  // --- ICC (ordinal, interval, ratio) -----------------------------------------------------------
  const iccOut = Object.fromEntries(ICC_KEYS.map((k) => [k, null])) as Record<(typeof ICC_KEYS)[number], number | null>;
  let iccCi: Record<string, unknown> | null = null;
  let iccSentence: string | null = null;
  if (!numericTable) {
    notes.icc = 'No ICC for nominal ratings: it treats the values as measurements, and categories are not.';
  } else if (keep.length < 2) {
    notes.icc = 'ICC undefined: needs at least two raters who rated.';
  } else if (completeIdx.length < 2) {
    notes.icc = `ICC undefined: it needs units rated by every rater (complete rows), and ${completeIdx.length === 0 ? 'no unit was' : 'only one unit was'} rated by all ${keep.length} raters (${count(dropped, 'unit')} ${dropped === 1 ? 'has' : 'have'} a missing rating).`;
  } else {
    const complete = completeIdx.map((i) => keep.map((j) => numericTable[i]![j]!));
    const { icc, inference } = iccInference(complete);
    for (const k of ICC_KEYS) {
      iccOut[k] = round(icc[k].value);
      if (icc[k].value === null && icc[k].note && k !== 'ICC2_1') notes[`icc.${k}`] = icc[k].note!;
    }
    if (icc.ICC2_1.value === null) notes.icc = icc.ICC2_1.note ?? icc.note;
    if (inference) {
      iccCi = Object.fromEntries(
        ICC_KEYS.map((k) => {
          const x = inference[k];
          if (x.note) notes[`icc_ci.${k}`] = x.note;
          return [
            k,
            {
              name: x.name,
              lower: round(x.lower),
              upper: round(x.upper),
              F: round(x.F),
              df1: round(x.df1),
              df2: round(x.df2),
              p: x.p,
              method:
                k === 'ICC2_1' || k === 'ICC2_k'
                  ? "F-based interval with Satterthwaite's degrees of freedom (McGraw & Wong, 1996)"
                  : 'F-based interval (Shrout & Fleiss, 1979; McGraw & Wong, 1996)',
            },
          ];
        }),
      );
      const i = inference.ICC2_1;
      const value = icc.ICC2_1.value;
      if (value !== null) {
        const test =
          i.F === null || i.p === null
            ? 'the ratings leave no residual error (the raters agree perfectly, or differ only by a constant), so no F test or interval can be computed'
            : `${i.lower !== null && i.upper !== null ? `95% CI [${apa(i.lower)}, ${apa(i.upper)}] (F-based, McGraw & Wong, 1996)` : 'no interval (see the notes)'}, F(${i.df1}, ${i.df2}) = ${i.F.toFixed(2)}, p ${i.p < 0.001 ? '< .001' : `= ${i.p.toFixed(3).replace(/^0/, '')}`}`;
        iccSentence = `The intraclass correlation ICC(2,1) (Shrout & Fleiss, 1979), i.e. ICC(A,1) of McGraw and Wong (1996) — a two-way random-effects model, absolute agreement, single rater, since the raters stand for raters in general — was computed over the ${complete.length} units rated by ${keep.length === 2 ? 'both' : `all ${keep.length}`} raters${dropped ? ` (${count(dropped, 'unit')} with a missing rating left out)` : ''}: ICC = ${apa(value)}${test.startsWith('the') ? ` (${test})` : `, ${test}`}.`;
      }
    } else if (!notes.icc) notes.icc = icc.ICC2_1.note ?? icc.note;
  }
  out.icc = iccOut;
  out.icc_units_complete = numericTable ? completeIdx.length : 0;
  out.icc_raters = keep.map((j) => data.raters[j]);
  out.icc_ci = iccCi;
  out.confidence = 0.95;
  out.icc_default = 'ICC2_1';

  // --- Krippendorff's alpha: the metrics the level allows -------------------------------------
  const allowed: Record<Level, AlphaMetric[]> = {
    nominal: ['nominal'],
    ordinal: ['nominal', 'ordinal', 'interval'],
    interval: ['ordinal', 'interval'],
    ratio: ['ordinal', 'interval', 'ratio'],
  };
  const metrics = allowed[level.level].filter((m) => m !== 'nominal' || tableOk || level.level === 'nominal');
  const alphaTable = (m: AlphaMetric) => (m === 'nominal' ? data.table : numericTable!);
  const alphaResults = new Map(metrics.map((m) => [m, krippendorffAlpha(alphaTable(m), m)] as const));
  const alpha = Object.fromEntries(
    METRICS.map((m) => {
      const r = alphaResults.get(m);
      return [m, r ? guardFigure(notes, `krippendorff_alpha.${m}`, `${m} alpha`, r, RANGES.coefficient) : null];
    }),
  ) as Record<AlphaMetric, number | null>;
  const withheld = METRICS.filter((m) => !metrics.includes(m));
  if (withheld.length)
    notes.krippendorff_alpha = `${withheld.join(', ')} alpha ${withheld.length === 1 ? 'is' : 'are'} not computed for ${level.level} ratings${level.level === 'ordinal' && withheld.includes('ratio') ? ' (ratio needs --level ratio)' : ''}.`;
  out.krippendorff_alpha = alpha;
  out.krippendorff_alpha_detail = Object.fromEntries(
    METRICS.filter((m) => alpha[m] !== null).map((m) => {
      const r = alphaResults.get(m)!;
      return [
        m,
        {
          pairable_values: r.pairable,
          observed_disagreement: r.observed ?? null,
          expected_disagreement: r.expected ?? null,
        },
      ];
    }),
  );

  // --- Categories: kappas, Fleiss, Conger, Gwet, confusion ------------------------------------
  const twoRaters = data.raters.length === 2;
  const a = data.table.map((r) => r[0] ?? null);
  const b = data.table.map((r) => r[1] ?? null);
  const completeRows = completeIdx.map((i) => kept[i]!);
  const figures: Record<string, { stat: (rows: (Label | null)[][]) => number | null; label: string }> = {};
  let headline: string | null = null;
  const numericOrdered = numericTable !== null && level.level === 'ordinal';
  if (doCategories) {
    // Over the raters who rated (one who rated nothing would leave no complete unit).
    const fleiss = fleissKappa(kept);
    out.fleiss_kappa = guardFigure(notes, 'fleiss_kappa', "Fleiss' kappa", fleiss, RANGES.coefficient);
    out.conger_kappa = guardFigure(notes, 'conger_kappa', "Conger's kappa", congerKappa(kept), RANGES.coefficient);
    const keepOf = (rows: (Label | null)[][]) => rows.map((r) => keep.map((j) => r[j] ?? null));
    figures.fleiss_kappa = { stat: (rows) => fleissKappa(keepOf(rows)).value, label: "Fleiss' kappa" };
    figures.conger_kappa = { stat: (rows) => congerKappa(keepOf(rows)).value, label: "Conger's kappa" };
    // Gwet's AC1 for any number of raters, units rated once counting in the chance term (irrCAC).
    const ac1 = gwetMulti(data.table, 'none', declared);
    out.gwet_ac1 = guardFigure(notes, 'gwet_ac1', "Gwet's AC1", ac1, RANGES.coefficient);
    figures.gwet_ac1 = { stat: (rows) => gwetMulti(rows, 'none', declared).value, label: "Gwet's AC1" };
    if (numericOrdered) {
      const numeric = numericTable;
      for (const w of ['linear', 'quadratic'] as const) {
        out[`gwet_ac2_${w}`] = guardFigure(
          notes,
          `gwet_ac2_${w}`,
          `Gwet's AC2 (${w})`,
          gwetMulti(numeric, w, declaredNumbers, weightBy),
          RANGES.coefficient,
        );
        figures[`gwet_ac2_${w}`] = {
          stat: (rows) => gwetMulti(rows, w, declaredNumbers, weightBy).value,
          label: `Gwet's AC2 (${w})`,
        };
      }
      out.weights_by = weightBy;
    }
    if (!twoRaters && fleiss.value !== null && level.level === 'nominal')
      headline = `Because the ratings are unordered categories, agreement among the raters was estimated with Fleiss' kappa (Fleiss, 1971) over the ${fleiss.units} units rated by all ${fleiss.raters} raters${dropped ? ` (${count(dropped, 'unit')} with a missing rating left out)` : ''}: κ = ${apa(out.fleiss_kappa as number | null)}{fleiss_kappa_ci}.`;
    if (twoRaters) {
      const kap = cohenKappa(a, b);
      out.cohen_kappa = guardFigure(notes, 'cohen_kappa', "Cohen's kappa", kap, RANGES.coefficient);
      const ci = (key: string, r: ReturnType<typeof kappaInference>) => {
        if (r.value === null) return null;
        if (r.note) notes[key] = r.note;
        return {
          se: round(r.se),
          lower: round(r.lower),
          upper: round(r.upper),
          z: round(r.z),
          p: r.p,
          method: 'normal approximation with the large-sample standard error (Fleiss, Cohen & Everitt, 1969)',
        };
      };
      const unweighted = kappaInference(a, b, 'none', declared);
      out.cohen_kappa_ci = ci('cohen_kappa_ci', unweighted);
      if (numericOrdered) {
        const na = numericTable.map((r) => r[0] ?? null);
        const nb = numericTable.map((r) => r[1] ?? null);
        // The estimate and its interval from one call: the same weights for both.
        for (const w of ['linear', 'quadratic'] as const) {
          const r = kappaInference(na, nb, w, declaredNumbers, weightBy);
          out[`weighted_kappa_${w}`] = guardFigure(
            notes,
            `weighted_kappa_${w}`,
            `${w}-weighted kappa`,
            r,
            RANGES.coefficient,
          );
          out[`weighted_kappa_${w}_ci`] = out[`weighted_kappa_${w}`] === null ? null : ci(`weighted_kappa_${w}_ci`, r);
        }
        const q = out.weighted_kappa_quadratic_ci as { lower: number | null; upper: number | null } | null;
        if (out.weighted_kappa_quadratic !== null)
          headline = `Because the ratings are ordinal, agreement was estimated with quadratic-weighted kappa (Cohen, 1968; weights by the distance between ${weightBy === 'values' ? 'the scale values' : 'the ranks of the categories'}) over the ${kap.n} units rated by both raters${data.units.length - kap.n ? ` (${count(data.units.length - kap.n, 'unit')} rated by one rater left out)` : ''}: κw = ${apa(out.weighted_kappa_quadratic as number)}${q && q.lower !== null ? `, 95% CI [${apa(q.lower)}, ${apa(q.upper)}] (large-sample standard error, Fleiss, Cohen & Everitt, 1969)` : ''}.`;
      } else {
        notes.weighted_kappa_quadratic = 'No weighted kappa for nominal ratings: the categories have no order.';
        out.weighted_kappa_quadratic = null;
      }
      if (level.level === 'nominal' && out.cohen_kappa !== null) {
        const c = out.cohen_kappa_ci as { lower: number | null; upper: number | null } | null;
        headline = `Because the ratings are unordered categories, agreement was estimated with Cohen's kappa (Cohen, 1960) over the ${kap.n} units rated by both raters${data.units.length - kap.n ? ` (${count(data.units.length - kap.n, 'unit')} rated by one rater left out)` : ''}: κ = ${apa(out.cohen_kappa as number)}${c && c.lower !== null ? `, 95% CI [${apa(c.lower)}, ${apa(c.upper)}] (large-sample standard error, Fleiss, Cohen & Everitt, 1969)` : ''}.`;
      }
      const other = gwetAndBp(a, b, declared?.length);
      out.brennan_prediger = guardFigure(notes, 'brennan_prediger', 'Brennan–Prediger', other.bp, RANGES.coefficient);
      const conf = confusion(a, b, declared);
      out.confusion = { categories: conf.categories, matrix: conf.matrix };
      out.per_category_kappa = Object.fromEntries(
        Object.entries(conf.perCategoryKappa).map(([c, v]) => [
          c,
          checkValue('kappa', round(v), RANGES.coefficient).value,
        ]),
      );
      if (conf.categories.length === 2) {
        // Two categories: PABAK with the prevalence and bias indices (Byrt, Bishop & Carlin 1993).
        const [[x, y], [z, w]] = conf.matrix as [[number, number], [number, number]];
        const n = x + y + z + w;
        if (n > 0) {
          out.pabak = round((2 * (x + w)) / n - 1);
          out.prevalence_index = round((x - w) / n);
          out.bias_index = round((y - z) / n);
        }
      }
    } else if (data.raters.length > 2) {
      // Every pair's Cohen's kappa and Light's kappa (their mean), over the units all raters rated
      // (complete cases, as irr::kappam.light).
      const kappaOf = (rows: (Label | null)[][], i: number, j: number) =>
        cohenKappa(
          rows.map((r) => r[i] ?? null),
          rows.map((r) => r[j] ?? null),
        ).value;
      const light = (rows: (Label | null)[][]) => {
        const off: number[] = [];
        for (let i = 0; i < keep.length; i++)
          for (let j = i + 1; j < keep.length; j++) {
            const v = kappaOf(rows, i, j);
            if (v !== null) off.push(v);
          }
        return off.length ? off.reduce((s, v) => s + v, 0) / off.length : null;
      };
      const matrix = keep.map((_, i) =>
        keep.map((__, j) =>
          i === j ? 1 : checkValue('kappa', round(kappaOf(completeRows, i, j)), RANGES.coefficient).value,
        ),
      );
      out.pairwise_cohen_kappa = { raters: keep.map((j) => data.raters[j]), matrix, units: completeRows.length };
      out.light_kappa = guardFigure(
        notes,
        'light_kappa',
        "Light's kappa",
        light(completeRows) === null
          ? {
              value: null,
              note: "Light's kappa undefined: no pair of raters has a defined kappa over the units all rated",
            }
          : { value: light(completeRows) },
        RANGES.coefficient,
      );
      figures.light_kappa = {
        stat: (rows) => light(rows.filter((r) => keep.every((j) => r[j] !== null)).map((r) => keep.map((j) => r[j]!))),
        label: "Light's kappa",
      };
      out.light_kappa_units = completeRows.length;
    }
  } else {
    for (const key of ['fleiss_kappa', 'conger_kappa', 'gwet_ac1']) out[key] = null;
    if (twoRaters) for (const key of ['cohen_kappa', 'weighted_kappa_quadratic', 'brennan_prediger']) out[key] = null;
  }
  if (!headline && iccSentence) headline = iccSentence;
  else if (iccSentence) methods.push(iccSentence);

  // --- Intervals by resampling, when asked -----------------------------------------------------
  const intervalMethods: Record<string, string> = {};
  if (opts.bootstrap) {
    const resamples = opts.bootstrap;
    const units = clusterCheck(data.units.length, 'unit');
    if (units.note) notes.bootstrap = units.note;
    const unitMethod = `percentile bootstrap over units (units drawn with replacement; ${resamples} resamples, seed ${seed})`;
    const alphaCi: Record<string, unknown> = {};
    const alphaCiUnits: Record<string, unknown> = {};
    for (const m of METRICS.filter((x) => alpha[x] !== null)) {
      if (units.withhold) {
        alphaCi[m] = alphaCiUnits[m] = { lower: null, upper: null };
        continue;
      }
      const hk = alphaBootstrapHK(alphaTable(m), m, { resamples, seed });
      const hkChecked = checkInterval(`${m} alpha`, alpha[m], round(hk.lower), round(hk.upper), RANGES.coefficient, {
        truncate: false,
        resampled: true,
      });
      if (hkChecked.note) notes[`krippendorff_alpha_ci.${m}`] = hkChecked.note;
      alphaCi[m] = {
        lower: hkChecked.lower,
        upper: hkChecked.upper,
        pairs_drawn: hk.draws,
        probability_below: hk.probability_below,
      };
      const ub = bootstrapUnits(alphaTable(m), (sample) => krippendorffAlpha(sample, m).value, { resamples, seed });
      const ubChecked = checkInterval(`${m} alpha`, alpha[m], round(ub.lower), round(ub.upper), RANGES.coefficient, {
        truncate: false,
        resampled: true,
      });
      if (ubChecked.note) notes[`krippendorff_alpha_ci_units.${m}`] = ubChecked.note;
      alphaCiUnits[m] = { lower: ubChecked.lower, upper: ubChecked.upper, undefined_resamples: ub.undefinedResamples };
    }
    out.krippendorff_alpha_ci = alphaCi;
    out.krippendorff_alpha_ci_units = alphaCiUnits;
    intervalMethods.krippendorff_alpha_ci = `Hayes & Krippendorff's bootstrap (2007; pairs of values drawn from the coincidence matrix, as Hayes' KALPHA macro; ${resamples} resamples, seed ${seed})`;
    intervalMethods.krippendorff_alpha_ci_units = unitMethod;
    // AC1/AC2, Fleiss, Conger and Light: the same unit bootstrap.
    for (const [key, f] of Object.entries(figures)) {
      const value = out[key] as number | null;
      if (value === null || value === undefined || units.withhold) {
        out[`${key}_ci`] = null;
        continue;
      }
      const rows = key.startsWith('gwet_ac2') ? (numericTable as (Label | null)[][]) : data.table;
      const bs = bootstrapUnits(rows, f.stat, { resamples, seed });
      const checked = checkInterval(f.label, value, round(bs.lower), round(bs.upper), RANGES.coefficient, {
        truncate: false,
        resampled: true,
      });
      if (checked.note) notes[`${key}_ci`] = checked.note;
      out[`${key}_ci`] = {
        lower: checked.lower,
        upper: checked.upper,
        undefined_resamples: bs.undefinedResamples,
        method: unitMethod,
      };
      intervalMethods[`${key}_ci`] = unitMethod;
    }
    out.bootstrap = {
      resamples,
      seed,
      method:
        "krippendorff_alpha_ci: Hayes & Krippendorff's bootstrap (pairs of values drawn from the coincidence matrix, KALPHA's algorithm); krippendorff_alpha_ci_units and the other *_ci of Fleiss, Conger, Gwet and Light: percentile bootstrap over units (units drawn with replacement)",
    };
  }
  if (twoRaters && out.cohen_kappa_ci)
    intervalMethods.cohen_kappa_ci = (out.cohen_kappa_ci as { method: string }).method;
  if (iccCi)
    intervalMethods.icc_ci =
      "F-based (Shrout & Fleiss, 1979; ICC(A,·) with McGraw & Wong's Satterthwaite degrees of freedom)";
  out.interval_methods = intervalMethods;

  // --- The methods text -------------------------------------------------------------------------
  const ciText = (key: string) => {
    const ci = out[`${key}_ci`] as { lower: number | null; upper: number | null } | null | undefined;
    return ci && ci.lower !== null && ci.upper !== null
      ? `, 95% CI [${apa(ci.lower)}, ${apa(ci.upper)}] (percentile bootstrap over units, ${opts.bootstrap} resamples)`
      : '';
  };
  const levelSentence = `The ratings (${count(data.units.length, 'unit')}, ${count(data.raters.length, 'rater')}) were treated as ${level.level}${level.declared ? '' : ` (${level.why.replace(/^inferred: /, 'assumed from the data: ')})`}.`;
  const parts = [levelSentence];
  if (headline) parts.push(headline.replace('{fleiss_kappa_ci}', ciText('fleiss_kappa')));
  parts.push(...methods);
  const primaryMetric: AlphaMetric | undefined = (
    { nominal: 'nominal', ordinal: 'ordinal', interval: 'interval', ratio: 'ratio' } as const
  )[level.level];
  if (primaryMetric && alpha[primaryMetric] !== null) {
    const hk = (
      out.krippendorff_alpha_ci as Record<string, { lower: number | null; upper: number | null }> | undefined
    )?.[primaryMetric];
    parts.push(
      `Krippendorff's alpha (${primaryMetric} metric; Krippendorff, 2011), over all ${alphaResults.get(primaryMetric)!.pairable} pairable values (missing ratings allowed): α = ${apa(alpha[primaryMetric])}${hk && hk.lower !== null ? `, 95% CI [${apa(hk.lower)}, ${apa(hk.upper)}] (Hayes & Krippendorff's bootstrap, 2007; ${opts.bootstrap} resamples, seed ${seed})` : ''}.`,
    );
  }
  if (doCategories && typeof out.gwet_ac1 === 'number')
    parts.push(`Gwet's AC1 (Gwet, 2014), less sensitive to prevalence: ${apa(out.gwet_ac1)}${ciText('gwet_ac1')}.`);
  if (typeof out.light_kappa === 'number')
    parts.push(
      `Light's kappa (the mean of the pairs' Cohen's kappas over the ${out.light_kappa_units as number} units all raters rated): ${apa(out.light_kappa)}${ciText('light_kappa')}.`,
    );
  if (opts.bootstrap && notes.bootstrap) parts.push(notes.bootstrap);
  parts.push(`Computed with Alliance Review ${APP_VERSION}.`);
  out.methods = parts.join(' ');
  out.notes = notes;
  return out;
}
