/**
 * Agreement on coded segments: a file's raters (`agreement segments`), a session's submitted
 * ratings and a study's, for ruptures, repairs or both (the kind), with agreement on whether the
 * ruptures both raters marked were repaired. Every figure and interval passes the guard
 * (`shared/agreement/guard.ts`); an interval from too few blocks or sessions is withheld, said.
 */
import {
  ANY,
  byCode,
  pairAgreement,
  pairBlockBootstrap,
  presence,
  resolutionAgreement,
  resolutionPairs,
  RESOLUTIONS,
  type Interval,
  type Resolution,
  type Span,
} from '../../shared/agreement/time';
import type { Stat } from '../../shared/agreement/stats';
import type { Rater, RatingState } from '../../shared/annotations';
import { AppError } from '../../shared/errors';
import { ruptureStatuses } from '../../shared/annotation-logic';
import { bootstrapUnits, fleissKappa } from '../../shared/agreement/inference';
import {
  checkInterval,
  checkValue,
  clusterCheck,
  RANGES,
  reportFigure,
  round6,
  type Range,
} from '../../shared/agreement/guard';
import { apa, apaInterval, withInterval, type Bounds } from '../../shared/agreement/format';
import { APP_VERSION } from '../../shared/version';
import type { CodedSpan } from '../coding/repositories';
import type { AgreementDeps } from './deps';

/** Which segments are compared: ruptures (the default), repairs, or both. */
export const KINDS = ['rupture', 'repair', 'all'] as const;
export type Kind = (typeof KINDS)[number];
const KIND_WORDS: Record<Kind, string> = { rupture: 'rupture', repair: 'repair', all: 'rupture and repair' };

const round = round6;

/** A key as words: `time_unit_kappa.any` is "time-unit kappa (any)". */
export function figureLabel(key: string): string {
  return key
    .replace(/^ci\./, '')
    .replace(/^mean_ci\./, 'mean ')
    .replace(/_any$/, '.any')
    .replace(/\.(\w+)$/, ' ($1)')
    .replace('time_unit_kappa', 'time-unit kappa')
    .replace(/pabak/, 'PABAK')
    .replace(/_/g, ' ');
}

/** A figure rounded and in its range, or null; the reason to `notes[key]` (labelled from its key). */
const collect = (notes: Record<string, string>, key: string, s: Stat, range: Range = RANGES.coefficient) =>
  reportFigure(notes, key, figureLabel(key), s, range);

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

/**
 * The length a file's marks imply: the last end, and far enough to hold a point event's unit (a
 * last mark that is a point at 4 s needs the unit 4–5 s).
 */
