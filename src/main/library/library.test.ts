import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshot, testCore } from '../../../tests/support/core';
import { copyMedia, mediaFile } from '../../../tests/support/media';
import { tempDir } from '../../../tests/support/tmp';

let t: ReturnType<typeof testCore>;
let files: ReturnType<typeof tempDir>;
afterEach(() => {
  t?.cleanup();
  files?.cleanup();
});

function setup() {
  t = testCore();
  files = tempDir('alliance-files-');
  const c = t.core.library.createCase({ code: 'C-014', therapist: 'T. Hansen', notes: '' });
  const s = t.core.library.createSession({ caseId: c.id, number: 1, date: '2026-09-02', modality: 'CBT', notes: '' });
  return { c, s };
}

describe('cases and sessions', () => {
  it('says what deleting a case or a session takes with it before anything is deleted', () => {
    const { c, s } = setup();
    const s2 = t.core.library.createSession({ caseId: c.id, number: 2, date: null, modality: '', notes: '' });
    const ann = t.core.annotations;
    const [a, b] = [ann.createRater('A', 'observer'), ann.createRater('B', 'observer')];
    const sup = ann.createRater('Sup', 'supervisor');
    for (const [sessionId, name] of [
      [s.id, 'a'],
      [s.id, 'b'],
      [s2.id, 'c'],
    ] as const) {
      t.core.repos.recordings.insert({
        sessionId,
        path: `/x/${name}.mp4`,
        fileName: `${name}.mp4`,
        sizeBytes: 1,
        fingerprint: name,
        managed: false,
        offsetMs: 0,
        durationMs: 60_000,
        hasAudio: true,
        hasVideo: true,
        probe: { formatName: 'mp4', durationMs: 60_000, streams: [] },
        peaks: [],
      });
    }
    const seg = ann.create({ sessionId: s.id, raterId: a.id, kind: 'rupture', startMs: 0, endMs: 1000 });
    ann.create({ sessionId: s.id, raterId: b.id, kind: 'rupture', startMs: 0, endMs: 1000 });
    ann.create({ sessionId: s2.id, raterId: b.id, kind: 'rupture', startMs: 0, endMs: 1000 });
    ann.submit(s.id, a.id);
    ann.acceptIntoConsensus([seg.id], sup.id);
    t.core.feedback.add({ sessionId: s.id, startMs: 0, text: 'look' }, sup);
    const before = snapshot(t.core.db);
    expect(t.core.library.deleteImpact({ sessionId: s.id })).toEqual({
      sessions: 1,
      recordings: 2,
      segments: 2,
      raters: 2,
      submittedRatings: 1,
      consensusSegments: 1,
      responses: 0,
      feedback: 1,
      revisions: 0,
      transcriptLines: 0,
      copiedFiles: 0,
      copiedBytes: 0,
    });
    expect(t.core.library.deleteImpact({ caseId: c.id })).toMatchObject({ sessions: 2, segments: 3, raters: 2 });
    expect(snapshot(t.core.db)).toEqual(before);
    expect(() => t.core.library.deleteImpact({ sessionId: 999 })).toThrow(/no longer exists/);
  });

  it('refuses a second case with the same code, whatever its case', () => {
    setup();
    const before = snapshot(t.core.db);
    expect(() => t.core.library.createCase({ code: 'c-014', therapist: '', notes: '' })).toThrow(/already exists/);
    expect(snapshot(t.core.db)).toEqual(before);
  });

  it('refuses a session number that already exists in the case, on create and on edit', () => {
    const { c } = setup();
    const before = snapshot(t.core.db);
    expect(() =>
      t.core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' }),
    ).toThrow('Case C-014 already has a session 1. Choose another number.');
    expect(snapshot(t.core.db)).toEqual(before);
    const s2 = t.core.library.createSession({ caseId: c.id, number: 2, date: null, modality: '', notes: '' });
    expect(() => t.core.library.updateSession({ id: s2.id, number: 1 })).toThrow(/already has a session 1/);
    expect(t.core.library.updateSession({ id: s2.id, number: 3, notes: 'rescheduled' })).toMatchObject({
      number: 3,
      notes: 'rescheduled',
    });
  });

  it('edits a case and lists cases with their sessions and recordings', async () => {
    const { c, s } = setup();
    t.core.library.updateCase({ id: c.id, therapist: 'A. Berg' });
    await t.core.imports.importOne(s.id, mediaFile('av.mp4'), { offsetMs: 0, copy: false });
    const [listed] = t.core.library.listCases();
    expect(listed).toMatchObject({ code: 'C-014', therapist: 'A. Berg' });
    expect(listed!.sessions[0]!.recordings[0]!.state).toBe('ready');
  });

  // Erasure (issue 13): the copy in the library folder goes with the case; the user's original never.
  it('deleting a case removes its sessions and recordings, erases the copies in the library folder, never the originals', async () => {
    const { c, s } = setup();
    const f = copyMedia(mediaFile('av.mp4'), files.dir, 'keep-me.mp4');
    const managedSource = copyMedia(mediaFile('video-only.mp4'), files.dir, 'managed.mp4');
    await t.core.imports.importOne(s.id, f, { offsetMs: 0, copy: false });
    const managed = await t.core.imports.importOne(s.id, managedSource, { offsetMs: 0, copy: true });
    t.core.library.deleteCase(c.id);
    expect(t.core.library.listCases()).toEqual([]);
    expect(t.core.db.prepare('SELECT count(*) AS n FROM peaks').get()).toEqual({ n: 0 });
    expect(fs.existsSync(f)).toBe(true);
    expect(fs.existsSync(managedSource)).toBe(true);
    expect(fs.existsSync(managed.path)).toBe(false);
  });

  it('removes one recording, keeping its file; never the last one while work is placed on its clock', async () => {
    const { s } = setup();
    const camera = copyMedia(mediaFile('av.mp4'), files.dir, 'kamera.mp4');
    const a = await t.core.imports.importOne(s.id, camera, { offsetMs: 0, copy: false });
    const b = await t.core.imports.importOne(s.id, mediaFile('audio-only.m4a'), { offsetMs: 0, copy: false });
    const rater = t.core.raters.create('Obs', 'observer');
    t.core.annotations.create({ sessionId: s.id, raterId: rater.id, kind: 'rupture', startMs: 0, endMs: 2000 });
    t.core.library.removeRecording(b.id);
    expect(t.core.library.sessionDetail(s.id).recordings.map((r) => r.fileName)).toEqual(['kamera.mp4']);
    const before = snapshot(t.core.db);
    expect(() => t.core.library.removeRecording(a.id)).toThrow(
      "kamera.mp4 is the session's only recording, and 1 segment, comment or transcript line is placed on its clock. Import the recording that replaces it first, then remove this one (or delete the whole session).",
    );
    expect(snapshot(t.core.db)).toEqual(before);
    expect(fs.existsSync(camera)).toBe(true);
  });

  it('remembers the last position per session', () => {
    const { s } = setup();
    t.core.library.savePosition(s.id, 123_456);
    expect(t.core.library.getSession(s.id).lastPositionMs).toBe(123_456);
    expect(() => t.core.library.savePosition(9999, 1)).toThrow(/no longer exists/);
  });
});

