import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliIn } from '../../../tests/support/cli';
import { snapshot, testCore } from '../../../tests/support/core';
import { copyMedia, mediaFile } from '../../../tests/support/media';
import { tempDir } from '../../../tests/support/tmp';
import type { Span, TalkLane } from '../../shared/talk';
import { sessionDocument } from '../interop/exporter';

const MEDIA = [
  'two-mics.m4a',
  'dual-mono.m4a',
  'mic-left.m4a',
  'mic-right-late.m4a',
  'scene-main.m4a',
  'scene-late.m4a',
  'scene-early.mp4',
  'unrelated.m4a',
];
beforeAll(() => MEDIA.forEach((f) => mediaFile(f)), 180_000);

let t: ReturnType<typeof testCore>;
afterEach(() => t?.cleanup());

function session(number = 1) {
  t ??= testCore();
  const c = t.core.library.ensureCase('C-020', '');
  const s = t.core.library.createSession({ caseId: c.id, number, date: null, modality: '', notes: '' });
  return { caseId: c.id, sessionId: s.id };
}
function fresh() {
  t = testCore();
  return session();
}
const importInto = (sessionId: number, file: string, offsetMs = 0) =>
  t.core.imports.importOne(sessionId, mediaFile(file), { offsetMs, copy: false });

/** Spans equal to the expected ones within `tol` ms at both ends. */
function expectSpans(actual: Span[], expected: Span[], tol = 120) {
  expect(actual.length, JSON.stringify(actual)).toBe(expected.length);
  actual.forEach(([s, e], i) => {
    expect(Math.abs(s - expected[i]![0]), `start of ${JSON.stringify(actual[i])}`).toBeLessThanOrEqual(tol);
    expect(Math.abs(e - expected[i]![1]), `end of ${JSON.stringify(actual[i])}`).toBeLessThanOrEqual(tol);
  });
}
const lane = (lanes: TalkLane[], key: string) => lanes.find((l) => l.key === key)!;

// The speakers of the generated files (tests/support/media.ts): A talks 0–4 s and 12–16 s,
// B 4.5–8.5 s and 15–19 s; silence 8.5–12 s; overlap 15–16 s.
const A: Span[] = [
  [0, 4000],
  [12000, 16000],
];
const B: Span[] = [
  [4500, 8500],
  [15000, 19000],
];

