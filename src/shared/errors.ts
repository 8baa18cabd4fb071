/**
 * Error codes that cross the contract boundary. Each carries a message a clinician can act on;
 * the code is for programs and tests.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'DUPLICATE',
  'FILE_MISSING',
  'FILE_UNREADABLE',
  'FILE_EMPTY',
  'NOT_MEDIA',
  'NO_STREAMS',
  'MEDIA_CORRUPT',
  'FINGERPRINT_MISMATCH',
  'CANCELLED',
  'DISK_FULL',
  'DB_NEWER',
  'LIBRARY_DAMAGED',
  'READ_ONLY',
  'BUSY',
  'FORBIDDEN',
  'LOCKED',
  'WRONG_PASSPHRASE',
  'PACKAGE_INVALID',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
}

/** An error meant for the user. Anything else that escapes a handler becomes INTERNAL. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