export function impliedDurationMs(spans: { startMs: number; endMs: number }[], unitMs: number): number {
  let out = 0;
  for (const s of spans) {
    out = Math.max(out, s.endMs);
    if (s.endMs <= s.startMs) out = Math.max(out, (Math.floor(s.startMs / unitMs) + 1) * unitMs);
  }
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
    /** Which segments these are (for the methods text). */
    kind?: Kind;
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
  const durationMs = opts.durationMs ?? impliedDurationMs(spans, opts.unitMs);
  // Blocks of a minute; a shorter session is cut into ten (whole units), so it still has an interval.
  const blockMs =
    opts.blockMs ?? Math.min(60_000, Math.max(opts.unitMs, Math.floor(durationMs / 10 / opts.unitMs) * opts.unitMs));
  const codes = [...new Set(spans.map((s) => s.code))].sort(byCode.compare);
  const blockCount = Math.ceil(Math.ceil(durationMs / opts.unitMs) / Math.max(1, Math.round(blockMs / opts.unitMs)));
  const blocksCheck = clusterCheck(blockCount, 'block');
  const units = Math.max(0, Math.ceil(durationMs / opts.unitMs));
  // The share of the session's time each rater marked (any code, and per code): kappa depends
  // on it (prevalence), so a methods section reports it.
  const prevalence = Object.fromEntries(
    raters.map((r) => [
      r,
      Object.fromEntries(
        [ANY, ...codes].map((c) => [
          c,
          units ? round(presence(by.get(r)!, c, opts.unitMs, units).reduce((s, v) => s + v, 0) / units) : null,
        ]),
      ),
    ]),
  );
  const pairs = [];
  for (let i = 0; i < raters.length; i++) {
    for (let j = i + 1; j < raters.length; j++) {
      const p = pairAgreement([raters[i]!, raters[j]!], by.get(raters[i]!)!, by.get(raters[j]!)!, {
        ...opts,
        durationMs,
        codes,
      });
      const notes: Record<string, string> = {};
      const flat = (rec: Record<string, Stat>, key: string, range: Range) =>
        Object.fromEntries(Object.entries(rec).map(([code, s]) => [code, collect(notes, `${key}.${code}`, s, range)]));
      const ci = opts.bootstrap
        ? pairBlockBootstrap(by.get(raters[i]!)!, by.get(raters[j]!)!, {
            ...opts,
            durationMs,
            blockMs,
            resamples: opts.bootstrap,
            seed,
          })
        : null;
      // Each interval in its figure's range and around its estimate, or withheld with the reason.
      const roundCi = (x: Interval, key: string, value: number | null, range: Range) => {
        if (blocksCheck.withhold) return { lower: null, upper: null, undefined_resamples: x.undefined_resamples };
        const checked = checkInterval(figureLabel(key), value, round(x.lower), round(x.upper), range, {
          truncate: false,
          resampled: true,
        });
        if (checked.note) notes[`ci.${key}`] = checked.note;
        return { lower: checked.lower, upper: checked.upper, undefined_resamples: x.undefined_resamples };
      };
      const tukAny = collect(notes, 'time_unit_kappa.any', p.time_unit_kappa[ANY] ?? { value: null });
      const evAny = collect(notes, 'event_agreement.any', p.event_agreement[ANY] ?? { value: null }, RANGES.share);
      const pabakValue = collect(notes, 'pabak', p.pabak);
      pairs.push({
        raters: p.raters,
        ...(ci
          ? {
              ci: {
                time_unit_kappa_any: roundCi(ci.time_unit_kappa_any, 'time_unit_kappa_any', tukAny, RANGES.coefficient),
                event_agreement_any: roundCi(ci.event_agreement_any, 'event_agreement_any', evAny, RANGES.share),
                pabak: roundCi(ci.pabak, 'pabak', pabakValue, RANGES.coefficient),
              },
            }
          : {}),
        time_unit_kappa: flat(p.time_unit_kappa, 'time_unit_kappa', RANGES.coefficient),
        event_agreement: flat(p.event_agreement, 'event_agreement', RANGES.share),
        event_counts: Object.fromEntries(
          Object.entries(p.event_agreement).map(([c, e]) => [c, { matched: e.matched, a: e.nA, b: e.nB }]),
        ),
        mean_iou: Object.fromEntries(
          Object.entries(p.mean_iou).map(([c, v]) => [c, checkValue('mean IoU', round(v), RANGES.share).value]),
        ),
        pabak: pabakValue,
        positive_agreement: collect(notes, 'positive_agreement', p.positive_agreement, RANGES.share),
        negative_agreement: collect(notes, 'negative_agreement', p.negative_agreement, RANGES.share),
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
    const fleissFor = (code: string) => {
      const marks = raters.map((r) => presence(by.get(r)!, code, opts.unitMs, units));
      const table = Array.from({ length: units }, (_, u) => marks.map((m) => m[u]!));
      return checkValue("Fleiss' kappa", round(fleissKappa(table).value), RANGES.coefficient).value;
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
            blocks: blockCount,
            minimum_blocks: 5,
            ...(blocksCheck.note ? { note: blocksCheck.note.replace('No interval', 'No intervals') } : {}),
            method: `percentile block bootstrap over time: the session cut into non-overlapping blocks of ${blockMs / 1000} s, drawn with replacement (units within a block are autocorrelated)`,
          },
        }
      : {}),
    kind: opts.kind ?? 'rupture',
    prevalence,
    methods: segmentsMethods(pairs, {
      ...opts,
      durationMs,
      blockMs,
      seed,
      codes,
      prevalence,
      blocksNote: opts.bootstrap ? blocksCheck.note : undefined,
      blocksWithheld: blocksCheck.withhold,
    }),
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
                return {
                  raters: [x, y],
                  time_unit_kappa_any: checkValue(
                    'kappa',
                    round(r.time_unit_kappa.any?.value ?? null),
                    RANGES.coefficient,
                  ).value,
                };
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
 * A paragraph for a methods section: which segments, the statistics, the unit, the window, how
 * much time each rater marked (prevalence), each pair's figures with their intervals (and how
 * they were found), per code, and the software version.
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
    kind?: Kind;
    codes: string[];
    prevalence: Record<string, Record<string, number | null>>;
    blocksNote?: string;
    blocksWithheld?: boolean;
  },
): string {
  const units = Math.ceil(opts.durationMs / opts.unitMs);
  const s = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;
  const kind = KIND_WORDS[opts.kind ?? 'rupture'];
  const parts = [
    `Agreement on ${kind} markers was assessed pair by pair as time-unit kappa (Cohen's κ over ${units} units of ${s(opts.unitMs)}; a unit counts as marked when a segment covers its midpoint${opts.toleranceMs ? `, with a tolerance of ${s(opts.toleranceMs)}` : ''}; Bakeman, Quera & Gnisci, 2009) and as event agreement (markers matched one to one when their onsets lie within ${s(opts.windowMs)}; 2M / (N₁ + N₂)), for markers of any code.`,
  ];
  const shares = Object.entries(opts.prevalence)
    .map(([r, p]) => `${r} ${p[ANY] === null || p[ANY] === undefined ? 'n/a' : `${Math.round(p[ANY] * 100)}%`}`)
    .join(', ');
  if (shares) parts.push(`Share of the session's time marked (any code, the prevalence kappa depends on): ${shares}.`);
  if (pairs.length) {
    parts.push(
      pairs
        .map(
          (p) =>
            `${p.raters.join(' and ')}: ${withInterval('κ', p.time_unit_kappa.any, p.ci?.time_unit_kappa_any)}, event agreement ${apaInterval(p.event_agreement.any, p.ci?.event_agreement_any)}.`,
        )
        .join(' '),
    );
    if (opts.codes.length > 1 || (opts.codes.length === 1 && pairs.length)) {
      const mean = (xs: (number | null | undefined)[]) => {
        const v = xs.filter((x): x is number => typeof x === 'number');
        return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
      };
      parts.push(
        `Per code (${pairs.length > 1 ? 'means over the pairs: ' : ''}time-unit κ / event agreement): ${opts.codes
          .map(
            (c) =>
              `${c} ${apa(mean(pairs.map((p) => p.time_unit_kappa[c])))} / ${apa(mean(pairs.map((p) => p.event_agreement[c])))}`,
          )
          .join('; ')}.`,
      );
    }
  }
  if (opts.bootstrap && opts.blocksWithheld) parts.push(opts.blocksNote!.replace('No interval', 'No intervals'));
  else if (opts.bootstrap) {
    parts.push(
      `Intervals are 95% percentile intervals from a block bootstrap over time (non-overlapping blocks of ${s(opts.blockMs)} drawn with replacement, ${opts.bootstrap} resamples, seed ${opts.seed}), since units within a session are autocorrelated.`,
    );
    if (opts.blocksNote) parts.push(opts.blocksNote);
  }
  parts.push(`Computed with Alliance Review ${APP_VERSION}.`);
  return parts.join(' ');
}

