/**
 * Regression tests for the promises issue 8 found broken: no rater's work lost to another's
 * undo, a second writer queues instead of failing, large imports, reads that never write,
 * rejected calls that change nothing, interrupted imports cleaned up, damaged libraries explained.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshot, testCore } from '../../../tests/support/core';
import { seedSession } from '../../../tests/support/fixtures';
import { tempDir } from '../../../tests/support/tmp';
import { AppError } from '../../shared/errors';
import { sessionDurationMs } from '../../shared/segment-rules';
import { DB_FILE, openDatabase } from '../db/open';
import { createCore } from '../app';
import { toShape } from '../rpc/errors';

let t: ReturnType<typeof testCore>;
const cleanups: (() => void)[] = [];
afterEach(() => {
  t?.cleanup();
  cleanups.splice(0).forEach((c) => c());
});

describe("one rater's undo never touches another's work", () => {
  it('A undoes, B creates and submits, A redoes: B keeps their segment and their submitted rating', () => {
    t = testCore();
    const { sessionId } = seedSession(t.core);
    const ann = t.core.annotations;
    const a = ann.createRater('A', 'observer').id;
    const b = ann.createRater('B', 'observer').id;
    const aSeg = ann.create({ sessionId, raterId: a, kind: 'rupture', startMs: 1000, endMs: 2000, note: 'A' });
    ann.undo(sessionId, a);
    const bSeg = ann.create({ sessionId, raterId: b, kind: 'rupture', startMs: 5000, endMs: 6000, note: 'B' });
    expect(bSeg.id).not.toBe(aSeg.id); // ids the edit log names are never reused
    ann.submit(sessionId, b);
    ann.redo(sessionId, a);
    const all = ann.list(sessionId);
    expect(all.segments.map((s) => [s.id, s.raterId, s.note])).toEqual([
      [aSeg.id, a, 'A'],
      [bSeg.id, b, 'B'],
    ]);
    expect(all.ratings.find((r) => r.raterId === b)?.status).toBe('submitted');
  });

  it('ids stay unique across a reopen (AUTOINCREMENT survives the file)', () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    let core = createCore({ dataDir: dir.dir });
    const { sessionId } = seedSession(core);
    const a = core.annotations.createRater('A', 'observer').id;
    const first = core.annotations.create({ sessionId, raterId: a, kind: 'rupture', startMs: 0, endMs: 1000 });
    core.annotations.undo(sessionId, a);
    core.close();
    core = createCore({ dataDir: dir.dir });
    const b = core.annotations.createRater('B', 'observer').id;
    const second = core.annotations.create({ sessionId, raterId: b, kind: 'rupture', startMs: 0, endMs: 1000 });
    expect(second.id).toBeGreaterThan(first.id);
    core.close();
  });

  it('refuses an undo whose rows now belong to someone else, and changes nothing', () => {
    t = testCore();
    const { sessionId } = seedSession(t.core);
    const ann = t.core.annotations;
    const a = ann.createRater('A', 'observer').id;
    const b = ann.createRater('B', 'observer').id;
    const seg = ann.create({ sessionId, raterId: a, kind: 'rupture', startMs: 0, endMs: 1000 });
    // A damaged log (or a library from before ids were kept): the row now is B's.
    t.core.db.prepare('UPDATE segments SET rater_id = ? WHERE id = ?').run(b, seg.id);
    const before = snapshot(t.core.db);
    expect(() => ann.undo(sessionId, a)).toThrow(/another rater's work/);
    expect(snapshot(t.core.db)).toEqual(before);
  });
});

describe('two writers on one library', () => {
  it('queue instead of failing: edits while another process holds the write lock all land', async () => {
    t = testCore();
    const { sessionId } = seedSession(t.core);
    const ann = t.core.annotations;
    const a = ann.createRater('A', 'observer').id;
    const seg = ann.create({ sessionId, raterId: a, kind: 'rupture', startMs: 0, endMs: 1000 });
    // Another process (the CLI importing, say) takes the write lock again and again.
    const script = `
      const Database = require('better-sqlite3-multiple-ciphers');
      const db = new Database(process.argv[1]);
      db.pragma('busy_timeout = 20000');
      const until = Date.now() + 1500;
      let first = true;
      while (Date.now() < until) {
        db.exec('BEGIN IMMEDIATE');
        db.prepare("INSERT INTO settings (key, value) VALUES ('other', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(Date.now()));
        if (first) { process.stdout.write('locked\\n'); first = false; }
        const hold = Date.now() + 120; while (Date.now() < hold) {}
        db.exec('COMMIT');
        const gap = Date.now() + 5; while (Date.now() < gap) {}
      }
      db.close();
    `;
    const child = spawn(process.execPath, ['-e', script, path.join(t.dir, DB_FILE)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_PATH: path.resolve(__dirname, '../../../node_modules') },
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const failures: string[] = [];
    for (let i = 0; i < 25; i++) {
      try {
        ann.update({ id: seg.id, startMs: 100 * i, endMs: 100 * i + 1000 });
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
    await new Promise((resolve) => child.on('exit', resolve));
    expect(failures).toEqual([]);
    expect(ann.list(sessionId).segments[0]).toMatchObject({ startMs: 2400, endMs: 3400 });
  });
});

describe('large imports', () => {
  const rows = (sessionId: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      line: i + 2,
      input: {
        sessionId,
        raterId: 1,
        kind: 'rupture' as const,
        startMs: (i * 10) % 500_000,
        endMs: ((i * 10) % 500_000) + 200,
        codes: ['W2'],
      },
    }));

  it('imports 50,000 segments as one undoable change, and undoes them', () => {
    t = testCore();
    const { sessionId } = seedSession(t.core);
    const ann = t.core.annotations;
    const rater = ann.createRater('Importer', 'observer').id;
    const input = rows(sessionId, 50_000).map((r) => ({ ...r, input: { ...r.input, raterId: rater } }));
    expect(ann.importSegments(input, false)).toEqual({ imported: 50_000, rejected: [] });
    expect(ann.list(sessionId).segments).toHaveLength(50_000);
    ann.undo(sessionId, rater);
    expect(ann.list(sessionId).segments).toHaveLength(0);
  });

  it('imports nothing when one row of 50,000 is bad (all or nothing)', () => {
    t = testCore();
    const { sessionId } = seedSession(t.core);
    const ann = t.core.annotations;
    const rater = ann.createRater('Importer', 'observer').id;
    const input = rows(sessionId, 50_000).map((r) => ({ ...r, input: { ...r.input, raterId: rater } }));
    input[49_999]!.input.endMs = 10_000_000;
    const before = snapshot(t.core.db);
    const res = ann.importSegments(input, false);
    expect(res.imported).toBe(0);
    expect(res.rejected).toEqual([{ line: 50_001, reason: expect.stringMatching(/after the end of the session/) }]);
    expect(snapshot(t.core.db)).toEqual(before);
  });
});

describe('reads never write; rejected calls change nothing', () => {
  it('reading the grid at another segment size stores nothing, even on a submitted rating', () => {
    t = testCore();
    const { sessionId } = seedSession(t.core);
    const ann = t.core.annotations;
    const a = ann.createRater('A', 'observer').id;
    ann.setGridCell({
      sessionId,
      raterId: a,
      segmentMs: 300_000,
      index: 0,
      codes: ['W2'],
      withdrawalSignificance: 2,
      confrontationSignificance: null,
    });
    ann.submit(sessionId, a);
    const before = snapshot(t.core.db);
    expect(ann.grid(sessionId, a, 60_000).segmentMs).toBe(60_000);
    expect(ann.grid(sessionId, a).segmentMs).toBe(300_000);
    expect(snapshot(t.core.db)).toEqual(before);
  });

  it('a grid cell refused for a bad code leaves the stored grid as it was', () => {
    t = testCore();
    const { sessionId } = seedSession(t.core);
    const ann = t.core.annotations;
    const a = ann.createRater('A', 'observer').id;
    const before = snapshot(t.core.db);
    expect(() =>
      ann.setGridCell({
        sessionId,
        raterId: a,
        segmentMs: 120_000,
        index: 0,
        codes: ['NOPE'],
        withdrawalSignificance: null,
        confrontationSignificance: null,
      }),
    ).toThrow(/NOPE is not a marker/);
    expect(snapshot(t.core.db)).toEqual(before);
  });

  it('calls on a deleted session answer NOT_FOUND', () => {
    t = testCore();
    const { sessionId } = seedSession(t.core);
    const a = t.core.annotations.createRater('A', 'observer').id;
    t.core.library.deleteSession(sessionId);
    const code = (fn: () => unknown) => {
      try {
        fn();
        return 'ok';
      } catch (error) {
        return (error as AppError).code;
      }
    };
    expect(code(() => t.core.annotations.grid(sessionId, a))).toBe('NOT_FOUND');
    expect(
      code(() => t.core.annotations.create({ sessionId, raterId: a, kind: 'rupture', startMs: 0, endMs: 500 })),
    ).toBe('NOT_FOUND');
    expect(code(() => t.core.annotations.submit(sessionId, a))).toBe('NOT_FOUND');
    expect(
      code(() =>
        t.core.annotations.setGridSession({
          sessionId,
          raterId: a,
          segmentMs: 300_000,
          therapistContribution: 1,
          resolutionExtent: 1,
        }),
      ),
    ).toBe('NOT_FOUND');
  });
});

describe('interrupted imports leave nothing behind', () => {
  it('the next start removes the empty case and session and the orphaned copy of a killed import', () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    let core = createCore({ dataDir: dir.dir });
    const c = core.library.createCase({ code: 'C-KILL', therapist: '', notes: '' });
    const s = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
    const copy = path.join(dir.dir, 'media', 'C-KILL', 'session-1', 'talk.mp4');
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.writeFileSync(`${copy}.partial`, 'half a file');
    // What a killed process leaves: its notes, under a process id that no longer runs.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const note = core.db.prepare(
      `INSERT INTO pending_imports (case_id, session_id, copied_path, created_case, created_session, pid, started_at)
       VALUES (?, ?, ?, ?, ?, ?, 'x')`,
    );
    note.run(c.id, s.id, null, 1, 1, dead);
    note.run(null, null, copy, 0, 0, dead);
    // A case that someone else is importing into right now is left alone.
    const busy = core.library.createCase({ code: 'C-BUSY', therapist: '', notes: '' });
    note.run(busy.id, null, null, 1, 0, process.ppid);
    core.close();
    core = createCore({ dataDir: dir.dir });
    expect(core.library.listCases().map((x) => x.code)).toEqual(['C-BUSY']);
    expect(fs.existsSync(`${copy}.partial`)).toBe(false);
    // The next try gets the plain name, not "talk (2).mp4".
    expect(fs.readdirSync(path.dirname(copy))).toEqual([]);
    core.close();
  });
});

describe('damaged and read-only libraries', () => {
  const open = (dir: string, options = {}) => {
    try {
      openDatabase(dir, options).close();
      return null;
    } catch (error) {
      return error as AppError;
    }
  };

  it('a 0-byte library is refused with what to do, and left as it is', () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    fs.writeFileSync(path.join(dir.dir, DB_FILE), '');
    const error = open(dir.dir);
    expect(error?.code).toBe('LIBRARY_DAMAGED');
    expect(error?.message).toMatch(/empty \(0 bytes\).*Restore it from a backup/);
    expect(fs.statSync(path.join(dir.dir, DB_FILE)).size).toBe(0);
  });

  it("a file that is not a database gets a clinician's message, not SQLite's", () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    fs.writeFileSync(path.join(dir.dir, DB_FILE), 'these are my notes, not a database '.repeat(200));
    const error = open(dir.dir);
    expect(error?.code).toBe('LIBRARY_DAMAGED');
    expect(error?.message).not.toMatch(/file is not a database/);
    expect(error?.message).toMatch(/backup/);
  });

  it('a corrupted page is found by the check on open', () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const core = createCore({ dataDir: dir.dir });
    for (let i = 0; i < 300; i++) core.library.createCase({ code: `C-${i}`, therapist: 'x'.repeat(200), notes: '' });
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    core.close();
    const file = path.join(dir.dir, DB_FILE);
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    // Scribble over the headers of a few b-tree pages, as a bad sector or a sync tool would.
    for (let page = 2; page <= 6; page++) bytes.fill(0x5a, (page - 1) * pageSize, (page - 1) * pageSize + 12);
    fs.writeFileSync(file, bytes);
    const error = open(dir.dir);
    expect(error?.code).toBe('LIBRARY_DAMAGED');
  });

  it('a read-only library opens read-only: it lists, and a write says why it cannot be saved', () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const writer = createCore({ dataDir: dir.dir });
    writer.library.createCase({ code: 'C-RO', therapist: '', notes: '' });
    writer.close();
    const core = createCore({ dataDir: dir.dir, readOnly: true });
    expect(core.library.listCases().map((c) => c.code)).toEqual(['C-RO']);
    let error: unknown;
    try {
      core.library.createCase({ code: 'C-NEW', therapist: '', notes: '' });
    } catch (e) {
      error = e;
    }
    expect(toShape(error)).toMatchObject({ code: 'READ_ONLY', message: expect.stringMatching(/read-only/) });
    core.close();
  });
});

describe("the session's clock", () => {
  it('is the end of its last recording on the session timeline, whichever is shown big', () => {
    expect(
      sessionDurationMs([
        { offsetMs: 0, durationMs: 60_000 },
        { offsetMs: 2_500, durationMs: 60_000 },
      ]),
    ).toBe(62_500);
    expect(sessionDurationMs([{ offsetMs: -3_000, durationMs: 60_000 }])).toBe(57_000);
    expect(sessionDurationMs([])).toBe(0);
  });
});
