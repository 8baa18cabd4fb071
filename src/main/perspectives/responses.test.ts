import { afterEach, describe, expect, it } from 'vitest';
import { snapshot, testCore } from '../../../tests/support/core';
import { mediaFile } from '../../../tests/support/media';
import { DEFAULT_INSTRUMENTS, score } from '../../shared/instruments';
import {
  assign,
  assignments,
  calibration,
  perspectivesReport,
  sessionAgreement,
  unassign,
} from '../agreement/agreement';
import type { Core } from '../app';
import { parseCsvRows } from '../agreement/segment-files';

let t: ReturnType<typeof testCore>;
afterEach(() => t?.cleanup());

async function setup(sessions = 1): Promise<{ core: Core; ids: number[] }> {
  t = testCore();
  const core = t.core;
  const c = core.library.createCase({ code: 'C-7', therapist: '', notes: '' });
  const ids: number[] = [];
  for (let n = 1; n <= sessions; n++) {
    const s = core.library.createSession({ caseId: c.id, number: n, date: null, modality: '', notes: '' });
    await core.imports.importOne(s.id, mediaFile('av.mp4'), { offsetMs: 0, copy: false });
    ids.push(s.id);
  }
  return { core, ids };
}

describe('instruments', () => {
  it('ship structure only: WAI-SR has 12 placeholder items in Task, Bond and Goal', () => {
    const wai = DEFAULT_INSTRUMENTS.find((i) => i.key === 'wai-sr')!;
    expect(wai.items).toHaveLength(12);
    const sub = (name: string) =>
      wai.items.filter((i) => i.type === 'scale' && i.subscale === name).map((i) => Number(i.id.slice(3)));
    expect(sub('Task')).toEqual([1, 2, 10, 12]);
    expect(sub('Bond')).toEqual([3, 5, 7, 9]);
    expect(sub('Goal')).toEqual([4, 6, 8, 11]);
    expect(wai.items.every((i) => i.text.includes('paste the licensed wording'))).toBe(true);
  });

  it('scores subscales and totals, flipping reverse-keyed items', () => {
    const inst = {
      key: 'x',
      name: 'X',
      perspectives: ['patient' as const],
      scoring: 'mean' as const,
      note: '',
      items: [
        { id: 'a', type: 'scale' as const, text: 'a', min: 1, max: 5, anchors: {}, reverse: false, subscale: 'S' },
        { id: 'b', type: 'scale' as const, text: 'b', min: 1, max: 5, anchors: {}, reverse: true, subscale: 'S' },
      ],
    };
    expect(score(inst, { a: 5, b: 1 })).toEqual({ subscales: { S: 5 }, total: 5 });
    expect(score({ ...inst, scoring: 'sum' }, { a: 2, b: 4 })).toEqual({ subscales: { S: 4 }, total: 4 });
  });
});

describe('responses', () => {
  it('stores a patient post-session report and refuses answers out of range or from the wrong perspective', async () => {
    const { core, ids } = await setup();
    const patient = core.annotations.createRater('P-7', 'patient');
    const r = core.responses.save({
      sessionId: ids[0]!,
      raterId: patient.id,
      perspective: 'patient',
      instrument: 'psr-patient',
      answers: { tension: false },
    });
    expect(r).toMatchObject({ instrument: 'psr-patient', perspective: 'patient', answers: { tension: false } });
    expect(() =>
      core.responses.save({
        sessionId: ids[0]!,
        raterId: patient.id,
        perspective: 'patient',
        instrument: 'psr-patient',
        answers: { tense: 9 },
      }),
    ).toThrow('tense takes a whole number from 1 to 5, not "9".');
    expect(() =>
      core.responses.save({
        sessionId: ids[0]!,
        raterId: patient.id,
        perspective: 'observer',
        instrument: 'psr-patient',
        answers: {},
      }),
    ).toThrow(/filled in by patient/);
  });

  it('imports CSV all or nothing, with row-numbered reasons', async () => {
    const { core, ids } = await setup();
    const before = snapshot(core.db);
    const bad = parseCsvRows(
      'session,perspective,rater,item,value\n' +
        `${ids[0]},patient,P-7,tension,no\n` +
        `${ids[0]},patient,P-7,tense,7\n` +
        `${ids[0]},therapist,T-1,psr-therapist:tension,maybe\n` +
        `99,patient,P-7,tension,yes\n` +
        `${ids[0]},client,P-7,tension,yes\n`,
    );
    const res = core.responses.importCsv(bad);
    expect(res.imported).toBe(0);
    expect(res.rejected).toEqual([
      { line: 3, reason: 'tense takes a whole number from 1 to 5, not "7".' },
      { line: 4, reason: 'tension takes yes or no, not "maybe".' },
      { line: 5, reason: 'there is no session 99.' },
      {
        line: 6,
        reason: 'perspective must be one of supervisor, trainee, observer, therapist, patient, not "client".',
      },
    ]);
    expect(snapshot(core.db)).toEqual(before);

    const good = core.responses.importCsv(
      parseCsvRows(
        'session,perspective,rater,item,value\n' +
          `${ids[0]},patient,P-7,tension,yes\n${ids[0]},patient,P-7,tense,3\n${ids[0]},patient,P-7,resolved,4\n` +
          `${ids[0]},therapist,T-1,psr-therapist:tension,no\n` +
          ['wai1', 'wai2', 'wai10', 'wai12'].map((w) => `${ids[0]},patient,P-7,wai-sr:${w},4`).join('\n') +
          '\n',
      ),
    );
    expect(good).toEqual({ imported: 8, responses: 3, rejected: [] });
    const list = core.responses.forSession(ids[0]!);
    expect(list.find((r) => r.instrument === 'wai-sr')!.scores.subscales).toEqual({ Task: 4 });
    expect(core.annotations.raters().find((r) => r.name === 'T-1')!.role).toBe('therapist');
  });
});

