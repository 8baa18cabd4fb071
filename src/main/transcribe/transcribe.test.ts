/**
 * Transcription on this computer. The whole path runs once with whisper.cpp and its test model
 * (whisper.cpp's own `for-tests-ggml-tiny.bin`: the shapes of the tiny model without its weights,
 * so it hears no words, slowly); storage, timing, speakers, search, cancel and resume are checked
 * with a recogniser of the tests' own that says what it was given (fast and deterministic).
 */
import dns from 'node:dns';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshot, testCore } from '../../../tests/support/core';
import { cliIn } from '../../../tests/support/cli';
import { mediaFile } from '../../../tests/support/media';
import { DIALOGUE, espeakDialogue, espeakLine } from '../../../tests/support/speech';
import { tempDir } from '../../../tests/support/tmp';
import type { Core } from '../app';
import { checkModel, engineNetAttempts, type Recognizer } from './engine';
import { groupStretches, TranscriptionService } from './transcribe';
import { createCore } from '../app';
import { protectLibrary, protectionState, unwrapKey } from '../protection/library-key';
import { isEncryptedMedia } from '../protection/media-crypt';

const MODEL = path.resolve(__dirname, '../../../tests/fixtures/transcribe/for-tests-ggml-tiny.bin');
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

/** A session with the espeak dialogue on a stereo recorder (therapist left, patient right), starting 2 s into the session. */
async function dialogueSession(core: Core) {
  const c = core.library.createCase({ code: 'T-01', therapist: '', notes: '' });
  const s = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
  const rec = await core.imports.importOne(s.id, espeakDialogue(), { offsetMs: 2000, copy: false });
  return { sessionId: s.id, caseId: c.id, recordingId: rec.id };
}

/**
 * A recogniser that "hears" each stretch of speech in what it is given (by its loudness) and
 * says how long it was: what the pipeline does with timing, speakers and storage shows exactly.
 * `gate` holds each call until the test lets it go.
 */
function listening(gate?: () => Promise<void>): { open: (f: string) => Promise<Recognizer>; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    open: async (f) => {
      checkModel(f);
      return {
        model: path.basename(f),
        async recognize(pcm, opts) {
          calls.push(pcm.length / 32);
          opts.onProgress?.(0.5);
          if (gate) await gate();
          if (opts.signal.aborted) throw Object.assign(new Error('cancelled'), { code: 'CANCELLED' });
          // One utterance from the first loud sample to the last: where the speech is in this chunk.
          const samples = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2);
          let first = -1;
          let last = -1;
          for (let i = 0; i < samples.length; i++)
            if (Math.abs(samples[i]!) > 1500) {
              if (first < 0) first = i;
              last = i;
            }
          if (first < 0) return [];
          const ms = (n: number) => Math.round(n / 16);
          return [{ startMs: ms(first), endMs: ms(last), text: `words for ${(ms(last - first) / 1000).toFixed(1)} s` }];
        },
        close: async () => undefined,
      };
    },
  };
}

function service(core: Core, open: (f: string) => Promise<Recognizer>) {
  return new TranscriptionService({
    db: core.db,
    repos: core.repos,
    library: core.library,
    talk: core.talk,
    transcripts: core.transcripts,
    emit: (name, payload) => core.emit(name, payload),
    open,
  });
}

