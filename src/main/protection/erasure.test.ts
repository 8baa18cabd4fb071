import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testCore } from '../../../tests/support/core';
import { copyMedia, mediaFile } from '../../../tests/support/media';
import { tempDir } from '../../../tests/support/tmp';
import { cliIn } from '../../../tests/support/cli';
import { DB_FILE } from '../db/open';
import { createCore } from '../app';

const testCoreAt = (dir: string) => createCore({ dataDir: dir });

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** Every byte of the library's database files (the file, its write-ahead log and index). */
function libraryBytes(dir: string): Buffer {
  return Buffer.concat(
    ['', '-wal', '-shm']
      .map((x) => path.join(dir, `${DB_FILE}${x}`))
      .filter((f) => fs.existsSync(f))
      .map((f) => fs.readFileSync(f)),
  );
}

const MARK = 'Zebrafink-Erasure-7Q';

describe('erasure', () => {
  it('deleting a case erases its rows, history, revisions, transcript, copied recordings and the freed space', async () => {
    const t = testCore();
    cleanups.push(t.cleanup);
    const { core, dir } = t;
    const files = tempDir();
    cleanups.push(files.cleanup);
    const original = copyMedia(mediaFile('av.mp4'), files.dir, 'original.mp4');
    const keep = core.library.createCase({ code: 'C-KEEP', therapist: '', notes: '' });
    const c = core.library.createCase({ code: 'C-GONE', therapist: `Dr. ${MARK}`, notes: MARK });
    const s = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: MARK });
    const k = core.library.createSession({ caseId: keep.id, number: 1, date: null, modality: '', notes: 'stays' });
    const copied = await core.imports.importOne(s.id, original, { offsetMs: 0, copy: true });
    await core.imports.importOne(s.id, mediaFile('session.webm'), { offsetMs: 0, copy: false });
    await core.imports.importOne(k.id, original, { offsetMs: 0, copy: false });
    const sup = core.annotations.createRater('Sup', 'supervisor');
    const obs = core.annotations.createRater('Obs', 'observer');
    const seg = core.annotations.create({
      sessionId: s.id,
      raterId: obs.id,
      kind: 'comment',
      startMs: 1000,
      endMs: 1000,
      note: MARK,
    });
    core.annotations.update({ id: seg.id, note: `${MARK} edited` });
    core.annotations.submit(s.id, obs.id);
    core.annotations.revise(s.id, obs.id, `revised: ${MARK}`);
    core.feedback.add({ sessionId: s.id, startMs: 2000, text: `${MARK} feedback` }, sup);
    core.transcripts.replaceFromFile(s.id, 't.vtt', [
      { startMs: 0, endMs: 1000, speaker: 'T', text: `${MARK} said in session`, origin: null },
    ]);
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(libraryBytes(dir).includes(MARK)).toBe(true);

    const impact = core.library.deleteImpact({ caseId: c.id });
    expect(impact).toMatchObject({
      sessions: 1,
      recordings: 2,
      copiedFiles: 1,
      revisions: 1,
      transcriptLines: 1,
      feedback: 1,
    });
    const result = core.library.deleteCase(c.id);
    expect(result).toEqual({ deleted: true, compacted: true, backups: { cleaned: 0, removed: [] } });
    // Nothing of it can be read from the library's files any more; the copy is gone, the original stays.
    expect(libraryBytes(dir).includes(MARK)).toBe(false);
    expect(fs.existsSync(copied.path)).toBe(false);
    expect(fs.existsSync(original)).toBe(true);
    expect(core.transcripts.search(MARK.split('-')[0]!)).toEqual([]);
    // The other case is untouched.
    expect(core.library.sessionDetail(k.id).session.notes).toBe('stays');
  });

  it('the CLI says what would be erased without --yes, erases with it, and the audit log keeps only that it happened', async () => {
    const t = testCore();
    cleanups.push(t.cleanup);
    const { core, dir } = t;
    const c = core.library.createCase({ code: 'C-CLI', therapist: '', notes: '' });
    const s = core.library.createSession({ caseId: c.id, number: 2, date: null, modality: '', notes: '' });
    await core.imports.importOne(s.id, mediaFile('av.mp4'), { offsetMs: 0, copy: false });
    const obs = core.annotations.createRater('Obs', 'observer');
    core.annotations.create({
      sessionId: s.id,
      raterId: obs.id,
      kind: 'rupture',
      startMs: 0,
      endMs: 1000,
      codes: ['W2'],
      note: MARK,
    });
    core.close();
    const cli = (args: string[]) => cliIn(dir, args);
    const asked = await cli(['cases', 'delete', 'c-cli']);
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain(
      'case C-CLI was not deleted. It erases 1 session, 1 coded segment by 1 rater with their edit history',
    );
    expect(asked.stderr).toContain('add --yes');
    const done = await cli(['cases', 'delete', 'C-CLI', '--yes']);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^Erased case C-CLI\. It erases 1 session/);
    expect(libraryBytes(dir).includes(MARK)).toBe(false);
    const log = JSON.parse((await cli(['audit', 'list', '--json'])).stdout);
    expect(log.map((e: { action: string; subject: string }) => [e.action, e.subject])).toEqual([
      ['case.delete', 'case C-CLI'],
    ]);
    expect((await cli(['cases', 'delete', 'C-CLI', '--yes'])).stderr).toContain('There is no case C-CLI.');
  });

  it('erasing a rater takes all their work in every session, keeps the others', async () => {
    const t = testCore();
    cleanups.push(t.cleanup);
    const { core, dir } = t;
    const c = core.library.createCase({ code: 'C-R', therapist: '', notes: '' });
    const s1 = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
    const s2 = core.library.createSession({ caseId: c.id, number: 2, date: null, modality: '', notes: '' });
    for (const s of [s1, s2]) await core.imports.importOne(s.id, mediaFile('av.mp4'), { offsetMs: 0, copy: false });
    const sup = core.annotations.createRater('Sup', 'supervisor');
    const gone = core.annotations.createRater(`Obs ${MARK}`, 'trainee');
    const stays = core.annotations.createRater('Stays', 'observer');
    for (const s of [s1, s2]) {
      core.annotations.create({
        sessionId: s.id,
        raterId: gone.id,
        kind: 'comment',
        startMs: 100,
        endMs: 100,
        note: MARK,
      });
      core.annotations.create({
        sessionId: s.id,
        raterId: stays.id,
        kind: 'rupture',
        startMs: 0,
        endMs: 900,
        codes: ['W2'],
      });
    }
    const r = core.annotations.create({
      sessionId: s1.id,
      raterId: gone.id,
      kind: 'rupture',
      startMs: 0,
      endMs: 900,
      codes: ['W2'],
    });
    core.annotations.submit(s1.id, gone.id);
    core.annotations.acceptIntoConsensus([r.id], sup.id);
    core.feedback.add({ sessionId: s1.id, startMs: 0, text: `${MARK} says` }, gone);
    core.annotations.setCurrentRater(sup.id);
    const cli = (args: string[]) => cliIn(dir, args);
    core.close();
    const asked = await cli(['raters', 'delete', `obs ${MARK}`]);
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain(
      'erases 3 segments with their edit history, 1 submitted rating, 1 comment with the replies to them in 2 sessions',
    );
    expect((await cli(['raters', 'delete', `Obs ${MARK}`, '--yes'])).code).toBe(0);
    expect(libraryBytes(dir).includes(MARK)).toBe(false);
    const after = testCoreAt(dir);
    const segs = after.annotations.list(s1.id).segments;
    // The other rater's work stays; the consensus segment stays, without the erased rater as a source.
    expect(segs.filter((x) => x.raterId === stays.id)).toHaveLength(1);
    const consensus = segs.find((x) => x.raterId !== stays.id)!;
    expect(consensus.sources).toEqual([]);
    expect(after.annotations.raters().map((x) => x.name)).not.toContain(`Obs ${MARK}`);
    after.close();
  });

  it('erasure reaches the backups: erased rows and names leave every backup, and restoring one does not bring them back', async () => {
    const t = testCore();
    cleanups.push(t.cleanup);
    const { core, dir } = t;
    const keep = core.library.createCase({ code: 'C-KEEP', therapist: '', notes: '' });
    const gone = core.library.createCase({ code: 'C-GONE', therapist: '', notes: '' });
    const sKeep = core.library.createSession({ caseId: keep.id, number: 1, date: null, modality: '', notes: '' });
    const sGone = core.library.createSession({ caseId: gone.id, number: 1, date: null, modality: '', notes: '' });
    for (const s of [sKeep, sGone])
      await core.imports.importOne(s.id, mediaFile('av.mp4'), { offsetMs: 0, copy: false });
    const sup = core.annotations.createRater('Sup', 'supervisor');
    const person = core.annotations.createRater(`Obs ${MARK}`, 'observer');
    core.annotations.create({
      sessionId: sGone.id,
      raterId: sup.id,
      kind: 'comment',
      startMs: 0,
      endMs: 0,
      note: `case ${MARK}`,
    });
    core.annotations.create({
      sessionId: sKeep.id,
      raterId: person.id,
      kind: 'rupture',
      startMs: 0,
      endMs: 900,
      codes: ['W2'],
    });
    // The person acts, so the audit log names them (as an actor) before they are erased.
    core.annotations.setCurrentRater(person.id);
    core.audit.record('session.open', 'case C-KEEP session 1');
    core.annotations.setCurrentRater(sup.id);
    const backup = await core.backups.now('manual');
    core.close();
    const backupBytes = () =>
      Buffer.concat(
        fs.readdirSync(path.join(dir, 'backups')).map((n) => fs.readFileSync(path.join(dir, 'backups', n))),
      );
    expect(backupBytes().includes(MARK)).toBe(true);
    const cli = (args: string[]) => cliIn(dir, args);
    // A damaged copy among the backups cannot be cleaned: it is removed, and the answer says so.
    const damaged = path.join(dir, 'backups', 'library-2026-01-01T00-00-00-000Z-manual.db');
    fs.writeFileSync(damaged, `not a database ${MARK}`);
    const erased = await cli(['cases', 'delete', 'C-GONE', '--yes']);
    expect(erased.code).toBe(0);
    expect(erased.stdout).toContain('It was erased from 1 backup too.');
    expect(erased.stdout).toContain(
      'A backup could not be cleaned and was removed: library-2026-01-01T00-00-00-000Z-manual.db.',
    );
    expect(fs.existsSync(damaged)).toBe(false);
    const rater = await cli(['raters', 'delete', `Obs ${MARK}`, '--yes', '--json']);
    expect(rater.code).toBe(0);
    expect(JSON.parse(rater.stdout)).toMatchObject({ backups: { removed: [] } });
    // Every backup (the one made before, and the safety copies) is clean; the library too.
    expect(backupBytes().includes(MARK)).toBe(false);
    expect(libraryBytes(dir).includes(MARK)).toBe(false);
    // The log names the person by a pseudonym now, and still verifies.
    expect((await cli(['audit', 'list'])).stdout).toMatch(/erased rater #\d+ \(observer\) {2}session\.open/);
    expect((await cli(['audit', 'verify'])).code).toBe(0);
    // Restoring the backup made before the erasure brings nothing erased back.
    expect((await cli(['backup', 'restore', backup.file])).code).toBe(0);
    const after = testCoreAt(dir);
    try {
      expect(after.library.listCases().map((c) => c.code)).toEqual(['C-KEEP']);
      expect(after.annotations.raters().map((r) => r.name)).not.toContain(`Obs ${MARK}`);
    } finally {
      after.close();
    }
    expect(libraryBytes(dir).includes(MARK)).toBe(false);
  });
});
