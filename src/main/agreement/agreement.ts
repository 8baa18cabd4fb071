/**
 * Agreement reports as the CLI prints them: numbers (or null) under the names the issue gives,
 * and a `notes` object saying why any figure is null.
 */
import {
  ANY,
  byCode,
  pairAgreement,
  pairBlockBootstrap,
  presence,
  type Interval,
  type Span,
} from '../../shared/agreement/time';
import {
  cochranQ,
  cohenKappa,
  krippendorffAlpha,
  mcnemar,
  weightedKappaQuadratic,
  type AlphaMetric,
  type Stat,
} from '../../shared/agreement/stats';
import type { Rater, RatingState, Role } from '../../shared/annotations';
import { AppError } from '../../shared/errors';
import { reportsRupture } from '../../shared/instruments';
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
  type WeightBy,
} from '../../shared/agreement/inference';
import { apa, apaInterval, withInterval, type Bounds } from '../../shared/agreement/format';
import { APP_VERSION } from '../../shared/version';
import type { Core } from '../app';

/** What this needs of the core, by name. */
export type AgreementDeps = Pick<
  Core,
  'annotations' | 'library' | 'perspectiveRepos' | 'policy' | 'repos' | 'responses'
>;

const round = (x: number | null) => (x === null ? null : Math.round(x * 1e6) / 1e6);

function collect(notes: Record<string, string>, key: string, s: Stat): number | null {
  if (s.note && s.value === null) notes[key] = s.note;
  return round(s.value);
}

/**
 * Units and tolerance must fit: a tolerance is counted in whole units, so one that is not a
 * multiple of the unit would be rounded silently (400 ms with 1-s units acted as 0).
 */
export function checkUnits(opts: { unitMs: number; toleranceMs: number }): void {
  if (opts.toleranceMs % opts.unitMs !== 0)
    throw new AppError(
      'INVALID_INPUT',
      `--tolerance-ms must be 0 or a whole number of units (a multiple of --unit-ms ${opts.unitMs}); ${opts.toleranceMs} ms is not: use ${Math.floor(opts.toleranceMs / opts.unitMs) * opts.unitMs} or ${Math.ceil(opts.toleranceMs / opts.unitMs) * opts.unitMs}, or a smaller --unit-ms.`,
    );
}