describe('transcription on this computer', () => {
  it('refuses a missing, wrong or damaged model file with words, and changes nothing', async () => {
    const { core } = library();
    const { sessionId } = await dialogueSession(core);
    const dir = folder();
    const before = snapshot(core.db);
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'not a model');
    const damaged = path.join(dir, 'ggml-base.bin');
    fs.writeFileSync(damaged, Buffer.concat([Buffer.from('lmgg', 'latin1'), Buffer.alloc(8000, 7)]));
    const cut = path.join(dir, 'ggml-tiny.bin');
    fs.writeFileSync(cut, fs.readFileSync(MODEL).subarray(0, 100));
    const cases: [string, RegExp][] = [
      [path.join(dir, 'nothing-here.bin'), /There is no model file at .*the app never downloads one/],
      [dir, /is a folder, not a model file/],
      [text, /notes.txt is not a whisper.cpp model/],
      [cut, /ggml-tiny.bin is cut short \(100 bytes\)/],
      // whisper.cpp stops the process that loads this; the engine's own process, not the app's.
      [damaged, /ggml-base.bin could not be loaded as a whisper.cpp model: it may be damaged/],
    ];
    for (const [model, message] of cases)
      await expect(core.transcription.start(sessionId, { model }), model).rejects.toThrow(message);
    expect(snapshot(core.db)).toEqual(before);
    // The command line says the same, and exits 1.
    const t = await cliIn(core.dataDir, ['transcripts', 'transcribe', String(sessionId), '--model', text]);
    expect([t.code, t.stderr]).toEqual([1, expect.stringMatching(/notes.txt is not a whisper.cpp model/)]);
  });

  it('runs whisper.cpp with its test model over espeak speech, start to end, with no network request', async () => {
    const { core, events } = library();
    const c = core.library.createCase({ code: 'T-03', therapist: '', notes: '' });
    const s = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
    await core.imports.importOne(s.id, espeakLine(), { offsetMs: 0, copy: false });
    const sessionId = s.id;
    // Any request through Node's network stack in this process fails the test (the engine's own
    // process refuses them too, and says how many it saw).
    const tried: string[] = [];
    const saved = [net.Socket.prototype.connect, dns.lookup, http.request, https.request] as const;
    net.Socket.prototype.connect = function (this: net.Socket, ...a: unknown[]) {
      tried.push(`connect ${JSON.stringify(a[0])}`);
      return saved[0].apply(this, a as never);
    } as never;
    (dns as { lookup: unknown }).lookup = (...a: unknown[]) => (
      tried.push(`dns ${String(a[0])}`),
      saved[1](...(a as [never, never]))
    );
    try {
      // One sentence keeps the test short: the test model takes ~16 s a window here.
      const { job, done } = await core.transcription.start(sessionId, { model: MODEL, language: 'en' });
      expect(job).toMatchObject({ state: 'running', model: 'for-tests-ggml-tiny.bin', language: 'en' });
      const end = await done;
      expect(end).toMatchObject({ state: 'done', error: null });
      expect(end.chunks).toBe(1);
      expect(end.chunksDone).toBe(end.chunks);
      expect(end.speakers).toEqual(['one unnamed speaker']);
      expect(end.doneMs).toBe(end.totalMs);
      // The test model has no weights: it hears nothing, and nothing is stored.
      expect(end.utterances).toBe(0);
      expect(events.filter((e) => e.name === 'transcript:progress').length).toBeGreaterThanOrEqual(end.chunks + 1);
    } finally {
      [net.Socket.prototype.connect, (dns as { lookup: unknown }).lookup] = [saved[0], saved[1]];
    }
    expect(tried).toEqual([]);
    expect(engineNetAttempts).toBe(0);
  }, 180_000);

  it('stores what it hears on the session’s clock, one speaker per microphone, searchable, marked as machine-made', async () => {
    const { core } = library();
    const { sessionId, caseId } = await dialogueSession(core);
    core.talk.setSpeakerName(caseId, core.talk.session(sessionId).activity!.lanes[0]!.key, 'Therapist');
    core.talk.setSpeakerName(caseId, core.talk.session(sessionId).activity!.lanes[1]!.key, 'Patient');
    const ears = listening();
    const svc = service(core, ears.open);
    const { done } = await svc.start(sessionId, { model: MODEL });
    const end = await done;
    expect(end).toMatchObject({ state: 'done', speakers: ['Therapist', 'Patient'] });
    expect(end.notes.join(' ')).toMatch(
      /Speakers from the talk lanes \(one microphone per channel\): Therapist, Patient/,
    );
    // Only the stretches with speech were sent (about 2–4 s each), never the whole 16 s.
    expect(Math.max(...ears.calls)).toBeLessThan(6000);
    const said = core.transcripts.list(sessionId);
    expect(said.map((u) => u.speaker)).toEqual(['Therapist', 'Patient', 'Therapist', 'Patient']);
    // Each utterance starts where its line was spoken: the recording starts 2 s into the session.
    DIALOGUE.forEach((d, i) => expect(Math.abs(said[i]!.startMs - (2000 + d.at * 1000))).toBeLessThan(400));
    expect(core.transcripts.search('words', { sessionId }).length).toBe(4);
    const origin = core.db
      .prepare('SELECT origin_json FROM transcript_utterances WHERE session_id = ? LIMIT 1')
      .pluck()
      .get(sessionId) as string;
    expect(JSON.parse(origin)).toMatchObject({ machine: { model: 'for-tests-ggml-tiny.bin', language: null } });
    // Transcribed again, the machine-made utterances are replaced (not doubled); erased with the session.
    const again = await (await svc.start(sessionId, { model: MODEL })).done;
    expect(again.notes.join(' ')).toMatch(/4 machine-made utterances of an earlier transcription replaced/);
    expect(core.transcripts.list(sessionId)).toHaveLength(4);
    core.library.deleteSession(sessionId);
    expect(core.db.prepare('SELECT count(*) FROM transcript_utterances').pluck().get()).toBe(0);
    expect(core.db.prepare('SELECT count(*) FROM transcription_jobs').pluck().get()).toBe(0);
  });

  it('a protected library’s encrypted copy reaches the recogniser decrypted in memory, through the front door', async () => {
    const data = folder();
    let core = createCore({ dataDir: data });
    const c = core.library.createCase({ code: 'T-04', therapist: '', notes: '' });
    const s = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
    const copied = await core.imports.importOne(s.id, espeakDialogue(), { offsetMs: 0, copy: true });
    core.close();
    await protectLibrary(data, 'transcription passphrase');
    const state = protectionState(data);
    if (!state.protected || !state.keyFile) throw new Error('not protected');
    core = createCore({ dataDir: data, key: await unwrapKey(state.keyFile, 'transcription passphrase') });
    cleanups.push(() => core.close());
    expect(isEncryptedMedia(copied.path)).toBe(true);
    const ears = listening();
    const end = await (await service(core, ears.open).start(s.id, { model: MODEL })).done;
    expect(end).toMatchObject({ state: 'done', utterances: 4 });
    // What it heard is the speech, where it was spoken (not the encrypted bytes).
    DIALOGUE.forEach((d, i) =>
      expect(Math.abs(core.transcripts.list(s.id)[i]!.startMs - d.at * 1000)).toBeLessThan(400),
    );
  });

  it('cancels keeping every finished chunk and nothing half-written, and resumes after a restart where it stopped', async () => {
    const t = library();
    const { sessionId } = await dialogueSession(t.core);
    let release: () => void = () => undefined;
    let waiting = 0;
    const ears = listening(() => {
      waiting++;
      // The first chunk goes through; the second waits until the test cancels.
      return waiting === 1 ? Promise.resolve() : new Promise<void>((r) => (release = r));
    });
    const svc = service(t.core, ears.open);
    const { done } = await svc.start(sessionId, { model: MODEL });
    await expect.poll(() => ears.calls.length).toBe(2);
    const stopping = svc.cancel(sessionId);
    release();
    const paused = await stopping;
    expect(paused).toMatchObject({ state: 'paused', chunksDone: 1, utterances: 1 });
    expect(paused!.notes.join(' ')).toMatch(
      /Stopped at .* \(1 chunk of 4 kept\): transcribe again with the same model/,
    );
    expect(await done).toMatchObject({ state: 'paused' });
    expect(t.core.transcripts.list(sessionId)).toHaveLength(1);

    // The app quits and starts again: the job waits; the same model goes on from chunk 2.
    const later = service(t.core, listening().open);
    expect(later.status(sessionId)).toMatchObject({ state: 'paused', chunksDone: 1 });
    const resumed = await (await later.start(sessionId, { model: MODEL })).done;
    expect(resumed).toMatchObject({ state: 'done', chunksDone: 4, utterances: 4 });
    expect(t.core.transcripts.list(sessionId)).toHaveLength(4);
    expect(new Set(t.core.transcripts.list(sessionId).map((u) => u.startMs)).size).toBe(4);
  });

  it('a job running when the process died is resumable at the next start', async () => {
    const t = library();
    const { sessionId } = await dialogueSession(t.core);
    const svc = service(t.core, listening(() => new Promise(() => undefined)).open);
    await svc.start(sessionId, { model: MODEL });
    // As after kill -9: the job row says "running", and a new process opens the library.
    const next = service(t.core, listening().open);
    expect(next.status(sessionId)).toMatchObject({ state: 'paused', chunksDone: 0 });
    await svc.cancel(sessionId);
  });

  it('groups speech stretches into chunks of at most 30 s, cut in the silences', () => {
    const chunks = groupStretches(
      [
        [1000, 3000],
        [3500, 8000],
        [20_000, 25_000],
        [26_000, 95_000],
      ],
      0,
      100_000,
    );
    for (const [a, b] of chunks) expect(b - a).toBeLessThanOrEqual(30_000);
    expect(chunks[0]).toEqual([750, 8250]);
    expect(chunks.flat().every((x) => x >= 0 && x <= 100_000)).toBe(true);
    // Every stretch is inside a chunk.
    for (const [s0, s1] of [
      [1000, 3000],
      [26_000, 95_000],
    ] as const)
      for (let at = s0; at < s1; at += 500) expect(chunks.some(([a, b]) => at >= a && at < b)).toBe(true);
  });

  it('refuses a session without sound, and a second transcription while one runs', async () => {
    const { core } = library();
    const c = core.library.createCase({ code: 'T-02', therapist: '', notes: '' });
    const silent = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
    await core.imports.importOne(silent.id, mediaFile('video-only.mp4'), { offsetMs: 0, copy: false });
    const svc = service(core, listening(() => new Promise(() => undefined)).open);
    await expect(svc.start(silent.id, { model: MODEL })).rejects.toThrow(/no recording with sound/);
    const { sessionId } = await dialogueSession(core);
    await svc.start(sessionId, { model: MODEL });
    await expect(svc.start(sessionId, { model: MODEL })).rejects.toThrow(/being transcribed already/);
    await expect(svc.start(sessionId, { model: MODEL, language: 'english' })).rejects.toThrow(/being transcribed/);
    expect(await svc.cancel(sessionId)).toMatchObject({ state: 'paused' });
  });
});
