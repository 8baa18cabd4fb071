/**
 * Backups of the library: made with SQLite's online backup API while the app runs (the app makes
 * one a day; `backup now` any time), written under a temporary name and checked before they
 * count, rotated (every backup of the last 7 days, then the newest of each week for 4 weeks),
 * and restored the same way in reverse, after a safety backup of what is there now. The copies
 * made before upgrades (`alliance-review.db.v<N>-<time>.bak`) are pruned with them.
 *
 * A backup holds what the library holds: on a shared machine, protect the folder as you would the
 * library (they are written readable by the owner only).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../shared/errors';
import { applyKey, DB_FILE, isPlainDatabase, write, type Db } from '../db/open';
import { libraryCopies } from './library-key';

const DAY = 86_400_000;

export interface BackupInfo {
  file: string;
  name: string;
  createdAt: string;
  bytes: number;
  kind: 'daily' | 'manual' | 'before-restore';
}

const NAME = /^library-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)-(daily|manual|before-restore)\.db$/;

/**
 * Opens a backup read-only and checks it: a library (it has our tables) that SQLite finds sound.
 * A backup of a protected library is encrypted with the library's data key.
 */
function check(file: string, nativeBinding?: string, key?: Buffer): void {
  let db: Db | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    if (key && isPlainDatabase(file) === false) applyKey(db, key);
    const ok = db.pragma('quick_check', { simple: true });
    if (ok !== 'ok') throw new Error(String(ok));
    db.prepare('SELECT count(*) FROM sessions').get();
  } catch (e) {
    throw new AppError(
      'LIBRARY_DAMAGED',
      `${path.basename(file)} is not a sound Alliance Review backup (${(e as Error).message}); nothing was changed.`,
    );
  } finally {
    db?.close();
  }
}

export class BackupService {
  readonly dir: string;
  constructor(
    private readonly db: Db,
    private readonly dataDir: string,
    private readonly nativeBinding?: string,
    /** The data key of a protected library: its backups are encrypted with it. */
    private readonly key?: Buffer,
  ) {
    this.dir = path.join(dataDir, 'backups');
  }

  list(): BackupInfo[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .map((name) => ({ name, m: NAME.exec(name) }))
      .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
      .map(({ name, m }) => {
        const file = path.join(this.dir, name);
        const iso = m[1]!.replace(/T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z/, 'T$1:$2:$3.$4Z');
        return { file, name, createdAt: iso, bytes: fs.statSync(file).size, kind: m[2] as BackupInfo['kind'] };
      })
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  /**
   * Erasure reaches the copies: the same erasure (`erase`, given each copy's database) is applied
   * to every backup and every copy made before an upgrade, which are then compacted so nothing
   * erased stays readable in their bytes. A copy that cannot be cleaned (damaged, unreadable) is
   * removed rather than kept holding what was erased; the answer names it.
   */
  eraseFromCopies(erase: (copy: Db) => void): { cleaned: number; removed: string[] } {
    let cleaned = 0;
    const removed: string[] = [];
    for (const file of libraryCopies(this.dataDir)) {
      let copy: Db | null = null;
      try {
        copy = new Database(file, {
          fileMustExist: true,
          ...(this.nativeBinding ? { nativeBinding: this.nativeBinding } : {}),
        });
        if (this.key && isPlainDatabase(file) === false) applyKey(copy, this.key);
        copy.pragma('foreign_keys = ON');
        copy.pragma('secure_delete = ON');
        write(copy, () => erase(copy!));
        // The freed space overwritten; a copy from before the transcript index has none to rebuild.
        try {
          copy.exec("INSERT INTO transcript_fts (transcript_fts) VALUES ('rebuild')");
        } catch {
          // no transcript index in this copy
        }
        copy.exec('VACUUM');
        copy.close();
        copy = null;
        for (const x of ['-wal', '-shm']) fs.rmSync(`${file}${x}`, { force: true });
        cleaned++;
      } catch {
        copy?.close();
        for (const x of ['', '-wal', '-shm']) fs.rmSync(`${file}${x}`, { force: true });
        removed.push(path.basename(file));
      }
    }
    return { cleaned, removed };
  }

  /** Makes a backup now (checked before it counts), then prunes old ones. */
  async now(kind: BackupInfo['kind'] = 'manual', at = new Date()): Promise<BackupInfo> {
    if (this.db.readonly)
      throw new AppError('READ_ONLY', 'This library is open read-only: back up its folder instead.');
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const name = `library-${at.toISOString().replace(/:/g, '-').replace('.', '-')}-${kind}.db`;
    const file = path.join(this.dir, name);
    const partial = `${file}.partial`;
    try {
      // SQLite's backup API writes a plain copy, which SQLite3MC refuses for an encrypted library;
      // VACUUM INTO writes a consistent copy encrypted with the library's own key.
      if (this.key) this.db.exec(`VACUUM INTO '${partial.replace(/'/g, "''")}'`);
      else await this.db.backup(partial);
      fs.chmodSync(partial, 0o600);
      check(partial, this.nativeBinding, this.key);
      fs.renameSync(partial, file);
    } catch (e) {
      fs.rmSync(partial, { force: true });
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || /SQLITE_FULL/.test(String(e)))
        throw new AppError('DISK_FULL', 'The disk is full: no backup was made. Free some space and try again.');
      throw e;
    }
    this.prune(at);
    return this.list().find((b) => b.name === name)!;
  }

