/** The library's commands: import recordings, list cases and sessions, erase a case or a session. */
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { write } from '../db/open';
import { formatDuration, isCalendarDate, offsetProblem } from '../../shared/time';
import { channels } from '../../shared/contract';
import { issueMessage } from '../../shared/contract/issue-message';
import type { Core } from '../app';
import type { CliCall } from '../rpc/types';
import { toShape } from '../rpc/errors';
import { sessionSubject } from '../protection/audit';
import { describeImpact } from '../../shared/erasure';
import { checkFile, probe } from '../media/media';
import type { Recording } from '../../shared/domain';
import { type Io, type Values, need, intOption, progressBar, type Command } from '../../cli/args';

export async function importCommand(core: Core, files: string[], values: Values, io: Io): Promise<number> {
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
  // One batch, all or nothing, as the app's: every file is stored, or none is.
  let results: Recording[] = [];
  let failed = false;
  const draw = progressBar(io, files.length === 1 ? path.basename(files[0]!) : `${files.length} files`);
  try {
    results = await imports.importAll(
      session.id,
      files.map((f, i) => ({ path: f, offsetMs: offsetOf(i) })),
      values.copy ?? false,
      abort.signal,
      draw,
    );
    draw(1, true);
    if (!values.json)
      for (const rec of results)
        io.stdout(
          `Imported ${rec.fileName} into ${c.code} session ${session.number} (recording ${rec.id}, ${formatDuration(rec.durationMs)}${rec.hasAudio ? '' : ', no audio track'}).\n`,
        );
  } catch (error) {
    if (io.tty) io.stderr('\n');
    failed = true;
    const shape = toShape(error);
    io.stderr(`alliance-review: ${files.length === 1 ? `${path.basename(files[0]!)}: ` : ''}${shape.message}\n`);
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

export async function casesCommand(call: CliCall, values: Values, io: Io): Promise<number> {
  const cases = (await call('cases:list', {})).map((c) => ({
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

export async function sessionsCommand(call: CliCall, values: Values, io: Io): Promise<number> {
  let cases = await call('cases:list', {});
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

/**
 * `cases delete CODE --yes`, `sessions delete ID --yes`: erasure. Without --yes it only says what
 * would be erased, and exits 1.
 */
export async function eraseCommand(
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
      `Erased ${subject}. ${words}${result.compacted ? '' : ' (Another program has the library open: its free space will be overwritten at the next erasure.)'}${backupWords(result.backups)}\n`,
    );
  return 0;
}

export const libraryCommands: Command[] = [
  {
    name: 'import',
    help: [
      {
        group: 'Library and recordings',
        text: `  import FILE... --case CODE --session N [--date YYYY-MM-DD] [--therapist NAME] [--offset-ms N]... [--copy]
      --offset-ms once for every file, or once per file in the files' order`,
      },
    ],
    run: ({ core, args, values, io }) => importCommand(core, args, values, io),
  },
  {
    name: 'cases',
    help: [
      { group: 'Library and recordings', text: `  cases` },
      {
        group: 'Safekeeping',
        text: `  cases delete CODE --yes | sessions delete ID --yes | raters delete NAME --yes
      erases a case or a session (its rows, edit history, revisions, transcripts, copied recordings),
      or a rater with all their work, in the library and in its backups, and overwrites the space
      it took (without --yes: says what)`,
      },
    ],
    run: ({ core, call, args, values, io }) =>
      args[0] === 'delete' ? eraseCommand(core, call, 'case', args[1], values, io) : casesCommand(call, values, io),
  },
  {
    name: 'sessions',
    help: [{ group: 'Library and recordings', text: `  sessions [--case CODE]` }],
    run: ({ core, call, args, values, io }) =>
      args[0] === 'delete'
        ? eraseCommand(core, call, 'session', args[1], values, io)
        : sessionsCommand(call, values, io),
  },
];

/** What an erasure did to the backups, said (a backup that could not be cleaned was removed). */
export function backupWords(b: { cleaned: number; removed: string[] }): string {
  const cleaned = b.cleaned ? ` It was erased from ${b.cleaned} backup${b.cleaned === 1 ? '' : 's'} too.` : '';
  const removed = b.removed.length
    ? ` ${b.removed.length === 1 ? 'A backup' : `${b.removed.length} backups`} could not be cleaned and ${b.removed.length === 1 ? 'was' : 'were'} removed: ${b.removed.join(', ')}.`
    : '';
  return cleaned + removed;
}
