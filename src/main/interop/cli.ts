/** Other tools' files in and out from the command line: annotations and transcripts imports, session and study exports. */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { formatTime } from '../../shared/time';
import { checkOutputFolder } from '../files/output';
import { count } from '../../shared/words';
import { accountLines } from './account';
import type { Core } from '../app';
import { ROLES, type Role } from '../../shared/annotations';
import { sessionBoris, sessionCsv, sessionDocument, sessionEaf } from './exporter';
import { studySegmentsCsv, studyUnitsCsv } from './study-export';
import { sessionSubject } from '../protection/audit';
import type { FileImportOptions, FileImportOutcome } from './service';
import { TIER_ROLES, type MapFile } from './mapping';
import {
  type Io,
  type Values,
  need,
  intOption,
  writeOut,
  readBytes,
  readText,
  progressBar,
  type Command,
} from '../../cli/args';
import { transcribeCommand } from '../transcribe/cli';

export function exportCommand(core: Core, args: string[], values: Values, io: Io): number {
  const id = intOption(need(args[0], 'SESSION_ID'), 'SESSION_ID', 1)!;
  const format = values.format ?? 'json';
  if (!['json', 'csv', 'eaf', 'boris'].includes(format)) {
    throw new AppError('INVALID_INPUT', `--format must be json, csv, eaf or boris, not ${format}.`);
  }
  const transcript = values['include-transcript'] ? core.transcripts.list(id) : undefined;
  // Pseudonymous and without free text unless asked (--names, --notes).
  const privacy = { names: values.names, notes: values.notes };
  let doc: string;
  if (format === 'csv') doc = sessionCsv(core.library, core.annotations, id, null, privacy).trimEnd();
  else if (format === 'eaf')
    doc = sessionEaf(core, id, { includeTranscript: values['include-transcript'], privacy }).trimEnd();
  else if (format === 'boris') doc = sessionBoris(core, id, { privacy }).trimEnd();
  else
    doc = JSON.stringify(
      {
        ...sessionDocument(core.library, core.annotations, id, {
          includePaths: values['include-paths'],
          feedback: core.feedback,
          talk: core.talk,
          privacy,
        }),
        ...(transcript ? { transcript } : {}),
      },
      null,
      2,
    );
  writeOut(doc, values, io, core.dataDir);
  return 0;
}

export function exportStudyCommand(core: Core, values: Values, io: Io): number {
  const dir = need(values['out-dir'], '--out-dir DIR');
  const unitMs = intOption(values['unit-ms'], '--unit-ms', 100) ?? 1000;
  if (values.case && !core.library.listCases().some((c) => c.code.toLowerCase() === values.case!.toLowerCase()))
    throw new AppError('NOT_FOUND', `There is no case ${values.case}.`);
  checkOutputFolder(dir, { what: "the study's CSV files", dataDir: core.dataDir });
  fs.mkdirSync(dir, { recursive: true });
  const segments = path.join(dir, 'segments.csv');
  const units = path.join(dir, 'units.csv');
  writeOut(
    studySegmentsCsv(core, values.case, values.names).trimEnd(),
    { ...values, json: true },
    io,
    core.dataDir,
    segments,
  );
  writeOut(
    studyUnitsCsv(core, unitMs, values.case, values.names).trimEnd(),
    { ...values, json: true },
    io,
    core.dataDir,
    units,
  );
  if (values.json) io.stdout(`${JSON.stringify({ segments, units, unitMs }, null, 2)}\n`);
  else io.stdout(`Wrote ${segments} and ${units} (units of ${unitMs} ms).\n`);
  return 0;
}

