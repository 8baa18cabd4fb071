/**
 * A library protected with a passphrase: what lies on disk is unreadable without it, a wrong
 * passphrase opens nothing, changing it rewrites only the key file, and every step is safe to
 * interrupt. Through the gate (the app's and the browser host's way) and the command line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliIn } from '../../../tests/support/cli';
import { mediaFile } from '../../../tests/support/media';
import { tempDir } from '../../../tests/support/tmp';
import { DB_FILE, KEY_FILE } from '../db/open';
import { dispatch } from '../rpc/dispatch';
import { createHandlers } from '../rpc/handlers';
import { noDialogs, type KeyStore } from '../platform/types';
import { createCore } from '../app';
import { LibraryGate } from './gate';
import { changePassphrase, protectLibrary, protectionState, unprotectLibrary } from './library-key';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const PASS = 'correct horse battery';
const NEW_PASS = 'staple éclair 2026';

/** A data folder with one case whose code and therapist are easy to find in raw bytes. */
function library(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const core = createCore({ dataDir: t.dir });
  const supervisor = core.raters.create('Dr Supervisor', 'supervisor');
  core.raters.setCurrent(supervisor.id);
  const c = core.library.createCase({ code: 'CASE-PLAINTEXT-7', therapist: 'Therapist Findme', notes: '' });
  core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: 'secret session note' });
  core.close();
  return t.dir;
}

/** Whether any file in the folder (library, WAL, backups) holds `text` in the clear. */
function leaks(dir: string, text: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (fs.readFileSync(p).includes(Buffer.from(text))) found.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return found;
}

function fakeKeychain(): KeyStore & { kept: Map<string, Buffer> } {
  const kept = new Map<string, Buffer>();
  return {
    kept,
    available: () => true,
    load: (d) => kept.get(d) ?? null,
    save: (d, k) => void kept.set(d, Buffer.from(k)),
    forget: (d) => void kept.delete(d),
  };
}

