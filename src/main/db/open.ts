import Database from 'better-sqlite3';
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
}

export const DB_FILE = 'alliance-review.db';

/**
 * Opens (creating if needed) the database in `dataDir`, in WAL mode with foreign keys on, and
 * brings it to the latest schema. A database from a newer app version is refused untouched; an
 * older one is backed up next to itself before it is migrated.
 */
export function openDatabase(dataDir: string, options: OpenOptions = {}): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DB_FILE);
  const db = openFile(file, options);
  try {
    migrate(db, file, options.migrations ?? MIGRATIONS);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Opens a database file without migrating (used by tests and by `openDatabase`). */
export function openFile(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  // FULL makes every acknowledged commit durable across a power cut, not only a process kill.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
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
  const apply = db.transaction(() => {
    for (const m of migrations) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  });
  apply();
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
