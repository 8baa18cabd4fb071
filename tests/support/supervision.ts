/**
 * A supervised session as a clinic has it: two observers and a trainee who submitted, a
 * supervisor's feedback with the trainee's replies, 3RS grids, a consensus, and the patient's
 * post-session report. Synthetic; `segments` sets the size (the report bench uses 2,000).
 */
import type { Core } from '../../src/main/app';
import { seedSession } from './fixtures';

export function seedSupervision(core: Core, opts: { segments?: number; durationMs?: number; code?: string } = {}) {
  const durationMs = opts.durationMs ?? 3_600_000;
  const total = opts.segments ?? 40;
  const { sessionId, caseId } = seedSession(core, opts.code ?? 'C-REP', 0, durationMs);
  core.library.updateSession({
    id: sessionId,
    date: '2026-11-20',
    modality: 'CBT',
    notes: 'Met after a missed week.',
  });
  const ann = core.annotations;
  const sup = ann.ensureRater('Dr. Sup', 'supervisor');
  const trainee = ann.ensureRater('Tess', 'trainee');
  const obsA = ann.ensureRater('Oda', 'observer');
  const obsB = ann.ensureRater('Olav', 'observer');
  const patient = ann.ensureRater('Patient 1', 'patient');
  const raters = [obsA, obsB, trainee];
  // Ruptures, and a repair after two in three of them: total ≈ ruptures × 5/3.
  const per = Math.max(2, Math.floor((total * 3) / 5 / raters.length));
  const markers = ['W1', 'W2', 'W3', 'C1', 'C2', 'W4'];
  const strategies = ['R1', 'R4', 'R5', 'R7'];
  const rows: { line: number; input: Parameters<typeof ann.create>[0] }[] = [];
  raters.forEach((r, ri) => {
    for (let i = 0; i < per; i++) {
      const start = Math.floor(((i + 0.2 + ri * 0.07) * durationMs) / per);
      rows.push({
        line: rows.length + 1,
        input: {
          sessionId,
          raterId: r.id,
          kind: 'rupture',
          startMs: start,
          endMs: Math.min(durationMs, start + 6000 + (i % 4) * 2500),
          codes: [markers[(i + ri) % markers.length]!],
          rating: (i % 5) + 1,
          note: i % 7 === 0 ? 'looks away, short answers' : '',
        },
      });
    }
  });
  for (const r of raters)
    ann.importSegments(
      rows.filter((x) => x.input.raterId === r.id),
      false,
    );
  // A repair after most ruptures, linked to it (every third one stays unrepaired).
  const ruptures = ann.list(sessionId).segments.filter((s) => s.kind === 'rupture');
  ruptures
    .filter((_, i) => i % 3 !== 2)
    .forEach((r, i) =>
      ann.create({
        sessionId,
        raterId: r.raterId,
        kind: 'repair',
        startMs: Math.min(durationMs - 4000, r.endMs + 2000),
        endMs: Math.min(durationMs, r.endMs + 7000),
        codes: [strategies[i % strategies.length]!],
        rating: (i % 5) + 1,
        stage: i % 2 && r.codes[0]!.startsWith('W') ? 'W-3' : null,
        linkedRuptureIds: [r.id],
      }),
    );
  for (const r of raters) {
    ann.setGridCell({
      sessionId,
      raterId: r.id,
      segmentMs: 300_000,
      index: 1,
      codes: ['W2'],
      withdrawalSignificance: 3,
      confrontationSignificance: null,
    });
    ann.submit(sessionId, r.id);
  }
  const [first, second] = ruptures.filter((r) => r.raterId === obsA.id);
  ann.acceptIntoConsensus([first!.id], sup.id);
  if (second) ann.acceptIntoConsensus([second.id], sup.id);
  const fb = core.feedback;
  const notes = [
    ['She goes quiet after the homework question.', 'rupture missed'],
    ['Good: you named the pause and asked about it.', 'strength'],
    ['What might have happened if you had stayed with the silence?', 'question'],
    ['Try instead: "I notice I pushed there; how was that for you?"', 'try instead'],
  ] as const;
  notes.forEach(([text, label], i) => {
    const at = Math.floor(((i + 0.5) * durationMs) / notes.length);
    const th = fb.add({ sessionId, startMs: at, endMs: at + 15_000, label, text }, sup);
    if (i % 2 === 0) fb.reply(th.id, 'I felt it too, but moved on.', trainee);
    if (i === 1) fb.setState(th.id, 'resolved', trainee);
  });
  core.responses.save({
    sessionId,
    raterId: patient.id,
    perspective: 'patient',
    instrument: 'psr-patient',
    answers: { tension: true, tense: 3, resolved: 4, comment: '' },
  });
  return { sessionId, caseId, sup, trainee, obsA, obsB, patient };
}
