/**
 * The slice for a library protected with a passphrase: its state, unlocking and locking, and
 * protecting, changing and removing the passphrase. These channels (and `app:info`) answer while
 * the library is locked; every other channel answers LOCKED until it is unlocked.
 */
import { z } from 'zod';

export interface LockStatusView {
  /** The library is encrypted with a passphrase. */
  protected: boolean;
  /** Protected and not open: everything is hidden until the passphrase is given. */
  locked: boolean;
  /** This computer's keychain keeps the key (the app opens without asking at start). */
  remembered: boolean;
  /** Whether this host can keep the key in the OS keychain (the Electron app, where the OS offers one). */
  canRemember: boolean;
  /** Minutes without use before the app locks itself; 0: never. */
  autoLockMinutes: number;
  /** The shortest passphrase accepted. */
  minLength: number;
}

const passphrase = z.string().min(1, 'Enter the passphrase.').max(1024);
const remember = z.boolean().default(false);

export const lockChannels = {
  'lock:status': { input: z.object({}), output: {} as LockStatusView },
  /** Opens a locked library; a wrong passphrase answers WRONG_PASSPHRASE and opens nothing. */
  'lock:unlock': { input: z.object({ passphrase, remember }), output: {} as LockStatusView },
  /**
   * Locks now (a protected library): the library is closed and everything hidden. `idle` (the
   * renderer's timer) does not lock while an import or a clip is running.
   */
  'lock:lock': {
    input: z.object({ reason: z.enum(['user', 'idle']).default('user') }),
    output: {} as LockStatusView,
  },
  /** Encrypts this library (and its backups) with a passphrase (a supervisor). */
  'lock:protect': { input: z.object({ passphrase, remember }), output: {} as LockStatusView },
  /** A new passphrase for the same library (a supervisor); the current one is asked. */
  'lock:changePassphrase': {
    input: z.object({ current: passphrase, next: passphrase }),
    output: {} as LockStatusView,
  },
  /** Decrypts this library (and its backups) and removes the passphrase (a supervisor). */
  'lock:unprotect': { input: z.object({ passphrase }), output: {} as LockStatusView },
  /** How long without use before the app locks itself (a supervisor); 0: never. */
  'lock:setAutoLock': {
    input: z.object({ minutes: z.number().int().min(0).max(240, 'At most 240 minutes.') }),
    output: {} as LockStatusView,
  },
  /** Forgets the key kept in this computer's keychain. */
  'lock:forget': { input: z.object({}), output: {} as LockStatusView },
} as const;
