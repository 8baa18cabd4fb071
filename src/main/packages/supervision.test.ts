/**
 * Supervision between two computers, with two libraries in one test: the trainee's and the
 * supervisor's, files going back and forth through a folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshot, testCore } from '../../../tests/support/core';
import { copyMedia, mediaFile } from '../../../tests/support/media';
import { tempDir } from '../../../tests/support/tmp';
import { cliIn } from '../../../tests/support/cli';
import type { Core } from '../app';
import type { Rater } from '../../shared/annotations';
import { seal, unpack } from './packages';
import { createPrivateKey, sign } from 'node:crypto';
import fc from 'fast-check';

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
const PASS = 'the clinic’s supervision passphrase';
/** A manifest as a test changes it (any field, as a changed library could write it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a forged file is not of any type
type Forged = Record<string, any>;

/** The trainee's computer: their session, recorded and self-reviewed (a rupture and its repair). */
async function traineeLibrary(opts: { submit?: boolean } = {}) {
  const t = library();
  const { core } = t;
  const ana = core.annotations.createRater('Ana Trainee', 'trainee');
  core.raters.setCurrent(ana.id);
  const c = core.library.createCase({ code: 'K-12', therapist: 'Ana Trainee', notes: 'private' });
  const s = core.library.createSession({ caseId: c.id, number: 3, date: '2026-11-30', modality: 'CBT', notes: 'x' });
  await core.imports.importOne(s.id, mediaFile('session.webm'), { offsetMs: 0, copy: false });
  const rupture = core.annotations.create({
    sessionId: s.id,
    raterId: ana.id,
    kind: 'rupture',
    startMs: 1000,
    endMs: 3000,
    codes: ['W2'],
    rating: 3,
  });
  core.annotations.create({
    sessionId: s.id,
    raterId: ana.id,
    kind: 'repair',
    startMs: 3000,
    endMs: 5000,
    codes: ['R3'],
    linkedRuptureIds: [rupture.id],
  });
  if (opts.submit !== false) core.annotations.submit(s.id, ana.id);
  return { ...t, ana, sessionId: s.id, ruptureId: rupture.id };
}

/** The supervisor's computer: a new library with the supervisor at the machine. */
function supervisorLibrary() {
  const t = library();
  const sup = t.core.annotations.createRater('Dr. Sup', 'supervisor');
  t.core.raters.setCurrent(sup.id);
  return { ...t, sup };
}

async function send(core: Core, sessionId: number, as: Rater, to: string, out: string, extra = {}) {
  return core.supervision.send({ sessionId, to, out, passphrase: PASS, ...extra }, as);
}
const threads = (core: Core, sessionId: number, as: Rater) => core.feedback.list(sessionId, as).threads;
/** A thread as both sides should see it: words, state, replies (no local ids). */
const shape = (core: Core, sessionId: number, as: Rater) =>
  threads(core, sessionId, as).map((t) => ({
    author: t.authorName,
    text: t.text,
    at: t.startMs,
    label: t.label,
    state: t.state,
    segment: t.segment && { kind: t.segment.kind, startMs: t.segment.startMs, rater: t.segment.raterName },
    replies: t.replies.map((r) => `${r.authorName}: ${r.text}`),
  }));

