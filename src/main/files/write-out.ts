import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { isPlainTarget } from './out-path';

/**
 * Writes a file the user named with --out. A regular file is written through a temporary file
 * beside it, so a failed or interrupted write leaves no partial file and an old one intact. A
 * device or pipe (/dev/stdout, a named pipe) is written straight into: renaming over it would put a
 * plain file in its place. A caller says "Wrote …" only for a plain target (isPlainTarget).
 */
export function writeAtomically(out: string, write: (target: string) => void): void {
  const special = !isPlainTarget(out);
  const tmp = special ? out : path.join(path.dirname(path.resolve(out)), `.${path.basename(out)}.${process.pid}.tmp`);
  try {
    write(tmp);
    if (!special) fs.renameSync(tmp, out);
  } catch (error) {
    if (!special) fs.rmSync(tmp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT')
      throw new AppError('DISK_FULL', `The disk is full: ${out} was not written.`);
    if (code === 'EISDIR') throw new AppError('INVALID_INPUT', `${out} is a folder; give a file name.`);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      throw new AppError(
        'INVALID_INPUT',
        `${out} cannot be written (${code}). Check the folder exists and you may write there.`,
      );
    throw error;
  }
}
