/**
 * `feedback add SESSION --at T [--to T] --author NAME --text TEXT [--label L]` and
 * `feedback list SESSION`: teams script reminders and read threads without the app;
 * `feedback reply`: a reply as its author; `feedback hold`: the hold on feedback until a trainee submits.
 */
import type { Core } from '../app';
import type { CliCall } from '../rpc/types';
import { AppError } from '../../shared/errors';
import { formatTime, parseTime } from '../../shared/time';
import type { Command } from '../../cli/args';

export interface FeedbackOptions {
  at?: string;
  to?: string;
  author?: string;
  text?: string;
  label?: string;
  case?: string;
  json?: boolean;
}

export async function feedbackCommand(
  core: Core,
  call: CliCall,
  args: string[],
  values: FeedbackOptions,
  out: (s: string) => void,
): Promise<number> {
  const [sub, sessionArg] = args;
  if (sub === 'hold') return holdCommand(core, call, args.slice(1), values, out);
  if (sub === 'reply') return replyCommand(core, call, args.slice(1), values, out);
  const sessionId = Number(sessionArg);
  if ((sub !== 'add' && sub !== 'list') || !Number.isInteger(sessionId) || sessionId < 1)
    throw new AppError(
      'INVALID_INPUT',
      'Use: alliance-review feedback add SESSION_ID --at TIME [--to TIME] --author NAME --text TEXT [--label LABEL], feedback list SESSION_ID, feedback reply COMMENT_ID --author NAME --text TEXT, or feedback hold SESSION_ID on|off|default.',
    );
  if (sub === 'list') {
    const view = await call('feedback:list', { sessionId });
    if (values.json) out(`${JSON.stringify(view.threads, null, 2)}\n`);
    else if (!view.threads.length) out('No feedback on this session yet.\n');
    else
      for (const t of view.threads) {
        const span = t.endMs > t.startMs ? `${formatTime(t.startMs)}–${formatTime(t.endMs)}` : formatTime(t.startMs);
        out(`#${t.id}\t${span}\t${t.state}\t${t.authorName}${t.label ? ` [${t.label}]` : ''}: ${t.text}\n`);
        for (const r of t.replies) out(`\t\t\t↳ ${r.authorName}: ${r.text}\n`);
      }
    return 0;
  }
  const at = time(values.at, '--at');
  if (at === undefined) throw new AppError('INVALID_INPUT', '--at TIME is required (seconds or hh:mm:ss.mmm).');
  const to = time(values.to, '--to');
  const author = authorOf(core, values.author);
  if (values.text === undefined) throw new AppError('INVALID_INPUT', '--text TEXT is required.');
  // Through the front door, as the author: the contract's limits and the policy's rules hold here too.
  const thread = await call(
    'feedback:add',
    { sessionId, startMs: at, endMs: to ?? null, label: values.label ?? null, text: values.text },
    author,
  );
  if (values.json) out(`${JSON.stringify(thread, null, 2)}\n`);
  else out(`Added comment #${thread.id} at ${formatTime(thread.startMs)} by ${thread.authorName}.\n`);
  return 0;
}

/**
 * `feedback hold SESSION_ID on|off|default` and `feedback hold --case CODE on|off|default`: hold a
 * session's (or a case's sessions') feedback from a trainee rating it blind until they submit.
 */