export function ratingsReport(
  data: {
    units: string[];
    raters: string[];
    table: (number | string | null)[][];
    missing?: number;
  },
  opts: { bootstrap?: number; seed?: number; categories?: string[]; weightBy?: WeightBy } = {},
) {
  const weightBy = opts.weightBy ?? 'values';
  const notes: Record<string, string> = {};
  if (data.missing)
    notes.missing = `${data.missing} value${data.missing === 1 ? ' was' : 's were'} read as missing (empty, NA, N/A, ".", NaN or null).`;
  const numeric = data.table.every((row) => row.every((v) => v === null || typeof v === 'number'));
  // A rater with no ratings at all is left out of the ICC (which needs complete rows), not a
  // reason to give no ICC for the raters who did rate.
  const empty = data.raters.filter((_, j) => data.table.every((row) => row[j] === null));
  const keep = data.raters.map((_, j) => j).filter((j) => !empty.includes(data.raters[j]!));
  if (empty.length)
    notes.raters_without_ratings = `${empty.join(', ')} gave no rating and ${empty.length === 1 ? 'was' : 'were'} left out of the ICC.`;
  const rows = data.table.map((row) => keep.map((j) => row[j] ?? null));
  const complete = rows.filter((row) => row.every((v) => v !== null)) as number[][];
  const ICC_KEYS = ['ICC1_1', 'ICC2_1', 'ICC3_1', 'ICC1_k', 'ICC2_k', 'ICC3_k'] as const;
  let iccCi: Record<string, unknown> | null = null;
  const methods: string[] = [];
  const iccOut: Record<(typeof ICC_KEYS)[number], number | null> = Object.fromEntries(
    ICC_KEYS.map((k) => [k, null]),
  ) as Record<(typeof ICC_KEYS)[number], number | null>;
  if (!numeric) {
    // One note for the whole family, not one per figure.
    notes.icc = 'ICC needs numeric ratings; this file has text values (nominal alpha and kappa still apply).';
  } else {
    const { icc: iccResult, inference } = iccInference(complete);
    for (const k of ICC_KEYS) iccOut[k] = round(iccResult[k].value);
    if (iccResult.ICC2_1.value === null) notes.icc = iccResult.ICC2_1.note ?? iccResult.note;
    if (inference) {
      iccCi = Object.fromEntries(
        ICC_KEYS.map((k) => [
          k,
          {
            name: inference[k].name,
            lower: round(inference[k].lower),
            upper: round(inference[k].upper),
            F: round(inference[k].F),
            df1: round(inference[k].df1),
            df2: round(inference[k].df2),
            p: inference[k].p,
          },
        ]),
      );
      const i = inference.ICC2_1;
      methods.push(
        `Inter-rater reliability was estimated with the intraclass correlation ICC(2,1) (Shrout & Fleiss, 1979; ICC(A,1), two-way random effects, absolute agreement, single rater, McGraw & Wong, 1996) over ${complete.length} units rated by all ${keep.length} raters: ICC = ${apa(iccResult.ICC2_1.value)}, 95% CI [${apa(i.lower)}, ${apa(i.upper)}], F(${i.df1}, ${i.df2}) = ${i.F.toFixed(2)}, p ${i.p < 0.001 ? '< .001' : `= ${i.p.toFixed(3).replace(/^0/, '')}`}.`,
      );
    }
  }
  // Each metric computed once; its figure, and its pairable values and disagreements below.
  const alphaResults = new Map(
    (['nominal', 'ordinal', 'interval', 'ratio'] as AlphaMetric[])
      .filter((m) => numeric || m === 'nominal')
      .map((m) => [m, krippendorffAlpha(data.table, m)] as const),
  );
  const alpha = Object.fromEntries(
    (['nominal', 'ordinal', 'interval', 'ratio'] as AlphaMetric[]).map((m) => {
      const r = alphaResults.get(m);
      return [m, r ? collect(notes, `krippendorff_alpha.${m}`, r) : null];
    }),
  );
  if (!numeric)
    notes.krippendorff_alpha = 'Ordinal, interval and ratio alpha need numeric ratings; nominal alpha is given.';
  // Intervals for alpha, asked for (each costs a computation per resample), seeded so a run can be
  // repeated: Hayes & Krippendorff's bootstrap of pairs of values (their method), and beside it
  // the percentile bootstrap over units (recommended by Zapf et al. 2016).
  let alphaCi: Record<string, unknown> | null = null;
  let alphaCiUnits: Record<string, unknown> | null = null;
  if (opts.bootstrap) {
    const seed = opts.seed ?? 1;
    const metrics = (['nominal', 'ordinal', 'interval', 'ratio'] as AlphaMetric[]).filter((m) => alpha[m] !== null);
    alphaCi = Object.fromEntries(
      metrics.map((m) => {
        const b = alphaBootstrapHK(data.table, m, { resamples: opts.bootstrap!, seed });
        return [
          m,
          {
            lower: round(b.lower),
            upper: round(b.upper),
            pairs_drawn: b.draws,
            probability_below: b.probability_below,
          },
        ];
      }),
    );
    alphaCiUnits = Object.fromEntries(
      metrics.map((m) => {
        const b = bootstrapUnits(data.table, (sample) => krippendorffAlpha(sample, m).value, {
          resamples: opts.bootstrap!,
          seed,
        });
        return [m, { lower: round(b.lower), upper: round(b.upper), undefined_resamples: b.undefinedResamples }];
      }),
    );
    const a = alphaCi[numeric ? 'interval' : 'nominal'] as { lower: number | null; upper: number | null } | undefined;
    const metric = numeric ? 'interval' : 'nominal';
    if (a && alpha[metric] !== null)
      methods.push(
        `Krippendorff's alpha (${metric} metric; Krippendorff, 2004) over ${alphaResults.get(metric)!.pairable} pairable values: α = ${apa(alpha[metric])}, 95% CI [${apa(a.lower)}, ${apa(a.upper)}] (Hayes & Krippendorff's bootstrap, 2007; ${opts.bootstrap} resamples, seed ${seed}).`,
      );
  }
  const out: Record<string, unknown> = {
    n_units: data.units.length,
    n_raters: data.raters.length,
    raters: data.raters,
    icc: iccOut,
    icc_units_complete: complete.length,
    icc_raters: keep.map((j) => data.raters[j]),
    // F tests and 95 % intervals (psych::ICC's), with McGraw & Wong's names.
    icc_ci: iccCi,
    confidence: 0.95,
    icc_default: 'ICC2_1',
    krippendorff_alpha: alpha,
    krippendorff_alpha_detail: Object.fromEntries(
      (['nominal', 'ordinal', 'interval', 'ratio'] as AlphaMetric[])
        .filter((m) => alpha[m] !== null)
        .map((m) => {
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
    ),
    ...(alphaCi
      ? {
          krippendorff_alpha_ci: alphaCi,
          krippendorff_alpha_ci_units: alphaCiUnits,
          bootstrap: {
            resamples: opts.bootstrap,
            seed: opts.seed ?? 1,
            method:
              "krippendorff_alpha_ci: Hayes & Krippendorff's bootstrap (pairs of values drawn from the coincidence matrix, KALPHA's algorithm); krippendorff_alpha_ci_units: percentile bootstrap over units (units drawn with replacement)",
          },
        }
      : {}),
  };
  const fleiss = fleissKappa(data.table);
  out.fleiss_kappa = collect(notes, 'fleiss_kappa', fleiss);
  out.conger_kappa = collect(notes, 'conger_kappa', congerKappa(data.table));
  {
    // Gwet's AC1 for any number of raters (two raters: the same figure as before), and AC2 with
    // linear and quadratic weights for numeric ratings; missing ratings allowed.
    const declaredAll = opts.categories?.map((c) => (Number.isFinite(Number(c)) && numeric ? Number(c) : c));
    if (data.raters.length > 2) out.gwet_ac1 = collect(notes, 'gwet_ac1', gwetMulti(data.table, 'none', declaredAll));
    if (numeric) {
      out.gwet_ac2_linear = collect(notes, 'gwet_ac2_linear', gwetMulti(data.table, 'linear', declaredAll, weightBy));
      out.gwet_ac2_quadratic = collect(
        notes,
        'gwet_ac2_quadratic',
        gwetMulti(data.table, 'quadratic', declaredAll, weightBy),
      );
      // What the weights measure: distances between the scale values, or between their ranks.
      out.weights_by = weightBy;
    }
  }
  if (fleiss.value !== null)
    methods.push(
      `Fleiss' kappa (Fleiss, 1971) over the ${fleiss.units} units rated by all ${fleiss.raters} raters: κ = ${apa(fleiss.value)}.`,
    );
  if (data.raters.length === 2) {
    const a = data.table.map((r) => r[0] ?? null);
    const b = data.table.map((r) => r[1] ?? null);
    out.cohen_kappa = collect(notes, 'cohen_kappa', cohenKappa(a, b));
    const declared = opts.categories?.map((c) => (Number.isFinite(Number(c)) && numeric ? Number(c) : c));
    const ci = (r: ReturnType<typeof kappaInference>) =>
      r.value === null
        ? null
        : { se: round(r.se), lower: round(r.lower), upper: round(r.upper), z: round(r.z), p: r.p };
    out.cohen_kappa_ci = ci(kappaInference(a, b, 'none', declared));
    if (numeric) {
      const quadratic = kappaInference(a, b, 'quadratic', declared, weightBy);
      out.weighted_kappa_quadratic_ci = ci(quadratic);
      const linear = kappaInference(a, b, 'linear', declared, weightBy);
      out.weighted_kappa_linear = round(linear.value);
      out.weighted_kappa_linear_ci = ci(linear);
    }
    const other = gwetAndBp(a, b, declared?.length);
    out.gwet_ac1 = collect(notes, 'gwet_ac1', other.ac1);
    out.brennan_prediger = collect(notes, 'brennan_prediger', other.bp);
    const conf = confusion(a, b, declared);
    out.confusion = { categories: conf.categories, matrix: conf.matrix };
    out.per_category_kappa = Object.fromEntries(Object.entries(conf.perCategoryKappa).map(([c, v]) => [c, round(v)]));
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
    // By ranks, the quadratic figure comes from the same weights as its interval.
    out.weighted_kappa_quadratic = numeric
      ? collect(
          notes,
          'weighted_kappa_quadratic',
          weightBy === 'order'
            ? kappaInference(a, b, 'quadratic', declared, 'order')
            : weightedKappaQuadratic(a as (number | null)[], b as (number | null)[]),
        )
      : null;
    if (!numeric) notes.weighted_kappa_quadratic = 'weighted kappa needs numeric (ordered) ratings.';
  } else if (data.raters.length < 2) {
    notes.raters = 'Agreement needs at least two raters.';
  } else {
    // More than two raters: every pair's Cohen's kappa, and Light's kappa (their mean).
    const matrix = data.raters.map((_, i) =>
      data.raters.map((__, j) =>
        i === j
          ? 1
          : round(
              cohenKappa(
                data.table.map((r) => r[i] ?? null),
                data.table.map((r) => r[j] ?? null),
              ).value,
            ),
      ),
    );
    const off = matrix.flatMap((row, i) => row.filter((_, j) => j > i)).filter((v): v is number => v !== null);
    out.pairwise_cohen_kappa = { raters: data.raters, matrix };
    out.light_kappa = off.length ? round(off.reduce((a, b) => a + b, 0) / off.length) : null;
    if (!off.length) notes.light_kappa = "Light's kappa undefined: no pair of raters has a defined kappa";
  }
  methods.push(`Computed with Alliance Review ${APP_VERSION}.`);
  out.methods = methods.join(' ');
  out.notes = notes;
  return out;
}

export function segmentsReport(
  spans: { rater: string; code: string; startMs: number; endMs: number }[],
  opts: {
    unitMs: number;
    toleranceMs: number;
    windowMs: number;
    durationMs?: number;
    raters?: string[];
    /** Add time-unit kappa ("any") at 0.5, 1, 2 and 5-s units. */
    sensitivity?: boolean;
    /** With three raters or more, add `multi_rater` (left out of a study's per-session work). */
    summary?: boolean;
    /** Resamples of a block bootstrap over time for each pair's intervals (0: none). */
    bootstrap?: number;
    seed?: number;
    /** The bootstrap's block length (unless given: 60 s, shorter for a session under 10 minutes). */
    blockMs?: number;
  },
) {
  checkUnits(opts);
  const seed = opts.seed ?? 1;
  const raters = [...new Set([...(opts.raters ?? []), ...spans.map((s) => s.rater)])];
  const by = new Map<string, Span[]>(raters.map((r) => [r, []]));
  // The same rater's identical rows (code, start, end) are one mark: counted once, and said.
  // (Sorted, then compared with the neighbour: this runs for every session of a study.)
  const duplicates: { rater: string; code: string; start_s: number; end_s: number; rows: number }[] = [];
  const raw = new Map<string, Span[]>(raters.map((r) => [r, []]));
  for (const s of spans) raw.get(s.rater)!.push({ code: s.code, startMs: s.startMs, endMs: s.endMs });
  for (const [rater, list] of raw) {
    list.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const kept = by.get(rater)!;
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      const prev = kept[kept.length - 1];
      if (prev && prev.startMs === s.startMs && prev.endMs === s.endMs && prev.code === s.code) {
        const last = duplicates[duplicates.length - 1];
        if (
          last &&
          last.rater === rater &&
          last.code === s.code &&
          last.start_s === s.startMs / 1000 &&
          last.end_s === s.endMs / 1000
        )
          last.rows++;
        else duplicates.push({ rater, code: s.code, start_s: s.startMs / 1000, end_s: s.endMs / 1000, rows: 2 });
      } else kept.push(s);
    }
  }
  const durationMs = opts.durationMs ?? spans.reduce((m, s) => Math.max(m, s.endMs), 0);
  // Blocks of a minute; a shorter session is cut into ten (whole units), so it still has an interval.
  const blockMs =
    opts.blockMs ?? Math.min(60_000, Math.max(opts.unitMs, Math.floor(durationMs / 10 / opts.unitMs) * opts.unitMs));
  const codes = [...new Set(spans.map((s) => s.code))].sort(byCode.compare);
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
      const ci = opts.bootstrap
        ? pairBlockBootstrap(by.get(raters[i]!)!, by.get(raters[j]!)!, {
            ...opts,
            durationMs,
            blockMs,
            resamples: opts.bootstrap,
            seed,
          })
        : null;
      const roundCi = (x: Interval) => ({
        lower: round(x.lower),
        upper: round(x.upper),
        undefined_resamples: x.undefined_resamples,
      });
      pairs.push({
        raters: p.raters,
        ...(ci
          ? {
              ci: {
                time_unit_kappa_any: roundCi(ci.time_unit_kappa_any),
                event_agreement_any: roundCi(ci.event_agreement_any),
                pabak: roundCi(ci.pabak),
              },
            }
          : {}),
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
  // Three raters or more: the pairs summarised (means of the defined pairwise figures), and
  // Fleiss' kappa over the time units (each unit: which raters marked it), any code and per code.
  let multiRater: Record<string, unknown> | null = null;
  if (opts.summary && raters.length >= 3) {
    const mean = (values: (number | null | undefined)[]) => {
      const ok = values.filter((v): v is number => typeof v === 'number');
      return ok.length ? round(ok.reduce((a, b) => a + b, 0) / ok.length) : null;
    };
    const units = Math.ceil(durationMs / opts.unitMs);
    const fleissFor = (code: string) => {
      const marks = raters.map((r) => presence(by.get(r)!, code, opts.unitMs, units));
      const table = Array.from({ length: units }, (_, u) => marks.map((m) => m[u]!));
      return round(fleissKappa(table).value);
    };
    multiRater = {
      raters: raters.length,
      pairs: pairs.length,
      mean_pairwise: {
        time_unit_kappa_any: mean(pairs.map((p) => p.time_unit_kappa.any)),
        event_agreement_any: mean(pairs.map((p) => p.event_agreement.any)),
        pabak: mean(pairs.map((p) => p.pabak)),
      },
      fleiss_kappa_units: Object.fromEntries([ANY, ...codes].map((c) => [c, fleissFor(c)])),
      definition: `Fleiss' kappa over ${units} time units of ${opts.unitMs} ms (a unit is marked by a rater when a segment covers its midpoint; no tolerance); means over the ${pairs.length} pairs of the figures each pair has`,
    };
  }
  return {
    n_raters: raters.length,
    raters,
    unit_ms: opts.unitMs,
    tolerance_ms: opts.toleranceMs,
    window_ms: opts.windowMs,
    duration_ms: durationMs,
    pairs,
    ...(opts.bootstrap
      ? {
          bootstrap: {
            resamples: opts.bootstrap,
            seed,
            block_ms: blockMs,
            blocks: Math.ceil(Math.ceil(durationMs / opts.unitMs) / Math.max(1, Math.round(blockMs / opts.unitMs))),
            method: `percentile block bootstrap over time: the session cut into non-overlapping blocks of ${blockMs / 1000} s, drawn with replacement (units within a block are autocorrelated)`,
          },
        }
      : {}),
    methods: segmentsMethods(pairs, { ...opts, durationMs, blockMs, seed }),
    ...(multiRater ? { multi_rater: multiRater } : {}),
    // How much time-unit kappa ("any") depends on the unit length chosen (for a single file's
    // report; a study does not need it per session).
    ...(opts.sensitivity
      ? {
          unit_sensitivity: [500, 1000, 2000, 5000].map((unitMs) => ({
            unit_ms: unitMs,
            pairs: raters
              .flatMap((x, i) => raters.slice(i + 1).map((y) => [x, y] as [string, string]))
              .map(([x, y]) => {
                const r = pairAgreement([x, y], by.get(x)!, by.get(y)!, {
                  unitMs,
                  toleranceMs: 0,
                  windowMs: opts.windowMs,
                  durationMs,
                  codes: [],
                });
                return { raters: [x, y], time_unit_kappa_any: round(r.time_unit_kappa.any?.value ?? null) };
              }),
          })),
        }
      : {}),
    // "any": a mark of any code; two events agree when their onsets are within the window,
    // whatever their codes (a segment with several codes is one event). Per code: codes equal.
    any_definition: 'any code: events agree when their onsets are within window_ms, whatever their codes',
    ...(duplicates.length ? { duplicates } : {}),
    ...(raters.length < 2 || duplicates.length
      ? {
          notes: {
            ...(raters.length < 2 ? { raters: 'Agreement needs at least two raters.' } : {}),
            ...(duplicates.length
              ? {
                  duplicates: `${duplicates.length} mark${duplicates.length === 1 ? ' was' : 's were'} written more than once by the same rater (same code, start and end); each counts once.`,
                }
              : {}),
          },
        }
      : {}),
  };
}

/**
 * A paragraph for a methods section: the statistics, the unit, the window, each pair's figures
 * (with their intervals when bootstrapped), and the software version.
 */
function segmentsMethods(
  pairs: {
    raters: string[];
    time_unit_kappa: Record<string, number | null>;
    event_agreement: Record<string, number | null>;
    ci?: Record<string, Bounds>;
  }[],
  opts: {
    unitMs: number;
    toleranceMs: number;
    windowMs: number;
    durationMs: number;
    blockMs: number;
    seed: number;
    bootstrap?: number;
  },
): string {
  const units = Math.ceil(opts.durationMs / opts.unitMs);
  const s = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;
  const parts = [
    `Agreement on rupture markers was assessed pair by pair as time-unit kappa (Cohen's κ over ${units} units of ${s(opts.unitMs)}; a unit counts as marked when a segment covers its midpoint${opts.toleranceMs ? `, with a tolerance of ${s(opts.toleranceMs)}` : ''}; Bakeman, Quera & Gnisci, 2009) and as event agreement (markers matched one to one when their onsets lie within ${s(opts.windowMs)}; 2M / (N₁ + N₂)), for markers of any code.`,
  ];
  if (pairs.length) {
    parts.push(
      pairs
        .map(
          (p) =>
            `${p.raters.join(' and ')}: ${withInterval('κ', p.time_unit_kappa.any, p.ci?.time_unit_kappa_any)}, event agreement ${apaInterval(p.event_agreement.any, p.ci?.event_agreement_any)}.`,
        )
        .join(' '),
    );
  }
  if (opts.bootstrap)
    parts.push(
      `Intervals are 95% percentile intervals from a block bootstrap over time (non-overlapping blocks of ${s(opts.blockMs)} drawn with replacement, ${opts.bootstrap} resamples, seed ${opts.seed}), since units within a session are autocorrelated.`,
    );
  parts.push(`Computed with Alliance Review ${APP_VERSION}.`);
  return parts.join(' ');
}

/** Agreement of every pair of submitted raters of a session, on their rupture segments. */
export function sessionAgreement(
  core: AgreementDeps,
  sessionId: number,
  opts: { unitMs: number; toleranceMs: number; windowMs: number; bootstrap?: number; seed?: number; blockMs?: number },
  /** Blind rating: only these raters' work may be compared (null: everyone's). */
  visible: Set<number> | null = null,
  /** Data already read for a whole study (saves a query per session). */
  preloaded?: {
    ruptures: ReturnType<Core['annotations']['ruptureSpans']>['ruptures'];
    ratings: RatingState[];
    raters: Rater[];
    durationMs: number;
  },
) {
  checkUnits(opts);
  const { annotations } = core;
  const { ruptures, ratings } = preloaded ?? annotations.ruptureSpans(sessionId);
  const allRaters = preloaded?.raters ?? annotations.raters();
  const consensus = allRaters.find((r) => r.consensus);
  const submitted = new Set(
    ratings
      .filter((r) => r.status === 'submitted' && (visible === null || visible.has(r.raterId)))
      .map((r) => r.raterId),
  );
  const names = new Map(allRaters.map((r) => [r.id, r.name]));
  const spans = ruptures
    .filter((s) => submitted.has(s.raterId) && s.raterId !== consensus?.id)
    .flatMap((s) =>
      (s.codes.length ? s.codes : [s.ruptureType ?? 'rupture']).map((code) => ({
        rater: names.get(s.raterId)!,
        code,
        startMs: s.startMs,
        endMs: s.endMs,
      })),
    );
  // Submitted raters without any rupture still count: they agree on absence.
  const raters = [...submitted].filter((id) => id !== consensus?.id).map((id) => names.get(id)!);
  const report = segmentsReport(spans, {
    ...opts,
    durationMs: preloaded?.durationMs ?? annotations.sessionDurationMs(sessionId),
    raters,
    // One session asked for on its own (not a study's pass over every session): the summary too.
    summary: !preloaded,
  });
  return { session_id: sessionId, submitted_raters: raters, ...report };
}

type Perspective = Role;
const PERSPECTIVES: Perspective[] = ['patient', 'therapist', 'observer', 'supervisor', 'trainee'];

/**
 * Per session and perspective: did that perspective report a rupture? Observers, supervisors
 * and trainees by their submitted ratings (any rupture segment); patients and therapists by the
 * post-session report's tension item, else by a submitted rating. Null when the perspective has
 * no data for the session.
 */
export function perspectivePresence(
  core: AgreementDeps,
  sessionId: number,
  /** Blind rating: only these raters' work counts (null: everyone's). */
  visible: Set<number> | null = null,
  /** Only these raters' questionnaires count (null: everyone's). */
  responders: Set<number> | null = null,
): Record<Perspective, boolean | null> {
  const { annotations, responses } = core;
  const list = annotations.list(sessionId);
  const roles = new Map(annotations.raters().map((r) => [r.id, r.role]));
  const out = Object.fromEntries(PERSPECTIVES.map((p) => [p, null])) as Record<Perspective, boolean | null>;
  const consensus = annotations.raters().find((r) => r.consensus)?.id;
  for (const r of list.ratings) {
    if (r.status !== 'submitted' || r.raterId === consensus || (visible && !visible.has(r.raterId))) continue;
    const role = roles.get(r.raterId)!;
    const has = list.segments.some((s) => s.raterId === r.raterId && s.kind === 'rupture');
    out[role] = (out[role] ?? false) || has;
  }
  for (const resp of responses.forSession(sessionId)) {
    if (responders && !responders.has(resp.raterId)) continue;
    const said = reportsRupture(resp.answers);
    if (said !== null) out[resp.perspective] = out[resp.perspective] === true || said;
  }
  return out;
}

/**
 * What a viewer may see of each session (blind rating): whose ratings and whose questionnaires;
 * null: everything.
 */
export type VisibleFor = (sessionId: number) => { raters: Set<number> | null; responders: Set<number> | null };
const ALL: VisibleFor = () => ({ raters: null, responders: null });

export function perspectivesReport(core: AgreementDeps, caseCode?: string, visibleFor: VisibleFor = ALL) {
  const cases = core.library.listCases().filter((c) => !caseCode || c.code.toLowerCase() === caseCode.toLowerCase());
  if (caseCode && cases.length === 0) throw new AppError('NOT_FOUND', `There is no case ${caseCode}.`);
  const sessions = cases.flatMap((c) => c.sessions.map((s) => ({ id: s.id, case: c.code, number: s.number })));
  const rows = sessions.map((s) => ({
    ...s,
    presence: perspectivePresence(core, s.id, visibleFor(s.id).raters, visibleFor(s.id).responders),
  }));
  const rates = Object.fromEntries(
    PERSPECTIVES.map((p) => {
      const withData = rows.filter((r) => r.presence[p] !== null);
      const yes = withData.filter((r) => r.presence[p]).length;
      return [
        p,
        {
          sessions_with_data: withData.length,
          sessions_with_rupture: yes,
          rate: withData.length ? yes / withData.length : null,
        },
      ];
    }),
  );
  const mcnemars = [];
  for (let i = 0; i < PERSPECTIVES.length; i++) {
    for (let j = i + 1; j < PERSPECTIVES.length; j++) {
      const [a, b] = [PERSPECTIVES[i]!, PERSPECTIVES[j]!];
      const both = rows.filter((r) => r.presence[a] !== null && r.presence[b] !== null);
      if (both.length === 0) continue;
      const t = mcnemar(
        both.map((r) => r.presence[a]!),
        both.map((r) => r.presence[b]!),
      );
      mcnemars.push({
        perspectives: [a, b],
        sessions: both.length,
        a_only: t.b,
        b_only: t.c,
        statistic: t.statistic,
        p: t.p,
        exact: t.exact,
        ...(t.note ? { note: t.note } : {}),
      });
    }
  }
  const three: Perspective[] = ['patient', 'therapist', 'observer'];
  const complete = rows.filter((r) => three.every((p) => r.presence[p] !== null));
  const q = cochranQ(complete.map((r) => three.map((p) => r.presence[p]!)));
  return {
    case: caseCode ?? null,
    sessions: rows.length,
    perspectives: rates,
    per_session: rows.map((r) => ({ session_id: r.id, case: r.case, number: r.number, ...r.presence })),
    mcnemar: mcnemars,
    cochran_q: {
      perspectives: three,
      sessions: complete.length,
      statistic: q.statistic,
      df: q.df,
      p: q.p,
      ...(q.note ? { note: q.note } : {}),
    },
  };
}

/**
 * A case over time, per session and perspective: ruptures marked (mean over that perspective's
 * submitted raters; self-reports count a reported tension as one), resolution (share of ruptures
 * repaired; self-reports: how well resolved, 1–5, scaled to 0–1) and alliance (WAI-SR mean).
 */
export function caseTimeline(core: AgreementDeps, caseId: number, visibleFor: VisibleFor = ALL) {
  const c = core.library.listCases().find((x) => x.id === caseId);
  if (!c) throw new AppError('NOT_FOUND', 'That case no longer exists.');
  const roles = new Map(core.annotations.raters().map((r) => [r.id, r.role]));
  const consensus = core.annotations.raters().find((r) => r.consensus)?.id;
  const sessions = c.sessions.map((s) => {
    const list = core.annotations.list(s.id);
    const { raters: visible, responders } = visibleFor(s.id);
    const submitted = list.ratings.filter(
      (r) => r.status === 'submitted' && r.raterId !== consensus && (!visible || visible.has(r.raterId)),
    );
    const ruptures: Partial<Record<Role, number>> = {};
    const resolution: Partial<Record<Role, number | null>> = {};
    const alliance: Partial<Record<Role, number>> = {};
    for (const role of PERSPECTIVES) {
      const raters = submitted.filter((r) => roles.get(r.raterId) === role).map((r) => r.raterId);
      if (raters.length === 0) continue;
      const theirs = list.segments.filter((x) => raters.includes(x.raterId));
      const rups = theirs.filter((x) => x.kind === 'rupture');
      ruptures[role] = rups.length / raters.length;
      const statuses = list.ruptureStatus.filter((st) => rups.some((r) => r.id === st.ruptureId));
      resolution[role] = statuses.length
        ? statuses.reduce((a, st) => a + (st.status === 'repaired' ? 1 : st.status === 'partly' ? 0.5 : 0), 0) /
          statuses.length
        : null;
    }
    for (const resp of core.responses.forSession(s.id)) {
      if (responders && !responders.has(resp.raterId)) continue;
      if (resp.instrument.startsWith('psr-')) {
        if (typeof resp.answers.tension === 'boolean') ruptures[resp.perspective] = resp.answers.tension ? 1 : 0;
        if (typeof resp.answers.resolved === 'number') resolution[resp.perspective] = (resp.answers.resolved - 1) / 4;
      }
      if (resp.instrument === 'wai-sr' && resp.scores.total !== null) alliance[resp.perspective] = resp.scores.total;
    }
    return { session_id: s.id, number: s.number, date: s.date, ruptures, resolution, alliance };
  });
  return { case: c.code, sessions };
}

/**
 * Calibration: a rater against a reference rater (a supervisor's or an expert's coding of a
 * training session). Per-code agreement, and which of the reference's ruptures the rater missed
 * and which ruptures the rater added (onsets matched within the window).
 */
export function calibration(
  core: AgreementDeps,
  sessionId: number,
  raterId: number,
  referenceId: number,
  opts = { unitMs: 1000, toleranceMs: 0, windowMs: 3000 },
) {
  const { annotations } = core;
  if (raterId === referenceId)
    throw new AppError('INVALID_INPUT', 'Choose a reference rater other than the rater being calibrated.');
  const raters = annotations.raters();
  const rater = raters.find((r) => r.id === raterId);
  const reference = raters.find((r) => r.id === referenceId);
  if (!rater || !reference) throw new AppError('NOT_FOUND', 'That rater no longer exists.');
  const all = annotations.list(sessionId).segments.filter((s) => s.kind === 'rupture');
  const mine = all.filter((s) => s.raterId === raterId);
  const ref = all.filter((s) => s.raterId === referenceId);
  const spans = [...mine, ...ref].flatMap((s) =>
    (s.codes.length ? s.codes : [s.ruptureType ?? 'rupture']).map((code) => ({
      rater: s.raterId === raterId ? rater.name : reference.name,
      code,
      startMs: s.startMs,
      endMs: s.endMs,
    })),
  );
  const report = segmentsReport(spans, {
    ...opts,
    durationMs: annotations.sessionDurationMs(sessionId),
    raters: [rater.name, reference.name],
  });
  // Missed / added: one-to-one onset matching of whole ruptures, regardless of code.
  const used = new Set<number>();
  const matchedMine = new Set<number>();
  for (const r of [...ref].sort((a, b) => a.startMs - b.startMs)) {
    const hit = mine
      .filter((m) => !matchedMine.has(m.id) && Math.abs(m.startMs - r.startMs) <= opts.windowMs)
      .sort((a, b) => Math.abs(a.startMs - r.startMs) - Math.abs(b.startMs - r.startMs))[0];
    if (hit) {
      matchedMine.add(hit.id);
      used.add(r.id);
    }
  }
  const brief = (s: (typeof all)[number]) => ({ id: s.id, startMs: s.startMs, endMs: s.endMs, codes: s.codes });
  return {
    rater: rater.name,
    reference: reference.name,
    pair: report.pairs[0] ?? null,
    missed: ref.filter((r) => !used.has(r.id)).map(brief),
    added: mine.filter((m) => !matchedMine.has(m.id)).map(brief),
  };
}

/** Who rates which sessions, with due dates. */
export function assignments(core: AgreementDeps, sessionId: number) {
  return core.perspectiveRepos.assignments.forSession(sessionId);
}

export function assign(core: AgreementDeps, sessionId: number, raterId: number, dueDate: string | null) {
  core.library.getSession(sessionId);
  core.policy.assertCanActAs(raterId);
  core.perspectiveRepos.assignments.set(sessionId, raterId, dueDate);
  return assignments(core, sessionId);
}

export function unassign(core: AgreementDeps, sessionId: number, raterId: number) {
  core.library.getSession(sessionId);
  core.perspectiveRepos.assignments.remove(sessionId, raterId);
  return assignments(core, sessionId);
}

/** Agreement over a study: every session's submitted ratings, pair by pair, and the means. */
export function studyAgreement(
  core: AgreementDeps,
  caseCode: string | undefined,
  opts: { unitMs: number; toleranceMs: number; windowMs: number; bootstrap?: number; seed?: number },
  /** Blind rating: whose submitted work may be compared in a session (null: everyone's). */
  visibleFor: (sessionId: number, ratings: RatingState[]) => Set<number> | null = () => null,
) {
  checkUnits(opts);
  const cases = core.repos.cases.list().filter((c) => !caseCode || c.code.toLowerCase() === caseCode.toLowerCase());
  if (caseCode && cases.length === 0) throw new AppError('NOT_FOUND', `There is no case ${caseCode}.`);
  // Read everything once: a study is hundreds of sessions.
  const all = core.annotations.allRuptureSpans();
  const raters = core.annotations.raters();
  const durations = new Map<number, number>();
  for (const r of core.repos.recordings.listAll()) {
    durations.set(r.sessionId, Math.max(durations.get(r.sessionId) ?? 0, r.durationMs + r.offsetMs));
  }
  const sessionsOf = (caseId: number) => core.repos.sessions.listByCase(caseId);
  const perSession = cases.flatMap((c) =>
    sessionsOf(c.id).map((s) => {
      const ratings = all.ratings.get(s.id) ?? [];
      const r = sessionAgreement(
        core,
        s.id,
        { unitMs: opts.unitMs, toleranceMs: opts.toleranceMs, windowMs: opts.windowMs },
        visibleFor(s.id, ratings),
        {
          ruptures: all.ruptures.get(s.id) ?? [],
          ratings,
          raters,
          durationMs: durations.get(s.id) ?? 0,
        },
      );
      return {
        session_id: s.id,
        case: c.code,
        number: s.number,
        pairs: r.pairs.map((p) => ({
          raters: p.raters,
          time_unit_kappa_any: p.time_unit_kappa.any ?? null,
          event_agreement_any: p.event_agreement.any ?? null,
          pabak: p.pabak,
        })),
      };
    }),
  );
  const pairs = perSession.flatMap((s) => s.pairs);
  const mean = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  const figures = ['time_unit_kappa_any', 'event_agreement_any', 'pabak'] as const;
  // Units within a session are autocorrelated: the interval resamples whole sessions (a block
  // bootstrap), seeded so a run can be repeated.
  let ci: Record<string, { lower: number | null; upper: number | null }> | null = null;
  if (opts.bootstrap) {
    ci = Object.fromEntries(
      figures.map((f) => {
        const b = bootstrapUnits(perSession, (sample) => mean(sample.flatMap((sess) => sess.pairs.map((p) => p[f]))), {
          resamples: opts.bootstrap!,
          seed: opts.seed ?? 1,
        });
        return [f, { lower: round(b.lower), upper: round(b.upper) }];
      }),
    );
  }
  const means = {
    time_unit_kappa_any: mean(pairs.map((p) => p.time_unit_kappa_any)),
    event_agreement_any: mean(pairs.map((p) => p.event_agreement_any)),
    pabak: mean(pairs.map((p) => p.pabak)),
  };
  const rated = perSession.filter((x) => x.pairs.length > 0).length;
  const sec = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;
  const methods = [
    `Agreement on rupture markers was assessed for every pair of raters who submitted a rating of a session (${rated} session${rated === 1 ? '' : 's'}${caseCode ? ` of case ${caseCode}` : ''}, ${pairs.length} rater pair${pairs.length === 1 ? '' : 's'}) as time-unit kappa (Cohen's κ over units of ${sec(opts.unitMs)}; a unit counts as marked when a segment covers its midpoint${opts.toleranceMs ? `, with a tolerance of ${sec(opts.toleranceMs)}` : ''}; Bakeman, Quera & Gnisci, 2009), as event agreement (markers matched one to one when their onsets lie within ${sec(opts.windowMs)}; 2M / (N₁ + N₂)) and as PABAK, for markers of any code, and averaged over the pairs.`,
    `Mean ${withInterval('κ', means.time_unit_kappa_any, ci?.time_unit_kappa_any)}; mean event agreement ${apaInterval(means.event_agreement_any, ci?.event_agreement_any)}; mean PABAK ${apaInterval(means.pabak, ci?.pabak)}.`,
    ...(ci
      ? [
          `Intervals are 95% percentile intervals from a bootstrap over sessions (whole sessions drawn with replacement, ${opts.bootstrap} resamples, seed ${opts.seed ?? 1}), since units within a session are autocorrelated.`,
        ]
      : []),
    `Computed with Alliance Review ${APP_VERSION}.`,
  ].join(' ');
  return {
    case: caseCode ?? null,
    sessions: perSession.length,
    sessions_with_pairs: rated,
    pairs: pairs.length,
    unit_ms: opts.unitMs,
    tolerance_ms: opts.toleranceMs,
    window_ms: opts.windowMs,
    mean: means,
    ...(ci
      ? {
          mean_ci: ci,
          bootstrap: {
            resamples: opts.bootstrap ?? 0,
            seed: opts.seed ?? 1,
            method: 'percentile block bootstrap over sessions (sessions drawn with replacement)',
          },
        }
      : {}),
    methods,
    per_session: perSession,
  };
}
