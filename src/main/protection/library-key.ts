/**
 * Protecting a library with a passphrase (encryption at rest).
 *
 * The database is encrypted by SQLite3 Multiple Ciphers in SQLCipher 4's format (AES-256-CBC
 * with an HMAC per page), so `sqlcipher` itself can open it given the raw key. The key is not
 * the passphrase: it is 32 random bytes (the data key), stored beside the library in
 * `library-key.json` wrapped (AES-256-GCM) under a key that scrypt derives from the passphrase.
 * So changing the passphrase rewrites one small file, not the library, its backups or media;
 * a wrong passphrase fails the wrap's tag before anything is opened; and the OS keychain (the
 * app's "remember on this computer") keeps the data key, never the passphrase.
 *
 * Protecting and unprotecting rewrite every page of the database in place (SQLite3MC's rekey,
 * one transaction) and need the library to themselves: they switch it out of WAL mode, which
 * SQLite refuses while another process has it open, and that refusal is what the user is told.
 * The order makes a crash at any point safe: the key file is written before the pages are
 * encrypted and removed only after they are decrypted, and on open a library whose file is plain
 * SQLite is plain whatever key file lies beside it (see `protectionState`).
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../shared/errors';
import { convertLibraryMedia } from './media-crypt';
import { applyKey, DB_FILE, isPlainDatabase, KEY_FILE, notALibrary, notALibraryError, type Db } from '../db/open';
import { kdfInBounds } from './kdf';
import { rekeyAnchor } from './audit';

export { KEY_FILE };
const SCRYPT = { N: 1 << 15, r: 8, p: 1 };
/** The shortest passphrase accepted for a library (a package's rules are its own). */
export const MIN_PASSPHRASE = 8;
export const DEFAULT_AUTO_LOCK_MINUTES = 15;

export interface KeyFile {
  format: 'alliance-review-library-key';
  version: 1;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  wrap: { cipher: 'aes-256-gcm'; iv: string; tag: string; key: string };
  /** Minutes without use before the app locks itself (0: never). Not secret. */
  autoLockMinutes: number;
  protectedAt: string;
  changedAt: string;
}

export type ProtectionState =
  | { protected: false }
  | { protected: true; keyFile: KeyFile }
  /** Encrypted pages but no key file beside them: the key file was lost or moved. */
  | { protected: true; keyFile: null };

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, KEY_FILE);
}

export function readKeyFile(dataDir: string): KeyFile | null {
  let text: string;
  try {
    text = fs.readFileSync(keyFilePath(dataDir), 'utf8');
  } catch {
    return null;
  }
  try {
    const k = JSON.parse(text) as KeyFile;
    if (k.format !== 'alliance-review-library-key' || k.version !== 1) throw new Error('format');
    // Only settings this app writes: a key file changed to ask for gigabytes of memory (or none)
    // is damaged, not a reason to try (scrypt would fail with "malloc failure").
    if (!kdfInBounds(k.kdf)) throw new Error('kdf');
    return k;
  } catch {
    throw new AppError(
      'LIBRARY_DAMAGED',
      `The library's key file ${keyFilePath(dataDir)} is damaged, so the protected library cannot be opened. Restore that file from a copy of the data folder; nothing was changed.`,
    );
  }
}

/** Whether the library in `dataDir` is protected, by what lies on disk. */
export function protectionState(dataDir: string): ProtectionState {
  const plain = isPlainDatabase(path.join(dataDir, DB_FILE));
  if (plain === null || plain) return { protected: false };
  return { protected: true, keyFile: readKeyFile(dataDir) };
}

export function checkPassphrase(passphrase: string): void {
  if ([...passphrase.normalize('NFC')].length < MIN_PASSPHRASE)
    throw new AppError('INVALID_INPUT', `Choose a passphrase of at least ${MIN_PASSPHRASE} characters.`);
}

function kek(passphrase: string, kdf: KeyFile['kdf']): Promise<Buffer> {
  const { N, r, p } = kdf;
  return new Promise((resolve, reject) =>
    scrypt(
      passphrase.normalize('NFC'),
      Buffer.from(kdf.salt, 'base64'),
      32,
      { N, r, p, maxmem: 256 * N * r },
      (e, k) => (e ? reject(e) : resolve(k)),
    ),
  );
}