describe('protecting a library with a passphrase', () => {
  it('encrypts the library and its backups; nothing is readable on disk; a wrong passphrase opens nothing', async () => {
    const dir = library();
    const before = createCore({ dataDir: dir });
    await before.backups.now('manual');
    before.close();
    expect(leaks(dir, 'Therapist Findme').length).toBeGreaterThan(0); // the test can see a leak

    await protectLibrary(dir, PASS);
    expect(leaks(dir, 'Therapist Findme')).toEqual([]);
    expect(leaks(dir, 'CASE-PLAINTEXT-7')).toEqual([]);
    expect(fs.statSync(path.join(dir, KEY_FILE)).mode & 0o077).toBe(0);

    // Without the passphrase: a clear message, and nothing else.
    expect(() => createCore({ dataDir: dir })).toThrow(/protected with a passphrase/);
    const gate = new LibraryGate({ dataDir: dir }).start();
    cleanups.push(() => gate.close());
    expect(gate.status()).toMatchObject({ protected: true, locked: true });
    const handlers = createHandlers(gate, noDialogs, { host: 'browser', version: 'test' });
    expect(await dispatch(handlers, 'cases:list', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await dispatch(handlers, 'lock:unlock', { passphrase: 'not the passphrase' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE', message: expect.stringMatching(/not this library’s passphrase/) },
    });
    expect(gate.status().locked).toBe(true);

    // With it: everything as it was, and new work is encrypted too (the WAL included).
    expect(await dispatch(handlers, 'lock:unlock', { passphrase: PASS })).toMatchObject({ ok: true });
    const cases = await dispatch(handlers, 'cases:list', {});
    expect(cases).toMatchObject({ ok: true, value: [expect.objectContaining({ code: 'CASE-PLAINTEXT-7' })] });
    gate.requireCore().library.createCase({ code: 'CASE-AFTER-LOCK', therapist: 'Another Findme', notes: '' });
    const backup = await gate.requireCore().backups.now('manual');
    expect(leaks(dir, 'Another Findme')).toEqual([]);
    expect(fs.readFileSync(backup.file).subarray(0, 6).toString()).not.toBe('SQLite');

    // Locking closes it; the audit log says who unlocked and locked.
    await gate.lock('idle');
    expect(await dispatch(handlers, 'cases:list', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    await gate.unlock(PASS, false);
    const actions = gate
      .requireCore()
      .audit.list()
      .map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['library.unlock', 'library.lock']));
  });

  it('changes the passphrase without rewriting the library; unprotecting decrypts library and backups', async () => {
    const dir = library();
    await protectLibrary(dir, PASS);
    const db = path.join(dir, DB_FILE);
    const bytes = fs.readFileSync(db);
    await expect(changePassphrase(dir, 'wrong passphrase', NEW_PASS)).rejects.toThrow(/not this library’s/);
    await expect(changePassphrase(dir, PASS, 'short')).rejects.toThrow(/at least 8 characters/);
    await changePassphrase(dir, PASS, NEW_PASS);
    expect(fs.readFileSync(db).equals(bytes)).toBe(true);

    const gate = new LibraryGate({ dataDir: dir }).start();
    cleanups.push(() => gate.close());
    await expect(gate.unlock(PASS, false)).rejects.toThrow(/not this library’s passphrase/);
    await gate.unlock(NEW_PASS, false);
    await gate.requireCore().backups.now('manual');
    gate.close();

    await unprotectLibrary(dir, NEW_PASS);
    expect(protectionState(dir).protected).toBe(false);
    expect(fs.existsSync(path.join(dir, KEY_FILE))).toBe(false);
    expect(leaks(dir, 'Therapist Findme').length).toBeGreaterThanOrEqual(2); // library and backup, plain again
    const core = createCore({ dataDir: dir });
    expect(core.library.listCases().map((c) => c.code)).toEqual(['CASE-PLAINTEXT-7']);
    core.close();
  });

  it('refuses while another process has the library open, and changes nothing', async () => {
    const dir = library();
    const other = createCore({ dataDir: dir }); // another app or command
    const bytes = fs.readFileSync(path.join(dir, DB_FILE));
    await expect(protectLibrary(dir, PASS)).rejects.toThrow(/Another Alliance Review .* has this library open/);
    expect(fs.existsSync(path.join(dir, KEY_FILE))).toBe(false);
    expect(protectionState(dir).protected).toBe(false);
    expect(other.library.listCases()).toHaveLength(1);
    other.close();
    expect(fs.readFileSync(path.join(dir, DB_FILE)).subarray(0, 16)).toEqual(bytes.subarray(0, 16));
  });

  it('an interrupted protect (key file written, pages not yet encrypted) leaves a plain library that opens', async () => {
    const dir = library();
    await protectLibrary(dir, PASS);
    const keyFile = fs.readFileSync(path.join(dir, KEY_FILE));
    await unprotectLibrary(dir, PASS);
    fs.writeFileSync(path.join(dir, KEY_FILE), keyFile); // as if killed between the two steps
    const gate = new LibraryGate({ dataDir: dir }).start();
    cleanups.push(() => gate.close());
    expect(gate.status()).toMatchObject({ protected: false, locked: false });
    expect(gate.requireCore().library.listCases()).toHaveLength(1);
  });

  it('a lost key file is named as such; a key file from another library is refused', async () => {
    const dir = library();
    await protectLibrary(dir, PASS);
    const other = library();
    await protectLibrary(other, PASS);
    fs.copyFileSync(path.join(other, KEY_FILE), path.join(dir, KEY_FILE));
    await expect(new LibraryGate({ dataDir: dir }).start().unlock(PASS, false)).rejects.toThrow(
      /key file beside .* does not open it/,
    );
    fs.rmSync(path.join(dir, KEY_FILE));
    expect(() => new LibraryGate({ dataDir: dir }).start()).toThrow(/its key file \(library-key\.json\) is not in/);
  });

  it('in the app: protect, remember on this computer, open without asking, restore a backup, lock on sleep', async () => {
    const dir = library();
    const keychain = fakeKeychain();
    const changes: boolean[] = [];
    let gate = new LibraryGate({ dataDir: dir }, keychain, (locked) => changes.push(locked)).start();
    const handlers = () => createHandlers(gate, noDialogs, { host: 'electron', version: 'test' });
    // Observers may not protect; a supervisor may.
    const core = gate.requireCore();
    const observer = core.raters.create('Observer O', 'observer');
    core.raters.setCurrent(observer.id);
    expect(await dispatch(handlers(), 'lock:protect', { passphrase: PASS })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    core.raters.setCurrent(core.raters.list().find((r) => r.role === 'supervisor')!.id);
    expect(await dispatch(handlers(), 'lock:protect', { passphrase: 'short' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/at least 8/) },
    });
    expect(protectionState(dir).protected).toBe(false);
    expect(await dispatch(handlers(), 'lock:protect', { passphrase: PASS, remember: true })).toMatchObject({
      ok: true,
      value: { protected: true, locked: false, remembered: true, autoLockMinutes: 15 },
    });
    expect(leaks(dir, 'Therapist Findme')).toEqual([]);

    // A backup of the protected library restores (with the library closed and opened again).
    const c2 = gate.requireCore();
    const b = await c2.backups.now('manual');
    c2.library.createCase({ code: 'CASE-LATER', therapist: '', notes: '' });
    const restored = await dispatch(handlers(), 'backups:restore', { name: b.name });
    expect(restored).toMatchObject({ ok: true });
    expect(
      gate
        .requireCore()
        .library.listCases()
        .map((c) => c.code),
    ).toEqual(['CASE-PLAINTEXT-7']);
    expect(gate.requireCore().audit.list()[0]).toMatchObject({ action: 'backup.restore' });

    // The next start opens without asking (the key from the keychain); sleep locks it.
    gate.close();
    gate = new LibraryGate({ dataDir: dir }, keychain, (locked) => changes.push(locked)).start();
    cleanups.push(() => gate.close());
    expect(gate.status()).toMatchObject({ locked: false, remembered: true });
    await gate.lock('sleep');
    expect(changes.at(-1)).toBe(true);
    expect(gate.status().locked).toBe(true);
    // Forgetting the key: the next start asks.
    expect(await dispatch(handlers(), 'lock:forget', {})).toMatchObject({ ok: true, value: { remembered: false } });
    expect(new LibraryGate({ dataDir: dir }, keychain).start().status().locked).toBe(true);
  });
});

describe('locking with work in progress', () => {
  it('the idle timer waits for a running import; sleep stops it and nothing half-done is kept', async () => {
    const dir = library();
    await protectLibrary(dir, PASS);
    const gate = new LibraryGate({ dataDir: dir }).start();
    cleanups.push(() => gate.close());
    await gate.unlock(PASS, false);
    const core = gate.requireCore();
    const sessionId = core.library.listCases()[0]!.sessions[0]!.id;
    const { started } = await core.imports.start(sessionId, [mediaFile('camera-gop10s.mp4')], {
      offsetMs: 0,
      copy: true,
    });
    expect(started).toHaveLength(1);
    expect(await gate.lock('idle')).toMatchObject({ locked: false }); // an import is use
    await expect(gate.unprotect(PASS)).rejects.toThrow(/still running: wait for it to finish before removing/);
    expect(await gate.lock('sleep')).toMatchObject({ locked: true });
    await gate.unlock(PASS, false);
    expect(gate.requireCore().library.sessionDetail(sessionId).recordings).toEqual([]);
    const media = path.join(dir, 'media');
    const files = fs.existsSync(media) ? fs.readdirSync(media, { recursive: true, withFileTypes: true }) : [];
    expect(files.filter((f) => f.isFile()).map((f) => f.name)).toEqual([]);
  });
});

describe('library protection from the command line', () => {
  it('protect, use with the passphrase, change it, unprotect; a wrong or missing passphrase says so', async () => {
    const dir = library();
    const env = { ALLIANCE_REVIEW_NEW_PASSPHRASE: PASS };
    expect((await cliIn(dir, ['library', 'protect'], env)).code).toBe(0);
    expect(leaks(dir, 'Therapist Findme')).toEqual([]);

    const locked = await cliIn(dir, ['cases', '--json'], {});
    expect(locked.code).toBe(1);
    expect(locked.stderr).toMatch(/protected with a passphrase: set ALLIANCE_REVIEW_PASSPHRASE/);
    const wrong = await cliIn(dir, ['cases', '--json'], { ALLIANCE_REVIEW_PASSPHRASE: 'guess guess guess' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/not this library’s passphrase/);
    const ok = await cliIn(dir, ['cases', '--json'], { ALLIANCE_REVIEW_PASSPHRASE: PASS });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual([expect.objectContaining({ code: 'CASE-PLAINTEXT-7' })]);

    const status = await cliIn(dir, ['library', 'status', '--json'], {});
    expect(JSON.parse(status.stdout)).toMatchObject({ protected: true, autoLockMinutes: 15 });
    const changed = await cliIn(dir, ['library', 'change-passphrase'], {
      ALLIANCE_REVIEW_PASSPHRASE: PASS,
      ALLIANCE_REVIEW_NEW_PASSPHRASE: NEW_PASS,
    });
    expect(changed.code).toBe(0);
    expect((await cliIn(dir, ['cases'], { ALLIANCE_REVIEW_PASSPHRASE: PASS })).code).toBe(1);
    const audit = await cliIn(dir, ['audit', 'list', '--json'], { ALLIANCE_REVIEW_PASSPHRASE: NEW_PASS });
    expect(JSON.parse(audit.stdout).map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['library.protect', 'library.passphrase.change']),
    );
    expect((await cliIn(dir, ['library', 'unprotect'], { ALLIANCE_REVIEW_PASSPHRASE: NEW_PASS })).code).toBe(0);
    expect((await cliIn(dir, ['cases'], {})).code).toBe(0);
  });
});
