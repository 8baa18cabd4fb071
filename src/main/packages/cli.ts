/**
 * `package export|open|return|import`: rating packages for observers at other desks.
 *
 * - `package export --sessions ID,… --rater NAME --out FILE [--include-media] [--due YYYY-MM-DD]`
 * - `package open FILE` (the observer's machine)
 * - `package return --out FILE [--package ID]` (submits the rating and writes the return)
 * - `package import FILE…` (several returns at once)
 * - `package list`
 *
 * All take `--json`. The passphrase comes from `--passphrase-file FILE` (its first line), the
 * environment variable ALLIANCE_REVIEW_PACKAGE_PASSPHRASE, or a prompt on a terminal; it is never
 * an argument (arguments show in the process list and the shell's history).
 */
import fs from 'node:fs';
import type { Core } from '../app';
import type { PackageReport } from './packages';
import type { CliCall } from '../rpc/types';
import type { SupervisionReportView } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { untilInterrupted } from '../../cli/interrupt';
import { progressBar, type Command } from '../../cli/args';

export interface PackageCliOptions {
  sessions?: string;
  rater?: string;
  out?: string;
  'include-media'?: boolean;
  due?: string;
  package?: string;
  'passphrase-file'?: string;
  json?: boolean;
}

interface Out {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** Asks on the terminal without echo; absent when there is no terminal. */
  prompt?: (question: string) => Promise<string>;
  progress: (fraction: number, done?: boolean) => void;
}

const USAGE =
  'Use: alliance-review package export --sessions ID,… --rater NAME --out FILE [--include-media] [--due YYYY-MM-DD] | package open FILE | package return --out FILE [--package ID] | package import FILE… | package list';

async function passphrase(values: PackageCliOptions, out: Out, confirm: boolean): Promise<string> {
  if (values['passphrase-file']) {
    let text: string;
    try {
      text = fs.readFileSync(values['passphrase-file'], 'utf8');
    } catch (e) {
      throw new AppError(
        'FILE_UNREADABLE',
        `The passphrase file ${values['passphrase-file']} cannot be read (${(e as NodeJS.ErrnoException).code}).`,
      );
    }
    const first = text.split(/\r?\n/)[0] ?? '';
    if (!first) throw new AppError('INVALID_INPUT', `The passphrase file ${values['passphrase-file']} is empty.`);
    return first;
  }
  const env = out.env.ALLIANCE_REVIEW_PACKAGE_PASSPHRASE;
  if (env) return env;
  if (!out.prompt)
    throw new AppError(
      'INVALID_INPUT',
      'A passphrase is needed: give --passphrase-file FILE or set ALLIANCE_REVIEW_PACKAGE_PASSPHRASE (no terminal to ask on).',
    );
  const first = await out.prompt('Package passphrase: ');
  if (!first) throw new AppError('INVALID_INPUT', 'No passphrase was given.');
  if (confirm && (await out.prompt('Again, to be sure: ')) !== first)
    throw new AppError('INVALID_INPUT', 'The two passphrases differ; nothing was written.');
  return first;
}

function print(reports: PackageReport[], values: PackageCliOptions, out: Out): void {
  if (values.json) {
    out.stdout(`${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`);
    return;
  }
  for (const r of reports) {
    out.stdout(
      `${r.kind === 'rating' ? 'Rating package' : 'Return'} ${r.packageId} (${r.rater})${r.alreadyDone ? ': nothing changed' : ''}\n`,
    );
    for (const s of r.sessions) out.stdout(`  ${s.caseCode} session ${s.number}: ${s.outcome}\n`);
    for (const n of r.notes) out.stdout(`  note: ${n}\n`);
    if (r.bytes !== undefined) out.stdout(`  written: ${r.file} (${(r.bytes / 1024).toFixed(0)} KiB)\n`);
  }
}

