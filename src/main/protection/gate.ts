/**
 * The gate in front of a library that may be protected with a passphrase: it holds the open
 * core, or none while the library is locked. Hosts (the Electron app, the browser host) serve
 * the contract through it; the command line opens the core itself with the passphrase it is given.
 *
 * Locking closes the database and forgets the data key; unlocking derives it again from the
 * passphrase (or takes it from the OS keychain when the user chose "remember on this computer").
 */
import type { LockStatusView } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { KeyStore } from '../platform/types';
import { createCore, type Core, type CoreOptions } from '../app';
import { prepareProtectedRestore, type BackupInfo } from './backups';
import { convertLibraryMedia } from './media-crypt';
import {
  changePassphrase,
  checkPassphrase,
  DEFAULT_AUTO_LOCK_MINUTES,
  MIN_PASSPHRASE,
  missingKeyFile,
  protectionState,
  protectLibrary,
  setAutoLock,
  unprotectLibrary,
  unwrapKey,
} from './library-key';
import { AttemptThrottle } from './throttle';

export class LibraryGate {
  private current: Core | null = null;
  private key: Buffer | null = null;
  /** Recordings being encrypted after an open (see `open`); waited for before converting again. */
  private converting: Promise<unknown> = Promise.resolve();

  /** Wrong passphrases slow down further attempts (every host's unlock goes through here). */
  readonly throttle = new AttemptThrottle();

  constructor(
    private readonly options: CoreOptions,
    private readonly keyStore: KeyStore | null = null,
    private readonly changed: (locked: boolean) => void = () => undefined,
  ) {}

  get dataDir(): string {
    return this.options.dataDir;
  }

  /** A gate around a core already open (tests, and hosts that made their core themselves). */
  static around(core: Core): LibraryGate {
    const gate = new LibraryGate({ dataDir: core.dataDir });
    gate.current = core;
    return gate;
  }

  /** Opens the library if it can be opened without asking (plain, or its key in the keychain). */
  start(): this {
    const state = protectionState(this.dataDir);
    if (!state.protected) this.open(null);
    else {
      if (!state.keyFile) throw missingKeyFile(this.dataDir);
      const kept = this.remembered();
      if (kept) {
        try {
          this.open(kept);
        } catch {
          this.keyStore?.forget(this.dataDir); // a stale key (the library was protected anew): ask
        }
      }
    }
    return this;
  }

  /** The open core, or null while locked. */
  get core(): Core | null {
    return this.current;
  }

  requireCore(): Core {
    if (!this.current) throw new AppError('LOCKED', 'The library is locked: unlock it with its passphrase to go on.');
    return this.current;
  }

  status(): LockStatusView {
    const state = protectionState(this.dataDir);
    return {
      protected: state.protected,
      locked: this.current === null,
      remembered: state.protected && this.remembered() !== null,
      canRemember: this.keyStore?.available() ?? false,
      autoLockMinutes: state.protected ? (state.keyFile?.autoLockMinutes ?? DEFAULT_AUTO_LOCK_MINUTES) : 0,
      minLength: MIN_PASSPHRASE,
    };
  }

  async unlock(passphrase: string, remember: boolean): Promise<LockStatusView> {
    if (this.current) return this.status();
    const state = protectionState(this.dataDir);
    if (!state.protected) {
      this.open(null);
      return this.status();
    }
    if (!state.keyFile) throw missingKeyFile(this.dataDir);
    const keyFile = state.keyFile;
    const key = await this.throttle.attempt(() => unwrapKey(keyFile, passphrase));
    if (remember) this.assertKeychain();
    this.open(key);
    if (remember) this.remember(key);
    this.current!.audit.record('library.unlock', 'library', {});
    this.changed(false);
    return this.status();
  }

  /**
   * Locks a protected library (an unprotected one has nothing to lock: it stays open). Work in
   * progress (an import, a clip being cut) counts as use: the idle timer does not lock then. Locked
   * by hand or by the machine going to sleep, such work is stopped as its Cancel stops it, so
   * nothing half-done is kept (an import's leftovers go when the library opens again).
   */
  async lock(reason: 'user' | 'idle' | 'sleep' = 'user'): Promise<LockStatusView> {
    const core = this.current;
    if (!core || !protectionState(this.dataDir).protected) return this.status();
    const busy = core.imports.list().length > 0 || core.clips.active > 0;
    if (busy && reason === 'idle') return this.status();
    if (busy) {
      for (const j of core.imports.list()) core.imports.cancel(j.id);
      core.clips.cancelAll();
      await core.imports.idle();
    }
    if (this.current !== core) return this.status();
    try {
      core.audit.record('library.lock', 'library', { reason });
    } catch {
      // a read-only library records nothing
    }
    this.closeCore();
    this.changed(true);
    return this.status();
  }