describe('perspectives and session agreement', () => {
  it('rates per perspective with McNemar and Cochran Q, from submitted ratings and self-reports', async () => {
    const { core, ids } = await setup(4);
    const a = core.annotations;
    const obs = a.createRater('O-1', 'observer').id;
    const pat = a.createRater('P-1', 'patient').id;
    const ther = a.createRater('T-1', 'therapist').id;
    ids.forEach((sid, i) => {
      if (i < 3) a.create({ sessionId: sid, raterId: obs, kind: 'rupture', startMs: 1000, endMs: 2000, codes: ['W2'] });
      a.submit(sid, obs);
      core.responses.save({
        sessionId: sid,
        raterId: pat,
        perspective: 'patient',
        instrument: 'psr-patient',
        answers: { tension: i === 0 },
      });
      core.responses.save({
        sessionId: sid,
        raterId: ther,
        perspective: 'therapist',
        instrument: 'psr-therapist',
        answers: { tension: i < 2 },
      });
    });
    const r = perspectivesReport(core, 'C-7');
    expect(r.perspectives.observer).toEqual({ sessions_with_data: 4, sessions_with_rupture: 3, rate: 0.75 });
    expect(r.perspectives.patient).toEqual({ sessions_with_data: 4, sessions_with_rupture: 1, rate: 0.25 });
    expect(r.perspectives.therapist?.rate).toBe(0.5);
    const po = r.mcnemar.find((m) => m.perspectives.join() === 'patient,observer')!;
    expect(po).toMatchObject({ sessions: 4, a_only: 0, b_only: 2, exact: true });
    expect(po.p).toBeCloseTo(0.5, 10);
    expect(r.cochran_q.sessions).toBe(4);
    expect(r.cochran_q.statistic).not.toBeNull();
    expect(() => perspectivesReport(core, 'C-404')).toThrow(/no case C-404/);
  });

  it('computes agreement of submitted ratings only', async () => {
    const { core, ids } = await setup();
    const a = core.annotations;
    const o1 = a.createRater('O-1', 'observer').id;
    const o2 = a.createRater('O-2', 'observer').id;
    const o3 = a.createRater('O-3', 'observer').id;
    a.create({ sessionId: ids[0]!, raterId: o1, kind: 'rupture', startMs: 1000, endMs: 3000, codes: ['W2'] });
    a.create({ sessionId: ids[0]!, raterId: o2, kind: 'rupture', startMs: 1000, endMs: 3000, codes: ['W2'] });
    a.create({ sessionId: ids[0]!, raterId: o3, kind: 'rupture', startMs: 4000, endMs: 5000, codes: ['C1'] });
    a.submit(ids[0]!, o1);
    a.submit(ids[0]!, o2);
    const r = sessionAgreement(core, ids[0]!, { unitMs: 1000, toleranceMs: 0, windowMs: 3000 });
    expect(r.submitted_raters).toEqual(['O-1', 'O-2']);
    expect(r.pairs).toHaveLength(1);
    expect(r.pairs[0]!.time_unit_kappa.W2).toBe(1);
    expect(r.pairs[0]!.event_agreement.any).toBe(1);
  });
});

describe('calibration and assignments', () => {
  it('shows per-code agreement and the ruptures a trainee missed or added against the reference', async () => {
    const { core, ids } = await setup();
    const a = core.annotations;
    const trainee = a.createRater('Trainee T', 'trainee').id;
    const sup = a.createRater('Dr. S', 'supervisor').id;
    a.create({ sessionId: ids[0]!, raterId: sup, kind: 'rupture', startMs: 500, endMs: 1500, codes: ['W2'] });
    a.create({ sessionId: ids[0]!, raterId: sup, kind: 'rupture', startMs: 4000, endMs: 5000, codes: ['C1'] });
    a.create({ sessionId: ids[0]!, raterId: trainee, kind: 'rupture', startMs: 700, endMs: 1500, codes: ['W2'] });
    a.create({ sessionId: ids[0]!, raterId: trainee, kind: 'rupture', startMs: 5500, endMs: 5900, codes: ['W7'] });
    const c = calibration(core, ids[0]!, trainee, sup, { unitMs: 100, toleranceMs: 0, windowMs: 1000 });
    expect(c.pair!.event_agreement.W2).toBe(1);
    expect(c.pair!.event_agreement.C1).toBe(0);
    expect(c.missed.map((m) => m.codes)).toEqual([['C1']]);
    expect(c.added.map((m) => m.codes)).toEqual([['W7']]);
    expect(() => calibration(core, ids[0]!, sup, sup)).toThrow(/other than/);
  });

  it('assigns raters to sessions with a due date and shows their progress', async () => {
    const { core, ids } = await setup();
    const o = core.annotations.createRater('O-1', 'observer').id;
    expect(assign(core, ids[0]!, o, '2026-12-01')).toEqual([
      { raterId: o, name: 'O-1', role: 'observer', dueDate: '2026-12-01', status: null },
    ]);
    core.annotations.submit(ids[0]!, o);
    expect(assignments(core, ids[0]!)[0]!.status).toBe('submitted');
    expect(unassign(core, ids[0]!, o)).toEqual([]);
  });
});
