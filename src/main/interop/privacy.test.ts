import { afterEach, describe, expect, it } from 'vitest';
import { testCore } from '../../../tests/support/core';
import { copyMedia, mediaFile } from '../../../tests/support/media';
import { tempDir } from '../../../tests/support/tmp';
import { sessionBoris, sessionCsv, sessionDocument, sessionEaf } from './exporter';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('exports leave the machine pseudonymous unless asked', () => {
  it('JSON, CSV, ELAN and BORIS carry no therapist, rater or file name and no free text by default', async () => {
    const t = testCore();
    cleanups.push(t.cleanup);
    const files = tempDir();
    cleanups.push(files.cleanup);
    const { core } = t;
    const c = core.library.createCase({ code: 'C-900', therapist: 'Dr. Therapeutin Weiß', notes: '' });
    const s = core.library.createSession({
      caseId: c.id,
      number: 1,
      date: null,
      modality: '',
      notes: 'Session note Q',
    });
    await core.imports.importOne(s.id, copyMedia(mediaFile('av.mp4'), files.dir, 'Mueller_Klientin.mp4'), {
      offsetMs: 0,
      copy: false,
    });
    const sup = core.annotations.createRater('Prof. Supervisorin', 'supervisor');
    const obs = core.annotations.createRater('Beobachter Jansen', 'observer');
    core.annotations.create({
      sessionId: s.id,
      raterId: obs.id,
      kind: 'rupture',
      startMs: 0,
      endMs: 2000,
      codes: ['W2'],
      note: 'private note P',
    });
    core.annotations.create({
      sessionId: s.id,
      raterId: obs.id,
      kind: 'comment',
      startMs: 3000,
      endMs: 3000,
      note: 'comment words K',
    });
    core.feedback.add({ sessionId: s.id, startMs: 1000, text: 'feedback words F' }, sup);
    const secrets = [
      'Therapeutin',
      'Supervisorin',
      'Jansen',
      'Mueller',
      'Session note Q',
      'private note P',
      'comment words K',
      'feedback words F',
    ];
    const outputs = (p?: { names: boolean; notes: boolean }) => ({
      json: JSON.stringify(
        sessionDocument(core.library, core.annotations, s.id, { feedback: core.feedback, privacy: p }),
      ),
      csv: sessionCsv(core.library, core.annotations, s.id, null, p),
      eaf: sessionEaf(core, s.id, { privacy: p }),
      boris: sessionBoris(core, s.id, { privacy: p }),
    });
    for (const [format, out] of Object.entries(outputs())) {
      for (const secret of secrets) expect(out.includes(secret), `${format} carries "${secret}"`).toBe(false);
      expect(out, format).toContain(`R${obs.id}`);
      expect(out, format).toContain('W2');
    }
    // Asked for: names and free text go out.
    const full = outputs({ names: true, notes: true });
    for (const secret of ['Beobachter Jansen', 'private note P']) expect(full.csv).toContain(secret);
    expect(full.json).toContain('Dr. Therapeutin Weiß');
    expect(full.json).toContain('feedback words F');
    expect(full.eaf).toContain('Mueller_Klientin.mp4');
    // Names without notes: names, but no free text.
    const names = outputs({ names: true, notes: false });
    expect(names.csv).toContain('Beobachter Jansen');
    expect(names.csv).not.toContain('private note P');
  });
});
