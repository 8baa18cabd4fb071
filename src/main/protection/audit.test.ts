import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testCore } from '../../../tests/support/core';
import { mediaFile } from '../../../tests/support/media';
import { cliIn } from '../../../tests/support/cli';
import { openDatabase, write } from '../db/open';
import { createHandlers } from '../rpc/handlers';
import { dispatch } from '../rpc/dispatch';
import { noDialogs } from '../platform/types';
import { ANCHOR_FILE } from './audit';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function seeded() {
  const t = testCore();
  cleanups.push(t.cleanup);
  const { core } = t;
  const c = core.library.createCase({ code: 'C-777', therapist: 'Dr. T', notes: '' });
  const s = core.library.createSession({ caseId: c.id, number: 3, date: null, modality: '', notes: '' });
  await core.imports.importOne(s.id, mediaFile('av.mp4'), { offsetMs: 0, copy: false });
  const sup = core.annotations.createRater('Dr. Sup', 'supervisor');
  core.annotations.setCurrentRater(sup.id);
  const handlers = createHandlers(core, noDialogs, { host: 'browser', version: 'test' });
  return { ...t, caseId: c.id, sessionId: s.id, handlers };
}

describe('the audit log', () => {
  it('records who opened, exported, viewed and deleted what, by codes, only when the call succeeded', async () => {
    const { core, handlers, sessionId, caseId } = await seeded();
    await dispatch(handlers, 'segments:open', { sessionId });
    await dispatch(handlers, 'exports:session', { sessionId, format: 'csv' });
    await dispatch(handlers, 'report:html', { sessionId });
    // A refused call leaves no entry.
    expect((await dispatch(handlers, 'segments:open', { sessionId: 999 })).ok).toBe(false);
    await dispatch(handlers, 'cases:delete', { id: caseId });
    const entries = core.audit.list().reverse();
    expect(entries.map((e) => [e.actor, e.action, e.subject])).toEqual([
      ['Dr. Sup (supervisor)', 'session.open', 'case C-777 session 3'],
      ['Dr. Sup (supervisor)', 'session.export', 'case C-777 session 3'],
      ['Dr. Sup (supervisor)', 'report.view', 'case C-777 session 3'],
      ['Dr. Sup (supervisor)', 'case.delete', 'case C-777'],
    ]);
    expect(entries[1]!.detail).toEqual({ format: 'csv' });
    expect(core.audit.verify()).toMatchObject({ ok: true, entries: 4 });
    // Only a supervisor reads it.
    const obs = core.annotations.createRater('Obs', 'observer');
    core.annotations.setCurrentRater(obs.id);
    expect(await dispatch(handlers, 'audit:list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('refuses UPDATE and DELETE, and verify names the entry where the chain was broken (CLI exit 1)', async () => {
    const { core, dir, handlers, sessionId } = await seeded();
    for (let i = 0; i < 3; i++) await dispatch(handlers, 'segments:open', { sessionId });
    expect(() => core.db.prepare("UPDATE audit_log SET actor = 'someone else' WHERE id = 2").run()).toThrow(
      /append-only/,
    );
    expect(() => core.db.prepare('DELETE FROM audit_log WHERE id = 1').run()).toThrow(/append-only/);
    core.close();
    const cli = (args: string[]) => cliIn(dir, args);
    expect(await cli(['audit', 'verify'])).toMatchObject({
      code: 0,
      stdout: "The audit log's 3 entries are intact.\n",
    });
    expect((await cli(['audit', 'list'])).stdout).toMatch(
      /Dr\. Sup \(supervisor\) {2}session\.open {2}case C-777 session 3/,
    );
    // Someone with the file drops the guard and edits entry 2: verify finds it.
    const db = openDatabase(dir);
    db.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'someone else' WHERE id = 2");
    db.close();
    const broken = await cli(['audit', 'verify', '--json']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, brokenAt: 2 });
    // The command line's own actions carry the OS user.
    const csv = path.join(path.dirname(dir), `${path.basename(dir)}-export.csv`);
    cleanups.push(() => void import('node:fs').then((fs) => fs.rmSync(csv, { force: true })));
    await cli(['export', String(sessionId), '--format', 'csv', '--out', csv]);
    const last = JSON.parse((await cli(['audit', 'list', '--json'])).stdout)[0];
    expect(last).toMatchObject({ action: 'session.export', subject: 'case C-777 session 3' });
    expect(last.actor).toMatch(/\(command line\)$/);
  });

  it('is anchored outside the log: deleting the newest entries, all of them, or appending one with a recomputed hash is found', async () => {
    const { core, dir, handlers, sessionId } = await seeded();
    for (let i = 0; i < 4; i++) await dispatch(handlers, 'segments:open', { sessionId });
    core.close();
    const cli = (args: string[]) => cliIn(dir, args);
    expect((await cli(['audit', 'verify'])).code).toBe(0);
    const tamper = (sql: string) => {
      const db = openDatabase(dir);
      db.exec(`DROP TRIGGER audit_log_no_delete; ${sql}`);
      db.exec("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'x'); END;");
      db.close();
    };
    // The newest two entries removed (the rest of the chain is whole).
    tamper('DELETE FROM audit_log WHERE id > 2');
    let v = await cli(['audit', 'verify', '--json']);
    expect(v.code).toBe(1);
    expect(JSON.parse(v.stdout)).toMatchObject({
      ok: false,
      brokenAt: 3,
      message: expect.stringMatching(
        /newest entries of the audit log were removed: it ends at entry 2, but entry 4 was written/,
      ),
    });
    // All of them.
    tamper('DELETE FROM audit_log');
    v = await cli(['audit', 'verify']);
    expect(v.code).toBe(1);
    expect(v.stdout + v.stderr).toMatch(/ends at entry 0/);
  });

  it('an appended entry with a recomputed hash, and a removed anchor, are found; a restore records itself', async () => {
    const { core, dir, handlers, sessionId } = await seeded();
    for (let i = 0; i < 2; i++) await dispatch(handlers, 'segments:open', { sessionId });
    core.close();
    const cli = (args: string[]) => cliIn(dir, args);
    const db = openDatabase(dir);
    const last = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as {
      id: number;
      hash: string;
    };
    const row = {
      id: last.id + 1,
      at: new Date().toISOString(),
      actor: 'Dr. Sup (supervisor)',
      action: 'session.open',
      subject: 'x',
      detail_json: '{}',
    };
    const hash = createHash('sha256')
      .update(JSON.stringify([last.hash, row.id, row.at, row.actor, row.action, row.subject, row.detail_json]))
      .digest('hex');
    db.prepare(
      'INSERT INTO audit_log (id, at, actor, action, subject, detail_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(row.id, row.at, row.actor, row.action, row.subject, row.detail_json, last.hash, hash);
    db.close();
    const v = await cli(['audit', 'verify']);
    expect(v.code).toBe(1);
    expect(v.stdout + v.stderr).toMatch(
      /does not end where it was last written \(entry \d+\): entries were added or replaced outside the app/,
    );
    fs.rmSync(path.join(dir, ANCHOR_FILE));
    expect((await cli(['audit', 'verify'])).stdout + '').toMatch(/anchor \(audit-anchor\.json\) is missing/);
    // The next entry does not heal it (else removing the anchor and waiting would hide a change).
    await cli(['raters', 'add', 'Someone', '--role', 'observer']);
    await cli(['backup', 'now']);
    expect(fs.existsSync(path.join(dir, ANCHOR_FILE))).toBe(false);
    expect((await cli(['audit', 'verify'])).stdout).toMatch(/anchor \(audit-anchor\.json\) is missing/);
    fs.writeFileSync(path.join(dir, ANCHOR_FILE), '{"format":"alliance-review-audit-anchor","head":null,"mac":"00"}');
    await cli(['backup', 'now']);
    expect((await cli(['audit', 'verify'])).stdout).toMatch(/anchor \(audit-anchor\.json\) was changed or damaged/);
  });

  it('a restore records itself, with where the log it replaced ended, and the log verifies', async () => {
    const { core, dir, handlers, sessionId } = await seeded();
    await dispatch(handlers, 'segments:open', { sessionId });
    const backup = await core.backups.now('manual');
    for (let i = 0; i < 3; i++) await dispatch(handlers, 'segments:open', { sessionId });
    const endedAt = core.audit.list()[0]!.id;
    core.close();
    const cli = (args: string[]) => cliIn(dir, args);
    expect((await cli(['backup', 'restore', backup.file])).code).toBe(0);
    const v = await cli(['audit', 'verify']);
    expect(v.code).toBe(0);
    const entries = JSON.parse((await cli(['audit', 'list', '--json'])).stdout) as { action: string; detail: object }[];
    expect(entries[0]).toMatchObject({ action: 'backup.restore', detail: { replacedLogEndedAt: endedAt } });
  });

  it('a rater named like the command line does not read as it', async () => {
    const { core, handlers, sessionId } = await seeded();
    const impostor = core.annotations.createRater('root (command line)', 'observer');
    core.annotations.setCurrentRater(impostor.id);
    await dispatch(handlers, 'segments:open', { sessionId });
    const actor = core.audit.list()[0]!.actor;
    expect(actor).toBe('“root (command line)” (observer)');
    expect(actor).not.toMatch(/\(command line\)$/);
  });

  it('a kill between the commit and the anchor’s update never reads as a changed log', async () => {
    const { core, dir, handlers, sessionId } = await seeded();
    await dispatch(handlers, 'segments:open', { sessionId });
    // The anchor's update after each commit is lost (as if the process were killed there).
    const rename = fs.renameSync;
    const lost = vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      if (
        String(to).endsWith(ANCHOR_FILE) &&
        lost.mock.calls.filter(([, t]) => String(t).endsWith(ANCHOR_FILE)).length % 2 === 0
      )
        throw Object.assign(new Error('killed'), { code: 'EIO' });
      rename(from, to);
    });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      for (let i = 0; i < 3; i++) {
        expect((await dispatch(handlers, 'segments:open', { sessionId })).ok).toBe(true);
        expect(core.audit.verify()).toMatchObject({ ok: true });
      }
      // Then a change that rolls back after its entry's pending head was written (a kill before
      // the commit): the log ends where it did, and still verifies.
      expect(() =>
        write(core.db, () => {
          core.audit.record('session.open', 'rolled back');
          throw new Error('killed before the commit');
        }),
      ).toThrow('killed before the commit');
      expect(core.audit.verify()).toMatchObject({ ok: true });
    } finally {
      lost.mockRestore();
      errors.mockRestore();
    }
    await dispatch(handlers, 'segments:open', { sessionId });
    core.close();
    expect((await cliIn(dir, ['audit', 'verify'])).code).toBe(0);
  });
});