describe('supervision between two computers', () => {
  it('goes trainee → supervisor → trainee → supervisor: the session made once, replies in their threads, nothing duplicated', async () => {
    const tr = await traineeLibrary();
    const su = supervisorLibrary();
    const dir = folder();

    // 1. The trainee sends the session and the submitted self-review.
    const preview = tr.core.supervision.preview({ sessionId: tr.sessionId, to: 'Dr. Sup' }, tr.ana);
    expect(preview.shares.join('\n')).toMatch(/self-review \(submitted, revision 1\): 2 segments/);
    expect(preview.shares.join('\n')).toMatch(/no therapist name, no notes/);
    const f1 = path.join(dir, 'to-supervisor-1.arsup');
    const sent = await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', f1);
    expect(sent.changes).toEqual(preview.shares);
    expect(fs.readFileSync(f1).includes(Buffer.from('Ana Trainee'))).toBe(false); // sealed

    // 2. The supervisor receives: the session is made, pseudonymous, with Ana's lane.
    const r1 = await su.core.supervision.receive(f1, PASS);
    expect(r1).toMatchObject({ direction: 'received', from: 'Ana Trainee', createdSession: true, alreadyDone: false });
    expect(r1.notes.join(' ')).toMatch(/1 recording of this session is not on this computer: relink it/);
    const sid = r1.sessionId;
    const kase = su.core.library.getCase(su.core.library.getSession(sid).caseId);
    expect(kase).toMatchObject({ code: 'K-12', therapist: '', notes: '' });
    const anaThere = su.core.raters.list().find((r) => r.name === 'Ana Trainee')!;
    expect(anaThere.role).toBe('trainee');
    const lane = su.core.annotations.list(sid).segments.filter((s) => s.raterId === anaThere.id);
    expect(lane.map((s) => [s.kind, s.startMs, s.endMs, s.codes])).toEqual([
      ['rupture', 1000, 3000, ['W2']],
      ['repair', 3000, 5000, ['R3']],
    ]);
    expect(lane[1]!.linkedRuptureIds).toEqual([lane[0]!.id]);
    expect(su.core.annotations.list(sid).ratings.find((r) => r.raterId === anaThere.id)).toMatchObject({
      status: 'submitted',
      revision: 1,
    });

    // 3. The supervisor comments (one about Ana's rupture) and sends back.
    const c1 = su.core.feedback.add(
      {
        sessionId: sid,
        startMs: 1500,
        segmentId: lane[0]!.id,
        label: 'strength',
        text: 'Good catch of the withdrawal.',
      },
      su.sup,
    );
    su.core.feedback.add({ sessionId: sid, startMs: 6000, text: 'What did you notice here?' }, su.sup);
    const f2 = path.join(dir, 'to-trainee-1.arsup');
    await send(su.core, sid, su.sup, 'Ana Trainee', f2);

    // 4. The trainee receives: two new comments, the first about her own rupture, unread.
    const r2 = await tr.core.supervision.receive(f2, PASS);
    expect(r2.counts).toMatchObject({ threadsAdded: 2, repliesAdded: 0 });
    expect(r2.changes).toContain('2 new comments');
    const seen = tr.core.feedback.list(tr.sessionId, tr.ana);
    expect(seen.unread).toBe(2);
    expect(seen.threads[0]).toMatchObject({ authorName: 'Dr. Sup', label: 'strength', state: 'open' });
    expect(seen.threads[0]!.segment).toMatchObject({ id: tr.ruptureId, kind: 'rupture', raterName: 'Ana Trainee' });

    // The same file again changes nothing.
    const before = snapshot(tr.core.db);
    const again = await tr.core.supervision.receive(f2, PASS);
    expect(again.alreadyDone).toBe(true);
    expect(again.notes[0]).toMatch(/received before; nothing was changed/);
    expect(snapshot(tr.core.db)).toEqual(before);

    // 5. Crossing: Ana replies (and sends); meanwhile the supervisor edits and resolves the comment (and sends).
    const first = seen.threads[0]!;
    tr.core.feedback.reply(first.id, 'Thank you. I felt him pull away there.', tr.ana);
    const f3 = path.join(dir, 'to-supervisor-2.arsup');
    await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', f3);
    su.core.feedback.edit(c1.id, 'Good catch of the withdrawal (minimal response).', 'strength', su.sup);
    su.core.feedback.setState(c1.id, 'resolved', su.sup);
    const f4 = path.join(dir, 'to-trainee-2.arsup');
    await send(su.core, sid, su.sup, 'Ana Trainee', f4);

    const r3 = await su.core.supervision.receive(f3, PASS);
    expect(r3.counts).toMatchObject({ threadsAdded: 0, repliesAdded: 1, edited: 0, stateChanged: 0, lanes: 0 });
    // Ana's lane came again unchanged: it is left as it is (the same segments, not copies).
    expect(r3.changes).toEqual(['1 new reply']);
    expect(
      su.core.annotations
        .list(sid)
        .segments.filter((s) => s.raterId === anaThere.id)
        .map((s) => s.id),
    ).toEqual(lane.map((s) => s.id));
    const r4 = await tr.core.supervision.receive(f4, PASS);
    expect(r4.counts).toMatchObject({ threadsAdded: 0, repliesAdded: 0, edited: 1, stateChanged: 1 });

    // Both computers now show the same threads: the supervisor's words as edited, resolved, Ana's reply once.
    const there = shape(su.core, sid, su.sup);
    expect(shape(tr.core, tr.sessionId, tr.ana)).toEqual(there);
    expect(there[0]).toMatchObject({
      text: 'Good catch of the withdrawal (minimal response).',
      state: 'resolved',
      replies: ['Ana Trainee: Thank you. I felt him pull away there.'],
    });

    // An older file changes nothing now.
    const settled = snapshot(tr.core.db);
    const old = await tr.core.supervision.receive(f2, PASS);
    expect(old.alreadyDone).toBe(true);
    expect(old.notes[0]).toMatch(/newer file .* was received before/);
    expect(snapshot(tr.core.db)).toEqual(settled);

    // 6. Ana deletes her reply and sends again: it goes on the supervisor's side too; the session is not made twice.
    const reply = threads(tr.core, tr.sessionId, tr.ana)[0]!.replies[0]!;
    tr.core.feedback.remove(reply.id, tr.ana);
    const f5 = path.join(dir, 'to-supervisor-3.arsup');
    await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', f5);
    const r5 = await su.core.supervision.receive(f5, PASS);
    expect(r5.createdSession).toBe(false);
    expect(r5.counts.deleted).toBe(1);
    expect(threads(su.core, sid, su.sup)[0]!.replies).toEqual([]);
    expect(su.core.repos.sessions.listByCase(kase.id)).toHaveLength(1);
    expect(su.core.supervision.history(sid).map((h) => h.direction)).toEqual([
      'received',
      'received',
      'sent',
      'sent',
      'received',
    ]);
  });

  it('never lets a merge change another author’s words, and a revised self-review keeps the comments on its segments', async () => {
    const tr = await traineeLibrary();
    const su = supervisorLibrary();
    const dir = folder();
    await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', path.join(dir, 'a.arsup'));
    const { sessionId: sid } = await su.core.supervision.receive(path.join(dir, 'a.arsup'), PASS);
    const anaThere = su.core.raters.list().find((r) => r.name === 'Ana Trainee')!;
    const rupture = su.core.annotations
      .list(sid)
      .segments.find((s) => s.raterId === anaThere.id && s.kind === 'rupture')!;
    su.core.feedback.add(
      { sessionId: sid, startMs: 1200, segmentId: rupture.id, text: 'Look at his face here.' },
      su.sup,
    );
    await send(su.core, sid, su.sup, 'Ana Trainee', path.join(dir, 'b.arsup'));
    await tr.core.supervision.receive(path.join(dir, 'b.arsup'), PASS);

    // The trainee's library holds the supervisor's comment; changed in place there (as a bad
    // actor might), it still must not change the supervisor's words when it comes back.
    tr.core.db.prepare("UPDATE feedback SET text = 'tampered' WHERE parent_id IS NULL").run();
    // Ana revises her self-review (a new revision) and sends it.
    tr.core.annotations.revise(tr.sessionId, tr.ana.id, 'added the repair’s end');
    const mine = tr.core.annotations.list(tr.sessionId).segments.find((s) => s.kind === 'repair')!;
    tr.core.annotations.update({ id: mine.id, endMs: 6000 });
    tr.core.annotations.submit(tr.sessionId, tr.ana.id);
    await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', path.join(dir, 'c.arsup'));
    const r = await su.core.supervision.receive(path.join(dir, 'c.arsup'), PASS);
    expect(r.changes.join(' ')).toMatch(/Ana Trainee's self-review \(submitted, revision 2\): 2 segments/);
    const t = threads(su.core, sid, su.sup)[0]!;
    expect(t.text).toBe('Look at his face here.');
    // The comment still points at Ana's rupture, though her lane was replaced.
    expect(t.segment).toMatchObject({ kind: 'rupture', startMs: 1000, raterName: 'Ana Trainee' });
    expect(
      su.core.annotations.list(sid).segments.find((s) => s.raterId === anaThere.id && s.kind === 'repair')!.endMs,
    ).toBe(6000);
    expect(su.core.annotations.list(sid).ratings.find((r) => r.raterId === anaThere.id)).toMatchObject({
      status: 'submitted',
      revision: 2,
    });
  });

  it('crossing state changes: the later setting wins on both computers, whichever file arrives first', async () => {
    const tr = await traineeLibrary();
    const su = supervisorLibrary();
    const dir = folder();
    await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', path.join(dir, '0.arsup'));
    const { sessionId: sid } = await su.core.supervision.receive(path.join(dir, '0.arsup'), PASS);
    const a = su.core.feedback.add({ sessionId: sid, startMs: 1000, text: 'First.' }, su.sup);
    const b = su.core.feedback.add({ sessionId: sid, startMs: 2000, text: 'Second.' }, su.sup);
    await send(su.core, sid, su.sup, 'Ana Trainee', path.join(dir, '1.arsup'));
    await tr.core.supervision.receive(path.join(dir, '1.arsup'), PASS);
    const [ta, tb] = threads(tr.core, tr.sessionId, tr.ana);
    const tick = () => new Promise((r) => setTimeout(r, 5));
    // Thread A: the trainee acknowledges, then the supervisor resolves. Thread B: the other way round.
    tr.core.feedback.setState(ta!.id, 'acknowledged', tr.ana);
    await tick();
    su.core.feedback.setState(a.id, 'resolved', su.sup);
    su.core.feedback.setState(b.id, 'resolved', su.sup);
    await tick();
    tr.core.feedback.setState(tb!.id, 'open', tr.ana);
    await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', path.join(dir, 't.arsup'));
    await send(su.core, sid, su.sup, 'Ana Trainee', path.join(dir, 's.arsup'));
    await su.core.supervision.receive(path.join(dir, 't.arsup'), PASS);
    await tr.core.supervision.receive(path.join(dir, 's.arsup'), PASS);
    for (const [core, id, me] of [
      [su.core, sid, su.sup],
      [tr.core, tr.sessionId, tr.ana],
    ] as const)
      expect(threads(core, id, me).map((t) => [t.text, t.state, t.stateBy])).toEqual([
        ['First.', 'resolved', 'Dr. Sup'],
        ['Second.', 'open', 'Ana Trainee'],
      ]);
  });

  it('holds feedback across machines: a trainee whose self-review is a draft gets none of it until she submits', async () => {
    const tr = await traineeLibrary({ submit: false });
    const su = supervisorLibrary();
    const dir = folder();
    // A draft stays on the trainee's computer unless she chooses to send it.
    const p = tr.core.supervision.preview({ sessionId: tr.sessionId, to: 'Dr. Sup' }, tr.ana);
    expect(p.leftOut.join(' ')).toMatch(/self-review \(2 segments\): a draft, not submitted/);
    await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', path.join(dir, 'draft.arsup'), { draft: true });
    const { sessionId: sid } = await su.core.supervision.receive(path.join(dir, 'draft.arsup'), PASS);
    su.core.feedback.add({ sessionId: sid, startMs: 2000, text: 'Held until she submits.' }, su.sup);

    const anaThere = su.core.raters.list().find((r) => r.name === 'Ana Trainee')!;
    const held = su.core.supervision.preview({ sessionId: sid, to: anaThere.name }, su.sup);
    expect(held.leftOut.join(' ')).toMatch(
      /1 feedback item: held from Ana Trainee until their self-review is submitted/,
    );
    await send(su.core, sid, su.sup, 'Ana Trainee', path.join(dir, 'held.arsup'));
    // Not in the file at all: the trainee's library has nothing to show, even read directly.
    const r = await tr.core.supervision.receive(path.join(dir, 'held.arsup'), PASS);
    expect(r.notes.join(' ')).toMatch(/Dr. Sup has 1 feedback item held until your self-review is submitted/);
    expect(tr.core.db.prepare('SELECT count(*) AS n FROM feedback').get()).toEqual({ n: 0 });

    // She submits and sends; the supervisor's next file carries the comment.
    tr.core.annotations.submit(tr.sessionId, tr.ana.id);
    await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', path.join(dir, 'submitted.arsup'));
    await su.core.supervision.receive(path.join(dir, 'submitted.arsup'), PASS);
    await send(su.core, sid, su.sup, 'Ana Trainee', path.join(dir, 'released.arsup'));
    const r2 = await tr.core.supervision.receive(path.join(dir, 'released.arsup'), PASS);
    expect(r2.counts.threadsAdded).toBe(1);
    expect(threads(tr.core, tr.sessionId, tr.ana).map((t) => t.text)).toEqual(['Held until she submits.']);
  });

  it('a supervisor’s release of the hold travels, and the trainee’s library still holds what it must', async () => {
    const tr = await traineeLibrary({ submit: false });
    const su = supervisorLibrary();
    const dir = folder();
    await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', path.join(dir, '1.arsup'), { draft: true });
    const { sessionId: sid } = await su.core.supervision.receive(path.join(dir, '1.arsup'), PASS);
    su.core.feedback.add({ sessionId: sid, startMs: 2000, text: 'Released early.' }, su.sup);
    su.core.feedback.setHold({ sessionId: sid }, false, su.sup);
    const out = await send(su.core, sid, su.sup, 'Ana Trainee', path.join(dir, '2.arsup'));
    expect(out.changes.join(' ')).toMatch(/the hold on feedback: off/);
    const r = await tr.core.supervision.receive(path.join(dir, '2.arsup'), PASS);
    expect(r.changes.join(' ')).toMatch(/the hold on feedback is now off \(as Dr. Sup set it\)/);
    expect(threads(tr.core, tr.sessionId, tr.ana).map((t) => t.text)).toEqual(['Released early.']);
    // Only a supervisor's file sets the hold: the trainee's own file carries none.
    const back = await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', path.join(dir, '3.arsup'), { draft: true });
    expect(back.changes.join(' ')).not.toMatch(/hold/);
  });

  it('refuses a wrong passphrase, a truncated file, a forged sender, a key that is not the sender’s, another study — and changes nothing', async () => {
    const tr = await traineeLibrary();
    const su = supervisorLibrary();
    const dir = folder();
    const f1 = path.join(dir, '1.arsup');
    await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', f1);
    await su.core.supervision.receive(f1, PASS);
    const sid = su.core.repos.sessions.listByCase(su.core.repos.cases.list()[0]!.id)[0]!.id;
    su.core.feedback.add({ sessionId: sid, startMs: 2000, text: 'The real supervisor.' }, su.sup);
    const f2 = path.join(dir, '2.arsup');
    await send(su.core, sid, su.sup, 'Ana Trainee', f2);
    await tr.core.supervision.receive(f2, PASS);
    const untouched = snapshot(tr.core.db);
    const refused = async (file: string, pass: string, code: RegExp, message: RegExp) => {
      await expect(tr.core.supervision.receive(file, pass)).rejects.toMatchObject({
        code: expect.stringMatching(code),
        message: expect.stringMatching(message),
      });
      expect(snapshot(tr.core.db)).toEqual(untouched);
    };

    // A wrong passphrase; a truncated copy.
    su.core.feedback.add({ sessionId: sid, startMs: 3000, text: 'Another one.' }, su.sup);
    const f3 = path.join(dir, '3.arsup');
    await send(su.core, sid, su.sup, 'Ana Trainee', f3);
    await refused(f3, 'not the passphrase', /WRONG_PASSPHRASE/, /not the one this package was sealed with/);
    const cut = path.join(dir, 'cut.arsup');
    fs.writeFileSync(cut, fs.readFileSync(f3).subarray(0, fs.statSync(f3).size - 100));
    await refused(cut, PASS, /PACKAGE_INVALID/, /truncated/);

    // A third library with its own "Dr. Sup" (it had the passphrase and a copy of Ana's file) writes as him.
    const other = library();
    const fake = other.core.annotations.createRater('Dr. Sup', 'supervisor');
    other.core.raters.setCurrent(fake.id);
    const { sessionId: otherSid } = await other.core.supervision.receive(f1, PASS);
    other.core.feedback.add({ sessionId: otherSid, startMs: 2000, text: 'You are doing it all wrong.' }, fake);
    const forged = path.join(dir, 'forged.arsup');
    await send(other.core, otherSid, fake, 'Ana Trainee', forged);
    await refused(forged, PASS, /PACKAGE_INVALID/, /Dr. Sup writes on another computer than the one that sent it/);

    // The same, claiming to be the supervisor's computer (its id) but signed with another key.
    const work = folder();
    const { raw } = await unpack(forged, PASS, path.join(work, 'x'));
    const m = raw as Record<string, unknown> & { library: { id: string; publicKey: string } };
    const real = (await unpack(f2, PASS, path.join(work, 'y'))).raw as typeof m;
    m.library = { ...m.library, id: real.library.id };
    const unsigned: Record<string, unknown> = { ...m };
    delete unsigned.signature;
    const key = createPrivateKey(
      other.core.db.prepare("SELECT value FROM settings WHERE key = 'librarySigningKey'").pluck().get() as string,
    );
    const resigned = {
      ...unsigned,
      signature: sign(null, Buffer.from(JSON.stringify(unsigned)), key).toString('base64'),
    };
    const claimed = path.join(dir, 'claimed.arsup');
    await seal(claimed, PASS, resigned as never, {});
    await refused(claimed, PASS, /PACKAGE_INVALID/, /not signed with that computer's key/);

    // Changed after signing (the words of the comment), sealed again with the passphrase.
    const changed = { ...real, feedback: { ...(real.feedback as object), items: [] } };
    const changedFile = path.join(dir, 'changed.arsup');
    await seal(changedFile, PASS, changed as never, {});
    await refused(changedFile, PASS, /PACKAGE_INVALID/, /not signed by the computer it names/);

    // A library of another study receives nothing from this one.
    const study = library();
    const boss = study.core.annotations.createRater('Dr. Sup', 'supervisor');
    study.core.raters.setCurrent(boss.id);
    study.core.packages.studyId();
    tr.core.packages.studyId();
    const f6 = path.join(dir, '6.arsup');
    await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', f6);
    const s0 = snapshot(study.core.db);
    await expect(study.core.supervision.receive(f6, PASS)).rejects.toThrow(/belongs to another study/);
    expect(snapshot(study.core.db)).toEqual(s0);

    // A file for someone who does not work here; a file this library sent itself.
    const s1 = snapshot(su.core.db);
    await expect(su.core.supervision.receive(f2, PASS)).rejects.toThrow(/was sent from this library/);
    const nobody = library();
    await expect(nobody.core.supervision.receive(f1, PASS)).rejects.toThrow(
      /is for Dr. Sup, who does not work in this library/,
    );
    expect(snapshot(su.core.db)).toEqual(s1);
  });

  it('a file signed by the right computer still obeys the rules: bad times, paths for names, another’s lane or words change nothing', async () => {
    const tr = await traineeLibrary();
    const su = supervisorLibrary();
    const dir = folder();
    const work = folder();
    await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', path.join(dir, '0.arsup'));
    const { sessionId: sid } = await su.core.supervision.receive(path.join(dir, '0.arsup'), PASS);
    su.core.feedback.add({ sessionId: sid, startMs: 1000, text: 'A fair comment.' }, su.sup);
    await send(su.core, sid, su.sup, 'Ana Trainee', path.join(dir, '1.arsup'));
    await tr.core.supervision.receive(path.join(dir, '1.arsup'), PASS);
    su.core.feedback.add({ sessionId: sid, startMs: 2000, text: 'Another.' }, su.sup);
    const real = path.join(dir, '2.arsup');
    await send(su.core, sid, su.sup, 'Ana Trainee', real);
    // What the supervisor's library could write if it were changed: the content altered, signed with its own key.
    const key = createPrivateKey(
      su.core.db.prepare("SELECT value FROM settings WHERE key = 'librarySigningKey'").pluck().get() as string,
    );
    let k = 0;
    const forge = async (change: (m: Forged) => void) => {
      const { raw } = await unpack(real, PASS, path.join(work, String(++k)));
      const m = structuredClone(raw) as Forged;
      change(m);
      delete m.signature;
      const out = path.join(dir, `forged-${k}.arsup`);
      await seal(
        out,
        PASS,
        { ...m, signature: sign(null, Buffer.from(JSON.stringify(m)), key).toString('base64') } as never,
        {},
      );
      return out;
    };
    const before = snapshot(tr.core.db);
    const anaUid = tr.core.db.prepare('SELECT uid FROM raters WHERE id = ?').pluck().get(tr.ana.id) as string;
    const cases: [string, (m: Forged) => void, RegExp][] = [
      [
        'a comment after the end of the session',
        (m) => (m.feedback.items.at(-1).startMs = m.feedback.items.at(-1).endMs = 3_600_000),
        /after the end of the session/,
      ],
      [
        'a recording named by a path',
        (m) => (m.session.recordings[0].fileName = '../../outside.webm'),
        /must be a name, not a path/,
      ],
      [
        "Ana's lane, in the supervisor's file",
        (m) => {
          m.raters.push({ uid: anaUid, name: 'Ana Trainee', role: 'trainee' });
          m.lanes.push({
            raterUid: anaUid,
            rating: { status: 'submitted', revision: 9, submittedAt: null },
            segments: [],
            grid: { session: null, cells: [] },
            responses: [],
          });
        },
        /Ana Trainee writes in this library/,
      ],
      [
        "the supervisor's own lane with a segment outside the session",
        (m) =>
          m.lanes.push({
            raterUid: m.from.uid,
            rating: { status: 'submitted', revision: 1, submittedAt: null },
            segments: [
              {
                uid: '00000000-0000-4000-8000-000000000001',
                id: 1,
                kind: 'rupture',
                startMs: 20_000,
                endMs: 90_000,
                ruptureType: null,
                codes: ['W2'],
                tags: [],
                rating: null,
                stage: null,
                note: '',
                resolved: false,
                linkedRuptureIds: [],
              },
            ],
            grid: { session: null, cells: [] },
            responses: [],
          }),
        /after the end of the session/,
      ],
    ];
    for (const [what, change, message] of cases) {
      const f = await forge(change);
      await expect(tr.core.supervision.receive(f, PASS), what).rejects.toThrow(message);
      expect(snapshot(tr.core.db), what).toEqual(before);
    }
    // Ana's reply rewritten in the supervisor's file: not the supervisor's to give; her words stay hers.
    const t = threads(tr.core, tr.sessionId, tr.ana)[0]!;
    tr.core.feedback.reply(t.id, 'My own words.', tr.ana);
    await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', path.join(dir, '3.arsup'));
    await su.core.supervision.receive(path.join(dir, '3.arsup'), PASS);
    su.core.feedback.add({ sessionId: sid, startMs: 2500, text: 'A third.' }, su.sup);
    await send(su.core, sid, su.sup, 'Ana Trainee', real);
    const rewritten = await forge((m) => {
      const reply = m.feedback.items.find((i: { parentUid: string | null }) => i.parentUid !== null);
      if (reply) reply.text = 'Words she never wrote.';
      else
        m.feedback.items.push({
          ...m.feedback.items[0],
          uid: tr.core.db.prepare('SELECT uid FROM feedback WHERE parent_id IS NOT NULL').pluck().get(),
          parentUid: m.feedback.items[0].uid,
          authorUid: anaUid,
          text: 'Words she never wrote.',
        });
    });
    await tr.core.supervision.receive(rewritten, PASS);
    expect(threads(tr.core, tr.sessionId, tr.ana)[0]!.replies.map((r) => r.text)).toEqual(['My own words.']);
  });

  it('links a recording missing here to the copy beside the file by its fingerprint, or carries it with --include-media', async () => {
    const tr = await traineeLibrary();
    const su = supervisorLibrary();
    const shared = folder();
    // The clinic's shared folder holds the file and (as the trainee copied it there) the recording.
    copyMedia(mediaFile('session.webm'), shared, 'session.webm');
    await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', path.join(shared, 'K-12 session 3.arsup'));
    const r = await su.core.supervision.receive(path.join(shared, 'K-12 session 3.arsup'), PASS);
    expect(r.changes.join(' ')).toMatch(/recording session.webm linked to the copy beside the file/);
    expect(su.core.repos.recordings.listBySession(r.sessionId)[0]!.path).toBe(path.join(shared, 'session.webm'));

    const other = supervisorLibrary();
    const alone = folder();
    const withMedia = path.join(alone, 'with media.arsup');
    await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', withMedia, { includeMedia: true });
    const r2 = await other.core.supervision.receive(withMedia, PASS);
    expect(r2.changes.join(' ')).toMatch(/recording session.webm copied from the file/);
    const rec = other.core.repos.recordings.listBySession(r2.sessionId)[0]!;
    expect(rec.managed).toBe(true);
    expect(fs.statSync(rec.path).size).toBe(fs.statSync(mediaFile('session.webm')).size);
    // Both in the file and beside it: the user's copy beside is linked, and no second copy is made.
    const third = supervisorLibrary();
    const both = path.join(shared, 'with media too.arsup');
    await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', both, { includeMedia: true });
    const r3 = await third.core.supervision.receive(both, PASS);
    const linked = third.core.repos.recordings.listBySession(r3.sessionId)[0]!;
    expect([linked.managed, linked.path]).toEqual([false, path.join(shared, 'session.webm')]);
    expect(fs.existsSync(path.join(third.dir, 'media'))).toBe(false);
  });

  it('works from the command line, through the front door, as the rater at the machine', async () => {
    const tr = await traineeLibrary();
    const su = supervisorLibrary();
    const dir = folder();
    const env = { ALLIANCE_REVIEW_PACKAGE_PASSPHRASE: PASS };
    const f1 = path.join(dir, 'ä session.arsup');
    const dry = await cliIn(
      tr.dir,
      ['supervision', 'send', String(tr.sessionId), '--to', 'Dr. Sup', '--out', f1, '--dry-run'],
      env,
    );
    expect(dry.stdout).toMatch(/Would send case K-12 session 3 from Ana Trainee to Dr. Sup/);
    expect(fs.existsSync(f1)).toBe(false);
    const sent = await cliIn(
      tr.dir,
      ['supervision', 'send', String(tr.sessionId), '--to', 'Dr. Sup', '--out', f1, '--json'],
      env,
    );
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ direction: 'sent', from: 'Ana Trainee', to: 'Dr. Sup' });
    const got = await cliIn(su.dir, ['supervision', 'receive', f1, '--json'], env);
    expect(got.code).toBe(0);
    const report = JSON.parse(got.stdout) as { sessionId: number; createdSession: boolean; counts: object };
    expect(report).toMatchObject({ createdSession: true, counts: { lanes: 1 } });
    // An observer is not part of supervision.
    const obs = await cliIn(su.dir, ['raters', 'add', 'Olga Observer', '--role', 'observer']);
    expect(obs.code).toBe(0);
    const refused = await cliIn(
      su.dir,
      [
        'supervision',
        'send',
        String(report.sessionId),
        '--to',
        'Ana Trainee',
        '--out',
        path.join(dir, 'o.arsup'),
        '--as',
        'Olga Observer',
      ],
      env,
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Feedback is between supervisors, trainees and therapists/);
    const history = await cliIn(su.dir, ['supervision', 'history', String(report.sessionId)]);
    expect(history.stdout).toMatch(/received from Ana Trainee/);
  });
});

