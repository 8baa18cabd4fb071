/**
 * `alliance-review`: the command line. Same core services as the app, plain Node.
 * Exit code 0 on success; non-zero with a one-line reason on stderr on failure.
 */
import { clipCommand } from '../main/reports/cli-clip';
import { playlistCommand } from '../main/reports/cli-playlist';
import { alignCommand, talkCommand } from '../main/talk/cli';
import { packageCommand } from '../main/packages/cli';
import { feedbackCommand } from '../main/feedback/cli';
import { reportCommand } from '../main/reports/cli-report';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../shared/errors';
import { write } from '../main/db/open';
import { formatDuration, formatTime, isCalendarDate, offsetProblem } from '../shared/time';
import { insideLibrary, writeOutput } from '../main/files/output';
import { count } from '../shared/words';
import { channels } from '../shared/contract';
import { issueMessage } from '../shared/contract/issue-message';
import { createCore, defaultDataDir, type Core } from '../main/app';
import { cliDispatcher } from '../main/hosts/cli-dispatch';
import type { CliCall } from '../main/rpc/types';
import { toShape } from '../main/rpc/errors';
import { ROLES, type Role } from '../shared/annotations';
import { sessionBoris, sessionCsv, sessionDocument, sessionEaf } from '../main/interop/exporter';
import { studySegmentsCsv, studyUnitsCsv } from '../main/interop/study-export';
import type { Bounds } from '../shared/agreement/format';
import { sessionSubject } from '../main/protection/audit';
import { describeImpact } from '../shared/erasure';
import { raterErasure } from '../main/protection/rater-erasure';
import { checkFile, probe } from '../main/media/media';
import { parseCsvRows, parseRaterSpans, parseRatingsTable } from '../main/agreement/segment-files';
import type { FileImportOptions, FileImportOutcome } from '../main/interop/service';
import { decodeText } from '../main/interop/decode';
import { prepareProtectedRestore } from '../main/protection/backups';
import { libraryCommand, libraryKey } from '../main/protection/cli';
import { detectFormat, formatLabel } from '../main/interop/detect';
import { TIER_ROLES, type MapFile } from '../main/interop/mapping';
import {
  perspectivesReport,
  ratingsReport,
  segmentsReport,
  sessionAgreement,
  studyAgreement,
} from '../main/agreement/agreement';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** True when stderr is a terminal: draw a progress bar. */
  tty: boolean;
  env: NodeJS.ProcessEnv;
  /** Asks a question on the terminal without echoing the answer (passphrases); absent without one. */
  prompt?: (question: string) => Promise<string>;
}