  /** The app's daily backup: made when the newest is a day old or more (or there is none). */
  async daily(at = new Date()): Promise<BackupInfo | null> {
    const newest = this.list()[0];
    if (newest && at.getTime() - Date.parse(newest.createdAt) < DAY) return null;
    return this.now('daily', at);
  }

  /**
   * Keeps every backup of the last 7 days and the newest of each calendar week before that, back
   * to 5 weeks; the newest backup always stays. Upgrade copies beside the library: the newest stays, others
   * go after 30 days.
   */
  prune(at = new Date()): string[] {
    const removed: string[] = [];
    // Calendar weeks (counted from the epoch), so that what is kept does not shift with each prune.
    const keptWeeks = new Set<number>();
    this.list().forEach((b, i) => {
      const t = Date.parse(b.createdAt);
      const age = at.getTime() - t;
      const week = Math.floor(t / (7 * DAY));
      const keep = i === 0 || age < 7 * DAY || (age < 35 * DAY && !keptWeeks.has(week));
      if (keep) keptWeeks.add(week);
      else {
        fs.rmSync(b.file, { force: true });
        removed.push(b.name);
      }
    });
    const upgrades = fs
      .readdirSync(this.dataDir)
      .filter((n) => n.startsWith(`${DB_FILE}.v`) && n.endsWith('.bak'))
      .map((n) => ({ n, t: fs.statSync(path.join(this.dataDir, n)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    upgrades.slice(1).forEach(({ n, t }) => {
      if (at.getTime() - t > 30 * DAY) {
        fs.rmSync(path.join(this.dataDir, n), { force: true });
        removed.push(n);
      }
    });
    return removed;
  }

  /**
   * Puts a backup's content in place of the library's (checked first; what is there now is
   * backed up before). Through SQLite's backup API into the open library, so this process sees
   * the restored library at once; another process with it open should be closed first.
   */
  async restore(file: string): Promise<{ restored: string; safety: BackupInfo }> {
    const src = path.resolve(file);
    if (!fs.existsSync(src)) throw new AppError('FILE_MISSING', `There is no backup at ${file}.`);
    check(src, this.nativeBinding, this.key);
    if (this.key) {
      throw new AppError(
        'INTERNAL',
        'A protected library is restored with the library closed (restoreProtected), not in place.',
      );
    }
    const safety = await this.now('before-restore');
    const from = new Database(src, {
      readonly: true,
      ...(this.nativeBinding ? { nativeBinding: this.nativeBinding } : {}),
    });
    try {
      await from.backup(path.join(this.dataDir, DB_FILE));
    } finally {
      from.close();
    }
    return { restored: src, safety };
  }
}

/**
 * Restoring a protected library. SQLite's backup API cannot write into an encrypted library
 * (SQLite3MC refuses a destination it opened without the key), so the backup is copied beside
 * the library with VACUUM INTO (encrypted with the same key) and put in its place while the
 * library is closed. `prepare` runs with the library open: it checks the backup, makes the
 * safety backup, and makes sure no other process has the library open (it would go on writing
 * into the replaced file). `finish` runs after the owner closed it.
 */
export async function prepareProtectedRestore(
  db: Db,
  backups: BackupService,
  file: string,
  key: Buffer,
  nativeBinding?: string,
): Promise<{ safety: BackupInfo; finish: () => void }> {
  const src = path.resolve(file);
  if (!fs.existsSync(src)) throw new AppError('FILE_MISSING', `There is no backup at ${file}.`);
  check(src, nativeBinding, key);
  const safety = await backups.now('before-restore');
  const dataDir = path.dirname(db.name);
  const staged = path.join(dataDir, `${DB_FILE}.restoring`);
  fs.rmSync(staged, { force: true });
  const from = new Database(src, { readonly: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    applyKey(from, key);
    from.exec(`VACUUM INTO '${staged.replace(/'/g, "''")}'`);
  } finally {
    from.close();
  }
  fs.chmodSync(staged, 0o600);
  let mode: unknown = null;
  try {
    db.pragma('busy_timeout = 0');
    mode = db.pragma('journal_mode = DELETE', { simple: true });
  } catch {
    // another process holds it
  }
  if (mode !== 'delete') {
    fs.rmSync(staged, { force: true });
    throw new AppError(
      'BUSY',
      'Another Alliance Review (the app or a command) has this library open: close it, then restore. Nothing was changed.',
    );
  }
  return {
    safety,
    finish: () => {
      const lib = path.join(dataDir, DB_FILE);
      fs.renameSync(staged, lib);
      for (const f of [`${lib}-wal`, `${lib}-shm`, `${lib}.checked`]) fs.rmSync(f, { force: true });
    },
  };
}