describe('who speaks when', () => {
  it('gives one lane per microphone on a stereo recorder, with the long silence and the overlap', async () => {
    const { sessionId } = fresh();
    await importInto(sessionId, 'two-mics.m4a');
    const talk = t.core.talk.session(sessionId);
    expect(talk.unanalysed).toEqual([]);
    const a = talk.activity!;
    expect(a.mode).toBe('channels');
    expect(a.lanes.map((l) => [l.key, l.name, l.channel])).toEqual([
      ['left', 'Left channel', 0],
      ['right', 'Right channel', 1],
    ]);
    // Each microphone hears the other voice 15 dB down: that is not counted as the other's speech.
    expectSpans(lane(a.lanes, 'left').stretches, A);
    expectSpans(lane(a.lanes, 'right').stretches, B);
    expectSpans(a.silences, [[8500, 12000]]);
    expectSpans(a.overlaps, [[15000, 16000]]);

    const s = talk.figures!.session;
    const [left, right] = s.lanes;
    expect(left!.talkMs).toBeGreaterThan(7800);
    expect(left!.talkMs).toBeLessThan(8200);
    expect(left!.share! + right!.share!).toBeCloseTo(1, 2);
    expect(left!.turns).toBe(2);
    expect(right!.turns).toBe(2);
    expect(Math.abs(left!.medianTurnMs! - 4000)).toBeLessThan(120);
    expect(Math.abs(s.longestSilenceMs - 3500)).toBeLessThan(150);
    expect(s.silences).toBe(1);
    expect(s.overlaps).toBe(1);
    // One 5-minute window for a 20-s session, equal to the session.
    expect(talk.figures!.windows).toHaveLength(1);
    expect(talk.figures!.windows[0]!.lanes[0]!.talkMs).toBe(left!.talkMs);

    // A shorter silence threshold marks the 0.5-s pause between A and B too.
    expect(t.core.talk.session(sessionId, 500).activity!.silences.length).toBeGreaterThan(1);
  });

  it('gives one speech lane when both channels carry the same sound', async () => {
    const { sessionId } = fresh();
    await importInto(sessionId, 'dual-mono.m4a');
    const a = t.core.talk.session(sessionId).activity!;
    expect(a.mode).toBe('voice');
    expect(a.lanes.map((l) => l.key)).toEqual(['voice']);
    expectSpans(a.lanes[0]!.stretches, [
      [0, 4000],
      [4500, 8500],
      [12000, 19000],
    ]);
    expect(a.overlaps).toEqual([]);
    expect(t.core.talk.session(sessionId).figures!.session.lanes[0]!.turns).toBeNull();
  });

  it('gives one lane per recorder on the session clock when each speaker has a file of their own', async () => {
    const { sessionId } = fresh();
    await importInto(sessionId, 'mic-left.m4a', 0);
    await importInto(sessionId, 'mic-right-late.m4a', 1000);
    const a = t.core.talk.session(sessionId).activity!;
    expect(a.mode).toBe('files');
    expectSpans(lane(a.lanes, 'file1').stretches, A);
    expectSpans(lane(a.lanes, 'file2').stretches, B, 140);
    expectSpans(a.overlaps, [[15000, 16000]], 140);
  });

  it('names the lanes once per case, for every session of the case', async () => {
    const { caseId, sessionId } = fresh();
    await importInto(sessionId, 'two-mics.m4a');
    const other = session(2).sessionId;
    await importInto(other, 'two-mics.m4a');
    expect(t.core.talk.setSpeakerName(caseId, 'left', ' Therapist ')).toEqual({ left: 'Therapist' });
    t.core.talk.setSpeakerName(caseId, 'right', 'Patient');
    for (const id of [sessionId, other])
      expect(t.core.talk.session(id).activity!.lanes.map((l) => l.name)).toEqual(['Therapist', 'Patient']);
    // An empty name gives the default back; a key that is not a lane is refused and changes nothing.
    t.core.talk.setSpeakerName(caseId, 'right', '');
    expect(t.core.talk.session(other).activity!.lanes[1]!.name).toBe('Right channel');
    const before = snapshot(t.core.db);
    expect(() => t.core.talk.setSpeakerName(caseId, 'Robert', 'x')).toThrow(/not a speaker lane/);
    expect(snapshot(t.core.db)).toEqual(before);
  });

  it('analyses on demand the recordings imported before speech analysis, and says which they are', async () => {
    const { sessionId } = fresh();
    const rec = await importInto(sessionId, 'two-mics.m4a');
    t.core.db.prepare('DELETE FROM speech_frames').run();
    const before = t.core.talk.session(sessionId);
    expect(before.activity).toBeNull();
    expect(before.unanalysed).toEqual([{ id: rec.id, fileName: 'two-mics.m4a' }]);
    const progress: number[] = [];
    const after = await t.core.talk.analyze(sessionId, (done) => progress.push(done));
    expect(after.unanalysed).toEqual([]);
    expect(after.activity!.mode).toBe('channels');
    expect(progress[progress.length - 1]).toBe(1);
  });

  it('refuses to analyse a moved recording, and changes nothing', async () => {
    const { sessionId } = fresh();
    const files = tempDir('alliance-files-');
    try {
      const copy = copyMedia(mediaFile('two-mics.m4a'), files.dir, 'Sitzung Ärger.m4a');
      await t.core.imports.importOne(sessionId, copy, { offsetMs: 0, copy: false });
      t.core.db.prepare('DELETE FROM speech_frames').run();
      files.cleanup();
      const before = snapshot(t.core.db);
      await expect(t.core.talk.analyze(sessionId)).rejects.toThrow(
        /Sitzung Ärger\.m4a is not where it was imported from/,
      );
      expect(snapshot(t.core.db)).toEqual(before);
    } finally {
      files.cleanup();
    }
  });

  it('deletes the speech frames with their recording', async () => {
    const { sessionId } = fresh();
    const rec = await importInto(sessionId, 'two-mics.m4a');
    expect(t.core.repos.recordings.speechFrames(rec.id)).toHaveLength(2);
    t.core.library.removeRecording(rec.id);
    expect(t.core.db.prepare('SELECT count(*) AS n FROM speech_frames').get()).toEqual({ n: 0 });
  });

  it('carries the lanes and figures in the JSON export under talk', async () => {
    const { sessionId } = fresh();
    await importInto(sessionId, 'two-mics.m4a');
    const doc = sessionDocument(t.core.library, t.core.annotations, sessionId, { talk: t.core.talk });
    expect(doc.talk!.mode).toBe('channels');
    expect(doc.talk!.lanes.map((l) => l.key)).toEqual(['left', 'right']);
    expectSpans(doc.talk!.lanes[0]!.stretches, A);
    expect(doc.talk!.session.overlaps).toBe(1);
    expect(doc.talk!.windows).toHaveLength(1);
  });
});

