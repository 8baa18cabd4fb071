import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path to a better-sqlite3 native binding built for another ABI (Electron). */
  nativeBinding?: string;
  /** Migrations to apply; tests pass their own list to exercise upgrade paths. */
  migrations?: Migration[];
  /** Open read-only even where the library could be written (also chosen when it cannot). */
  readOnly?: boolean;
  /** The data key of a library protected with a passphrase (see protection/library-key.ts). */
  key?: Buffer;
}

export const DB_FILE = 'alliance-review.db';
/** Beside a protected library: its data key, wrapped under the passphrase. */
export const KEY_FILE = 'library-key.json';

const SQLITE_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');

/** Whether a database file is plain SQLite (an encrypted one starts with random bytes); null when absent or empty. */
export function isPlainDatabase(file: string): boolean | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(16);
    const n = fs.readSync(fd, head, 0, 16, 0);
    if (n === 0) return null;
    return n === 16 && head.equals(SQLITE_HEADER);
  } finally {
    fs.closeSync(fd);
  }
}

/** SQLCipher 4's settings and the raw data key, on a connection just opened. */
export function applyKey(db: Db, key: Buffer): void {
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key.toString('hex')}'"`);
}

/**
 * Opens (creating if needed) the database in `dataDir`, in WAL mode with foreign keys on, and
 * brings it to the latest schema. A database from a newer app version is refused untouched; an
 * older one is backed up next to itself before it is migrated.
 */
export function openDatabase(dataDir: string, options: OpenOptions = {}): Db {
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new AppError(
      'READ_ONLY',
      `The data folder ${dataDir} cannot be created (${(error as NodeJS.ErrnoException).code ?? 'error'}). Choose a folder you can write to with --data-dir.`,
    );
  }
  const file = path.join(dataDir, DB_FILE);
  checkBeforeOpen(file);
  ownerOnly(dataDir, file);
  const plain = isPlainDatabase(file);
  const foreign = plain === false ? notALibrary(file) : null;
  if (foreign) throw notALibraryError(file, foreign);
  if (plain === false && !options.key && fs.existsSync(path.join(dataDir, KEY_FILE))) {
    throw new AppError(
      'LOCKED',
      'This library is protected with a passphrase. Unlock it in the app, or give the passphrase to the command line (a prompt, or the environment variable ALLIANCE_REVIEW_PASSPHRASE).',
    );
  }
  // A key for a plain file: protecting it was interrupted before its pages were encrypted.
  if (plain !== false) options = { ...options, key: undefined };
  const readOnly = options.readOnly === true || !writable(dataDir, file);
  if (!readOnly && !fs.existsSync(file)) createLibrary(file, options);
  let db: Db;
  try {
    db = openFile(file, { ...options, readOnly });
  } catch (error) {
    throw explainOpenError(error, file, options.key !== undefined);
  }
  try {
    checkIntegrity(db, file);
    if (readOnly) {
      const latest = (options.migrations ?? MIGRATIONS).at(-1)?.version ?? 0;
      if (schemaVersion(db) !== latest) {
        throw new AppError(
          'READ_ONLY',
          `This library is read-only and was written by ${schemaVersion(db) > latest ? 'a newer' : 'an older'} version of Alliance Review, so it cannot be opened here. Copy the data folder somewhere writable, or make it writable.`,
        );
      }
    } else {
      migrate(db, file, options.migrations ?? MIGRATIONS);
    }
  } catch (error) {
    db.close();
    throw explainOpenError(error, file, options.key !== undefined);
  }
  return db;
}

/** Opens a database file without migrating (used by tests and by `openDatabase`). */
export function openFile(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, {
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    ...(options.readOnly ? { readonly: true, fileMustExist: true } : {}),
  });
  if (options.key) applyKey(db, options.key);
  // Two processes (the app and the CLI) share one library: a writer waits for the other's
  // transaction instead of failing. Writes begin IMMEDIATE (see `write`), so the wait happens at
  // BEGIN, where SQLite honours the timeout, and never as a "database is locked" mid-change.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!options.readOnly) {
    db.pragma('journal_mode = WAL');
    // FULL makes every acknowledged commit durable across a power cut, not only a process kill.
    db.pragma('synchronous = FULL');
  }
  db.pragma('foreign_keys = ON');
  // What is deleted is overwritten with zeros, not left in free pages (erasure, issue 13).
  if (!options.readOnly) db.pragma('secure_delete = ON');
  return db;
}

/**
 * After an erasure: the transcript index rebuilt (FTS5 keeps deleted words in its segments until
 * they merge), the file rewritten without free pages (VACUUM), and the write-ahead log emptied,
 * so nothing deleted stays readable in the library's files. Best effort when another process
 * holds the library open (the rows are gone either way): says whether it finished.
 */
export function compactAfterErasure(db: Db): boolean {
  try {
    db.exec("INSERT INTO transcript_fts (transcript_fts) VALUES ('rebuild')");
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return true;
  } catch {
    return false;
  }
}

/** How long a write waits for another process's transaction before giving up. */
export const BUSY_TIMEOUT_MS = 20_000;