export async function packageCommand(core: Core, args: string[], values: PackageCliOptions, out: Out): Promise<number> {
  const [sub, ...files] = args;
  switch (sub) {
    case 'export': {
      const ids = (values.sessions ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
        .map((x) => {
          const n = Number(x);
          if (!Number.isInteger(n) || n < 1)
            throw new AppError('INVALID_INPUT', `--sessions takes session ids; "${x}" is not one.`);
          return n;
        });
      if (!ids.length || !values.rater || !values.out) throw new AppError('INVALID_INPUT', USAGE);
      const pass = await passphrase(values, out, true);
      const rater = values.rater;
      const file = values.out;
      // Ctrl+C (or a polite kill) stops the writing, and the half-written file goes with it.
      const report = await untilInterrupted((signal) =>
        core.packages.exportRating({
          sessionIds: ids,
          rater,
          out: file,
          passphrase: pass,
          includeMedia: values['include-media'] ?? false,
          dueDate: values.due,
          signal,
          onProgress: values['include-media'] ? (done, total) => out.progress(total ? done / total : 1) : undefined,
        }),
      );
      if (values['include-media']) out.progress(1, true);
      print([report], values, out);
      return 0;
    }
    case 'open': {
      if (files.length !== 1) throw new AppError('INVALID_INPUT', USAGE);
      print([await core.packages.open(files[0]!, await passphrase(values, out, false))], values, out);
      return 0;
    }
    case 'return': {
      if (!values.out) throw new AppError('INVALID_INPUT', USAGE);
      const report = await core.packages.writeReturn({
        out: values.out,
        passphrase: await passphrase(values, out, true),
        packageId: values.package,
      });
      print([report], values, out);
      return 0;
    }
    case 'import': {
      if (!files.length) throw new AppError('INVALID_INPUT', USAGE);
      print(await core.packages.importReturns(files, await passphrase(values, out, false)), values, out);
      return 0;
    }
    case 'list': {
      const list = core.packages.list();
      if (values.json) out.stdout(`${JSON.stringify(list, null, 2)}\n`);
      else
        for (const p of list)
          out.stdout(
            `${p.createdAt}  ${p.kind.padEnd(8)}  ${p.packageId}  ${Object.keys(p.sessions).length} session(s)\n`,
          );
      return 0;
    }
    default:
      throw new AppError('INVALID_INPUT', USAGE);
  }
}

export const packageCommands: Command[] = [
  {
    name: 'package',
    help: [
      {
        group: 'Export and sharing',
        text: `  package export --sessions ID,… --rater NAME --out FILE [--include-media] [--due YYYY-MM-DD]
  package open FILE | package return --out FILE [--package ID] | package import FILE… | package list
      rating packages for observers at other desks, sealed with a passphrase (asked for, or
      --passphrase-file FILE, or ALLIANCE_REVIEW_PACKAGE_PASSPHRASE)`,
      },
    ],
    run: ({ core, args, values, io }) =>
      packageCommand(core, args, values, { ...io, progress: progressBar(io, 'package') }),
  },
];

export interface SupervisionCliOptions extends PackageCliOptions {
  to?: string;
  as?: string;
  draft?: boolean;
  'release-coding'?: boolean;
  'dry-run'?: boolean;
}

const SUPERVISION_USAGE =
  'Use: alliance-review supervision send SESSION_ID --to NAME --out FILE [--include-media] [--draft] [--release-coding] [--as NAME] [--dry-run] | supervision receive FILE [--as NAME] | supervision history SESSION_ID';

/** The rater a command acts as: --as NAME, or (none given) the library's current rater. */
function actingAs(core: Core, name: string | undefined) {
  if (name === undefined) return undefined;
  const who = core.raters.list().find((r) => !r.consensus && r.name.toLowerCase() === name.trim().toLowerCase());
  if (!who)
    throw new AppError(
      'NOT_FOUND',
      `There is no rater called "${name}" in this library. Raters: ${
        core.raters
          .list()
          .filter((r) => !r.consensus)
          .map((r) => r.name)
          .join(', ') || 'none yet'
      }.`,
    );
  return who;
}

function printSupervision(r: SupervisionReportView, values: SupervisionCliOptions, out: Out): void {
  if (values.json) {
    out.stdout(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  const head =
    r.direction === 'sent'
      ? `Sent case ${r.caseCode} session ${r.number} for ${r.to}`
      : `Received case ${r.caseCode} session ${r.number} from ${r.from}${r.createdSession ? ' (new here)' : ''}`;
  out.stdout(`${head}${r.alreadyDone ? ': nothing changed' : ''}\n`);
  for (const c of r.changes) out.stdout(`  ${r.direction === 'sent' ? 'shared' : 'changed'}: ${c}\n`);
  for (const n of r.notes) out.stdout(`  ${r.direction === 'sent' ? 'not shared' : 'note'}: ${n}\n`);
  if (r.bytes !== undefined) out.stdout(`  written: ${r.file} (${(r.bytes / 1024).toFixed(0)} KiB)\n`);
}

/**
 * `supervision send|receive|history`: a session between a trainee's and a supervisor's
 * computers, through the front door as the rater at the machine (--as, or the current rater).
 */
export async function supervisionCommand(
  core: Core,
  call: CliCall,
  args: string[],
  values: SupervisionCliOptions,
  out: Out,
): Promise<number> {
  const [sub, target] = args;
  const as = actingAs(core, values.as);
  if (sub === 'send' || sub === 'history') {
    const sessionId = Number(target);
    if (!Number.isInteger(sessionId) || sessionId < 1 || args.length !== 2)
      throw new AppError('INVALID_INPUT', SUPERVISION_USAGE);
    if (sub === 'history') {
      const list = await call('supervision:history', { sessionId }, as);
      if (values.json) out.stdout(`${JSON.stringify(list, null, 2)}\n`);
      else if (!list.length) out.stdout('No supervision file was sent or received for this session.\n');
      else
        for (const e of list)
          out.stdout(
            `${e.createdAt}  ${e.direction === 'sent' ? 'sent to' : 'received from'} ${e.peer}: ${e.changes.join('; ')}\n`,
          );
      return 0;
    }
    if (!values.to) throw new AppError('INVALID_INPUT', `--to NAME is required. ${SUPERVISION_USAGE}`);
    const choice = {
      sessionId,
      to: values.to,
      draft: values.draft ?? false,
      releaseCoding: values['release-coding'] ?? false,
      includeMedia: values['include-media'] ?? false,
    };
    if (values['dry-run']) {
      const p = await call('supervision:preview', choice, as);
      if (values.json) out.stdout(`${JSON.stringify(p, null, 2)}\n`);
      else {
        out.stdout(`Would send case ${p.caseCode} session ${p.number} from ${p.from} to ${p.to}:\n`);
        for (const line of p.shares) out.stdout(`  shared: ${line}\n`);
        for (const line of p.leftOut) out.stdout(`  not shared: ${line}\n`);
      }
      return 0;
    }
    if (!values.out) throw new AppError('INVALID_INPUT', `--out FILE is required. ${SUPERVISION_USAGE}`);
    const pass = await passphrase(values, out, true);
    const report = await call('supervision:send', { ...choice, out: values.out, passphrase: pass }, as);
    printSupervision(report, values, out);
    return 0;
  }
  if (sub === 'receive') {
    if (args.length !== 2 || !target) throw new AppError('INVALID_INPUT', SUPERVISION_USAGE);
    const report = await call(
      'supervision:receive',
      { file: target, passphrase: await passphrase(values, out, false) },
      as,
    );
    printSupervision(report, values, out);
    return 0;
  }
  throw new AppError('INVALID_INPUT', SUPERVISION_USAGE);
}

export const supervisionCommands: Command[] = [
  {
    name: 'supervision',
    help: [
      {
        group: 'Supervision',
        text: `  supervision send SESSION_ID --to NAME --out FILE [--include-media] [--draft] [--release-coding] [--as NAME] [--dry-run]
  supervision receive FILE [--as NAME] | supervision history SESSION_ID
      a session between a trainee's and a supervisor's computers: what the sender may share
      (their own lane: a self-review when submitted or --draft, a supervisor's coding with
      --release-coding; their feedback), sealed as packages are; --dry-run says what would go;
      a receive makes the session the first time and merges every later time`,
      },
    ],
    run: ({ core, call, args, values, io }) =>
      supervisionCommand(core, call, args, values, { ...io, progress: progressBar(io, 'supervision') }),
  },
];