/** The spans of one kind, as agreement counts them: each code its own span (no code: the kind's type). */
function spansOfKind(list: CodedSpan[], kind: Kind, keep: (s: CodedSpan) => boolean, name: (id: number) => string) {
  return list
    .filter((s) => (kind === 'all' || s.kind === kind) && keep(s))
    .flatMap((s) =>
      (s.codes.length ? s.codes : [s.kind === 'rupture' ? (s.ruptureType ?? 'rupture') : 'repair']).map((code) => ({
        rater: name(s.raterId),
        code: code.normalize('NFC'),
        startMs: s.startMs,
        endMs: s.endMs,
      })),
    );
}

/** Each rater's ruptures with their status (repaired, partly, unrepaired), by the one rule of annotation-logic. */
function ruptureStatusesByRater(list: CodedSpan[]): Map<number, { startMs: number; status: Resolution }[]> {
  const status = new Map(ruptureStatuses(list).map((s) => [s.ruptureId, s.status]));
  const out = new Map<number, { startMs: number; status: Resolution }[]>();
  for (const s of list) {
    if (s.kind !== 'rupture') continue;
    let mine = out.get(s.raterId);
    if (!mine) out.set(s.raterId, (mine = []));
    mine.push({ startMs: s.startMs, status: status.get(s.id) ?? 'unrepaired' });
  }
  return out;
}

