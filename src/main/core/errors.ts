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
    return { code: 'INTERNAL', message: 'The data folder is read-only; nothing was saved. Check its permissions.' };
  }
  return { code: 'INTERNAL', message: `Something went wrong: ${(error as Error)?.message ?? String(error)}` };
}