/** Whether the library was opened read-only (a read-only folder or file). */
export function isReadOnly(db: Db): boolean {
  return db.readonly;
}

/**
 * Runs `fn` as one write transaction that takes the write lock first (BEGIN IMMEDIATE). Every
 * multi-statement write goes through here, so a second process queues behind the first
 * (within the busy timeout) and a change is all or nothing.
 */
export function write<T>(db: Db, fn: () => T): T {
  if (db.inTransaction) return fn();
  let value: T;
  try {
    value = db.transaction(fn).immediate();
  } catch (error) {
    committed.delete(db);
    throw error;
  }
  const after = committed.get(db);
  committed.delete(db);
  // What follows the commit cannot undo it: a failure there is logged, never thrown at a caller
  // whose change was made (the audit anchor's pending head covers a lost update).
  for (const run of after ?? [])
    try {
      run();
    } catch (error) {
      console.error('[after commit]', error);
    }
  return value;
}

const committed = new WeakMap<Db, (() => void)[]>();

/**
 * Runs `fn` once the outermost write transaction has committed (at once outside one); dropped when
 * it rolls back. For what lives outside the database and must follow it (the audit log's anchor).
 */
export function afterCommit(db: Db, fn: () => void): void {
  if (!db.inTransaction) return fn();
  const list = committed.get(db) ?? [];
  list.push(fn);
  committed.set(db, list);
}