/**
 * Agreement of every pair of submitted raters of a session on their segments of one kind
 * (ruptures unless asked), and on the repair status of the ruptures both marked.
 */
export function sessionAgreement(
  core: AgreementDeps,
  sessionId: number,
  opts: {
    unitMs: number;
    toleranceMs: number;
    windowMs: number;
    bootstrap?: number;
    seed?: number;
    blockMs?: number;
    kind?: Kind;
  },
  /** Blind rating: only these raters' work may be compared (null: everyone's). */
  visible: Set<number> | null = null,
  /** Data already read for a whole study (saves a query per session). */
  preloaded?: {
    spans: CodedSpan[];
    ratings: RatingState[];
    raters: Rater[];
    durationMs: number;
  },
) {
  checkUnits(opts);
  const kind = opts.kind ?? 'rupture';
  const { annotations } = core;
  const { spans: coded, ratings } = preloaded ?? annotations.codedSpans(sessionId);
  const allRaters = preloaded?.raters ?? annotations.raters();
  const consensus = allRaters.find((r) => r.consensus);
  const submitted = new Set(
    ratings
      .filter((r) => r.status === 'submitted' && (visible === null || visible.has(r.raterId)))
      .map((r) => r.raterId),
  );
  const names = new Map(allRaters.map((r) => [r.id, r.name]));
  const counted = (s: CodedSpan) => submitted.has(s.raterId) && s.raterId !== consensus?.id;
  const spans = spansOfKind(coded, kind, counted, (id) => names.get(id)!);
  // Submitted raters without any segment still count: they agree on absence.
  const ids = [...submitted].filter((id) => id !== consensus?.id);
  const raters = ids.map((id) => names.get(id)!);
  const report = segmentsReport(spans, {
    ...opts,
    kind,
    durationMs: preloaded?.durationMs ?? annotations.sessionDurationMs(sessionId),
    raters,
    // One session asked for on its own (not a study's pass over every session): the summary too.
    summary: !preloaded,
  });
  // Repair status of the ruptures both raters of a pair marked (whatever the kind compared).
  const statuses = ruptureStatusesByRater(coded.filter(counted));
  const resolution = [];
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      const pairs = resolutionPairs(statuses.get(ids[i]!) ?? [], statuses.get(ids[j]!) ?? [], opts.windowMs);
      const r = resolutionAgreement(pairs);
      const notes: Record<string, string> = {};
      resolution.push({
        raters: [names.get(ids[i]!)!, names.get(ids[j]!)!],
        matched_ruptures: r.matched,
        agreement: collect(notes, 'agreement', r.agreement, RANGES.share),
        kappa: collect(notes, 'kappa', r.kappa),
        table: r.table,
        pairs,
        notes,
      });
    }
  const methods = [
    report.methods.replace(/ Computed with Alliance Review .*$/, ''),
    ...resolution
      .filter((r) => r.matched_ruptures > 0)
      .map(
        (r) =>
          `Of the ${r.matched_ruptures} rupture${r.matched_ruptures === 1 ? '' : 's'} both ${r.raters.join(' and ')} marked (onsets within ${opts.windowMs / 1000} s), they gave the same repair status (repaired, partly repaired, unrepaired) to ${Math.round((r.agreement ?? 0) * 100)}%${r.kappa === null ? '' : ` (κ = ${apa(r.kappa)})`}.`,
      ),
    `Computed with Alliance Review ${APP_VERSION}.`,
  ].join(' ');
  return {
    session_id: sessionId,
    submitted_raters: raters,
    ...report,
    methods,
    resolution: resolution.map(({ pairs: _pairs, ...r }) => r),
  };
}