  async protect(passphrase: string, remember: boolean): Promise<LockStatusView> {
    const core = this.requireCore();
    core.policy.assertSupervisor(core.raters.current(), 'protects the library');
    if (protectionState(this.dataDir).protected)
      throw new AppError('INVALID_INPUT', 'This library is already protected with a passphrase.');
    checkPassphrase(passphrase);
    if (remember) this.assertKeychain();
    assertIdle(core, 'protecting the library');
    this.closeCore();
    let key: Buffer;
    try {
      key = await protectLibrary(this.dataDir, passphrase, this.options.nativeBinding);
    } catch (e) {
      this.open(null); // nothing was changed: the library opens as it was
      throw e;
    }
    this.open(key);
    if (remember) this.remember(key);
    this.current!.audit.record('library.protect', 'library', {});
    return this.status();
  }

  async changePassphrase(current: string, next: string): Promise<LockStatusView> {
    const core = this.requireCore();
    core.policy.assertSupervisor(core.raters.current(), 'changes the library’s passphrase');
    await changePassphrase(this.dataDir, current, next);
    core.audit.record('library.passphrase.change', 'library', {});
    return this.status();
  }

  async unprotect(passphrase: string): Promise<LockStatusView> {
    const core = this.requireCore();
    core.policy.assertSupervisor(core.raters.current(), 'removes the library’s passphrase');
    const state = protectionState(this.dataDir);
    if (!state.protected) throw new AppError('INVALID_INPUT', 'This library is not protected with a passphrase.');
    if (!state.keyFile) throw missingKeyFile(this.dataDir);
    assertIdle(core, 'removing the protection');
    const keyFile = state.keyFile;
    await this.throttle.attempt(() => unwrapKey(keyFile, passphrase)); // a wrong passphrase closes nothing
    assertIdle(core, 'removing the protection');
    await this.converting;
    const key = this.key;
    this.closeCore();
    try {
      await unprotectLibrary(this.dataDir, passphrase, this.options.nativeBinding);
    } catch (e) {
      this.open(key);
      throw e;
    }
    this.keyStore?.forget(this.dataDir);
    this.open(null);
    this.current!.audit.record('library.unprotect', 'library', {});
    return this.status();
  }

  setAutoLock(minutes: number): LockStatusView {
    const core = this.requireCore();
    core.policy.assertSupervisor(core.raters.current(), 'sets when the library locks itself');
    setAutoLock(this.dataDir, minutes);
    return this.status();
  }

  forget(): LockStatusView {
    this.keyStore?.forget(this.dataDir);
    return this.status();
  }

  /**
   * Restores a backup of a protected library: checked and staged with the library open, put in
   * place with it closed (SQLite cannot write into an encrypted library through its backup API),
   * then opened again. A plain library restores in place (BackupService.restore).
   */
  async restoreProtected(file: string, name: string): Promise<{ restored: string; safety: BackupInfo }> {
    const core = this.requireCore();
    const key = this.key!;
    assertIdle(core, 'restoring a backup');
    const { safety, finish } = await prepareProtectedRestore(
      core.db,
      core.backups,
      file,
      key,
      this.options.nativeBinding,
    );
    this.closeCore();
    try {
      finish();
    } finally {
      this.open(key);
    }
    this.current!.audit.reanchor('backup.restore', name, { safety: safety.name });
    return { restored: file, safety };
  }

  get isProtected(): boolean {
    return this.key !== null;
  }

  close(): void {
    this.closeCore();
  }

  private open(key: Buffer | null): void {
    this.current = createCore({ ...this.options, key: key ?? undefined });
    this.key = key;
    // Recordings a protect could not encrypt (a full disk, a crash half-way) are encrypted now.
    if (key) {
      this.converting = convertLibraryMedia(this.dataDir, key, true).catch((e: unknown) =>
        console.error('[protect] recordings not yet encrypted:', (e as Error).message),
      );
    }
  }

  private closeCore(): void {
    this.current?.close();
    this.current = null;
    this.key = null;
  }

  private remembered(): Buffer | null {
    if (!this.keyStore?.available()) return null;
    try {
      return this.keyStore.load(this.dataDir);
    } catch {
      return null;
    }
  }

  private assertKeychain(): void {
    if (!this.keyStore?.available()) {
      throw new AppError(
        'INVALID_INPUT',
        'This computer offers no keychain to keep the key in: leave “Remember on this computer” off; the passphrase is asked each time.',
      );
    }
  }

  private remember(key: Buffer): void {
    this.assertKeychain();
    this.keyStore!.save(this.dataDir, key);
  }
}

/** Protecting, unprotecting and restoring close the library: not while an import or a clip runs. */
function assertIdle(core: Core, what: string): void {
  if (core.imports.list().length > 0 || core.clips.active > 0) {
    throw new AppError('BUSY', `An import or a clip is still running: wait for it to finish before ${what}.`);
  }
}
