import fs from 'node:fs';
import { AppError, type AppErrorShape } from '../../shared/errors';

const DISK_FULL: AppErrorShape = {
  code: 'DISK_FULL',
  message: 'The disk is full. Free some space and try again; nothing was changed.',
};

/** Turns anything thrown into the shape that crosses the contract boundary. */
export function toShape(error: unknown): AppErrorShape {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'ENOSPC' || code === 'SQLITE_FULL') return DISK_FULL;
  if (code === 'SQLITE_READONLY') {
    return {
      code: 'READ_ONLY',
      message:
        'This library is read-only (its folder or file cannot be written), so nothing was saved. You can look but not change; make the data folder writable, or copy it somewhere writable, to work in it.',
    };
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED') {
    return {
      code: 'BUSY',
      message:
        'Another Alliance Review (the app or the command line) is writing to this library and did not finish in time. Nothing was changed; try again in a moment.',
    };
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return {
      code: 'LIBRARY_DAMAGED',
      message:
        'The library file is damaged. Nothing more was changed. Close the app and restore the library from a backup (the .bak files in the data folder).',
    };
  }
  return { code: 'INTERNAL', message: `Something went wrong: ${(error as Error)?.message ?? String(error)}` };
}

/**
 * Refuses an output path that exists and is not a plain file (a device such as /dev/null, a
 * pipe): what is written goes to a temporary file that is then renamed over the path, which
 * would put a plain file where the device was.
 */
export function assertPlainOutput(out: string, what: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(out);
  } catch {
    return;
  }
  if (st.isDirectory()) throw new AppError('INVALID_INPUT', `${out} is a folder; give a file name for ${what}.`);
  if (!st.isFile()) throw new AppError('INVALID_INPUT', `${out} is not a plain file; ${what} is written to a file.`);
}