type Side = 'T' | 'S';
type Op =
  | { side: Side; op: 'comment'; at: number; text: string }
  | { side: Side; op: 'reply'; pick: number; text: string }
  | { side: Side; op: 'edit'; pick: number; text: string }
  | { side: Side; op: 'state'; pick: number; state: 'open' | 'acknowledged' | 'resolved' }
  | { side: Side; op: 'unreply'; pick: number }
  | { side: Side; op: 'send' }
  | { side: Side; op: 'deliver'; pick: number; twice: boolean };

const words = fc.constantFrom('look here', 'a withdrawal?', 'yes', 'I noticed it too', 'try naming it', 'Ärger');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    side: fc.constantFrom<Side>('T', 'S'),
    op: fc.constant('comment' as const),
    at: fc.integer({ min: 0, max: 29_000 }),
    text: words,
  }),
  fc.record({ side: fc.constantFrom<Side>('T', 'S'), op: fc.constant('reply' as const), pick: fc.nat(), text: words }),
  fc.record({ side: fc.constantFrom<Side>('T', 'S'), op: fc.constant('edit' as const), pick: fc.nat(), text: words }),
  fc.record({
    side: fc.constantFrom<Side>('T', 'S'),
    op: fc.constant('state' as const),
    pick: fc.nat(),
    state: fc.constantFrom('open' as const, 'acknowledged' as const, 'resolved' as const),
  }),
  fc.record({ side: fc.constantFrom<Side>('T', 'S'), op: fc.constant('unreply' as const), pick: fc.nat() }),
  fc.record({ side: fc.constantFrom<Side>('T', 'S'), op: fc.constant('send' as const) }),
  fc.record({
    side: fc.constantFrom<Side>('T', 'S'),
    op: fc.constant('deliver' as const),
    pick: fc.nat(),
    twice: fc.boolean(),
  }),
);