export function readMapFile(file: string | undefined): MapFile | undefined {
  if (!file) return undefined;
  const text = readText(file);
  try {
    const raw = JSON.parse(text) as MapFile;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('not an object');
    for (const [tier, v] of Object.entries(raw.tiers ?? {})) {
      const role = typeof v === 'string' ? v : v.role;
      if (role !== undefined && !TIER_ROLES.includes(role))
        throw new Error(`tier "${tier}" has role "${role}"; roles are ${TIER_ROLES.join(', ')}`);
    }
    return raw;
  } catch (error) {
    throw new AppError('INVALID_INPUT', `--map ${file} is not a map file (${(error as Error).message}).`);
  }
}

export function printImport(
  outcome: FileImportOutcome,
  sessionId: number,
  values: Values,
  io: Io,
  what: 'segments' | 'transcript',
) {
  const { plan, ...rest } = outcome;
  if (values.json) {
    io.stdout(
      `${JSON.stringify(
        {
          ...rest,
          tiers: plan?.tiers.map(({ values: v, ...t }) => ({ ...t, values: v.slice(0, 50) })) ?? [],
          unmapped: plan?.unmapped ?? [],
          ...(values['dry-run'] ? { dryRun: true, blocking: plan?.blocking ?? [] } : {}),
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  if (plan && (values['dry-run'] || outcome.imported + outcome.utterances === 0)) {
    io.stdout(`${outcome.formatLabel} (${outcome.encoding}); tiers:\n`);
    for (const t of plan.tiers)
      io.stdout(
        `  ${t.name}${t.participant ? ` [${t.participant}]` : ''}: ${t.count} annotation${t.count === 1 ? '' : 's'}, e.g. ${t.firstValues
          .slice(0, 3)
          .map((v) => JSON.stringify(v))
          .join(', ')} -> ${t.role}${t.rater ? ` for ${t.rater}` : ''} (${t.because})\n`,
      );
    for (const b of plan.blocking)
      io.stderr(
        `${b}${b.startsWith('Whose coding') ? ' Give --rater NAME, or --rater-per-tier to make each tier its own rater.' : ''}\n`,
      );
  }
  if (plan?.unmapped.length)
    io.stderr(
      `${plan.unmapped.length} value${plan.unmapped.length === 1 ? ' is' : 's are'} not in the codebook (${plan.unmapped
        .slice(0, 8)
        .map((u) => `"${u.value}"`)
        .join(
          ', ',
        )}${plan.unmapped.length > 8 ? ', …' : ''}): map them with --map FILE.json, add them with --add-codes, or leave them out with --skip-invalid.\n`,
    );
  const verb = values['dry-run'] ? 'Would import' : 'Imported';
  if (what === 'transcript')
    io.stdout(
      `${verb} ${outcome.utterances} utterance${outcome.utterances === 1 ? '' : 's'} (${outcome.formatLabel}) into session ${sessionId}.\n`,
    );
  else if (outcome.imported === 0 && !outcome.utterances)
    // Not "Imported 0 segments … for nobody": say that nothing came in, and why below.
    io.stdout(
      `${values['dry-run'] ? 'Nothing would be imported' : 'Nothing was imported'} into session ${sessionId}${outcome.rejected.length ? `: ${count(outcome.rejected.length, 'row')} refused (below)` : ''}.\n`,
    );
  else {
    io.stdout(
      `${verb} ${outcome.imported} segment${outcome.imported === 1 ? '' : 's'} (${outcome.format}) for ${outcome.perRater.map((r) => `${r.rater} (${r.imported})`).join(', ') || 'nobody'} into session ${sessionId}${outcome.utterances ? `, and ${outcome.utterances} transcript utterances` : ''}.\n`,
    );
  }
  // The account: what was (or would be) imported, left out and changed, and why.
  for (const line of accountLines(outcome.account)) io.stdout(`${line}\n`);
  if (outcome.newCodes.length)
    io.stdout(
      `${values['dry-run'] ? 'Would add' : 'Added'} codes ${outcome.newCodes.join(', ')} (group "imported", a new codebook version).\n`,
    );
  for (const w of outcome.warnings) io.stderr(`warning: ${w}\n`);
  for (const r of outcome.rejected) io.stderr(`${r.at}: ${r.reason}\n`);
}

export function importOptions(values: Values): FileImportOptions {
  const role = (values.role ?? 'observer') as Role;
  if (!ROLES.includes(role))
    throw new AppError('INVALID_INPUT', `--role must be one of ${ROLES.join(', ')}, not "${values.role}".`);
  return {
    rater: values.rater?.trim() || undefined,
    raterPerTier: values['rater-per-tier'] ?? false,
    tiers: values.tier ?? [],
    observations: values.observation ?? [],
    map: readMapFile(values.map),
    addCodes: values['add-codes'] ?? false,
    encoding: values.encoding,
    skipInvalid: values['skip-invalid'] ?? false,
    submit: values.submit ?? false,
    role,
  };
}

export function importFileCommand(
  core: Core,
  file: string,
  sessionId: number,
  opts: FileImportOptions,
  values: Values,
  io: Io,
  what: 'segments' | 'transcript',
): number {
  core.library.getSession(sessionId);
  const bytes = readBytes(file);
  const name = path.basename(file);
  let outcome: FileImportOutcome;
  try {
    outcome = values['dry-run']
      ? core.interop.preview(sessionId, bytes, name, opts)
      : core.interop.importFile(sessionId, bytes, name, opts);
  } catch (error) {
    if (error instanceof AppError && error.message.includes('Whose coding'))
      throw new AppError(
        error.code,
        `${error.message} Give --rater NAME, or --rater-per-tier to make each tier its own rater.`,
      );
    throw error;
  }
  printImport(outcome, sessionId, values, io, what);
  if (values['dry-run']) return outcome.plan?.blocking.length || (outcome.rejected.length && !opts.skipInvalid) ? 1 : 0;
  if (outcome.rejected.length && !opts.skipInvalid) {
    io.stderr(
      `alliance-review: nothing imported: ${outcome.rejected.length} row${outcome.rejected.length === 1 ? '' : 's'} rejected (use --skip-invalid to import the rest).\n`,
    );
    return 1;
  }
  return outcome.imported + outcome.utterances > 0 || outcome.rejected.length === 0 ? 0 : 1;
}

export function annotationsCommand(core: Core, args: string[], values: Values, io: Io): number {
  const [sub, file] = args;
  if (sub !== 'import')
    throw new AppError('INVALID_INPUT', 'Use: alliance-review annotations import FILE --session ID [--rater NAME].');
  const path_ = need(file, 'FILE');
  const sessionId = intOption(need(values.session, '--session ID'), '--session', 1)!;
  return importFileCommand(core, path_, sessionId, importOptions(values), values, io, 'segments');
}

export function transcriptsCommand(core: Core, args: string[], values: Values, io: Io): number {
  const [sub, arg] = args;
  if (sub === 'import') {
    const sessionId = intOption(need(values.session, '--session ID'), '--session', 1)!;
    return importFileCommand(
      core,
      need(arg, 'FILE'),
      sessionId,
      {
        ...importOptions(values),
        transcriptOnly: true,
        map: {
          ...readMapFile(values.map),
          tiers: Object.fromEntries((values.tier ?? []).map((t) => [t, 'transcript'] as const)),
        },
      },
      values,
      io,
      'transcript',
    );
  }
  if (sub === 'search') {
    const text = need(arg, 'TEXT');
    const sessionId = values.session ? intOption(values.session, '--session', 1)! : undefined;
    const t0 = performance.now();
    const hits = core.transcripts.search(text, { sessionId, limit: 100 });
    const ms = performance.now() - t0;
    if (values.json) io.stdout(`${JSON.stringify({ query: text, hits, ms: Math.round(ms * 10) / 10 }, null, 2)}\n`);
    else {
      for (const h of hits)
        io.stdout(
          `${h.caseCode} session ${h.sessionNumber} ${formatTime(h.startMs)}  ${h.speaker ? `${h.speaker}: ` : ''}${h.text}\n`,
        );
      io.stdout(`${hits.length} hit${hits.length === 1 ? '' : 's'}.\n`);
    }
    return 0;
  }
  if (sub === 'list') {
    const sessionId = intOption(need(arg, 'SESSION_ID'), 'SESSION_ID', 1)!;
    core.library.getSession(sessionId);
    const rows = core.transcripts.list(sessionId);
    if (values.json) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    else for (const u of rows) io.stdout(`${formatTime(u.startMs)}  ${u.speaker ? `${u.speaker}: ` : ''}${u.text}\n`);
    return 0;
  }
  throw new AppError(
    'INVALID_INPUT',
    'Use: alliance-review transcripts import FILE --session ID, transcripts search TEXT [--session ID], transcripts list SESSION_ID, or transcripts transcribe SESSION_ID --model FILE [--language CODE] [--recording ID].',
  );
}

export const interopCommands: Command[] = [
  {
    name: 'annotations',
    help: [
      {
        group: 'Coding, transcripts and questionnaires',
        text: `  annotations import FILE --session ID [--rater NAME | --rater-per-tier] [--role ROLE] [--skip-invalid]
       [--tier NAME]... [--observation NAME]... [--map FILE.json] [--add-codes] [--encoding ENC] [--submit] [--dry-run]
      FILE: CSV with a header type,code,start,end[,significance,stage,note] (times in seconds
      or hh:mm:ss.mmm); an ELAN .eaf or tab-delimited export; a BORIS project or aggregated /
      tabular events export. --dry-run shows each tier, its role and its rater, and stores nothing;
      --submit submits the imported raters' ratings (finished coding others may then see)`,
      },
    ],
    run: ({ core, args, values, io }) => annotationsCommand(core, args, values, io),
  },
  {
    name: 'transcripts',
    help: [
      {
        group: 'Coding, transcripts and questionnaires',
        text: `  transcripts import FILE --session ID [--tier NAME]... [--encoding ENC]
      WebVTT, SRT, timed text, or the transcript tiers of an ELAN file
  transcripts search TEXT [--session ID]  |  transcripts list SESSION_ID
  transcripts transcribe SESSION_ID --model FILE [--language CODE] [--recording ID]
      transcribes on this computer with a whisper.cpp model file you have (nothing is downloaded;
      no recording leaves the machine); speakers from the talk lanes; Ctrl+C stops keeping what
      is done, and the same command goes on from there`,
      },
    ],
    run: ({ core, call, args, values, io }) =>
      args[0] === 'transcribe'
        ? transcribeCommand(core, call, args.slice(1), values, { ...io, progress: progressBar(io, 'transcribe') })
        : transcriptsCommand(core, args, values, io),
  },
  {
    name: 'export',
    help: [
      {
        group: 'Export and sharing',
        text: `  export SESSION_ID --format json|csv|eaf|boris [--out FILE] [--names] [--notes] [--include-paths] [--include-transcript]
      pseudonymous unless --names (therapist, raters, file names); free text only with --notes
      eaf: ELAN 3.0 (a tier per rater and kind); boris: a BORIS project (an observation per rater)`,
      },
    ],
    run: ({ core, args, values, io }) => {
      const code = exportCommand(core, args, values, io);
      core.audit.record('session.export', sessionSubject(core, Number(args[0])), { format: values.format ?? 'json' });
      return code;
    },
  },
  {
    name: 'export-study',
    help: [
      {
        group: 'Export and sharing',
        text: `  export-study [--case CODE] --out-dir DIR [--unit-ms 1000] [--names]
      segments.csv (one row per segment) and units.csv (unit × rater × code, present 0/1)`,
      },
    ],
    run: ({ core, values, io }) => {
      const code = exportStudyCommand(core, values, io);
      core.audit.record('study.export', values.case ? `case ${values.case}` : 'all cases', {});
      return code;
    },
  },
];
