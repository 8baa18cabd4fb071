import { createCore, type Core } from '../../src/main/app';
import type { Db } from '../../src/main/db/open';
import { tempDir } from './tmp';

/** A core on a fresh data folder; `events` collects what it emitted. */
export function testCore(): {
  core: Core;
  dir: string;
  events: { name: string; payload: unknown }[];
  cleanup: () => void;
} {
  const { dir, cleanup } = tempDir();
  const events: { name: string; payload: unknown }[] = [];
  const core = createCore({ dataDir: dir, emit: (name, payload) => events.push({ name, payload }) });
  return {
    core,
    dir,
    events,
    cleanup: () => {
      core.close();
      cleanup();
    },
  };
}

/** Every row of every table, to prove that a failed operation changed nothing. */
export function snapshot(db: Db): Record<string, unknown[]> {
  const tables = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string; sql: string }[];
  // FTS5's own tables (some WITHOUT ROWID) follow their content table; the content is compared.
  return Object.fromEntries(
    tables
      .filter((t) => !/VIRTUAL TABLE|WITHOUT ROWID/i.test(t.sql) && !/_fts_(data|idx|docsize|config)$/.test(t.name))
      .map((t) => [t.name, db.prepare(`SELECT * FROM "${t.name}" ORDER BY rowid`).all()]),
  );
}
