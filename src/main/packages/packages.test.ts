import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshot, testCore } from '../../../tests/support/core';
import { copyMedia, mediaFile } from '../../../tests/support/media';
import { tempDir } from '../../../tests/support/tmp';
import { cliIn } from '../../../tests/support/cli';
import type { Core } from '../app';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function library() {
  const t = testCore();
  cleanups.push(t.cleanup);
  return t;
}
function folder() {
  const d = tempDir();
  cleanups.push(d.cleanup);
  return d.dir;
}
const PASS = 'a long passphrase for the study';

/** The supervisor's library: two sessions of one case, an observer and a colleague's rating. */
async function supervisorLibrary() {
  const sup = library();
  const { core } = sup;
  const c = core.library.createCase({ code: 'C-204', therapist: 'Dr. Named Therapist', notes: 'private notes' });
  const s1 = core.library.createSession({ caseId: c.id, number: 1, date: '2026-10-01', modality: 'CBT', notes: 'x' });
  const s2 = core.library.createSession({ caseId: c.id, number: 2, date: '2026-10-08', modality: 'CBT', notes: 'y' });
  await core.imports.importOne(s1.id, mediaFile('session.webm'), { offsetMs: 0, copy: false });
  await core.imports.importOne(s2.id, mediaFile('av.mp4'), { offsetMs: 0, copy: false });
  const observer = core.annotations.createRater('Observer Ö', 'observer');
  const colleague = core.annotations.createRater('Observer B', 'observer');
  core.annotations.create({
    sessionId: s1.id,
    raterId: colleague.id,
    kind: 'rupture',
    startMs: 1000,
    endMs: 4000,
    codes: ['W2'],
  });
  core.annotations.submit(s1.id, colleague.id);
  return { ...sup, sessions: [s1.id, s2.id], observer, colleague };
}

/** The observer codes what they were sent: a rupture and a repair linked to it, a grid cell, a questionnaire. */
function codeAsObserver(core: Core, sessionId: number) {
  const me = core.raters.current()!;
  const r = core.annotations.create({
    sessionId,
    raterId: me.id,
    kind: 'rupture',
    startMs: 1000,
    endMs: 3000,
    codes: ['W5'],
    rating: 4,
  });
  core.annotations.create({
    sessionId,
    raterId: me.id,
    kind: 'repair',
    startMs: 3000,
    endMs: 5000,
    codes: ['R3'],
    linkedRuptureIds: [r.id],
  });
  return me;
}