function writable(dir: string, file: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    if (fs.existsSync(file)) fs.accessSync(file, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A new library is built under a temporary name and linked into place only once its schema is
 * complete, so a process killed while creating it (Ctrl+C on a first import) leaves no half-made
 * or 0-byte library behind, which the next start would rightly refuse as damaged. Two processes
 * creating the same library at once both succeed: the second finds the first's and uses it.
 */
function createLibrary(file: string, options: OpenOptions): void {
  removeAbandonedCreations(file);
  const temp = `${file}.creating-${process.pid}-${Date.now().toString(36)}`;
  try {
    const db = openFile(temp, options);
    try {
      migrate(db, temp, options.migrations ?? MIGRATIONS); // from nothing: no backup to make
    } finally {
      db.close(); // checkpoints and removes the WAL: the file alone is the whole library
    }
    if (process.platform !== 'win32') fs.chmodSync(temp, 0o600);
    try {
      fs.linkSync(temp, file); // fails if another process made the library meanwhile: use theirs
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC') {
      throw new AppError(
        'DISK_FULL',
        `The disk holding ${path.dirname(file)} is full, so a new library cannot be made there. Free some space or choose another data folder.`,
      );
    }
    throw error;
  } finally {
    for (const f of [temp, `${temp}-wal`, `${temp}-shm`, `${temp}-journal`]) fs.rmSync(f, { force: true });
  }
}

/** Leftovers of a creation whose process was killed (its pid no longer runs). */
function removeAbandonedCreations(file: string): void {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.creating-`;
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.startsWith(prefix));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (pid === process.pid || (Number.isInteger(pid) && alive(pid))) continue; // still being made
    fs.rmSync(path.join(dir, name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The data folder readable by its owner only (0700) and the library file too (0600; SQLite gives
 * its write-ahead log and shared-memory files the same mode). On POSIX; a folder or file that
 * belongs to someone else (a shared, read-only library) is left as it is.
 */
function ownerOnly(dir: string, file: string): void {
  if (process.platform === 'win32') return;
  for (const [p, mode] of [
    [dir, 0o700],
    [file, 0o600],
  ] as const) {
    try {
      const st = fs.statSync(p);
      if ((st.mode & 0o777) !== mode && st.uid === process.getuid?.()) fs.chmodSync(p, mode);
    } catch {
      // absent (a new library), or not ours to change
    }
  }
}

/** A 0-byte library is a damaged one (a crash or a sync tool), never a new empty library. */
function checkBeforeOpen(file: string): void {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return; // no library yet: a new one is made
  }
  const walSize = (() => {
    try {
      return fs.statSync(`${file}-wal`).size;
    } catch {
      return 0;
    }
  })();
  if (size === 0 && walSize === 0) {
    throw new AppError(
      'LIBRARY_DAMAGED',
      `The library file ${file} is empty (0 bytes): it was damaged, perhaps by a crash, a full disk or a sync tool. Nothing was changed. Restore it from a backup (the .bak files beside it are copies made before upgrades), or move it away to start a new, empty library.`,
    );
  }
}

/**
 * SQLite's quick_check on open (a damaged library is refused with what to do, not found out
 * half-way through someone's work). It reads the whole file (~0.1 s for 30 MB), so a library
 * file that has not changed since its last clean check is not checked again: the check's
 * result is remembered beside it by the file's size and modification time.
 */
function checkIntegrity(db: Db, file: string): void {
  const marker = `${file}.checked`;
  const stamp = (() => {
    try {
      const st = fs.statSync(file);
      return `${st.size}:${st.mtimeMs}`;
    } catch {
      return null;
    }
  })();
  try {
    if (stamp !== null && fs.readFileSync(marker, 'utf8') === stamp) return;
  } catch {
    // never checked: check now
  }
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (problems.length) {
    throw new AppError(
      'LIBRARY_DAMAGED',
      `The library ${file} is damaged (SQLite's check found: ${problems.slice(0, 3).join('; ')}). Nothing was changed. Restore it from a backup (the .bak files beside it), or recover what is readable with the sqlite3 tool's ".recover" command into a new file.`,
    );
  }
  if (stamp !== null && !db.readonly) {
    try {
      fs.writeFileSync(marker, stamp);
    } catch {
      // Cannot remember the check: it runs again next time, nothing worse.
    }
  }
}

/** Magic numbers of files people keep beside a library, said by name. */
const KNOWN_FORMATS: [offset: number, magic: string, what: string][] = [
  [4, 'ftyp', 'a video or audio file (MP4, MOV or M4A)'],
  [0, '\u001aE\u00df\u00a3', 'a video file (WebM or MKV)'],
  [0, 'RIFF', 'an audio or video file (WAV or AVI)'],
  [0, 'OggS', 'an audio file (Ogg)'],
  [0, 'ID3', 'an audio file (MP3)'],
  [0, 'fLaC', 'an audio file (FLAC)'],
  [0, '%PDF', 'a PDF document'],
  [0, 'PK\u0003\u0004', 'a ZIP archive (or an Office document)'],
  [0, '\u001f\u008b', 'a gzip archive'],
  [0, 'ARPKG', 'a rating package'],
];

/**
 * What `file` is when it is plainly not a library: a known format by its first bytes, text, or a
 * size no encrypted library has (its pages are 4,096 bytes). Null when it may be an encrypted
 * library (or a plain one).
 */
export function notALibrary(file: string): string | null {
  let head: Buffer;
  let size: number;
  try {
    size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r');
    try {
      head = Buffer.alloc(Math.min(512, size));
      fs.readSync(fd, head, 0, head.length, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
  if (size === 0 || head.subarray(0, 16).equals(SQLITE_HEADER)) return null;
  for (const [offset, magic, what] of KNOWN_FORMATS)
    if (head.subarray(offset, offset + magic.length).equals(Buffer.from(magic, 'latin1'))) return what;
  if (head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127))) return 'a text file';
  if (size % 4096 !== 0) return 'not a database';
  return null;
}

/** The message for a file that is not a library (`what` from notALibrary). */
export function notALibraryError(file: string, what: string): AppError {
  return new AppError(
    'LIBRARY_DAMAGED',
    `${file} is not an Alliance Review library: it is ${what}. Nothing was changed. If your library was there, restore it from a backup (backup list, backup restore); otherwise move this file out of the data folder, or choose another data folder with --data-dir.`,
  );
}

/** SQLite's messages become ones a clinician can act on. */
function explainOpenError(error: unknown, file: string, keyed = false): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string }).code ?? '';
  const foreign = code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' ? notALibrary(file) : null;
  if (foreign) return notALibraryError(file, foreign);
  if (keyed && code === 'SQLITE_NOTADB') {
    return new AppError(
      'LIBRARY_DAMAGED',
      `The key file beside ${file} does not open it: the two come from different copies of the data folder, or the library is damaged. Nothing was changed. Put back the ${KEY_FILE} that belongs to this library, or restore the library from a backup.`,
    );
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new AppError(
      'LIBRARY_DAMAGED',
      `${file} is not an Alliance Review library, or it is damaged beyond opening. Nothing was changed. If it is your library, restore it from a backup (the .bak files beside it); otherwise choose another data folder with --data-dir.`,
    );
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
    return new AppError(
      'READ_ONLY',
      `The library ${file} cannot be opened (${code}). Check that the data folder exists and that you may read it.`,
    );
  }
  if (code === 'SQLITE_BUSY') {
    return new AppError(
      'BUSY',
      `The library ${file} is busy: another Alliance Review (the app or the command line) held it for more than ${BUSY_TIMEOUT_MS / 1000} s. Try again when it has finished.`,
    );
  }
  return error;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db, file: string, migrations: Migration[]): void {
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new AppError(
      'DB_NEWER',
      `This data folder was written by a newer version of Alliance Review (schema ${current}; this version knows up to ${latest}). Update the app to open it; nothing was changed.`,
    );
  }
  if (current === latest) return;
  if (current > 0 && file !== ':memory:') {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const backup = `${file}.v${current}-${stamp}.bak`;
    db.exec(`VACUUM INTO '${backup.replace(/'/g, "''")}'`);
  }
  // Table rebuilds need foreign keys off (SQLite's documented procedure); they are checked before
  // the transaction commits and turned on again afterwards.
  db.pragma('foreign_keys = OFF');
  try {
    write(db, () => {
      for (const m of migrations) {
        if (m.version <= current) continue;
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version}`);
      }
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length) throw new Error(`Migration left ${broken.length} dangling references.`);
    });
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

export { LATEST_VERSION };

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * A prepared statement for `sql`, prepared once per database: repositories run the same few
 * statements thousands of times (a study's agreement reads every session).
 */
export function prep(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}