const USAGE = `Usage: alliance-review <command> [options]

Library and recordings:
  cases
  sessions [--case CODE]
  import FILE... --case CODE --session N [--date YYYY-MM-DD] [--therapist NAME] [--offset-ms N]... [--copy]
      --offset-ms once for every file, or once per file in the files' order
  align SESSION_ID [--apply]            each recording's offset against the main one, found by its
      audio, with a confidence ("no match found" when they share no sound); --apply stores them
  talk SESSION_ID [--analyze] [--silence-ms 3000] [--name KEY=NAME]...
      who speaks when: speaker lanes, silences, overlaps, talk figures per 5 minutes; --analyze
      for recordings imported before speech analysis; --name left=Therapist names a lane per case

Coding, transcripts and questionnaires:
  raters [list] | raters add NAME --role supervisor|trainee|observer|therapist|patient
      the people who rate, with their role (their perspective); a new one for feedback or imports
  annotations import FILE --session ID [--rater NAME | --rater-per-tier] [--role ROLE] [--skip-invalid]
       [--tier NAME]... [--observation NAME]... [--map FILE.json] [--add-codes] [--encoding ENC] [--submit] [--dry-run]
      FILE: CSV with a header type,code,start,end[,significance,stage,note] (times in seconds
      or hh:mm:ss.mmm); an ELAN .eaf or tab-delimited export; a BORIS project or aggregated /
      tabular events export. --dry-run shows each tier, its role and its rater, and stores nothing;
      --submit submits the imported raters' ratings (finished coding others may then see)
  transcripts import FILE --session ID [--tier NAME]... [--encoding ENC]
      WebVTT, SRT, timed text, or the transcript tiers of an ELAN file
  transcripts search TEXT [--session ID]  |  transcripts list SESSION_ID
  responses import FILE.csv             questionnaires: session,perspective,rater,item,value
  instruments list | export KEY | import FILE.json

Agreement and perspectives:
  agreement ratings FILE.csv [--bootstrap N] [--seed S] [--categories 1,2,3,4,5] [--weight-by values|order]
      CSV unit,rater,value (empty, NA, . = missing); --bootstrap: percentile intervals for alpha
  agreement segments FILE [--unit-ms 1000] [--tolerance-ms 0] [--window-ms 3000] [--tiers A,B,…]
      FILE: CSV rater,code,start,end (seconds or hh:mm:ss.mmm), or ELAN .eaf / text (one tier
      per rater; --tiers chooses them) or BORIS project / export (one observation per rater)
  agreement session SESSION_ID [--bootstrap N] [--seed S] [--block-ms MS]
      all submitted ratings of a session, from the library (with --bootstrap, each pair's
      intervals from a block bootstrap over time; also for agreement segments)
  agreement study [--case CODE] [--bootstrap N] [--seed S]
      every session's submitted ratings, pair by pair, and the means (with --bootstrap, intervals
      from resampling whole sessions)
  perspectives [--case CODE]            rupture rates per perspective, McNemar and Cochran's Q

Supervision:
  feedback add SESSION_ID --at TIME [--to TIME] --author NAME --text TEXT [--label LABEL]
  feedback list SESSION_ID              comments on a session, with replies and their state
  clip SESSION_ID (--segment ID | --from TIME --to TIME) [--pad SECONDS] [--audio-only] [--blur]
       [--timecode] [--pitch] [--label TEXT] [--out FILE]   a teaching clip (MP4, H.264/AAC)
  playlist SESSION_ID --items seg:ID,fb:ID,… [--pad SECONDS] [--blur] [--pitch] (--out FILE.mp4 | --folder DIR)
      marked moments in order: one MP4 with title cards, or a folder of clips with index.csv
  report SESSION_ID --format pdf|html [--out FILE] [--names]
      the supervision report (pseudonymous unless --names); a PDF is printed by Chromium or Chrome
  report --case CODE --format pdf|html [--out FILE] [--names]   the case summary across sessions

Export and sharing:
  export SESSION_ID --format json|csv|eaf|boris [--out FILE] [--names] [--notes] [--include-paths] [--include-transcript]
      pseudonymous unless --names (therapist, raters, file names); free text only with --notes
      eaf: ELAN 3.0 (a tier per rater and kind); boris: a BORIS project (an observation per rater)
  export-study [--case CODE] --out-dir DIR [--unit-ms 1000] [--names]
      segments.csv (one row per segment) and units.csv (unit × rater × code, present 0/1)
  package export --sessions ID,… --rater NAME --out FILE [--include-media] [--due YYYY-MM-DD]
  package open FILE | package return --out FILE [--package ID] | package import FILE… | package list
      rating packages for observers at other desks, sealed with a passphrase (asked for, or
      --passphrase-file FILE, or ALLIANCE_REVIEW_PACKAGE_PASSPHRASE)

Safekeeping:
  backup now | backup list | backup restore FILE
      checked, rotated backups of the library (the app makes one a day); restore keeps what was
      there as a backup first
  library status | library protect | library change-passphrase | library unprotect | library auto-lock MINUTES
      encryption of the library with a passphrase (from ALLIANCE_REVIEW_PASSPHRASE or a prompt;
      a new one from ALLIANCE_REVIEW_NEW_PASSPHRASE or the prompt). A protected library's
      passphrase is asked by every command
  audit list | audit verify            who opened, exported, printed, packed and deleted what;
      verify checks the log's hash chain (exit 1 when an entry was changed)
  cases delete CODE --yes | sessions delete ID --yes | raters delete NAME --yes
      erases a case or a session (its rows, edit history, revisions, transcripts, copied recordings),
      or a rater with all their work, and overwrites the space it took (without --yes: says what)

Options for every command:
  --data-dir DIR   where the library lives (default: $ALLIANCE_REVIEW_DATA_DIR or the app's data folder)
  --json           machine-readable output
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  case: { type: 'string' },
  session: { type: 'string' },
  date: { type: 'string' },
  therapist: { type: 'string' },
  'offset-ms': { type: 'string', multiple: true },
  copy: { type: 'boolean', default: false },
  format: { type: 'string' },
  out: { type: 'string' },
  'include-paths': { type: 'boolean', default: false },
  rater: { type: 'string' },
  role: { type: 'string' },
  'skip-invalid': { type: 'boolean', default: false },
  'unit-ms': { type: 'string' },
  'tolerance-ms': { type: 'string' },
  'window-ms': { type: 'string' },
  at: { type: 'string' },
  to: { type: 'string' },
  author: { type: 'string' },
  text: { type: 'string' },
  label: { type: 'string' },
  names: { type: 'boolean', default: false },
  notes: { type: 'boolean', default: false },
  segment: { type: 'string' },
  from: { type: 'string' },
  pad: { type: 'string' },
  'audio-only': { type: 'boolean', default: false },
  blur: { type: 'boolean', default: false },
  timecode: { type: 'boolean', default: false },
  pitch: { type: 'boolean', default: false },
  items: { type: 'string' },
  folder: { type: 'string' },
  tier: { type: 'string', multiple: true },
  tiers: { type: 'string' },
  map: { type: 'string' },
  'add-codes': { type: 'boolean', default: false },
  'rater-per-tier': { type: 'boolean', default: false },
  encoding: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  submit: { type: 'boolean', default: false },
  'include-transcript': { type: 'boolean', default: false },
  'out-dir': { type: 'string' },
  observation: { type: 'string', multiple: true },
  bootstrap: { type: 'string' },
  'block-ms': { type: 'string' },
  sessions: { type: 'string' },
  'include-media': { type: 'boolean', default: false },
  due: { type: 'string' },
  package: { type: 'string' },
  'passphrase-file': { type: 'string' },
  yes: { type: 'boolean', default: false },
  categories: { type: 'string' },
  'weight-by': { type: 'string' },
  seed: { type: 'string' },
  apply: { type: 'boolean', default: false },
  analyze: { type: 'boolean', default: false },
  'silence-ms': { type: 'string' },
  name: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parse>['values'];
function parse(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.stderr(`alliance-review: ${(error as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || !command) {
    io.stdout(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (command === 'agreement' && positionals[1] !== 'session' && positionals[1] !== 'study') {
    // Works on files alone: no library needed.
    try {
      return agreementCommand(args, values, io);
    } catch (error) {
      io.stderr(`alliance-review: ${toShape(error).message}\n`);
      return 1;
    }
  }
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir(io.env);
  let core: Core | null = null;
  try {
    if (command === 'library') return await libraryCommand(dataDir, args, values.json, io, cliActor());
    const key = await libraryKey(dataDir, io);
    core = createCore({ dataDir, actor: cliActor(), key });
    // Commands with a contract channel go through the one dispatch (validation, policy, audit).
    const call = cliDispatcher(core);
    switch (command) {
      case 'import':
        return await importCommand(core, args, values, io);
      case 'cases':
        if (args[0] === 'delete') return await eraseCommand(core, call, 'case', args[1], values, io);
        return casesCommand(core, values, io);
      case 'sessions':
        if (args[0] === 'delete') return await eraseCommand(core, call, 'session', args[1], values, io);
        return sessionsCommand(core, values, io);
      case 'export': {
        const code = exportCommand(core, args, values, io);
        core.audit.record('session.export', sessionSubject(core, Number(args[0])), { format: values.format ?? 'json' });
        return code;
      }
      case 'annotations':
        return annotationsCommand(core, args, values, io);
      case 'transcripts':
        return transcriptsCommand(core, args, values, io);
      case 'export-study': {
        const code = exportStudyCommand(core, values, io);
        core.audit.record('study.export', values.case ? `case ${values.case}` : 'all cases', {});
        return code;
      }
      case 'audit':
        return auditCommand(core, args, values, io);
      case 'raters': {
        if (args[0] === undefined || args[0] === 'list' || args[0] === 'add')
          return await ratersCommand(call, args, values, io);
        if (args[0] !== 'delete')
          throw new AppError(
            'INVALID_INPUT',
            'Use: alliance-review raters [list] | raters add NAME --role ROLE | raters delete NAME --yes.',
          );
        const name = need(args[1], 'NAME');
        const found = core.annotations.raters().find((r) => r.name.toLowerCase() === name.toLowerCase());
        if (!found) throw new AppError('NOT_FOUND', `There is no rater called ${name}.`);
        const e = raterErasure(core, found.id);
        if (!values.yes) {
          io.stderr(
            `alliance-review: ${found.name} was not erased. ${e.words}\nThis cannot be undone; to erase, add --yes.\n`,
          );
          return 1;
        }
        // Through the front door: the handler erases, reaches the backups and records it.
        const done = await call('raters:delete', { id: found.id });
        io.stdout(
          values.json
            ? `${JSON.stringify({ erased: found.name, impact: e.impact, ...done }, null, 2)}\n`
            : `Erased. ${e.words}\n`,
        );
        return 0;
      }
      case 'backup':
        return await backupCommand(core, call, args, values, io, key);
      case 'agreement': {
        const opts = {
          unitMs: intOption(values['unit-ms'], '--unit-ms', 1) ?? 1000,
          toleranceMs: intOption(values['tolerance-ms'], '--tolerance-ms', 0) ?? 0,
          windowMs: intOption(values['window-ms'], '--window-ms', 0) ?? 3000,
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
            io.stdout(
              `${count(study.sessions, 'session')}, ${count(study.pairs, 'rater pair')}: mean time-unit kappa ${f(study.mean.time_unit_kappa_any)}, event agreement ${f(study.mean.event_agreement_any)}, PABAK ${f(study.mean.pabak)}\n`,
            );
          }
          return 0;
        }
        const id = intOption(need(args[1], 'SESSION_ID'), 'SESSION_ID', 1)!;
        const report = sessionAgreement(core, id, { ...opts, ...blockBootstrapOptions(values) });
        io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${humanReport(report)}\n`);
        return 0;
      }
      case 'perspectives': {
        const report = perspectivesReport(core, values.case);
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
      case 'instruments': {
        const [sub, arg] = args;
        if (sub === 'list') {
          const list = await call('instruments:list', {});
          if (values.json) io.stdout(`${JSON.stringify(list, null, 2)}\n`);
          else
            for (const i of list)
              io.stdout(`${i.key}\t${i.name}\t${i.items.length} items\t${i.perspectives.join(', ')}\n`);
          return 0;
        }
        if (sub === 'export') {
          io.stdout(`${JSON.stringify(core.responses.instrument(need(arg, 'KEY')).def, null, 2)}\n`);
          return 0;
        }
        if (sub === 'import') {
          const file = need(arg, 'FILE');
          const text = readText(file);
          const inst = await call('instruments:import', { text });
          io.stdout(`Imported ${inst.key} (${inst.name}, ${inst.items.length} items).\n`);
          return 0;
        }
        throw new AppError('INVALID_INPUT', 'Use: alliance-review instruments list | export KEY | import FILE.json.');
      }
      case 'align':
        return await alignCommand(core, args, values, { ...io, progress: progressBar(io, 'align') });
      case 'talk':
        return await talkCommand(core, args, values, { ...io, progress: progressBar(io, 'speech') });
      case 'package':
        return await packageCommand(core, args, values, { ...io, progress: progressBar(io, 'package') });
      case 'feedback':
        return await feedbackCommand(core, call, args, values, io.stdout);
      case 'clip': {
        const code = await clipCommand(core, args, values, { ...io, progress: progressBar(io, 'clip') });
        if (code === 0) core.audit.record('clip.export', sessionSubject(core, Number(args[0])), {});
        return code;
      }
      case 'playlist':
        return await playlistCommand(core, args, values, { ...io, progress: progressBar(io, 'playlist') });
      case 'report': {
        const code = await reportCommand(core, args, values, io);
        if (code === 0)
          core.audit.record(
            'report.export',
            values.case ? `case ${values.case}` : sessionSubject(core, Number(args[0])),
            { format: values.format ?? 'html', names: values.names ?? false },
          );
        return code;
      }
      case 'responses': {
        if (args[0] !== 'import')
          throw new AppError('INVALID_INPUT', 'Use: alliance-review responses import FILE.csv.');
        const file = need(args[1], 'FILE');
        const text = csvText(file, 'responses import', 'a CSV with the header session,perspective,rater,item,value');
        const result = core.responses.importCsv(parseCsvRows(text));
        if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
        else
          io.stdout(`Imported ${count(result.imported, 'answer')} in ${count(result.responses, 'questionnaire')}.\n`);
        for (const r of result.rejected) io.stderr(`line ${r.line}: ${r.reason}\n`);
        if (result.rejected.length) {
          io.stderr(
            `alliance-review: nothing imported: ${result.rejected.length} row${result.rejected.length === 1 ? '' : 's'} rejected.\n`,
          );
          return 1;
        }
        return 0;
      }
      default:
        io.stderr(`alliance-review: unknown command "${command}". Run alliance-review --help.\n`);
        return 2;
    }
  } catch (error) {
    io.stderr(`alliance-review: ${toShape(error).message}\n`);
    return 1;
  } finally {
    core?.close();
  }
}

function need(value: string | undefined, what: string): string {
  if (!value) throw new AppError('INVALID_INPUT', `${what} is required.`);
  return value;
}

function intOption(value: string | undefined, what: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new AppError(
      'INVALID_INPUT',
      `${what} must be a whole number${min > 0 ? ` from ${min}` : ''}, not "${value}".`,
    );
  return n;
}

async function importCommand(core: Core, files: string[], values: Values, io: Io): Promise<number> {
  if (files.length === 0) throw new AppError('INVALID_INPUT', 'Name at least one file to import.');
  const code = need(values.case, '--case CODE');
  const number = intOption(need(values.session, '--session N'), '--session', 1)!;
  const offsets = (values['offset-ms'] ?? []).map((v) => {
    const ms = Number(v);
    const bad = v.trim() === '' || Number.isNaN(ms) ? 'Offsets are whole milliseconds.' : offsetProblem(ms);
    if (bad) throw new AppError('INVALID_INPUT', `--offset-ms "${v}": ${bad}`);
    return ms;
  });
  if (offsets.length > 1 && offsets.length !== files.length)
    throw new AppError(
      'INVALID_INPUT',
      `--offset-ms was given ${offsets.length} times for ${files.length} files: give it once for all files, or once per file in the files' order.`,
    );
  const offsetOf = (i: number) => (offsets.length > 1 ? offsets[i]! : (offsets[0] ?? 0));
  const date = values.date ?? null;
  if (date !== null && !isCalendarDate(date))
    throw new AppError('INVALID_INPUT', `--date must be a date on the calendar, written YYYY-MM-DD, not "${date}".`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(code)) {
    throw new AppError(
      'INVALID_INPUT',
      `--case must be a pseudonymous code such as C-014 (letters, digits, . _ -), not "${code}".`,
    );
  }
  // The same schema the app's form is checked with (length limits and all).
  const caseInput = channels['cases:create'].input.safeParse({ code, therapist: values.therapist ?? '' });
  if (!caseInput.success) {
    const issue = caseInput.error.issues[0]!;
    throw new AppError('INVALID_INPUT', `--${String(issue.path[0] ?? 'case')}: ${issueMessage(issue)}`);
  }
  // Check every file before touching the database, so a bad file changes nothing.
  for (const f of files) {
    await checkFile(path.resolve(f));
    await probe(path.resolve(f));
  }
  const { library, imports } = core;
  const existingCase = core.repos.cases.byCode(code);
  const existingSession = existingCase && core.repos.sessions.byNumber(existingCase.id, number);
  // The case, the session and the note that this import made them are one transaction: if the
  // process is killed before a recording lands, the next start removes them again.
  const { c, session, pendingId } = write(core.db, () => {
    const c = existingCase ?? library.createCase({ code, therapist: values.therapist ?? '', notes: '' });
    const session = existingSession ?? library.createSession({ caseId: c.id, number, date, modality: '', notes: '' });
    const pendingId = imports.track({
      caseId: c.id,
      sessionId: session.id,
      createdCase: !existingCase,
      createdSession: !existingSession,
    });
    return { c, session, pendingId };
  });
  // Ctrl+C or a polite kill: stop, clean up what this run made, and say so.
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    abort.abort();
    io.stderr(`\nalliance-review: import interrupted (${signal}); nothing of it was kept.\n`);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const results: unknown[] = [];
  let failed = 0;
  for (const [i, f] of files.entries()) {
    const name = path.basename(f);
    const draw = progressBar(io, name);
    try {
      if (abort.signal.aborted) throw new AppError('CANCELLED', 'Import cancelled.');
      const rec = await imports.importOne(
        session.id,
        f,
        { offsetMs: offsetOf(i), copy: values.copy ?? false },
        abort.signal,
        draw,
      );
      draw(1, true);
      results.push(rec);
      if (!values.json) {
        io.stdout(
          `Imported ${rec.fileName} into ${c.code} session ${session.number} (recording ${rec.id}, ${formatDuration(rec.durationMs)}${rec.hasAudio ? '' : ', no audio track'}).\n`,
        );
      }
    } catch (error) {
      if (io.tty) io.stderr('\n');
      failed++;
      io.stderr(`alliance-review: ${name}: ${toShape(error).message}\n`);
    }
  }
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  // Nothing landed: remove the case and session this run created, leaving the library as it was.
  if (results.length === 0) imports.recoverInterrupted(true);
  else imports.untrack(pendingId);
  if (abort.signal.aborted) return 130;
  if (values.json)
    io.stdout(
      `${JSON.stringify({ case: c.code, session: { id: session.id, number: session.number }, recordings: results }, null, 2)}\n`,
    );
  return failed ? 1 : 0;
}

function progressBar(io: Io, name: string) {
  let last = -1;
  return (fraction: number, done = false) => {
    const pct = Math.floor(fraction * 100);
    if (io.tty) {
      if (pct === last && !done) return;
      last = pct;
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      io.stderr(
        `\r${name.slice(0, 30).padEnd(30)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)} %`,
      );
      if (done) io.stderr('\n');
    } else if (pct >= last + 25 || (done && pct !== last)) {
      last = pct;
      io.stderr(`${name}: ${pct} %\n`);
    }
  };
}

function casesCommand(core: Core, values: Values, io: Io): number {
  const cases = core.library.listCases().map((c) => ({
    id: c.id,
    code: c.code,
    therapist: c.therapist,
    sessions: c.sessions.length,
    lastDate:
      c.sessions
        .map((s) => s.date)
        .filter(Boolean)
        .sort()
        .at(-1) ?? null,
  }));
  if (values.json) io.stdout(`${JSON.stringify(cases, null, 2)}\n`);
  else if (cases.length === 0)
    io.stdout('No cases yet. Import a recording with: alliance-review import FILE --case C-001 --session 1\n');
  else
    for (const c of cases)
      io.stdout(
        `${c.code}\t${c.therapist || '-'}\t${c.sessions} session${c.sessions === 1 ? '' : 's'}\t${c.lastDate ?? ''}\n`,
      );
  return 0;
}

function sessionsCommand(core: Core, values: Values, io: Io): number {
  let cases = core.library.listCases();
  if (values.case) {
    cases = cases.filter((c) => c.code.toLowerCase() === values.case!.toLowerCase());
    if (cases.length === 0) throw new AppError('NOT_FOUND', `There is no case ${values.case}.`);
  }
  const rows = cases.flatMap((c) =>
    c.sessions.map((s) => ({
      id: s.id,
      case: c.code,
      number: s.number,
      date: s.date,
      recordings: s.recordings.length,
      durationMs: Math.max(0, ...s.recordings.map((r) => r.durationMs + r.offsetMs)),
      state: s.recordings.some((r) => r.state !== 'ready')
        ? 'needs attention'
        : s.recordings.length
          ? 'ready'
          : 'empty',
    })),
  );
  if (values.json) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
  else
    for (const r of rows)
      io.stdout(
        `${r.id}\t${r.case}\tsession ${r.number}\t${r.date ?? '-'}\t${r.recordings} recording${r.recordings === 1 ? '' : 's'}\t${formatDuration(r.durationMs)}\t${r.state}\n`,
      );
  return 0;
}

function exportCommand(core: Core, args: string[], values: Values, io: Io): number {
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

function writeOut(doc: string, values: Values, io: Io, dataDir: string, out = values.out): void {
  if (out) {
    const { plain } = writeOutput(out, { what: 'the export', dataDir, special: 'write-into' }, (target) =>
      fs.writeFileSync(target, `${doc}\n`),
    );
    if (!values.json && plain) io.stdout(`Wrote ${out}\n`);
  } else io.stdout(`${doc}\n`);
}

async function ratersCommand(call: CliCall, args: string[], values: Values, io: Io): Promise<number> {
  if (args[0] === 'add') {
    const name = need(args[1], 'NAME');
    const role = values.role;
    // Which flag is missing is the command line's to say; the values are the contract's to check.
    if (!role || !(ROLES as readonly string[]).includes(role))
      throw new AppError('INVALID_INPUT', `--role must be one of ${ROLES.join(', ')}${role ? `, not "${role}"` : ''}.`);
    const rater = await call('raters:create', { name, role: role as Role });
    io.stdout(values.json ? `${JSON.stringify(rater, null, 2)}\n` : `Added ${rater.name} (${rater.role}).\n`);
    return 0;
  }
  const people = (await call('raters:list', {})).filter((r) => !r.consensus);
  if (values.json) io.stdout(`${JSON.stringify(people, null, 2)}\n`);
  else if (!people.length) io.stdout('No raters yet. Add one: alliance-review raters add NAME --role ROLE.\n');
  else for (const r of people) io.stdout(`${r.id}\t${r.name}\t${r.role}\n`);
  return 0;
}

function exportStudyCommand(core: Core, values: Values, io: Io): number {
  const dir = need(values['out-dir'], '--out-dir DIR');
  const unitMs = intOption(values['unit-ms'], '--unit-ms', 100) ?? 1000;
  if (values.case && !core.library.listCases().some((c) => c.code.toLowerCase() === values.case!.toLowerCase()))
    throw new AppError('NOT_FOUND', `There is no case ${values.case}.`);
  if (insideLibrary(core.dataDir, dir))
    throw new AppError(
      'INVALID_INPUT',
      `${dir} is inside the library's own folder (${core.dataDir}); the study's CSV files are never written there. Choose another folder.`,
    );
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

function readBytes(file: string): Uint8Array {
  try {
    return fs.readFileSync(path.resolve(file));
  } catch (error) {
    throw new AppError('FILE_MISSING', `Could not read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

function readMapFile(file: string | undefined): MapFile | undefined {
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

function printImport(
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
  if (outcome.newCodes.length)
    io.stdout(
      `${values['dry-run'] ? 'Would add' : 'Added'} codes ${outcome.newCodes.join(', ')} (group "imported", a new codebook version).\n`,
    );
  for (const w of outcome.warnings) io.stderr(`warning: ${w}\n`);
  for (const r of outcome.rejected) io.stderr(`${r.at}: ${r.reason}\n`);
}

function importOptions(values: Values): FileImportOptions {
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

function importFileCommand(
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

function annotationsCommand(core: Core, args: string[], values: Values, io: Io): number {
  const [sub, file] = args;
  if (sub !== 'import')
    throw new AppError('INVALID_INPUT', 'Use: alliance-review annotations import FILE --session ID [--rater NAME].');
  const path_ = need(file, 'FILE');
  const sessionId = intOption(need(values.session, '--session ID'), '--session', 1)!;
  return importFileCommand(core, path_, sessionId, importOptions(values), values, io, 'segments');
}

function transcriptsCommand(core: Core, args: string[], values: Values, io: Io): number {
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
    'Use: alliance-review transcripts import FILE --session ID, transcripts search TEXT [--session ID], or transcripts list SESSION_ID.',
  );
}

function agreementCommand(args: string[], values: Values, io: Io): number {
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
    report = ratingsReport(parsed, {
      bootstrap,
      seed: intOption(values.seed, '--seed', 0) ?? 1,
      categories,
      weightBy,
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

/**
 * `cases delete CODE --yes`, `sessions delete ID --yes`: erasure. Without --yes it only says what
 * would be erased, and exits 1.
 */
async function eraseCommand(
  core: Core,
  call: CliCall,
  kind: 'case' | 'session',
  arg: string | undefined,
  values: Values,
  io: Io,
): Promise<number> {
  let what: { caseId: number } | { sessionId: number };
  let subject: string;
  if (kind === 'case') {
    const code = need(arg, 'CODE');
    const found = core.library.listCases().find((c) => c.code.toLowerCase() === code.toLowerCase());
    if (!found) throw new AppError('NOT_FOUND', `There is no case ${code}.`);
    what = { caseId: found.id };
    subject = `case ${found.code}`;
  } else {
    const id = intOption(need(arg, 'SESSION_ID'), 'SESSION_ID', 1)!;
    what = { sessionId: id };
    subject = sessionSubject(core, id);
  }
  const impact = core.library.deleteImpact(what);
  const words = describeImpact(impact, kind === 'case');
  if (!values.yes) {
    io.stderr(
      `alliance-review: ${subject} was not deleted. ${words}\nThis cannot be undone; to erase it, add --yes (export it first to keep a copy).\n`,
    );
    return 1;
  }
  // Through the front door: the handler erases (reaching the backups), sweeps scrub aids, and audits.
  const result =
    'caseId' in what
      ? await call('cases:delete', { id: what.caseId })
      : await call('sessions:delete', { id: what.sessionId });
  if (values.json)
    io.stdout(
      `${JSON.stringify({ deleted: subject, impact, compacted: result.compacted, backups: result.backups }, null, 2)}\n`,
    );
  else
    io.stdout(
      `Erased ${subject}. ${words}${result.compacted ? '' : ' (Another program has the library open: its free space will be overwritten at the next erasure.)'}\n`,
    );
  return 0;
}

/** `backup now | list | restore FILE`. */
async function backupCommand(
  core: Core,
  call: CliCall,
  args: string[],
  values: Values,
  io: Io,
  key?: Buffer,
): Promise<number> {
  const [sub, file] = args;
  const size = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  if (sub === 'now') {
    const b = await call('backups:now', {});
    io.stdout(
      values.json ? `${JSON.stringify(b, null, 2)}\n` : `Backed up to ${b.file} (${size(b.bytes)}), checked.\n`,
    );
    return 0;
  }
  if (sub === 'list') {
    const list = await call('backups:list', {});
    if (values.json) io.stdout(`${JSON.stringify(list, null, 2)}\n`);
    else if (!list.length) io.stdout('No backups yet: alliance-review backup now.\n');
    else
      for (const b of list)
        io.stdout(`${b.createdAt}  ${b.kind.padEnd(14)}  ${size(b.bytes).padStart(9)}  ${b.file}\n`);
    return 0;
  }
  if (sub === 'restore' && key) {
    // A protected library is restored with the library closed (core/backups.ts).
    const restored = path.resolve(need(file, 'FILE'));
    const { safety, finish } = await prepareProtectedRestore(core.db, core.backups, restored, key);
    core.close();
    finish();
    const again = createCore({ dataDir: core.dataDir, actor: cliActor(), key });
    try {
      again.audit.reanchor('backup.restore', path.basename(restored), { safety: safety.name });
    } finally {
      again.close();
    }
    const r = { restored, safety };
    io.stdout(
      values.json
        ? `${JSON.stringify(r, null, 2)}\n`
        : `Restored ${r.restored}. What was there before is kept in ${r.safety.file}.\n`,
    );
    return 0;
  }
  if (sub === 'restore') {
    const r = await core.backups.restore(need(file, 'FILE'));
    core.audit.reanchor('backup.restore', path.basename(r.restored), { safety: r.safety.name });
    io.stdout(
      values.json
        ? `${JSON.stringify(r, null, 2)}\n`
        : `Restored ${r.restored}. What was there before is kept in ${r.safety.file}.\n`,
    );
    return 0;
  }
  throw new AppError('INVALID_INPUT', 'Use: alliance-review backup now | backup list | backup restore FILE.');
}

/** Who the audit log names for the command line: the OS user. */
function cliActor(): string {
  try {
    return `${os.userInfo().username} (command line)`;
  } catch {
    return 'command line';
  }
}

/** `audit list [--json]` and `audit verify` (exit 1 when the chain is broken). */
function auditCommand(core: Core, args: string[], values: Values, io: Io): number {
  if (args[0] === 'verify') {
    const v = core.audit.verify();
    io.stdout(values.json ? `${JSON.stringify(v, null, 2)}\n` : `${v.message}\n`);
    return v.ok ? 0 : 1;
  }
  if (args[0] !== 'list')
    throw new AppError('INVALID_INPUT', 'Use: alliance-review audit list [--json] | audit verify.');
  const entries = core.audit.list();
  if (values.json) io.stdout(`${JSON.stringify(entries, null, 2)}\n`);
  else
    for (const e of [...entries].reverse())
      io.stdout(
        `${e.at}  ${e.actor}  ${e.action}  ${e.subject}${Object.keys(e.detail).length ? `  ${JSON.stringify(e.detail)}` : ''}\n`,
      );
  return 0;
}

/** --bootstrap, --seed and --block-ms of the segment agreements (a block bootstrap over time). */
function blockBootstrapOptions(values: Values) {
  const bootstrap = intOption(values.bootstrap, '--bootstrap', 0) ?? 0;
  if (bootstrap > 100_000) throw new AppError('INVALID_INPUT', '--bootstrap takes at most 100,000 resamples.');
  return {
    bootstrap,
    seed: intOption(values.seed, '--seed', 0) ?? 1,
    blockMs: intOption(values['block-ms'], '--block-ms', 1000),
  };
}

function humanReport(r: Record<string, unknown>): string {
  const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : 'n/a');
  if ('icc' in r) {
    const icc = r.icc as Record<string, number | null>;
    const alpha = r.krippendorff_alpha as Record<string, number | null>;
    const lines = [
      `${count(Number(r.n_units), 'unit')}, ${count(Number(r.n_raters), 'rater')}`,
      `ICC(2,1) ${fmt(icc.ICC2_1)} (default)  ICC(1,1) ${fmt(icc.ICC1_1)}  ICC(3,1) ${fmt(icc.ICC3_1)}  ICC(1,k) ${fmt(icc.ICC1_k)}  ICC(2,k) ${fmt(icc.ICC2_k)}  ICC(3,k) ${fmt(icc.ICC3_k)}`,
      `Krippendorff's alpha: nominal ${fmt(alpha.nominal)}  ordinal ${fmt(alpha.ordinal)}  interval ${fmt(alpha.interval)}  ratio ${fmt(alpha.ratio)}`,
    ];
    if ('cohen_kappa' in r)
      lines.push(`Cohen's kappa ${fmt(r.cohen_kappa)}  quadratic-weighted kappa ${fmt(r.weighted_kappa_quadratic)}`);
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

/**
 * A CSV a command expects, decoded; another tool's file is named for what it is (with the
 * command that reads it), and an empty file says so, instead of a CSV parser's complaint.
 */
function csvText(file: string, command: string, expected: string, text = decodeText(readBytes(file)).text): string {
  const found = detectFormat(text);
  if (found === 'empty') throw new AppError('INVALID_INPUT', `${file} is empty.`);
  if (found !== 'alliance-csv' && found !== 'rater-csv' && found !== 'ratings-csv' && found !== 'unknown') {
    const use =
      found === 'webvtt' || found === 'srt' || found === 'timed-text'
        ? 'transcripts import FILE --session ID'
        : 'annotations import FILE --session ID, or agreement segments FILE';
    throw new AppError(
      'INVALID_INPUT',
      `This is ${/^[aeiou]/i.test(formatLabel(found)) ? 'an' : 'a'} ${formatLabel(found)}, not what ${command} reads (${expected}); use: alliance-review ${use}.`,
    );
  }
  return text;
}

/** Reads a user's file, or says plainly that it could not be read. */
function readText(file: string): string {
  try {
    return fs.readFileSync(path.resolve(file), 'utf8');
  } catch (error) {
    throw new AppError('FILE_MISSING', `Could not read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}
