/** The lock slice: a protected library's passphrase, locking and unlocking (served by the gate). */
import { AppError } from '../../shared/errors';
import type { LibraryGate } from './gate';
import type { HandlerSlice } from '../rpc/types';

export type LockChannel =
  | 'lock:status'
  | 'lock:unlock'
  | 'lock:lock'
  | 'lock:protect'
  | 'lock:changePassphrase'
  | 'lock:unprotect'
  | 'lock:setAutoLock'
  | 'lock:forget';

export function lockHandlers(gate: LibraryGate): HandlerSlice<LockChannel | 'backups:restore'> {
  return {
    'lock:status': () => gate.status(),
    'lock:unlock': (i) => gate.unlock(i.passphrase, i.remember),
    'lock:lock': (i) => gate.lock(i.reason),
    'lock:protect': (i) => gate.protect(i.passphrase, i.remember),
    'lock:changePassphrase': (i) => gate.changePassphrase(i.current, i.next),
    'lock:unprotect': (i) => gate.unprotect(i.passphrase),
    'lock:setAutoLock': (i) => gate.setAutoLock(i.minutes),
    'lock:forget': () => gate.forget(),
    // A protected library is restored with the library closed (see LibraryGate.restoreProtected).
    'backups:restore': async (i) => {
      const core = gate.requireCore();
      core.policy.assertSupervisor(core.raters.current(), 'restores backups');
      const found = core.backups.list().find((b) => b.name === i.name);
      if (!found) throw new AppError('NOT_FOUND', 'That backup is no longer there.');
      if (gate.isProtected) return gate.restoreProtected(found.file, found.name);
      const r = await core.backups.restore(found.file);
      // The restored library has its own audit log: the restore is recorded in it.
      core.audit.reanchor('backup.restore', found.name, { safety: r.safety.name });
      return r;
    },
  };
}
