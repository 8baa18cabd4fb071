/** Agreement and perspectives from the command line: on files (no library needed) or on the library's submitted ratings. */
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { count } from '../../shared/words';
import type { Bounds } from '../../shared/agreement/format';
import { parseRaterSpans, parseRatingsTable } from './segment-files';
import { decodeText } from '../interop/decode';
import { segmentsReport, sessionAgreement, studyAgreement, KINDS, type Kind } from './agreement';
import { LEVELS, ratingsReport, type Level } from './ratings';
import {
  type Io,
  type Values,
  need,
  intOption,
  readBytes,
  csvText,
  type CommandContext,
  type Command,
} from '../../cli/args';

export function agreementCommand(args: string[], values: Values, io: Io): number {
  const [sub, file] = args;
  if (sub !== 'ratings' && sub !== 'segments') {
    throw new AppError(
      'INVALID_INPUT',
      'Use: alliance-review agreement ratings FILE.csv, or agreement segments FILE.csv.',
    );
  }
  const name = need(file, 'FILE');
  const decoded = decodeText(readBytes(name), values.encoding);
  for (const w of decoded.warnings) io.stderr(`warning: ${w}\n`);
  const text = decoded.text;
  const fail = (rejected: { line: number; reason: string }[]) => {
    for (const r of rejected) io.stderr(`line ${r.line}: ${r.reason}\n`);
    io.stderr(
      `alliance-review: ${name} has ${rejected.length} bad row${rejected.length === 1 ? '' : 's'}; nothing computed.\n`,
    );
    return 1;
  };
  let report: Record<string, unknown>;
  if (sub === 'ratings') {
    const parsed = parseRatingsTable(
      csvText(name, 'agreement ratings', 'a CSV with the header unit,rater,value', text),
    );
    if (parsed.rejected.length) return fail(parsed.rejected);
    if (!parsed.units.length)
      throw new AppError(
        'INVALID_INPUT',
        `${path.basename(name)} has a header but no ratings under it; nothing computed.`,
      );
    const bootstrap = intOption(values.bootstrap, '--bootstrap', 0) ?? 0;
    if (bootstrap > 100_000) throw new AppError('INVALID_INPUT', '--bootstrap takes at most 100,000 resamples.');
    const categories = values.categories
      ?.split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    const weightBy = values['weight-by'] ?? 'values';
    if (weightBy !== 'values' && weightBy !== 'order')
      throw new AppError(
        'INVALID_INPUT',
        `--weight-by takes values (distances between the scale values) or order (between their ranks), not "${weightBy}".`,
      );
    const level = values.level;
    if (level !== undefined && !LEVELS.includes(level as Level))
      throw new AppError(
        'INVALID_INPUT',
        `--level takes nominal (unordered categories), ordinal (ordered categories), interval (equal steps) or ratio (equal steps and a true zero), not "${level}".`,
      );
    report = ratingsReport(parsed, {
      bootstrap,
      seed: intOption(values.seed, '--seed', 0) ?? 1,
      categories,
      weightBy,
      level: level as Level | undefined,
    });
  } else {
    const unitMs = intOption(values['unit-ms'], '--unit-ms', 1) ?? 1000;
    const toleranceMs = intOption(values['tolerance-ms'], '--tolerance-ms', 0) ?? 0;
    const windowMs = intOption(values['window-ms'], '--window-ms', 0) ?? 3000;
    const tiers = values.tiers
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const parsed = parseRaterSpans(text, { tiers });
    if (parsed.rejected.length) return fail(parsed.rejected);
    if (!parsed.spans.length)
      throw new AppError('INVALID_INPUT', `${path.basename(name)} has no coded segments in it; nothing computed.`);
    report = {
      format: parsed.format,
      detected: parsed.detected,
      ...segmentsReport(parsed.spans, {
        unitMs,
        toleranceMs,
        windowMs,
        sensitivity: true,
        summary: true,
        ...blockBootstrapOptions(values),
      }),
    };
  }
  if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(`${humanReport(report)}\n`);
  return 0;
}

/** --bootstrap, --seed and --block-ms of the segment agreements (a block bootstrap over time). */
export function blockBootstrapOptions(values: Values) {
  const bootstrap = intOption(values.bootstrap, '--bootstrap', 0) ?? 0;
  if (bootstrap > 100_000) throw new AppError('INVALID_INPUT', '--bootstrap takes at most 100,000 resamples.');
  return {
    bootstrap,
    seed: intOption(values.seed, '--seed', 0) ?? 1,
    blockMs: intOption(values['block-ms'], '--block-ms', 1000),
  };
}

