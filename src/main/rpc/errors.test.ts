import Database from 'better-sqlite3-multiple-ciphers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toShape } from './errors';

function sqliteError(sql: string): unknown {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE p (id INTEGER PRIMARY KEY);
    CREATE TABLE s (id INTEGER PRIMARY KEY, start_ms INTEGER NOT NULL CHECK (start_ms >= 0), name TEXT UNIQUE,
      p_id INTEGER REFERENCES p(id)) STRICT;
    INSERT INTO s (id, start_ms, name) VALUES (1, 0, 'a');`);
  db.pragma('foreign_keys = ON');
  try {
    db.exec(sql);
    return null;
  } catch (e) {
    return e;
  } finally {
    db.close();
  }
}

describe('errors crossing the boundary', () => {
  it.each([
    ['INSERT INTO s (start_ms) VALUES (-5)', 'INVALID_INPUT', /A time is out of range/],
    ["INSERT INTO s (start_ms, name) VALUES (1, 'a')", 'INVALID_INPUT', /That already exists/],
    ['INSERT INTO s (start_ms, p_id) VALUES (1, 99)', 'INVALID_INPUT', /no longer exists/],
    ['INSERT INTO s (start_ms) VALUES (NULL)', 'INVALID_INPUT', /A required value is missing/],
    ['SELECT nope FROM s', 'INTERNAL', /a database error\); nothing was changed/],
  ])('say %s in words, never in SQLite’s', (sql, code, words) => {
    const shape = toShape(sqliteError(sql));
    expect(shape.code).toBe(code);
    expect(shape.message).toMatch(words);
    expect(shape.message).not.toMatch(/constraint failed|SQLITE|no such column|start_ms/i);
  });

  it('never passes SQLite text on, whatever the error says (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'SQLITE_ERROR',
          'SQLITE_CONSTRAINT_CHECK',
          'SQLITE_CONSTRAINT_TRIGGER',
          'SQLITE_MISMATCH',
          'SQLITE_RANGE',
        ),
        fc.string(),
        (code, text) => {
          const e = Object.assign(new Error(`CHECK constraint failed: ${text}`), { code, name: 'SqliteError' });
          expect(toShape(e).message).not.toContain('CHECK constraint failed');
        },
      ),
    );
  });
});