async function holdCommand(
  core: Core,
  call: CliCall,
  args: string[],
  values: FeedbackOptions,
  out: (s: string) => void,
): Promise<number> {
  const usage =
    'Use: alliance-review feedback hold SESSION_ID on|off|default, or feedback hold --case CODE on|off|default.';
  const word = args.at(-1);
  const hold = word === 'on' ? true : word === 'off' ? false : word === 'default' ? null : undefined;
  if (hold === undefined) throw new AppError('INVALID_INPUT', usage);
  if (values.case !== undefined) {
    if (args.length !== 1) throw new AppError('INVALID_INPUT', usage);
    const c = core.library.listCases().find((x) => x.code === values.case);
    if (!c) throw new AppError('NOT_FOUND', `There is no case ${values.case}.`);
    const r = await call('feedback:setHold', { caseId: c.id, hold });
    if (values.json) out(`${JSON.stringify(r, null, 2)}\n`);
    else
      out(
        `Feedback in the sessions of ${c.code} is ${hold === null ? 'held from a trainee rating blind (the default)' : hold ? 'held from every trainee until they submit' : 'never held'}, unless a session says otherwise.\n`,
      );
    return 0;
  }
  const sessionId = Number(args[0]);
  if (args.length !== 2 || !Number.isInteger(sessionId) || sessionId < 1) throw new AppError('INVALID_INPUT', usage);
  const r = (await call('feedback:setHold', { sessionId, hold })) as { on: boolean; source: string };
  if (values.json) out(`${JSON.stringify(r, null, 2)}\n`);
  else
    out(
      `Feedback on session ${sessionId} is ${r.on ? 'held from a trainee until they submit their rating' : 'shown to the trainee at once'} (${r.source === 'session' ? "this session's setting" : r.source === 'case' ? "the case's setting" : 'the default'}).\n`,
    );
  return 0;
}

/** The rater named by --author (feedback always has one), or a message listing who there is. */
function authorOf(core: Core, given: string | undefined) {
  const name = given?.trim();
  if (!name) throw new AppError('INVALID_INPUT', '--author NAME is required: feedback always has an author.');
  const author = core.raters.list().find((r) => !r.consensus && r.name.toLowerCase() === name.toLowerCase());
  if (!author)
    throw new AppError(
      'NOT_FOUND',
      `There is no rater called "${name}". Raters: ${
        core.raters
          .list()
          .filter((r) => !r.consensus)
          .map((r) => `${r.name} (${r.role})`)
          .join(', ') || 'none yet'
      }. Add one with: alliance-review raters add "${name}" --role supervisor.`,
    );
  return author;
}

/** `feedback reply COMMENT_ID --author NAME --text TEXT`: a reply in a thread, as its author. */
async function replyCommand(
  core: Core,
  call: CliCall,
  args: string[],
  values: FeedbackOptions,
  out: (s: string) => void,
): Promise<number> {
  const id = Number(args[0]);
  if (args.length !== 1 || !Number.isInteger(id) || id < 1)
    throw new AppError('INVALID_INPUT', 'Use: alliance-review feedback reply COMMENT_ID --author NAME --text TEXT.');
  const author = authorOf(core, values.author);
  if (values.text === undefined) throw new AppError('INVALID_INPUT', '--text TEXT is required.');
  // Through the front door, as the author: the policy (who takes part, what is held) holds here too.
  const thread = await call('feedback:reply', { threadId: id, text: values.text }, author);
  if (values.json) out(`${JSON.stringify(thread, null, 2)}\n`);
  else
    out(
      `Replied to comment #${thread.id} as ${author.name} (${thread.replies.length} ${thread.replies.length === 1 ? 'reply' : 'replies'} now).\n`,
    );
  return 0;
}

function time(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseTime(value);
  if (ms === null)
    throw new AppError('INVALID_INPUT', `${what} must be a time in seconds or hh:mm:ss.mmm, not "${value}".`);
  return ms;
}

export const feedbackCommands: Command[] = [
  {
    name: 'feedback',
    help: [
      {
        group: 'Supervision',
        text: `  feedback add SESSION_ID --at TIME [--to TIME] --author NAME --text TEXT [--label LABEL]
  feedback list SESSION_ID              comments on a session, with replies and their state
  feedback reply COMMENT_ID --author NAME --text TEXT   a reply in a comment's thread, as its author
  feedback hold SESSION_ID on|off|default   hold feedback from a trainee rating blind until they submit
  feedback hold --case CODE on|off|default  the same for every session of a case`,
      },
    ],
    run: ({ core, call, args, values, io }) => feedbackCommand(core, call, args, values, io.stdout),
  },
];