export function humanReport(r: Record<string, unknown>): string {
  const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : 'n/a');
  if ('icc' in r) {
    const icc = r.icc as Record<string, number | null>;
    const ci = r.icc_ci as Record<string, Bounds> | null;
    const alpha = r.krippendorff_alpha as Record<string, number | null>;
    const some = (pairs: [string, unknown][]) =>
      pairs
        .filter(([, v]) => typeof v === 'number')
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join('  ');
    const lines = [
      `${count(Number(r.n_units), 'unit')}, ${count(Number(r.n_raters), 'rater')}; taken as ${String(r.level)} (${r.level_declared ? 'declared' : 'inferred: see the note'})`,
    ];
    if (Object.values(icc).some((v) => v !== null))
      lines.push(
        `ICC(2,1) ${fmt(icc.ICC2_1)}${ci?.ICC2_1 && ci.ICC2_1.lower !== null ? ` [${fmt(ci.ICC2_1.lower)}, ${fmt(ci.ICC2_1.upper)}]` : ''} (default)  ${some(
          [
            ['ICC(1,1)', icc.ICC1_1],
            ['ICC(3,1)', icc.ICC3_1],
            ['ICC(1,k)', icc.ICC1_k],
            ['ICC(2,k)', icc.ICC2_k],
            ['ICC(3,k)', icc.ICC3_k],
          ],
        )}`,
      );
    const alphas = some(Object.entries(alpha));
    if (alphas) lines.push(`Krippendorff's alpha: ${alphas}`);
    const kappas = some([
      ["Cohen's kappa", r.cohen_kappa],
      ['quadratic-weighted kappa', r.weighted_kappa_quadratic],
      ["Fleiss' kappa", r.fleiss_kappa],
      ["Light's kappa", r.light_kappa],
      ["Gwet's AC1", r.gwet_ac1],
    ]);
    if (kappas) lines.push(kappas);
    for (const [k, v] of Object.entries(r.notes as Record<string, string>)) lines.push(`note: ${k}: ${v}`);
    return lines.join('\n');
  }
  const pairs = r.pairs as {
    raters: string[];
    time_unit_kappa: Record<string, number | null>;
    event_agreement: Record<string, number | null>;
    pabak: number | null;
    ci?: Record<'time_unit_kappa_any' | 'event_agreement_any' | 'pabak', Bounds>;
  }[];
  const withCi = (v: number | null | undefined, ci?: Bounds) =>
    `${fmt(v)}${ci && ci.lower !== null && ci.upper !== null ? ` [${fmt(ci.lower)}, ${fmt(ci.upper)}]` : ''}`;
  return (
    pairs
      .map(
        (p) =>
          `${p.raters.join(' vs ')}: time-unit kappa (any) ${withCi(p.time_unit_kappa.any, p.ci?.time_unit_kappa_any)}, event agreement (any) ${withCi(p.event_agreement.any, p.ci?.event_agreement_any)}, PABAK ${withCi(p.pabak, p.ci?.pabak)}`,
      )
      .join('\n') || 'Agreement needs at least two raters.'
  );
}

/** `agreement session SESSION_ID` and `agreement study`: the library's submitted ratings. */
/** `--kind rupture|repair|all`: which segments are compared (ruptures unless asked). */
export function kindOption(values: Values): Kind {
  const kind = values.kind ?? 'rupture';
  if (!KINDS.includes(kind as Kind))
    throw new AppError(
      'INVALID_INPUT',
      `--kind takes rupture, repair or all (ruptures and repairs together), not "${kind}".`,
    );
  return kind as Kind;
}