const AAD = Buffer.from('alliance-review library key v1');

async function wrapKey(
  dataKey: Buffer,
  passphrase: string,
  rest: Pick<KeyFile, 'autoLockMinutes' | 'protectedAt'>,
): Promise<KeyFile> {
  const kdf = { name: 'scrypt' as const, ...SCRYPT, salt: randomBytes(16).toString('base64') };
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', await kek(passphrase, kdf), iv);
  c.setAAD(AAD);
  const wrapped = Buffer.concat([c.update(dataKey), c.final()]);
  return {
    format: 'alliance-review-library-key',
    version: 1,
    kdf,
    wrap: {
      cipher: 'aes-256-gcm',
      iv: iv.toString('base64'),
      tag: c.getAuthTag().toString('base64'),
      key: wrapped.toString('base64'),
    },
    autoLockMinutes: rest.autoLockMinutes,
    protectedAt: rest.protectedAt,
    changedAt: new Date().toISOString(),
  };
}

/** The data key, if `passphrase` is the library's; WRONG_PASSPHRASE otherwise. */
export async function unwrapKey(keyFile: KeyFile, passphrase: string): Promise<Buffer> {
  if (!passphrase) throw new AppError('WRONG_PASSPHRASE', 'Enter the library’s passphrase.');
  const d = createDecipheriv('aes-256-gcm', await kek(passphrase, keyFile.kdf), Buffer.from(keyFile.wrap.iv, 'base64'));
  d.setAAD(AAD);
  d.setAuthTag(Buffer.from(keyFile.wrap.tag, 'base64'));
  try {
    return Buffer.concat([d.update(Buffer.from(keyFile.wrap.key, 'base64')), d.final()]);
  } catch {
    throw new AppError('WRONG_PASSPHRASE', 'That is not this library’s passphrase. Nothing was opened.');
  }
}