describe('rating packages', () => {
  it('travel from the supervisor to an observer and back: blind, pseudonymous, relinked by fingerprint, imported once', async () => {
    const sup = await supervisorLibrary();
    const obs = library();
    const files = folder();
    const pkg = path.join(files, 'for-observer.arpkg');
    const sent = await sup.core.packages.exportRating({
      sessionIds: sup.sessions,
      rater: 'observer ö',
      out: pkg,
      passphrase: PASS,
      dueDate: '2026-12-15',
    });
    expect(sent.sessions.map((s) => s.outcome)).toEqual([
      'packed with 1 recording by fingerprint',
      'packed with 1 recording by fingerprint',
    ]);
    // Assigned with the due date; the file says nothing in the clear.
    expect(sup.core.perspectiveRepos.assignments.forSession(sup.sessions[0]!)[0]).toMatchObject({
      name: 'Observer Ö',
      dueDate: '2026-12-15',
    });
    const raw = fs.readFileSync(pkg);
    for (const secret of ['C-204', 'Observer', 'Therapist', 'session.webm'])
      expect(raw.includes(Buffer.from(secret))).toBe(false);

    // The observer opens it: a wrong passphrase first, then the right one.
    await expect(obs.core.packages.open(pkg, 'wrong')).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    expect(obs.core.library.listCases()).toEqual([]);
    const opened = await obs.core.packages.open(pkg, PASS);
    expect(opened.sessions.map((s) => s.outcome)).toEqual([
      'ready to rate once its recording is relinked to your own copy',
      'ready to rate once its recording is relinked to your own copy',
    ]);
    const [caseHere] = obs.core.library.listCases();
    // Pseudonymous: the case code and session facts, no therapist and no notes; only the observer.
    expect(caseHere).toMatchObject({ code: 'C-204', therapist: '', notes: '' });
    expect(caseHere!.sessions.map((s) => [s.number, s.date, s.modality, s.notes])).toEqual([
      [1, '2026-10-01', 'CBT', ''],
      [2, '2026-10-08', 'CBT', ''],
    ]);
    expect(obs.core.annotations.raters().map((r) => r.name)).toEqual(['Observer Ö']);
    expect(obs.core.raters.current()?.name).toBe('Observer Ö');
    const local1 = opened.sessions[0]!.sessionId;
    const [rec] = obs.core.library.sessionDetail(local1).recordings;
    expect(rec).toMatchObject({ state: 'missing', fileName: 'session.webm' });
    // The waveform came with the package: ready as soon as the file is relinked.
    expect(rec!.peaks.length).toBeGreaterThan(0);
    // A different file is refused by its fingerprint; the observer's own copy is accepted.
    await expect(obs.core.library.relink(rec!.id, mediaFile('av.mp4'))).rejects.toMatchObject({
      code: 'FINGERPRINT_MISMATCH',
    });
    const own = copyMedia(mediaFile('session.webm'), folder(), 'Sitzung Ü 1.webm');
    expect((await obs.core.library.relink(rec!.id, own)).state).toBe('ready');
    // Opening the same package again changes nothing.
    const before = snapshot(obs.core.db);
    expect((await obs.core.packages.open(pkg, PASS)).alreadyDone).toBe(true);
    expect(snapshot(obs.core.db)).toEqual(before);

    // The observer codes, fills a grid cell and a questionnaire, and returns.
    const me = codeAsObserver(obs.core, local1);
    obs.core.annotations.setGridCell({
      sessionId: local1,
      raterId: me.id,
      segmentMs: 300_000,
      index: 0,
      codes: ['W5'],
      withdrawalSignificance: 3,
      confrontationSignificance: null,
    });
    obs.core.responses.save({
      sessionId: local1,
      raterId: me.id,
      perspective: 'observer',
      instrument: obs.core.responses.instruments().find((i) => i.perspectives.includes('observer'))!.key,
      answers: {},
    });
    const back = path.join(files, 'return.arpkg');
    const returned = await obs.core.packages.writeReturn({ out: back, passphrase: PASS });
    expect(returned.sessions[0]!.outcome).toBe('2 segments, rating revision 1 submitted');
    expect(obs.core.annotations.list(local1).ratings.find((r) => r.raterId === me.id)?.status).toBe('submitted');

    // The supervisor imports it: the work lands under the observer, links kept.
    const [report] = await sup.core.packages.importReturns([back], PASS);
    expect(report!.sessions[0]!.outcome).toBe('added: 2 segments, 1 grid cell, 1 questionnaire');
    const segs = sup.core.annotations.list(sup.sessions[0]!).segments.filter((s) => s.raterId === sup.observer.id);
    expect(segs.map((s) => [s.kind, s.codes, s.startMs])).toEqual([
      ['rupture', ['W5'], 1000],
      ['repair', ['R3'], 3000],
    ]);
    expect(segs[1]!.linkedRuptureIds).toEqual([segs[0]!.id]);
    expect(
      sup.core.annotations.list(sup.sessions[0]!).ratings.find((r) => r.raterId === sup.observer.id),
    ).toMatchObject({
      status: 'submitted',
      revision: 1,
    });
    // The colleague's work is untouched; importing the same return again changes nothing.
    const afterImport = snapshot(sup.core.db);
    const again = await sup.core.packages.importReturns([back], PASS);
    expect(again[0]!.alreadyDone).toBe(true);
    expect(snapshot(sup.core.db)).toEqual(afterImport);
  });

  it('keeps an older submitted rating as a revision when a newer return comes, and ignores an older one', async () => {
    const sup = await supervisorLibrary();
    const obs = library();
    const files = folder();
    const pkg = path.join(files, 'p.arpkg');
    await sup.core.packages.exportRating({
      sessionIds: [sup.sessions[0]!],
      rater: 'Observer Ö',
      out: pkg,
      passphrase: PASS,
    });
    const opened = await obs.core.packages.open(pkg, PASS);
    const local = opened.sessions[0]!.sessionId;
    const me = codeAsObserver(obs.core, local);
    const returns: string[] = [];
    // Revision 1, then two revisions, each with one more rupture.
    for (let n = 1; n <= 3; n++) {
      if (n > 1) {
        obs.core.annotations.revise(local, me.id, `missed one (${n})`);
        obs.core.annotations.create({
          sessionId: local,
          raterId: me.id,
          kind: 'rupture',
          startMs: 6000 * n,
          endMs: 6000 * n + 2000,
          codes: ['C1'],
        });
      }
      returns.push(path.join(files, `r${n}.arpkg`));
      const r = await obs.core.packages.writeReturn({ out: returns[n - 1]!, passphrase: PASS });
      expect(r.sessions[0]!.outcome).toBe(`${n + 1} segments, rating revision ${n} submitted`);
    }
    const outcome = async (file: string) =>
      (await sup.core.packages.importReturns([file], PASS))[0]!.sessions[0]!.outcome;
    const mine = () =>
      sup.core.annotations.list(sup.sessions[0]!).segments.filter((s) => s.raterId === sup.observer.id);
    expect(await outcome(returns[1]!)).toBe('added: 3 segments, 0 grid cells, 0 questionnaires');
    // Older than what is here: kept out.
    expect(await outcome(returns[0]!)).toBe("kept revision 2: the return's revision 1 is older");
    expect(mine()).toHaveLength(3);
    // Newer: added, and revision 2 stays as a revision (once), beside the observer's revision 1.
    expect(await outcome(returns[2]!)).toBe(
      'revision 3 added (revision 2 kept): 4 segments, 0 grid cells, 0 questionnaires',
    );
    expect(mine()).toHaveLength(4);
    expect(sup.core.annotations.revisions(sup.sessions[0]!, sup.observer.id).map((r) => r.revision)).toEqual([1, 2]);
    // Another library (another study) refuses these returns.
    const other = await supervisorLibrary();
    expect(other.core.packages.studyId()).not.toBe(sup.core.packages.studyId());
    await expect(other.core.packages.importReturns([returns[2]!], PASS)).rejects.toThrow(/belongs to another study/);
  });

  it('refuses a return of another library, a tampered or truncated one, and a codebook with unknown codes, changing nothing', async () => {
    const sup = await supervisorLibrary();
    const obs = library();
    const files = folder();
    const pkg = path.join(files, 'p.arpkg');
    await sup.core.packages.exportRating({
      sessionIds: [sup.sessions[1]!],
      rater: 'Observer Ö',
      out: pkg,
      passphrase: PASS,
    });
    const opened = await obs.core.packages.open(pkg, PASS);
    codeAsObserver(obs.core, opened.sessions[0]!.sessionId);
    // The observer's codebook gains a code the supervisor's does not have, and uses it.
    const cb = obs.core.codebook.current();
    obs.core.codebook.save({
      ...cb.definition,
      codes: [...cb.definition.codes, { ...cb.definition.codes[0]!, key: 'X9', label: 'Local code' }],
    });
    const me = obs.core.raters.current()!;
    obs.core.annotations.create({
      sessionId: opened.sessions[0]!.sessionId,
      raterId: me.id,
      kind: 'rupture',
      startMs: 100,
      endMs: 900,
      codes: ['X9'],
    });
    const back = path.join(files, 'r.arpkg');
    await obs.core.packages.writeReturn({ out: back, passphrase: PASS });
    const before = snapshot(sup.core.db);
    await expect(sup.core.packages.importReturns([back], PASS)).rejects.toThrow(
      /coded with another codebook, and X9 is not in this library's codebook/,
    );
    const whole = fs.readFileSync(back);
    const cut = path.join(files, 'cut.arpkg');
    fs.writeFileSync(cut, whole.subarray(0, whole.length - 7));
    await expect(sup.core.packages.importReturns([cut], PASS)).rejects.toThrow(/is truncated/);
    const tampered = Buffer.from(whole);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 40) ^ 0x20, tampered.length - 40);
    const bad = path.join(files, 'bad.arpkg');
    fs.writeFileSync(bad, tampered);
    await expect(sup.core.packages.importReturns([bad], PASS)).rejects.toThrow(/was changed or damaged/);
    // A rating package is not a return, and a return is not opened by an observer.
    await expect(sup.core.packages.importReturns([pkg], PASS)).rejects.toThrow(/is a rating package, not a return/);
    await expect(library().core.packages.open(back, PASS)).rejects.toThrow(/is a return package/);
    expect(snapshot(sup.core.db)).toEqual(before);
  });

  it('includes the recordings when asked, and the CLI does the whole round trip with --json', async () => {
    const sup = await supervisorLibrary();
    const files = folder();
    const obsDir = folder();
    const run = (
      args: string[],
      dataDir: string,
      env: NodeJS.ProcessEnv = { ALLIANCE_REVIEW_PACKAGE_PASSPHRASE: PASS },
    ) => cliIn(dataDir, args, env);
    const pkg = path.join(files, 'with-media.arpkg');
    sup.core.close();
    const exported = await run(
      [
        'package',
        'export',
        '--sessions',
        sup.sessions.join(','),
        '--rater',
        'Observer Ö',
        '--out',
        pkg,
        '--include-media',
        '--json',
      ],
      sup.dir,
    );
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ kind: 'rating', rater: 'Observer Ö' });
    expect(fs.statSync(pkg).size).toBeGreaterThan(fs.statSync(mediaFile('session.webm')).size);
    // No passphrase and no terminal: a clear message, nothing opened.
    const none = await run(['package', 'open', pkg], obsDir, {});
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('A passphrase is needed: give --passphrase-file FILE');
    const passFile = path.join(files, 'pass.txt');
    fs.writeFileSync(passFile, `${PASS}\n`);
    const opened = await run(['package', 'open', pkg, '--passphrase-file', passFile, '--json'], obsDir, {});
    expect(opened.code).toBe(0);
    expect(JSON.parse(opened.stdout).sessions.map((s: { outcome: string }) => s.outcome)).toEqual([
      'ready to rate',
      'ready to rate',
    ]);
    const returned = await run(['package', 'return', '--out', path.join(files, 'back.arpkg'), '--json'], obsDir);
    expect(JSON.parse(returned.stdout).kind).toBe('return');
    const imported = await run(['package', 'import', path.join(files, 'back.arpkg'), '--json'], sup.dir);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout).sessions.map((s: { outcome: string }) => s.outcome)).toEqual([
      'added: 0 segments, 0 grid cells, 0 questionnaires',
      'added: 0 segments, 0 grid cells, 0 questionnaires',
    ]);
    const listed = JSON.parse((await run(['package', 'list', '--json'], sup.dir)).stdout);
    expect(listed.map((p: { kind: string }) => p.kind)).toEqual(['sent', 'imported']);
    const wrong = await run(['package', 'import', path.join(files, 'back.arpkg')], sup.dir, {
      ALLIANCE_REVIEW_PACKAGE_PASSPHRASE: 'not it',
    });
    expect(wrong.stderr).toContain('The passphrase is not the one this package was sealed with.');
  });

  it('reports progress while writing recordings, and a cancelled package leaves nothing behind', async () => {
    const sup = await supervisorLibrary();
    const files = folder();
    const { createHandlers } = await import('../rpc/handlers');
    const { dispatch } = await import('../rpc/dispatch');
    const { noDialogs } = await import('../platform/types');
    const handlers = createHandlers(sup.core, noDialogs, { host: 'browser', version: 'test' });
    const supervisor = sup.core.annotations.createRater('Dr. Sup', 'supervisor');
    sup.core.annotations.setCurrentRater(supervisor.id);
    const input = { sessionIds: sup.sessions, raterId: sup.observer.id, passphrase: PASS, includeMedia: true };
    const done = await dispatch(handlers, 'packages:export', { ...input, out: path.join(files, 'a.arpkg') });
    expect(done.ok).toBe(true);
    const progress = sup.events
      .filter((e) => e.name === 'packages:progress')
      .map((e) => e.payload as { done: number; total: number });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total);
    // Cancelled while it writes: refused as cancelled; no file, no partial file, nothing recorded.
    const before = snapshot(sup.core.db);
    const out = path.join(files, 'b.arpkg');
    const writing = dispatch(handlers, 'packages:export', { ...input, out });
    await new Promise((r) => setImmediate(r));
    expect(await dispatch(handlers, 'packages:cancel', {})).toEqual({ ok: true, value: { cancelled: true } });
    expect(await writing).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(fs.readdirSync(files).sort()).toEqual(['a.arpkg']);
    expect(snapshot(sup.core.db)).toEqual(before);
  });
});
