/**
 * Transcription on this computer (issue 28):
 * - the real-time factor of whisper.cpp with the model tested here (whisper.cpp's test model, the
 *   only one on this machine: the tiny model's shapes without weights, so the figure says what the
 *   plumbing and the engine cost, not what a real model's quality or speed would be; set
 *   MODEL=/path/to/ggml-base.bin to measure a real one), over espeak speech;
 * - on a 60-minute two-microphone session, what the pipeline costs without the recogniser (planning
 *   from the talk lanes, decoding each chunk with ffmpeg, storing, progress) beside ffmpeg decoding
 *   the whole file once;
 * - the event loop's longest stall while either runs (what coding would feel), in ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createCore } from '../src/main/app';
import { TranscriptionService } from '../src/main/transcribe/transcribe';
import { espeakLine } from '../tests/support/speech';
import { ffmpegDecodeMs, sixtyMinuteTwoMics } from './media';

const MODEL = process.env.MODEL ?? path.resolve(__dirname, '../../tests/fixtures/transcribe/for-tests-ggml-tiny.bin');

async function session(file: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-bench-'));
  const core = createCore({ dataDir: dir });
  const c = core.library.createCase({ code: 'C-ASR', therapist: '', notes: '' });
  const s = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
  await core.imports.importOne(s.id, file, { offsetMs: 0, copy: false });
  return { core, sessionId: s.id, done: () => (core.close(), fs.rmSync(dir, { recursive: true, force: true })) };
}

async function main() {
  // 1. The engine, end to end, on a sentence of speech.
  const line = await session(espeakLine());
  const loop1 = monitorEventLoopDelay({ resolution: 10 });
  loop1.enable();
  const t0 = performance.now();
  const { done } = await line.core.transcription.start(line.sessionId, { model: MODEL, language: 'en' });
  const end = await done;
  const engineMs = performance.now() - t0;
  loop1.disable();
  line.done();

  // 2. The pipeline over an hour, with a recogniser that hears nothing (ffmpeg per chunk, storage, progress).
  const hour = await session(sixtyMinuteTwoMics());
  const ffmpegMs = ffmpegDecodeMs(sixtyMinuteTwoMics(), { audioChannels: 2 });
  const quiet = new TranscriptionService({
    db: hour.core.db,
    repos: hour.core.repos,
    library: hour.core.library,
    talk: hour.core.talk,
    transcripts: hour.core.transcripts,
    emit: () => undefined,
    open: async () => ({ model: 'none', recognize: async () => [], close: async () => undefined }),
  });
  const loop2 = monitorEventLoopDelay({ resolution: 10 });
  loop2.enable();
  const t1 = performance.now();
  const job = await (await quiet.start(hour.sessionId, { model: MODEL })).done;
  const pipelineMs = performance.now() - t1;
  loop2.disable();
  hour.done();

  console.log(
    JSON.stringify(
      {
        model: path.basename(MODEL),
        engine: {
          audioMs: end.totalMs,
          wallMs: Math.round(engineMs),
          realTimeFactor: Math.round((engineMs / Math.max(1, end.totalMs)) * 100) / 100,
          state: end.state,
          utterances: end.utterances,
          eventLoopMaxStallMs: Math.round(loop1.max / 1e6),
        },
        hour: {
          speechMs: job.totalMs,
          chunks: job.chunks,
          pipelineWithoutRecognitionMs: Math.round(pipelineMs),
          ffmpegWholeDecodeMs: Math.round(ffmpegMs),
          eventLoopMaxStallMs: Math.round(loop2.max / 1e6),
        },
        cpus: os.availableParallelism(),
      },
      null,
      2,
    ),
  );
}

void main();