describe('the supervision report', () => {
  it('has a who-speaks-when section with each speaker’s talk and the silences', async () => {
    const { caseId, sessionId } = fresh();
    await importInto(sessionId, 'two-mics.m4a');
    t.core.talk.setSpeakerName(caseId, 'left', 'Therapist');
    const { reportData } = await import('../reports/report');
    const { reportHtml } = await import('../reports/report-html');
    const html = reportHtml(reportData(t.core, sessionId, 'all'));
    expect(html).toContain('<h2>Who speaks when</h2>');
    expect(html).toMatch(
      /<th scope="row">Therapist<\/th><td class="num">0:0[78]<\/td><td class="num">50 %<\/td><td class="num">2<\/td>/,
    );
    expect(html).toMatch(/1 silence of 3 s or more · 1 overlap \(/);
  });
});

describe('automatic alignment', () => {
  it('finds each recording offset within 20 ms: later, earlier, another sample rate; and no match for unrelated sound', async () => {
    const { sessionId } = fresh();
    for (const f of ['scene-main.m4a', 'scene-late.m4a', 'scene-early.mp4', 'unrelated.m4a'])
      await importInto(sessionId, f);
    const before = snapshot(t.core.db);
    const res = await t.core.talk.align(sessionId);
    expect(snapshot(t.core.db)).toEqual(before); // without apply, nothing is stored
    expect(res.main!.fileName).toBe('scene-main.m4a');
    const by = (name: string) => res.recordings.find((r) => r.fileName === name)!;
    expect(Math.abs(by('scene-late.m4a').foundOffsetMs! - 3217)).toBeLessThanOrEqual(20);
    expect(Math.abs(by('scene-early.mp4').foundOffsetMs! - -2500)).toBeLessThanOrEqual(20);
    expect(by('scene-late.m4a').confidence).toBeGreaterThan(0.5);
    expect(by('unrelated.m4a').foundOffsetMs).toBeNull();
    expect(by('unrelated.m4a').message).toMatch(/No match found/);
  });

  it('stores the offsets found with apply, relative to the main recording offset, and keeps the rest', async () => {
    const { sessionId } = fresh();
    await importInto(sessionId, 'scene-main.m4a', 1000);
    const late = await importInto(sessionId, 'scene-late.m4a', 0);
    const unrelated = await importInto(sessionId, 'unrelated.m4a', 777);
    const res = await t.core.talk.align(sessionId, true);
    expect(res.applied).toBe(true);
    expect(Math.abs(t.core.library.getRecording(late.id).offsetMs - 4217)).toBeLessThanOrEqual(20);
    expect(t.core.library.getRecording(unrelated.id).offsetMs).toBe(777);
  });
});

describe('command line', () => {
  it('align prints offsets and confidence, and --apply stores them', async () => {
    const data = tempDir();
    try {
      const imp = await cliIn(data.dir, [
        'import',
        mediaFile('scene-main.m4a'),
        mediaFile('scene-late.m4a'),
        '--case',
        'C-030',
        '--session',
        '1',
        '--offset-ms',
        '0',
        '--offset-ms',
        '100',
        '--json',
      ]);
      expect(imp.code, imp.stderr).toBe(0);
      const doc = JSON.parse(imp.stdout) as { session: { id: number }; recordings: { offsetMs: number }[] };
      expect(doc.recordings.map((r) => r.offsetMs)).toEqual([0, 100]);
      const id = String(doc.session.id);
      const dry = await cliIn(data.dir, ['align', id]);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(
        /scene-late\.m4a: starts at \+3\.2\d\d s \(offset 32\d\d ms, confidence \d\.\d\d; now 100 ms\)/,
      );
      expect(dry.stdout).toMatch(/run again with --apply/);
      const applied = await cliIn(data.dir, ['align', id, '--apply', '--json']);
      const json = JSON.parse(applied.stdout) as { applied: boolean; recordings: { foundOffsetMs: number }[] };
      expect(json.applied).toBe(true);
      expect(Math.abs(json.recordings[0]!.foundOffsetMs - 3217)).toBeLessThanOrEqual(20);
      const sessions = JSON.parse((await cliIn(data.dir, ['export', id, '--format', 'json'])).stdout) as {
        recordings: { offsetMs: number }[];
      };
      expect(Math.abs(sessions.recordings[1]!.offsetMs - 3217)).toBeLessThanOrEqual(20);
    } finally {
      data.cleanup();
    }
  });

  it('import refuses a count of --offset-ms that matches neither one nor the files, before storing anything', async () => {
    const data = tempDir();
    try {
      const res = await cliIn(data.dir, [
        'import',
        mediaFile('scene-main.m4a'),
        mediaFile('scene-late.m4a'),
        mediaFile('unrelated.m4a'),
        '--case',
        'C-031',
        '--session',
        '1',
        '--offset-ms',
        '0',
        '--offset-ms',
        '5',
      ]);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/--offset-ms was given 2 times for 3 files/);
      expect((await cliIn(data.dir, ['cases', '--json'])).stdout.trim()).toBe('[]');
    } finally {
      data.cleanup();
    }
  });

  it('talk names lanes and prints the figures; --json has the lanes', async () => {
    const data = tempDir();
    try {
      const imp = await cliIn(data.dir, [
        'import',
        mediaFile('two-mics.m4a'),
        '--case',
        'C-032',
        '--session',
        '1',
        '--json',
      ]);
      const id = String((JSON.parse(imp.stdout) as { session: { id: number } }).session.id);
      const res = await cliIn(data.dir, ['talk', id, '--name', 'left=Therapist', '--name', 'right=Patient']);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/Lanes: Therapist \(left\), Patient \(right\) — one speaker per channel/);
      expect(res.stdout).toMatch(/Session: Therapist 00:00:0\d[.,]\d+ \(50 %\), 2 turns/);
      expect(res.stdout).toMatch(/1 silence ≥ 3 s, 1 overlap \(/);
      const json = JSON.parse((await cliIn(data.dir, ['talk', id, '--json'])).stdout) as {
        activity: { lanes: { name: string }[] };
      };
      expect(json.activity.lanes.map((l) => l.name)).toEqual(['Therapist', 'Patient']);
      const bad = await cliIn(data.dir, ['talk', id, '--name', 'Therapist']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/--name takes KEY=NAME/);
    } finally {
      data.cleanup();
    }
  });
});