/**
 * Agreement over a study: every session's submitted ratings pair by pair, the means (with
 * intervals from resampling whole sessions, withheld below five), repair status pooled over
 * every rupture both raters of a pair marked, and a methods text.
 */
export function studyAgreement(
  core: AgreementDeps,
  caseCode: string | undefined,
  opts: { unitMs: number; toleranceMs: number; windowMs: number; bootstrap?: number; seed?: number; kind?: Kind },
  /** Blind rating: whose submitted work may be compared in a session (null: everyone's). */
  visibleFor: (sessionId: number, ratings: RatingState[]) => Set<number> | null = () => null,
) {
  checkUnits(opts);
  const kind = opts.kind ?? 'rupture';
  const cases = core.repos.cases.list().filter((c) => !caseCode || c.code.toLowerCase() === caseCode.toLowerCase());
  if (caseCode && cases.length === 0) throw new AppError('NOT_FOUND', `There is no case ${caseCode}.`);
  // Read everything once: a study is hundreds of sessions.
  const all = core.annotations.allCodedSpans();
  const raters = core.annotations.raters();
  const durations = new Map<number, number>();
  for (const r of core.repos.recordings.listAll()) {
    durations.set(r.sessionId, Math.max(durations.get(r.sessionId) ?? 0, r.durationMs + r.offsetMs));
  }
  const resolutionPairsAll: [Resolution, Resolution][] = [];
  const prevalence: number[] = [];
  const sessionsOf = (caseId: number) => core.repos.sessions.listByCase(caseId);
  const perSession = cases.flatMap((c) =>
    sessionsOf(c.id).map((s) => {
      const ratings = all.ratings.get(s.id) ?? [];
      const r = sessionAgreement(
        core,
        s.id,
        { unitMs: opts.unitMs, toleranceMs: opts.toleranceMs, windowMs: opts.windowMs, kind },
        visibleFor(s.id, ratings),
        {
          spans: all.spans.get(s.id) ?? [],
          ratings,
          raters,
          durationMs: durations.get(s.id) ?? 0,
        },
      );
      for (const x of r.resolution) resolutionPairsAll.push(...resolutionTables(x.table));
      if (r.pairs.length)
        for (const p of Object.values(r.prevalence)) if (typeof p[ANY] === 'number') prevalence.push(p[ANY]);
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
  const ranges: Record<(typeof figures)[number], Range> = {
    time_unit_kappa_any: RANGES.coefficient,
    event_agreement_any: RANGES.share,
    pabak: RANGES.coefficient,
  };
  const means = {
    time_unit_kappa_any: round(mean(pairs.map((p) => p.time_unit_kappa_any))),
    event_agreement_any: round(mean(pairs.map((p) => p.event_agreement_any))),
    pabak: round(mean(pairs.map((p) => p.pabak))),
  };
  const notes: Record<string, string> = {};
  const rated = perSession.filter((x) => x.pairs.length > 0);
  // Units within a session are autocorrelated: the interval resamples whole sessions (those with
  // a pair), seeded so a run can be repeated; withheld when there are too few sessions to resample.
  const sessionsCheck = clusterCheck(rated.length, 'session');
  let ci: Record<string, { lower: number | null; upper: number | null }> | null = null;
  if (opts.bootstrap) {
    if (sessionsCheck.note) notes.bootstrap = sessionsCheck.note;
    ci = Object.fromEntries(
      figures.map((f) => {
        if (sessionsCheck.withhold) return [f, { lower: null, upper: null }];
        const b = bootstrapUnits(rated, (sample) => mean(sample.flatMap((sess) => sess.pairs.map((p) => p[f]))), {
          resamples: opts.bootstrap!,
          seed: opts.seed ?? 1,
        });
        const checked = checkInterval(`mean ${figureLabel(f)}`, means[f], round(b.lower), round(b.upper), ranges[f], {
          truncate: false,
          resampled: true,
        });
        if (checked.note) notes[`mean_ci.${f}`] = checked.note;
        return [f, { lower: checked.lower, upper: checked.upper }];
      }),
    );
  }
  const res = resolutionAgreement(resolutionPairsAll);
  const resolution = {
    matched_ruptures: res.matched,
    agreement: collect(notes, 'resolution.agreement', res.agreement, RANGES.share),
    kappa: collect(notes, 'resolution.kappa', res.kappa),
    table: res.table,
  };
  const sec = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;
  const word = KIND_WORDS[kind];
  const meanPrevalence = mean(prevalence);
  const methods = [
    `Agreement on ${word} markers was assessed for every pair of raters who submitted a rating of a session (${rated.length} session${rated.length === 1 ? '' : 's'}${caseCode ? ` of case ${caseCode}` : ''}, ${pairs.length} rater pair${pairs.length === 1 ? '' : 's'}) as time-unit kappa (Cohen's κ over units of ${sec(opts.unitMs)}; a unit counts as marked when a segment covers its midpoint${opts.toleranceMs ? `, with a tolerance of ${sec(opts.toleranceMs)}` : ''}; Bakeman, Quera & Gnisci, 2009), as event agreement (markers matched one to one when their onsets lie within ${sec(opts.windowMs)}; 2M / (N₁ + N₂)) and as PABAK, for markers of any code, and averaged over the pairs.`,
    ...(meanPrevalence !== null
      ? [
          `On average a rater marked ${Math.round(meanPrevalence * 100)}% of a session's time (the prevalence kappa depends on).`,
        ]
      : []),
    `Mean ${withInterval('κ', means.time_unit_kappa_any, ci?.time_unit_kappa_any)}; mean event agreement ${apaInterval(means.event_agreement_any, ci?.event_agreement_any)}; mean PABAK ${apaInterval(means.pabak, ci?.pabak)}.`,
    ...(ci && !sessionsCheck.withhold
      ? [
          `Intervals are 95% percentile intervals from a bootstrap over sessions (whole sessions drawn with replacement, ${opts.bootstrap} resamples, seed ${opts.seed ?? 1}), since units within a session are autocorrelated.`,
        ]
      : []),
    ...(opts.bootstrap && sessionsCheck.note ? [sessionsCheck.note] : []),
    ...(res.matched
      ? [
          `Of the ${res.matched} rupture${res.matched === 1 ? '' : 's'} both raters of a pair marked (onsets within ${sec(opts.windowMs)}), the raters gave the same repair status (repaired, partly repaired, unrepaired) to ${Math.round((resolution.agreement ?? 0) * 100)}%${resolution.kappa === null ? '' : ` (κ = ${apa(resolution.kappa)})`}, pooled over pairs and sessions.`,
        ]
      : []),
    `Computed with Alliance Review ${APP_VERSION}.`,
  ].join(' ');
  return {
    case: caseCode ?? null,
    kind,
    sessions: perSession.length,
    sessions_with_pairs: rated.length,
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
            sessions: rated.length,
            minimum_sessions: 5,
            method: 'percentile block bootstrap over sessions (sessions drawn with replacement)',
          },
        }
      : {}),
    resolution,
    methods,
    notes,
    per_session: perSession,
  };
}

/** A status table back as its pairs (to pool tables over sessions). */
function resolutionTables(table: number[][]): [Resolution, Resolution][] {
  const out: [Resolution, Resolution][] = [];
  table.forEach((row, i) =>
    row.forEach((n, j) => {
      for (let k = 0; k < n; k++) out.push([RESOLUTIONS[i]!, RESOLUTIONS[j]!]);
    }),
  );
  return out;
}
