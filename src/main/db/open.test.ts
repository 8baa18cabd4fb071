import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/support/tmp';
import { AppError } from '../../shared/errors';
import { MIGRATIONS } from './migrations';
import { DB_FILE, openDatabase, openFile, schemaVersion } from './open';

const dirs: (() => void)[] = [];
const fresh = () => {
  const t = tempDir();
  dirs.push(t.cleanup);
  return t.dir;
};
afterEach(() => dirs.splice(0).forEach((c) => c()));

describe('openDatabase', () => {
  it('creates the schema in WAL mode with foreign keys on', () => {
    const db = openDatabase(fresh());
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it.skipIf(process.platform === 'win32')(
    'keeps the data folder to its owner (0700) and the library and its log files too (0600), also an older, looser one',
    () => {
      const dir = path.join(fresh(), 'data');
      const db = openDatabase(dir);
      db.exec("CREATE TABLE IF NOT EXISTS t (x); INSERT INTO t VALUES ('x')");
      const mode = (p: string) => fs.statSync(p).mode & 0o777;
      expect(mode(dir)).toBe(0o700);
      expect(mode(path.join(dir, DB_FILE))).toBe(0o600);
      expect(mode(path.join(dir, `${DB_FILE}-wal`))).toBe(0o600);
      db.close();
      // A library made before this rule (world-readable) is tightened when it is opened.
      fs.chmodSync(dir, 0o755);
      fs.chmodSync(path.join(dir, DB_FILE), 0o644);
      openDatabase(dir).close();
      expect(mode(dir)).toBe(0o700);
      expect(mode(path.join(dir, DB_FILE))).toBe(0o600);
    },
  );

  it('makes a new library whole or not at all: a creation that was killed leaves nothing that is taken for a library', () => {
    const dir = fresh();
    // What a process killed while creating the library leaves: its temporary file (a pid that no
    // longer runs). The library file itself never exists half-made.
    const abandoned = path.join(dir, `${DB_FILE}.creating-999999999-x`);
    fs.writeFileSync(abandoned, '');
    const db = openDatabase(dir);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
    expect(fs.statSync(path.join(dir, DB_FILE)).size).toBeGreaterThan(0);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.creating-'))).toEqual([]);
    // Opened again, it is the same library (the creation is not repeated over it).
    const again = openDatabase(dir);
    again.prepare("INSERT INTO cases (code, created_at) VALUES ('C-1', 'x')").run();
    again.close();
    const third = openDatabase(dir);
    expect(third.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 1 });
    third.close();
  });

  it('migration 001 makes strict tables that refuse wrong types and dangling references', () => {
    const db = openDatabase(fresh(), { migrations: MIGRATIONS.slice(0, 1) });
    const tables = db
      .prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'")
      .all() as {
      name: string;
      strict: number;
    }[];
    expect(tables.map((t) => t.name).sort()).toEqual(['cases', 'peaks', 'recordings', 'sessions']);
    expect(tables.every((t) => t.strict === 1)).toBe(true);
    db.prepare("INSERT INTO cases (code, created_at) VALUES ('C-1', 'x')").run();
    expect(() => db.prepare("INSERT INTO sessions (case_id, number, created_at) VALUES (1, 'one', 'x')").run()).toThrow(
      /cannot store TEXT value in INTEGER column/,
    );
    expect(() => db.prepare("INSERT INTO sessions (case_id, number, created_at) VALUES (999, 1, 'x')").run()).toThrow(
      /FOREIGN KEY/,
    );
    db.close();
  });

  it('migration 002 adds raters, codebooks, segments, links, edits and the grid to a 001 database', () => {
    const dir = fresh();
    const v1 = openDatabase(dir, { migrations: MIGRATIONS.slice(0, 1) });
    v1.prepare("INSERT INTO cases (code, created_at) VALUES ('C-1', 'x')").run();
    v1.close();
    const db = openDatabase(dir, { migrations: MIGRATIONS.slice(0, 2) });
    const tables = (
      db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND strict = 1").all() as { name: string }[]
    ).map((t) => t.name);
    for (const t of [
      'raters',
      'settings',
      'codebooks',
      'codebook_versions',
      'segments',
      'links',
      'edits',
      'grid_sessions',
      'grid_cells',
    ]) {
      expect(tables).toContain(t);
    }
    expect(db.prepare('SELECT code FROM cases').all()).toEqual([{ code: 'C-1' }]);
    expect(() => db.prepare("INSERT INTO raters (name, role, created_at) VALUES ('A', 'friend', 'x')").run()).toThrow(
      /CHECK/,
    );
    db.close();
  });

  it('migration 003 adds ratings, revisions, assignments, instruments, responses and consensus sources, keeping segments', () => {
    const dir = fresh();
    const v2 = openDatabase(dir, { migrations: MIGRATIONS.slice(0, 2) });
    v2.exec(`INSERT INTO cases (code, created_at) VALUES ('C-1', 'x');
      INSERT INTO sessions (case_id, number, created_at) VALUES (1, 1, 'x');
      INSERT INTO raters (name, role, created_at) VALUES ('A', 'observer', 'x');
      INSERT INTO codebooks (name, created_at) VALUES ('cb', 'x');
      INSERT INTO codebook_versions (codebook_id, version, definition_json, created_at) VALUES (1, 1, '{}', 'x');
      INSERT INTO segments (session_id, rater_id, kind, start_ms, end_ms, codebook_version_id, created_at, updated_at)
        VALUES (1, 1, 'rupture', 0, 1000, 1, 'x', 'x');
      INSERT INTO edits (session_id, label, before_json, after_json, created_at) VALUES (1, 'new', '{}', '{}', 'x');`);
    v2.close();
    const db = openDatabase(dir, { migrations: MIGRATIONS.slice(0, 3) });
    const tables = (
      db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND strict = 1").all() as { name: string }[]
    ).map((t) => t.name);
    for (const t of ['ratings', 'rating_revisions', 'assignments', 'instruments', 'responses'])
      expect(tables).toContain(t);
    expect(db.prepare('SELECT sources_json FROM segments').get()).toEqual({ sources_json: '[]' });
    expect(db.prepare('SELECT rater_id FROM edits').get()).toEqual({ rater_id: 1 }); // old history kept, given to its rater
    db.close();
  });

  it('migration 004 keeps segments, links and history, never reuses an id the log names, and flags the consensus lane', () => {
    const dir = fresh();
    const v3 = openDatabase(dir, { migrations: MIGRATIONS.slice(0, 3) });
    v3.exec(`INSERT INTO cases (code, created_at) VALUES ('C-1', 'x');
      INSERT INTO sessions (case_id, number, created_at) VALUES (1, 1, 'x');
      INSERT INTO raters (name, role, created_at) VALUES ('A', 'observer', 'x'), ('Consensus', 'supervisor', 'x');
      INSERT INTO codebooks (name, created_at) VALUES ('cb', 'x');
      INSERT INTO codebook_versions (codebook_id, version, definition_json, created_at) VALUES (1, 1, '{}', 'x');
      INSERT INTO segments (id, session_id, rater_id, kind, start_ms, end_ms, codebook_version_id, created_at, updated_at)
        VALUES (1, 1, 1, 'rupture', 0, 1000, 1, 'x', 'x'), (2, 1, 1, 'repair', 1000, 2000, 1, 'x', 'x'),
               (3, 1, 2, 'rupture', 0, 1000, 1, 'x', 'x');
      INSERT INTO links (repair_id, rupture_id) VALUES (2, 1);
      INSERT INTO edits (session_id, rater_id, label, before_json, after_json, undone, created_at)
        VALUES (1, 1, 'new rupture', '{"ids":[5],"state":{"segments":[],"links":[]}}', '{"ids":[5],"state":{"segments":[],"links":[]}}', 1, 'x');`);
    v3.close();
    const db = openDatabase(dir, { migrations: MIGRATIONS.slice(0, 4) });
    expect(db.prepare('SELECT id FROM segments ORDER BY id').all()).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(db.prepare('SELECT * FROM links').all()).toEqual([{ repair_id: 2, rupture_id: 1 }]);
    expect(db.prepare('SELECT count(*) AS n FROM edits').get()).toEqual({ n: 1 });
    // Id 5 was created and undone before the upgrade: a redo will bring it back, so no new segment takes it.
    const next = db
      .prepare(
        "INSERT INTO segments (session_id, rater_id, kind, start_ms, end_ms, codebook_version_id, created_at, updated_at) VALUES (1, 1, 'rupture', 0, 1000, 1, 'x', 'x')",
      )
      .run();
    expect(Number(next.lastInsertRowid)).toBe(6);
    expect(db.prepare('SELECT name, consensus FROM raters ORDER BY id').all()).toEqual([
      { name: 'A', consensus: 0 },
      { name: 'Consensus', consensus: 1 },
    ]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('migration 005 adds feedback threads, read marks and the label list, keeping segments', () => {
    const dir = fresh();
    const v4 = openDatabase(dir, { migrations: MIGRATIONS.slice(0, 4) });
    v4.exec(`INSERT INTO cases (code, created_at) VALUES ('C-1', 'x');
      INSERT INTO sessions (case_id, number, created_at) VALUES (1, 1, 'x');
      INSERT INTO raters (name, role, created_at) VALUES ('Sup', 'supervisor', 'x'), ('T', 'trainee', 'x');
      INSERT INTO codebooks (name, created_at) VALUES ('cb', 'x');
      INSERT INTO codebook_versions (codebook_id, version, definition_json, created_at) VALUES (1, 1, '{}', 'x');
      INSERT INTO segments (session_id, rater_id, kind, start_ms, end_ms, codebook_version_id, note, created_at, updated_at)
        VALUES (1, 1, 'comment', 500, 500, 1, 'old comment', 'x', 'x');`);
    v4.close();
    const db = openDatabase(dir, { migrations: MIGRATIONS.slice(0, 5) });
    // Old comment segments stay where they were (a submitted rating and the edit log may name them).
    expect(db.prepare('SELECT kind, note FROM segments').all()).toEqual([{ kind: 'comment', note: 'old comment' }]);
    expect(db.prepare('SELECT name FROM feedback_labels ORDER BY position').all()).toEqual(
      ['strength', 'question', 'try instead', 'rupture missed', 'repair missed'].map((name) => ({ name })),
    );
    db.exec(`INSERT INTO feedback (session_id, author_id, start_ms, end_ms, segment_id, text, created_at) VALUES (1, 1, 0, 0, 1, 'see', 'x');
      INSERT INTO feedback (session_id, parent_id, author_id, text, created_at) VALUES (1, 1, 2, 'ok', 'x');
      INSERT INTO feedback_reads (feedback_id, rater_id) VALUES (1, 2);`);
    // A reply takes its thread's time; a thread must have one.
    expect(() =>
      db.exec(
        "INSERT INTO feedback (session_id, parent_id, author_id, start_ms, text, created_at) VALUES (1, 1, 2, 5, 'x', 'x')",
      ),
    ).toThrow(/CHECK constraint failed/);
    // Deleting the segment keeps the comment; deleting the session takes its threads and read marks.
    db.exec('DELETE FROM segments');
    expect(db.prepare('SELECT segment_id FROM feedback WHERE id = 1').get()).toEqual({ segment_id: null });
    db.exec('DELETE FROM sessions');
    expect(
      db.prepare('SELECT (SELECT count(*) FROM feedback) + (SELECT count(*) FROM feedback_reads) AS n').get(),
    ).toEqual({
      n: 0,
    });
    db.close();
  });

  it('refuses a database written by a newer version and leaves it untouched', () => {
    const dir = fresh();
    const db = openFile(path.join(dir, DB_FILE));
    db.pragma('user_version = 99');
    db.exec('CREATE TABLE future (x TEXT) STRICT');
    db.close();
    const before = fs.readFileSync(path.join(dir, DB_FILE));
    let error: unknown;
    try {
      openDatabase(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('DB_NEWER');
    expect((error as AppError).message).toMatch(/newer version of Alliance Review/);
    expect(fs.readFileSync(path.join(dir, DB_FILE)).equals(before)).toBe(true);
  });

  it('backs an older database up before migrating it, keeping its rows', () => {
    const dir = fresh();
    const v1 = openDatabase(dir);
    v1.prepare("INSERT INTO cases (code, created_at) VALUES ('C-001', 'now')").run();
    v1.close();
    const next = [
      ...MIGRATIONS,
      { version: MIGRATIONS.length + 1, name: 'test', sql: 'ALTER TABLE cases ADD COLUMN extra TEXT' },
    ];
    const v2 = openDatabase(dir, { migrations: next });
    expect(schemaVersion(v2)).toBe(MIGRATIONS.length + 1);
    expect(v2.prepare('SELECT code FROM cases').all()).toEqual([{ code: 'C-001' }]);
    v2.close();
    const backups = fs.readdirSync(dir).filter((f) => f.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    const old = openFile(path.join(dir, backups[0]!));
    expect(schemaVersion(old)).toBe(MIGRATIONS.length);
    old.close();
  });

  it('rolls a failing migration back completely', () => {
    const dir = fresh();
    const broken = [
      ...MIGRATIONS,
      { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE ok_table (x TEXT) STRICT; THIS IS NOT SQL' },
    ];
    openDatabase(dir).close();
    expect(() => openDatabase(dir, { migrations: broken })).toThrow();
    const db = openDatabase(dir);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'ok_table'").get()).toEqual({ n: 0 });
    db.close();
  });
});