describe('decoding in parallel pieces', () => {
  it('gives the same waveform and speech frames in three pieces as in one, on the clock', async () => {
    const { analyzeAudio } = await import('../media/media');
    const file = mediaFile('two-mics.m4a');
    const one = await analyzeAudio(file, 20_000, { channels: 2, speech: true, parts: 1 }, () => undefined);
    const progress: number[] = [];
    const three = await analyzeAudio(file, 20_000, { channels: 2, speech: true, parts: 3 }, (f) => progress.push(f));
    const d1 = one.peaks[0]!.data;
    const d3 = three.peaks[0]!.data;
    expect(d3.length).toBe(d1.length);
    // Equal except for a pair or two where a piece begins (the decoder's start-up there).
    let differ = 0;
    for (let i = 0; i < d1.length; i++) if (Math.abs(d1[i]! - d3[i]!) > 2) differ++;
    expect(differ).toBeLessThanOrEqual(8);
    for (const c of [0, 1]) expect(Math.abs(three.speech![c]!.length - one.speech![c]!.length)).toBeLessThanOrEqual(1);
    // The detector starts afresh in each piece (it adapts to the noise for a moment), so a few
    // frames near a piece's start may differ; the lanes a user sees are the same.
    const { speakerActivity } = await import('../../shared/talk');
    const lanesOf = (speech: Uint8Array[]) =>
      speakerActivity([{ recordingId: 1, fileName: 'x', offsetMs: 0, hasVideo: false, channels: speech }], 20_000)!;
    const a1 = lanesOf(one.speech!);
    const a3 = lanesOf(three.speech!);
    expect(a3.mode).toBe(a1.mode);
    a1.lanes.forEach((l, i) => expectSpans(a3.lanes[i]!.stretches, l.stretches, 100));
    expect(progress[progress.length - 1]).toBeGreaterThan(0.97);
  });

  it('says no match for sound that repeats (no lag stands out) rather than guess one', async () => {
    const { alignRecordings } = await import('./align');
    // A 2-s loud/quiet pattern repeated for 2 minutes: every 2 s fits as well as any other.
    const periodic = new Int8Array(2 * 50 * 120);
    for (let i = 0; i < periodic.length / 2; i++) {
      const v = i % 100 < 40 ? 90 : 5;
      periodic[2 * i] = -v;
      periodic[2 * i + 1] = v;
    }
    const other = periodic.slice(2 * 50 * 10);
    const res = await alignRecordings(
      { peaks: periodic, path: '/nonexistent', durationMs: 120_000 },
      { peaks: other, path: '/nonexistent', durationMs: 110_000 },
    );
    expect(res.lagMs).toBeNull();
    expect(res.message).toMatch(/No match found/);
  });
});