/** Written whole or not at all (a temporary file, synced, renamed), readable by the owner only. */
export function writeKeyFile(dataDir: string, keyFile: KeyFile): void {
  const file = keyFilePath(dataDir);
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify(keyFile, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

function rekeyTo(db: Db, key: Buffer | null): void {
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma(key ? `rekey = "x'${key.toString('hex')}'"` : "rekey = ''");
}

/**
 * Takes the library for this process alone: out of WAL mode, which SQLite allows only when no
 * other connection has it open. Says plainly when another app or command holds it.
 */
function takeAlone(db: Db): void {
  let mode: unknown;
  try {
    db.pragma('busy_timeout = 0');
    mode = db.pragma('journal_mode = DELETE', { simple: true });
  } catch {
    mode = null;
  }
  if (mode !== 'delete') {
    throw new AppError(
      'BUSY',
      'Another Alliance Review (the app or a command) has this library open. Close it and try again; nothing was changed.',
    );
  }
}

function openAlone(dataDir: string, key: Buffer | null, nativeBinding?: string): Db {
  const db = new Database(path.join(dataDir, DB_FILE), {
    fileMustExist: true,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  try {
    if (key) applyKey(db, key);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    takeAlone(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Encrypts the library and its backups with a new data key wrapped under `passphrase`. */
export async function protectLibrary(dataDir: string, passphrase: string, nativeBinding?: string): Promise<Buffer> {
  checkPassphrase(passphrase);
  const state = protectionState(dataDir);
  if (state.protected) throw new AppError('INVALID_INPUT', 'This library is already protected with a passphrase.');
  if (isPlainDatabase(path.join(dataDir, DB_FILE)) === null)
    throw new AppError('NOT_FOUND', `There is no library in ${dataDir} yet.`);
  const dataKey = randomBytes(32);
  const db = openAlone(dataDir, null, nativeBinding);
  try {
    const now = new Date().toISOString();
    // The key file first: a crash after it but before the pages leaves a plain library (still
    // plain on open) and a spare key file, never encrypted pages without their key.
    writeKeyFile(
      dataDir,
      await wrapKey(dataKey, passphrase, { autoLockMinutes: DEFAULT_AUTO_LOCK_MINUTES, protectedAt: now }),
    );
    rekeyTo(db, dataKey);
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  rekeyAnchor(dataDir, null, dataKey);
  rekeyCopies(dataDir, null, dataKey, nativeBinding);
  try {
    await convertLibraryMedia(dataDir, dataKey, true);
  } catch (e) {
    // The library is protected; a recording not yet encrypted stays readable (each file says
    // what it is) and is encrypted when the library is next opened by the app.
    console.error(`[protect] recordings not yet encrypted: ${(e as Error).message}`);
  }
  return dataKey;
}

/** Decrypts the library and its backups, then removes the key file. */
export async function unprotectLibrary(dataDir: string, passphrase: string, nativeBinding?: string): Promise<void> {
  const keyFile = requireKeyFile(dataDir);
  const dataKey = await unwrapKey(keyFile, passphrase);
  const db = openAlone(dataDir, dataKey, nativeBinding);
  try {
    // The recordings first, while the library is still protected: interrupted, it stays
    // protected, and every recording (decrypted or not yet) stays readable.
    await convertLibraryMedia(dataDir, dataKey, false);
  } catch (e) {
    db.close();
    throw e;
  }
  try {
    rekeyTo(db, null);
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  rekeyAnchor(dataDir, dataKey, null);
  rekeyCopies(dataDir, dataKey, null, nativeBinding);
  fs.rmSync(keyFilePath(dataDir), { force: true });
}

/** A new passphrase for the same data key: one small file rewritten, nothing else. Returns the key. */
export async function changePassphrase(dataDir: string, current: string, next: string): Promise<Buffer> {
  checkPassphrase(next);
  const keyFile = requireKeyFile(dataDir);
  const dataKey = await unwrapKey(keyFile, current);
  writeKeyFile(dataDir, await wrapKey(dataKey, next, keyFile));
  return dataKey;
}

export function setAutoLock(dataDir: string, minutes: number): void {
  const keyFile = requireKeyFile(dataDir);
  writeKeyFile(dataDir, { ...keyFile, autoLockMinutes: minutes });
}

export function requireKeyFile(dataDir: string): KeyFile {
  const state = protectionState(dataDir);
  if (!state.protected) throw new AppError('INVALID_INPUT', 'This library is not protected with a passphrase.');
  if (!state.keyFile) throw missingKeyFile(dataDir);
  return state.keyFile;
}

export function missingKeyFile(dataDir: string): AppError {
  const file = path.join(dataDir, DB_FILE);
  const what = notALibrary(file);
  if (what) return notALibraryError(file, what);
  return new AppError(
    'LIBRARY_DAMAGED',
    `This library is encrypted but its key file (${KEY_FILE}) is not in ${dataDir}. Put it back from a copy of the data folder; without it the library cannot be opened.`,
  );
}

/** The backups and the copies made before upgrades, which hold what the library holds. */
export function libraryCopies(dataDir: string): string[] {
  const backups = path.join(dataDir, 'backups');
  const inBackups = fs.existsSync(backups)
    ? fs
        .readdirSync(backups)
        .filter((n) => n.endsWith('.db'))
        .map((n) => path.join(backups, n))
    : [];
  const upgrades = fs
    .readdirSync(dataDir)
    .filter((n) => n.startsWith(`${DB_FILE}.v`) && n.endsWith('.bak'))
    .map((n) => path.join(dataDir, n));
  return [...inBackups, ...upgrades];
}

/** Encrypts (or decrypts) every copy with the library; a copy that is not in the expected state is left as it is. */
function rekeyCopies(dataDir: string, from: Buffer | null, to: Buffer | null, nativeBinding?: string): void {
  for (const file of libraryCopies(dataDir)) {
    if (isPlainDatabase(file) !== (from === null)) continue;
    const db = new Database(file, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    try {
      if (from) applyKey(db, from);
      db.pragma('journal_mode = DELETE');
      rekeyTo(db, to);
    } catch (e) {
      console.error(`[protect] ${path.basename(file)}: ${(e as Error).message}`);
    } finally {
      db.close();
    }
  }
}
