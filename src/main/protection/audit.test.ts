import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testCore } from '../../../tests/support/core';
import { mediaFile } from '../../../tests/support/media';
import { cliIn } from '../../../tests/support/cli';
import { openDatabase } from '../db/open';
import { createHandlers } from '../rpc/handlers';
import { dispatch } from '../rpc/dispatch';
import { noDialogs } from '../platform/types';

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
});