describe('supervision merges, for any exchange (generated)', () => {
  it('converge once both sides have sent and received their newest file; a file received twice, or late, changes nothing; no item is duplicated; every item reads as its author wrote it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 4, maxLength: 14 }), async (ops) => {
        const tr = await traineeLibrary();
        const su = supervisorLibrary();
        const dir = folder();
        try {
          let n = 0;
          const file = () => path.join(dir, `${++n}.arsup`);
          const first = file();
          await send(tr.core, tr.sessionId, tr.ana, 'Dr. Sup', first);
          const sid = (await su.core.supervision.receive(first, PASS)).sessionId;
          const lib = {
            T: { core: tr.core, sid: tr.sessionId, me: tr.ana, to: 'Dr. Sup' },
            S: { core: su.core, sid, me: su.sup, to: 'Ana Trainee' },
          };
          const outbox: Record<Side, string[]> = { T: [], S: [] };
          const lastState = new Map<string, string>();
          for (const o of ops) {
            const me = lib[o.side];
            const all = threads(me.core, me.sid, me.me);
            const items = all.flatMap((t) => [t, ...t.replies]);
            switch (o.op) {
              case 'comment':
                me.core.feedback.add({ sessionId: me.sid, startMs: o.at, text: o.text }, me.me);
                break;
              case 'reply':
                if (all.length) me.core.feedback.reply(all[o.pick % all.length]!.id, o.text, me.me);
                break;
              case 'edit': {
                const own = items.filter((i) => i.authorId === me.me.id);
                if (own.length) me.core.feedback.edit(own[o.pick % own.length]!.id, o.text, undefined, me.me);
                break;
              }
              case 'state':
                if (all.length) {
                  const t = all[o.pick % all.length]!;
                  me.core.feedback.setState(t.id, o.state, me.me);
                  const uid = me.core.db.prepare('SELECT uid FROM feedback WHERE id = ?').pluck().get(t.id) as string;
                  lastState.set(uid, o.state);
                  // The later of two settings wins: settings a millisecond apart keep their order.
                  await new Promise((r) => setTimeout(r, 2));
                }
                break;
              case 'unreply': {
                const own = all.flatMap((t) => t.replies).filter((r) => r.authorId === me.me.id);
                if (own.length) me.core.feedback.remove(own[o.pick % own.length]!.id, me.me);
                break;
              }
              case 'send': {
                const f = file();
                await send(me.core, me.sid, me.me, me.to, f);
                outbox[o.side].push(f);
                break;
              }
              case 'deliver': {
                const from = o.side === 'T' ? 'S' : 'T';
                const box = outbox[from];
                if (!box.length) break;
                const f = box[o.pick % box.length]!;
                await me.core.supervision.receive(f, PASS);
                if (o.twice) {
                  const before = snapshot(me.core.db);
                  const again = await me.core.supervision.receive(f, PASS);
                  expect(again.alreadyDone).toBe(true);
                  expect(snapshot(me.core.db)).toEqual(before);
                }
                break;
              }
            }
          }
          // Each side sends its newest state and receives the other's.
          for (const [a, b] of [
            ['T', 'S'],
            ['S', 'T'],
          ] as const) {
            const f = file();
            await send(lib[a].core, lib[a].sid, lib[a].me, lib[a].to, f);
            await lib[b].core.supervision.receive(f, PASS);
          }
          const view = (side: Side) =>
            shape(lib[side].core, lib[side].sid, lib[side].me)
              .map((t) => ({ ...t, segment: null }))
              .sort((x, y) => x.at - y.at || x.text.localeCompare(y.text) || x.author.localeCompare(y.author));
          expect(view('T')).toEqual(view('S'));
          const uids = (side: Side) =>
            lib[side].core.db.prepare('SELECT uid FROM feedback ORDER BY uid').pluck().all() as string[];
          expect(uids('T')).toEqual(uids('S'));
          expect(new Set(uids('T')).size).toBe(uids('T').length);
          // Every thread's state is the one set last, on whichever side.
          for (const [uid, state] of lastState)
            for (const side of ['T', 'S'] as const)
              expect(lib[side].core.db.prepare('SELECT state FROM feedback WHERE uid = ?').pluck().get(uid)).toBe(
                state,
              );
        } finally {
          // The libraries go with the test's cleanups; the runs must not pile up open databases.
          tr.core.close();
          su.core.close();
        }
      }),
      { numRuns: 8 },
    );
    // Each run seals and opens several files (scrypt each time): minutes on a loaded machine.
  }, 180_000);
});