export function agreementLibraryCommand({ core, args, values, io }: CommandContext): number {
  const opts = {
    unitMs: intOption(values['unit-ms'], '--unit-ms', 1) ?? 1000,
    toleranceMs: intOption(values['tolerance-ms'], '--tolerance-ms', 0) ?? 0,
    windowMs: intOption(values['window-ms'], '--window-ms', 0) ?? 3000,
    kind: kindOption(values),
  };
  if (args[0] === 'study') {
    const study = studyAgreement(core, values.case, {
      ...opts,
      bootstrap: intOption(values.bootstrap, '--bootstrap', 0) ?? 0,
      seed: intOption(values.seed, '--seed', 0) ?? 1,
    });
    if (values.json) io.stdout(`${JSON.stringify(study, null, 2)}\n`);
    else {
      const f = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));
      const ci = (k: keyof typeof study.mean) => {
        const c = study.mean_ci?.[k];
        return c && c.lower !== null && c.upper !== null ? ` [${f(c.lower)}, ${f(c.upper)}]` : '';
      };
      io.stdout(
        `${count(study.sessions, 'session')}, ${count(study.pairs, 'rater pair')} (${study.kind === 'all' ? 'ruptures and repairs' : `${study.kind}s`}): mean time-unit kappa ${f(study.mean.time_unit_kappa_any)}${ci('time_unit_kappa_any')}, event agreement ${f(study.mean.event_agreement_any)}${ci('event_agreement_any')}, PABAK ${f(study.mean.pabak)}${ci('pabak')}\n`,
      );
      if (study.resolution.matched_ruptures)
        io.stdout(
          `repair status of the ${count(study.resolution.matched_ruptures, 'rupture')} both raters marked: same in ${f(study.resolution.agreement)}, kappa ${f(study.resolution.kappa)}\n`,
        );
      for (const [k, v] of Object.entries(study.notes)) io.stdout(`note: ${k}: ${v}\n`);
    }
    return 0;
  }
  const id = intOption(need(args[1], 'SESSION_ID'), 'SESSION_ID', 1)!;
  const report = sessionAgreement(core, id, { ...opts, ...blockBootstrapOptions(values) });
  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${humanReport(report)}\n`);
  return 0;
}

/** `perspectives [--case CODE]`: rupture rates per perspective, McNemar and Cochran's Q. */
export async function perspectivesCommand({ call, values, io }: CommandContext): Promise<number> {
  const report = await call('perspectives:report', { caseCode: values.case });
  if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else {
    for (const [p, r] of Object.entries(report.perspectives)) {
      if (r.sessions_with_data)
        io.stdout(
          `${p}: rupture in ${r.sessions_with_rupture} of ${count(r.sessions_with_data, 'session')} (${Math.round((r.rate ?? 0) * 100)} %)\n`,
        );
    }
    for (const m of report.mcnemar)
      io.stdout(
        `McNemar ${m.perspectives.join(' vs ')}: p = ${m.p === null ? 'n/a' : m.p.toFixed(3)} (${m.sessions} sessions)\n`,
      );
    io.stdout(
      `Cochran's Q (patient, therapist, observer): ${report.cochran_q.statistic === null ? 'n/a' : `Q = ${report.cochran_q.statistic.toFixed(2)}, p = ${report.cochran_q.p!.toFixed(3)}`} (${count(report.cochran_q.sessions, 'session')})\n`,
    );
  }
  return 0;
}

export const agreementCommands: Command[] = [
  {
    name: 'agreement',
    help: [
      {
        group: 'Agreement and perspectives',
        text: `  agreement ratings FILE.csv [--level nominal|ordinal|interval|ratio] [--bootstrap N] [--seed S]
      [--categories 1,2,3,4,5] [--weight-by values|order]
      CSV unit,rater,value (empty, NA, ., -, ? = missing); the statistics follow the level of
      measurement (inferred from the data unless declared, and said); --bootstrap: intervals
      for alpha, Fleiss, Conger, Gwet and Light from resampling
  agreement segments FILE [--unit-ms 1000] [--tolerance-ms 0] [--window-ms 3000] [--tiers A,B,…]
      FILE: CSV rater,code,start,end (seconds or hh:mm:ss.mmm), or ELAN .eaf / text (one tier
      per rater; --tiers chooses them) or BORIS project / export (one observation per rater)
  agreement session SESSION_ID [--kind rupture|repair|all] [--bootstrap N] [--seed S] [--block-ms MS]
      all submitted ratings of a session, from the library, and agreement on the repair status
      of the ruptures both raters marked (with --bootstrap, each pair's intervals from a block
      bootstrap over time, at least 5 blocks; also for agreement segments)
  agreement study [--case CODE] [--kind rupture|repair|all] [--bootstrap N] [--seed S]
      every session's submitted ratings, pair by pair, and the means (with --bootstrap, intervals
      from resampling whole sessions, at least 5)`,
      },
    ],
    needs: (args) => (args[0] === 'session' || args[0] === 'study' ? 'library' : 'nothing'),
    run: agreementLibraryCommand,
    // On files: no library is opened.
    runAlone: ({ args, values, io }) => agreementCommand(args, values, io),
  },
  {
    name: 'perspectives',
    help: [
      {
        group: 'Agreement and perspectives',
        text: `  perspectives [--case CODE]            rupture rates per perspective, McNemar and Cochran's Q`,
      },
    ],
    run: perspectivesCommand,
  },
];
