/** What every command shares: the options, the arguments' checks, reading files, writing outputs, the command table's types. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../shared/errors';
import { writeOutput } from '../main/files/output';
import type { Core } from '../main/app';
import type { CliCall } from '../main/rpc/types';
import { decodeText } from '../main/interop/decode';
import { detectFormat, formatLabel } from '../main/interop/detect';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** True when stderr is a terminal: draw a progress bar. */
  tty: boolean;
  env: NodeJS.ProcessEnv;
  /** Asks a question on the terminal without echoing the answer (passphrases); absent without one. */
  prompt?: (question: string) => Promise<string>;
}

export const OPTIONS = {
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
  as: { type: 'string' },
  model: { type: 'string' },
  language: { type: 'string' },
  recording: { type: 'string' },
  draft: { type: 'boolean', default: false },
  'release-coding': { type: 'boolean', default: false },
  yes: { type: 'boolean', default: false },
  categories: { type: 'string' },
  'weight-by': { type: 'string' },
  level: { type: 'string' },
  kind: { type: 'string' },
  seed: { type: 'string' },
  apply: { type: 'boolean', default: false },
  analyze: { type: 'boolean', default: false },
  'silence-ms': { type: 'string' },
  name: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export type Values = ReturnType<typeof parse>['values'];
export function parse(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

export function need(value: string | undefined, what: string): string {
  if (!value) throw new AppError('INVALID_INPUT', `${what} is required.`);
  return value;
}

export function intOption(value: string | undefined, what: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new AppError(
      'INVALID_INPUT',
      `${what} must be a whole number${min > 0 ? ` from ${min}` : ''}, not "${value}".`,
    );
  return n;
}

export function progressBar(io: Io, name: string) {
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

export function writeOut(doc: string, values: Values, io: Io, dataDir: string, out = values.out): void {
  if (out) {
    const { plain } = writeOutput(out, { what: 'the export', dataDir, special: 'write-into' }, (target) =>
      fs.writeFileSync(target, `${doc}\n`),
    );
    if (!values.json && plain) io.stdout(`Wrote ${out}\n`);
  } else io.stdout(`${doc}\n`);
}

export function readBytes(file: string): Uint8Array {
  try {
    return fs.readFileSync(path.resolve(file));
  } catch (error) {
    throw new AppError('FILE_MISSING', `Could not read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

/**
 * A CSV a command expects, decoded; another tool's file is named for what it is (with the
 * command that reads it), and an empty file says so, instead of a CSV parser's complaint.
 */
export function csvText(
  file: string,
  command: string,
  expected: string,
  text = decodeText(readBytes(file)).text,
): string {
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
export function readText(file: string): string {
  try {
    return fs.readFileSync(path.resolve(file), 'utf8');
  } catch (error) {
    throw new AppError('FILE_MISSING', `Could not read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

/** Who the audit log names for the command line: the OS user. */
export function cliActor(): string {
  try {
    return `${os.userInfo().username} (command line)`;
  } catch {
    return 'command line';
  }
}

/** What a command gets: the open library, the dispatch as the command line, its arguments. */
export interface CommandContext {
  core: Core;
  /** Channels through the one dispatch (hosts/cli-dispatch.ts). */
  call: CliCall;
  /** The positionals after the command's name. */
  args: string[];
  values: Values;
  io: Io;
  dataDir: string;
  /** A protected library's data key (for commands that reopen it). */
  key?: Buffer;
}

/** The --help groups, in the order they are shown. */
export const GROUPS = [
  'Library and recordings',
  'Coding, transcripts and questionnaires',
  'Agreement and perspectives',
  'Supervision',
  'Export and sharing',
  'Safekeeping',
] as const;

/** One command of the table: its name, its help under its groups, and what it runs. */
export interface Command {
  name: string;
  /** Help blocks (the usage line, then lines indented further), each under its group. */
  help: { group: (typeof GROUPS)[number]; text: string }[];
  /**
   * What the command needs: the library opened for it (most), nothing (agreement on files), or
   * the folder only (library, which opens the library itself).
   */
  needs?: (args: string[]) => 'library' | 'nothing' | 'folder';
  run(ctx: CommandContext): Promise<number> | number;
  /** What runs when `needs` says the library is not to be opened for it. */
  runAlone?(ctx: Omit<CommandContext, 'core' | 'call' | 'key'>): Promise<number> | number;
}
