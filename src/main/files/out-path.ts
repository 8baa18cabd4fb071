/** Paths a user names for what the app writes (--out, a save dialog): plain files, or not. */
import fs from 'node:fs';
import { AppError } from '../../shared/errors';

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

/** Refuses a folder, a device or a pipe as the file a package or a video is written to. */
export function assertPlainOutput(out: string, what: string): void {
  if (!isPlainTarget(out))
    throw new AppError('INVALID_INPUT', `${out} is not a plain file; ${what} is written to a file.`);
  if (fs.existsSync(out) && fs.statSync(out).isDirectory())
    throw new AppError('INVALID_INPUT', `${out} is a folder; give a file name for ${what}.`);
}
