/**
 * Feedback as a supervisor and a trainee use it: a comment reaches the trainee at once, without
 * anyone submitting, and it never turns the supervisor into a rater.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshot, testCore } from '../../../tests/support/core';
import { seedSession } from '../../../tests/support/fixtures';
import { cliIn } from '../../../tests/support/cli';
import { sessionAgreement, caseTimeline } from '../agreement/agreement';
import { sessionDocument } from '../interop/exporter';
import type { Rater } from '../../shared/annotations';

let t: ReturnType<typeof testCore>;
let sessionId: number;
let caseId: number;
let sup: Rater;
let trainee: Rater;
let observer: Rater;

beforeEach(() => {
  t = testCore();
  ({ sessionId, caseId } = seedSession(t.core));
  sup = t.core.raters.create('Dr Sup', 'supervisor');
  trainee = t.core.raters.create('Tess', 'trainee');
  observer = t.core.raters.create('Obs', 'observer');
});
afterEach(() => t.cleanup());

describe('feedback', () => {
  it('reaches the trainee at once, threads replies, and counts what is new to each side', () => {
    const fb = t.core.feedback;
    const c = fb.add(
      { sessionId, startMs: 12_000, endMs: 15_500, label: 'Rupture missed', text: 'She goes quiet here.' },
      sup,
    );
    expect(c).toMatchObject({ label: 'rupture missed', state: 'open', authorName: 'Dr Sup', unread: false });

    // The trainee has submitted nothing and sees it now, as new.
    const seen = fb.list(sessionId, trainee);
    expect(seen.threads.map((x) => x.text)).toEqual(['She goes quiet here.']);
    expect(seen.unread).toBe(1);
    expect(fb.counts(trainee)).toEqual([{ sessionId, threads: 1, open: 1, unread: 1 }]);

    const replied = fb.reply(c.id, 'I noticed, but did not name it.', trainee);
    expect(replied.replies.map((r) => [r.authorName, r.text])).toEqual([['Tess', 'I noticed, but did not name it.']]);
    // Replying means the trainee read the thread; the supervisor now has one new reply.
    expect(fb.list(sessionId, trainee).unread).toBe(0);
    expect(fb.list(sessionId, sup).unread).toBe(1);
    const reply = fb.list(sessionId, sup).threads[0]!.replies[0]!;
    expect(fb.markRead([reply.id], sup)).toEqual({ unread: 0 });

    expect(fb.setState(c.id, 'resolved', trainee)).toMatchObject({ state: 'resolved', stateBy: 'Tess' });
    expect(fb.counts(sup)).toEqual([{ sessionId, threads: 1, open: 0, unread: 0 }]);
  });

  it('holds feedback from a trainee rating the session blind until they submit; a supervisor releases or sets it per case', () => {
    const fb = t.core.feedback;
    const a = t.core.annotations;
    const c = fb.add({ sessionId, startMs: 12_000, endMs: 15_500, text: 'She goes quiet here.' }, sup);
    // The trainee begins a self-review (a draft rating): from now on the feedback is held.
    a.create({ sessionId, raterId: trainee.id, kind: 'rupture', startMs: 10_000, endMs: 14_000, codes: ['W2'] });
    const own = fb.add({ sessionId, startMs: 30_000, endMs: null, text: 'A question for supervision' }, trainee);
    const held = fb.list(sessionId, trainee);
    expect(held.threads.map((x) => x.id)).toEqual([own.id]);
    expect(held.hold).toEqual({ on: true, source: 'default', held: 1 });
    expect(fb.counts(trainee)).toEqual([{ sessionId, threads: 1, open: 1, unread: 0 }]);
    // Replying to, or resolving, a held comment is as if it did not exist.
    expect(() => fb.reply(c.id, 'ok', trainee)).toThrow(/no longer exists/);
    // The supervisor sees everything and no hold on themselves; a trainee cannot release it.
    expect(fb.list(sessionId, sup).hold).toEqual({ on: true, source: 'default', held: 0 });
    expect(fb.list(sessionId, sup).threads).toHaveLength(2);
    const before = snapshot(t.core.db);
    expect(() => fb.setHold({ sessionId }, false, trainee)).toThrow(/Only a supervisor holds or releases feedback/);
    expect(snapshot(t.core.db)).toEqual(before);
    // Released for this session: the trainee sees it now, draft or not.
    expect(fb.setHold({ sessionId }, false, sup)).toEqual({ on: false, source: 'session' });
    expect(fb.list(sessionId, trainee).threads).toHaveLength(2);
    // Back to the case's setting; the case holds from every trainee who has not submitted.
    fb.setHold({ sessionId }, null, sup);
    fb.setHold({ caseId }, true, sup);
    expect(fb.list(sessionId, trainee).hold).toEqual({ on: true, source: 'case', held: 1 });
    // Submitting lifts it.
    a.submit(sessionId, trainee.id);
    const after = fb.list(sessionId, trainee);
    expect(after.threads).toHaveLength(2);
    expect(after.hold.held).toBe(0);
  });

  it('shows feedback at once to a trainee who is not rating the session (the default holds nothing then)', () => {
    const fb = t.core.feedback;
    fb.add({ sessionId, startMs: 12_000, endMs: null, text: 'Look here.' }, sup);
    expect(fb.list(sessionId, trainee).hold).toEqual({ on: true, source: 'default', held: 0 });
    expect(fb.list(sessionId, trainee).threads).toHaveLength(1);
  });

  it('never makes the supervisor a rater: no rating, no agreement rows, no perspective in the case overview', () => {
    const a = t.core.annotations;
    const o2 = a.createRater('Obs 2', 'observer');
    for (const r of [observer, o2]) {
      a.create({ sessionId, raterId: r.id, kind: 'rupture', startMs: 10_000, endMs: 14_000, codes: ['W2'] });
      a.submit(sessionId, r.id);
    }
    for (let i = 0; i < 5; i++) t.core.feedback.add({ sessionId, startMs: i * 1000, text: `note ${i}` }, sup);
    const agreement = sessionAgreement(t.core, sessionId, { unitMs: 1000, toleranceMs: 0, windowMs: 3000 });
    expect(agreement.submitted_raters).toEqual(['Obs', 'Obs 2']);
    expect(agreement.pairs).toHaveLength(1);
    expect(a.list(sessionId).ratings).not.toContainEqual(expect.objectContaining({ raterId: sup.id }));
    const timeline = caseTimeline(t.core, caseId, () => ({ raters: null, responders: null }));
    expect(Object.keys(timeline.sessions[0]!.ruptures)).toEqual(['observer']);
  });

  it('keeps observers and patients out (blind rating), and shows a segment only to whoever may see it', () => {
    const a = t.core.annotations;
    const seg = a.create({
      sessionId,
      raterId: observer.id,
      kind: 'rupture',
      startMs: 1000,
      endMs: 3000,
      codes: ['W1'],
    });
    a.submit(sessionId, observer.id);
    const c = t.core.feedback.add({ sessionId, startMs: 1000, segmentId: seg.id, text: 'See the observer’s W1.' }, sup);
    expect(c.segment).toMatchObject({ id: seg.id, codes: ['W1'], raterName: 'Obs' });
    // The trainee (no submitted rating) reads the comment, not the observer's segment.
    expect(t.core.feedback.list(sessionId, trainee).threads[0]!.segment).toBeNull();
    expect(() => t.core.feedback.list(sessionId, observer)).toThrow(/observer and does not see it/);
    const patient = t.core.raters.create('Pat', 'patient');
    expect(() => t.core.feedback.add({ sessionId, startMs: 0, text: 'hi' }, patient)).toThrow(/a patient/);
    expect(t.core.feedback.counts(observer)).toEqual([]);
  });

  it('refuses bad input with a clear message and changes nothing', () => {
    const fb = t.core.feedback;
    const c = fb.add({ sessionId, startMs: 0, text: 'first' }, sup);
    fb.reply(c.id, 'answer', trainee);
    const before = snapshot(t.core.db);
    expect(() => fb.add({ sessionId, startMs: 599_000, endMs: 700_000, text: 'x' }, sup)).toThrow(
      /ends at 00:11:40.000, after the end of the session \(00:10:00.000\)/,
    );
    expect(() => fb.add({ sessionId, startMs: 5000, endMs: 1000, text: 'x' }, sup)).toThrow(/after its start/);
    expect(() => fb.add({ sessionId, startMs: 0, text: '   ' }, sup)).toThrow(/empty/);
    expect(() => fb.add({ sessionId, startMs: 0, label: 'brilliant', text: 'x' }, sup)).toThrow(
      /"brilliant" is not one of the feedback labels \(strength, question, try instead, rupture missed, repair missed\)/,
    );
    expect(() => fb.edit(c.id, 'rewritten', undefined, trainee)).toThrow(/Only Dr Sup can change/);
    expect(() => fb.remove(c.id, sup)).toThrow(/Others have replied.*Mark it resolved instead/);
    expect(() => fb.reply(999, 'x', sup)).toThrow(/no longer exists/);
    expect(snapshot(t.core.db)).toEqual(before);
  });

  it('keeps an editable label list (supervisors), and a comment keeps its label', () => {
    const fb = t.core.feedback;
    fb.add({ sessionId, startMs: 0, label: 'strength', text: 'Good repair.' }, sup);
    expect(fb.setLabels([' strength ', 'Question', 'question', 'metacommunication', ''], sup)).toEqual([
      'strength',
      'Question',
      'metacommunication',
    ]);
    expect(() => fb.setLabels(['x'], trainee)).toThrow(/Only a supervisor/);
    expect(fb.list(sessionId, sup).threads[0]!.label).toBe('strength');
  });

  it('goes out with the session export, with replies and state', () => {
    const c = t.core.feedback.add(
      { sessionId, startMs: 61_000, endMs: 65_000, label: 'question', text: 'Why here?' },
      sup,
    );
    t.core.feedback.reply(c.id, 'To slow down.', trainee);
    t.core.feedback.setState(c.id, 'acknowledged', sup);
    const doc = sessionDocument(t.core.library, t.core.annotations, sessionId, {
      feedback: t.core.feedback,
      privacy: { names: true, notes: true },
    });
    expect(doc.feedback).toEqual([
      expect.objectContaining({
        author: 'Dr Sup',
        role: 'supervisor',
        text: 'Why here?',
        start: '00:01:01.000',
        end: '00:01:05.000',
        label: 'question',
        state: 'acknowledged',
        stateBy: 'Dr Sup',
        replies: [expect.objectContaining({ author: 'Tess', role: 'trainee', text: 'To slow down.' })],
      }),
    ]);
  });

  it('is held and released from the command line, for a session or a case', async () => {
    t.core.close();
    const run = (args: string[]) => cliIn(t.dir, args);
    expect((await run(['feedback', 'hold', String(sessionId), 'off'])).stdout).toBe(
      `Feedback on session ${sessionId} is shown to the trainee at once (this session's setting).\n`,
    );
    const json = await run(['feedback', 'hold', String(sessionId), 'default', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ on: true, source: 'default' });
    const code = (await run(['cases', '--json'])).stdout;
    const caseCode = (JSON.parse(code) as { code: string }[])[0]!.code;
    expect((await run(['feedback', 'hold', '--case', caseCode, 'on'])).stdout).toMatch(
      /held from every trainee until they submit, unless a session says otherwise/,
    );
    const bad = await run(['feedback', 'hold', String(sessionId), 'maybe']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Use: alliance-review feedback hold SESSION_ID on|off|default');
  });

  it('can be added and listed from the command line', async () => {
    t.core.close();
    const run = (args: string[]) => cliIn(t.dir, args);
    const added = await run([
      'feedback',
      'add',
      String(sessionId),
      '--at',
      '00:02:03.500',
      '--to',
      '130',
      '--author',
      'dr sup',
      '--text',
      'Reminder: watch the pause.',
      '--label',
      'question',
      '--json',
    ]);
    expect(added.stderr).toBe('');
    expect(JSON.parse(added.stdout)).toMatchObject({
      startMs: 123_500,
      endMs: 130_000,
      authorName: 'Dr Sup',
      label: 'question',
    });
    // The trainee answers from the command line, as herself (the thread's id from the JSON).
    const id = (JSON.parse(added.stdout) as { id: number }).id;
    const replied = await run(['feedback', 'reply', String(id), '--author', 'tess', '--text', 'I saw it, and waited.']);
    expect(replied.stdout).toBe(`Replied to comment #${id} as Tess (1 reply now).\n`);
    const threads = JSON.parse((await run(['feedback', 'list', String(sessionId), '--json'])).stdout) as {
      replies: { authorName: string; text: string }[];
    }[];
    expect(threads[0]!.replies.map((r) => [r.authorName, r.text])).toEqual([['Tess', 'I saw it, and waited.']]);
    // An observer takes no part in feedback: refused by the policy, nothing stored.
    const observer = await run(['feedback', 'reply', String(id), '--author', 'Obs', '--text', 'me too']);
    expect(observer.code).toBe(1);
    expect(observer.stderr).toMatch(/Feedback is between supervisors, trainees and therapists/);
    expect((await run(['feedback', 'reply', 'x', '--author', 'Tess', '--text', 'y'])).stderr).toContain(
      'Use: alliance-review feedback reply COMMENT_ID --author NAME --text TEXT.',
    );
    const unknown = await run(['feedback', 'add', String(sessionId), '--at', '1', '--author', 'Nobody', '--text', 'x']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /no rater called "Nobody". Raters: Dr Sup \(supervisor\), Obs \(observer\), Tess \(trainee\)/,
    );
    expect(unknown.stderr).toContain('Add one with: alliance-review raters add "Nobody" --role supervisor.');
    // Which is what a script then does: add the supervisor, list the raters, and comment.
    expect((await run(['raters', 'add', 'Nobody', '--role', 'boss'])).stderr).toBe(
      'alliance-review: --role must be one of supervisor, trainee, observer, therapist, patient, not "boss".\n',
    );
    expect((await run(['raters', 'add', 'Nobody', '--role', 'supervisor'])).stdout).toBe(
      'Added Nobody (supervisor).\n',
    );
    expect((await run(['raters', 'add', 'nobody', '--role', 'trainee'])).stderr).toMatch(
      /already a rater called nobody/,
    );
    const people = JSON.parse((await run(['raters', '--json'])).stdout) as { name: string; role: string }[];
    expect(people.map((r) => `${r.name}:${r.role}`).sort()).toEqual([
      'Dr Sup:supervisor',
      'Nobody:supervisor',
      'Obs:observer',
      'Tess:trainee',
    ]);
    expect(
      (await run(['feedback', 'add', String(sessionId), '--at', '1', '--author', 'Nobody', '--text', 'x'])).code,
    ).toBe(0);
    const badTime = await run([
      'feedback',
      'add',
      String(sessionId),
      '--at',
      '1:75',
      '--author',
      'Tess',
      '--text',
      'x',
    ]);
    expect(badTime.stderr).toMatch(/--at must be a time in seconds or hh:mm:ss.mmm, not "1:75"/);
    const listed = await run(['feedback', 'list', String(sessionId)]);
    expect(listed.stdout).toMatch(/00:02:03.500–00:02:10.000\topen\tDr Sup \[question\]: Reminder: watch the pause./);
    const exported = JSON.parse((await run(['export', String(sessionId), '--format', 'json'])).stdout);
    expect(exported.feedback).toHaveLength(2);
  });
});