describe('moved files and relinking', () => {
  it('notices a moved file and relinks it after checking the content', async () => {
    const { s } = setup();
    const f = copyMedia(mediaFile('av.mp4'), files.dir, 'session.mp4');
    const rec = await t.core.imports.importOne(s.id, f, { offsetMs: 0, copy: false });
    const moved = path.join(files.dir, 'archive', 'renamed.mp4');
    fs.mkdirSync(path.dirname(moved));
    fs.renameSync(f, moved);
    expect(t.core.library.getRecording(rec.id).state).toBe('missing');

    const other = copyMedia(mediaFile('video-only.mp4'), files.dir, 'other.mp4');
    const before = snapshot(t.core.db);
    await expect(t.core.library.relink(rec.id, other)).rejects.toMatchObject({
      code: 'FINGERPRINT_MISMATCH',
      message: 'other.mp4 is not the same recording as session.mp4 (its content differs). Choose the original file.',
    });
    expect(snapshot(t.core.db)).toEqual(before);

    const relinked = await t.core.library.relink(rec.id, moved);
    expect(relinked).toMatchObject({ state: 'ready', path: moved, fileName: 'renamed.mp4' });
  });

  it('flags a different file put at the same path', async () => {
    const { s } = setup();
    const f = copyMedia(mediaFile('av.mp4'), files.dir, 'session.mp4');
    const rec = await t.core.imports.importOne(s.id, f, { offsetMs: 0, copy: false });
    fs.writeFileSync(f, 'something else');
    expect(t.core.library.getRecording(rec.id).state).toBe('changed');
  });
});
