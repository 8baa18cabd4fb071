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
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT'))
    return {
      code: 'INVALID_INPUT',
      message: `${constraintWords(code, (error as Error).message)} Nothing was changed.`,
    };
  // SQLite's own words ("no such column", "CHECK constraint failed: …") never reach a user.
  if ((typeof code === 'string' && code.startsWith('SQLITE_')) || (error as Error | undefined)?.name === 'SqliteError')
    return {
      code: 'INTERNAL',
      message:
        'The library could not do that (a database error); nothing was changed. If it happens again, make a backup (backup now) and report what you did.',
    };
  return { code: 'INTERNAL', message: `Something went wrong: ${(error as Error)?.message ?? String(error)}` };
}

/** A broken rule of the schema, said as what it means. */
function constraintWords(code: string, message: string): string {
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
    return 'That refers to something that no longer exists (a session, a rater, a segment or a comment).';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'That already exists.';
  if (code === 'SQLITE_CONSTRAINT_NOTNULL') return 'A required value is missing.';
  if (/_ms\b/.test(message)) return 'A time is out of range (before the session starts, or an end before its start).';
  return 'A value is out of range.';
}
