/**
 * The one output writer: every file the app writes outside its store (a report, an export, a
 * clip, a playlist, a package, a study's CSVs), whichever way in asked for it (the CLI's --out,
 * a save dialog, a contract channel), is checked and written here.
 *
 * - Never over the library's own files or folders: the database, its write-ahead log, the key
 *   file, backups, copied recordings, scrub aids, packages (insideLibrary). Links are followed,
 *   so a symbolic link to the database is refused too.
 * - Never replacing a device or a pipe: a device or pipe is written straight into where the
 *   caller can stream (a report to /dev/stdout), and refused where it cannot (a video, a package).
 * - A regular file is written through a temporary file beside it and renamed over it, so a failed
 *   or interrupted write leaves the old file intact and no partial one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { DB_FILE, KEY_FILE } from '../db/open';

export interface OutputRule {
  /** What is written, for messages ("the report", "a package"). */
  what: string;
  /** The library's folder, whose own files are never written over (null: no library, e.g. agreement on files). */
  dataDir: string | null;
  /** A device or pipe: written into (a text the caller writes whole) or refused (video, packages). */
  special?: 'write-into' | 'refuse';
}

/**
 * False for something that exists and is neither a file nor a folder: a device (/dev/stdout,
 * /dev/null) or a named pipe. Writing through a temporary file and renaming it over such a path
 * would put a plain file in its place.
 */
export function isPlainTarget(out: string): boolean {
  try {
    const st = fs.statSync(out);
    return st.isFile() || st.isDirectory();
  } catch {
    return true; // not there yet: a new regular file
  }
}

/** The real path of `p`, or of its nearest existing parent with the rest appended. */
function realish(p: string): string {
  const abs = path.resolve(p);
  const rest: string[] = [];
  let at = abs;
  for (;;) {
    try {
      return path.join(fs.realpathSync(at), ...rest);
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return abs;
      rest.unshift(path.basename(at));
      at = parent;
    }
  }
}

/** The library's own folders: backups, copied recordings, scrub aids, packages, private work. */
const LIBRARY_FOLDERS = ['backups', 'media', 'scrub', 'packages', 'tmp'];

/**
 * True when `target` is one of the library's own files or folders: the folder itself, the
 * database with its log and journal files (alliance-review.db*), the key file and the keychain's
 * copy, the audit log's anchor, or anything in its backups, media, scrub, packages and private folders. Other files beside
 * the library (a report the user keeps next to it) and its exports folder are the user's.
 */
export function insideLibrary(dataDir: string, target: string): boolean {
  const root = realish(dataDir);
  const t = realish(target);
  const rel = path.relative(root, t);
  if (rel === '') return true;
  if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
  const [first, ...rest] = rel.split(path.sep);
  if (LIBRARY_FOLDERS.includes(first!)) return true;
  if (rest.length) return false;
  return (
    first!.startsWith(DB_FILE) ||
    first!.startsWith(KEY_FILE) ||
    first!.startsWith('library-key.') ||
    first!.startsWith('audit-anchor')
  );
}

/**
 * Checks a path the user named before anything is written: the library's own files, a folder, a
 * device or pipe (per `rule.special`), a missing folder. Returns whether it is a device or pipe
 * that will be written into.
 */
export function checkOutput(out: string, rule: OutputRule): { special: boolean } {
  if (!out.trim()) throw new AppError('INVALID_INPUT', `Give a file name for ${rule.what}.`);
  if (rule.dataDir && insideLibrary(rule.dataDir, out))
    throw new AppError(
      'INVALID_INPUT',
      `${out} is inside the library's own folder (${rule.dataDir}); ${rule.what} is never written over the library's files. Choose another place.`,
    );
  const special = !isPlainTarget(out);
  if (special) {
    if (rule.special !== 'write-into')
      throw new AppError('INVALID_INPUT', `${out} is not a plain file; ${rule.what} is written to a file.`);
    return { special: true };
  }
  if (fs.existsSync(out) && fs.statSync(out).isDirectory())
    throw new AppError('INVALID_INPUT', `${out} is a folder; give a file name for ${rule.what}.`);
  const dir = path.dirname(path.resolve(out));
  if (!fs.existsSync(dir)) throw new AppError('INVALID_INPUT', `The folder ${dir} does not exist.`);
  return { special: false };
}

/** Checks a folder the user named for files the app writes into it (a study's CSVs, a playlist's clips). */
export function checkOutputFolder(dir: string, rule: Pick<OutputRule, 'what' | 'dataDir'>): void {
  if (rule.dataDir && insideLibrary(rule.dataDir, dir))
    throw new AppError(
      'INVALID_INPUT',
      `${dir} is inside the library's own folder (${rule.dataDir}); ${rule.what} are never written there. Choose another folder.`,
    );
}

/** The temporary name a regular file is written to before it is renamed over `out`. */
export function partialFor(out: string, suffix = 'tmp'): string {
  const abs = path.resolve(out);
  return path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.${suffix}`);
}

function explain(out: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new AppError('DISK_FULL', `The disk is full: ${out} was not written.`);
  if (code === 'EISDIR') return new AppError('INVALID_INPUT', `${out} is a folder; give a file name.`);
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new AppError(
      'INVALID_INPUT',
      `${out} cannot be written (${code}). Check the folder exists and you may write there.`,
    );
  return error;
}

/**
 * Writes `out` through `write(target)`: checked by `checkOutput`, then atomically for a regular
 * file, straight into a device or pipe (when the rule allows it). Returns whether `out` is a plain
 * file (a caller says "Wrote …" only then).
 */
export function writeOutput(out: string, rule: OutputRule, write: (target: string) => void): { plain: boolean } {
  const { special } = checkOutput(out, rule);
  const tmp = special ? out : partialFor(out);
  try {
    write(tmp);
    if (!special) fs.renameSync(tmp, out);
  } catch (error) {
    if (!special) fs.rmSync(tmp, { force: true });
    throw explain(out, error);
  }
  return { plain: !special };
}

/** `writeOutput` for writers that take time (ffmpeg, sealing): `write` fills the partial file. */
export async function writeOutputAsync(
  out: string,
  rule: OutputRule,
  write: (target: string) => Promise<void>,
  suffix = 'tmp',
): Promise<void> {
  checkOutput(out, { ...rule, special: 'refuse' });
  const tmp = partialFor(out, suffix);
  try {
    await write(tmp);
    fs.renameSync(tmp, out);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw explain(out, error);
  }
}
