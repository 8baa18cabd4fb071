/**
 * Transcription on this computer: a session's audio through a speech-recognition model the user
 * has on their disk, into the transcript store (utterances on the session's clock, searchable as
 * imported ones are, marked as machine-made with the model's name).
 *
 * - **Speakers** come from the talk lanes where they tell speakers apart (one microphone per
 *   channel, or one recorder per speaker): each lane is transcribed on its own and its name
 *   (therapist, patient) is the utterances' speaker. Otherwise the recording heard by default is
 *   transcribed as one unnamed speaker.
 * - **Chunks**: the speech stretches the talk lanes found, grouped up to 30 s (whisper's window),
 *   so that a cut falls in a silence and silence is not transcribed; without lanes, 30-s windows.
 *   Each chunk's utterances and the job's progress are written in one transaction: a quit, a
 *   crash or a cancel keeps every finished chunk and nothing half-written, and the job resumes at
 *   the next chunk (`start` again, or at the next start of the app).
 * - **Off the main thread**: ffmpeg decodes in its own process and the engine works on its own
 *   threads; the event loop only moves samples and hears progress.
 * - **Privacy**: the audio reaches ffmpeg through the front door's media input (`ffmpegInput`: a
 *   protected library's recordings are decrypted by this process for ffmpeg only) and the engine
 *   through memory; nothing goes over a network (tested).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { heardByDefault } from '../../shared/heard';
import type { Span, TalkActivity } from '../../shared/talk';
import { formatTime } from '../../shared/time';
import type { TranscriptionView } from '../../shared/contract';
import { write, type Db } from '../db/open';
import type { TranscriptRepo } from '../interop/transcript-repository';
import type { LibraryService } from '../library/library';
import type { Repos } from '../library/repositories';
import { ffmpegPath } from '../media/binaries';
import { spawnMediaTool } from '../media/ffmpeg-run';
import { ffmpegInput } from '../protection/media-crypt';
import type { TalkService } from '../talk/talk';
import { openWhisper, type Recognizer } from './engine';
import { TranscriptionRepo, type JobRow, type PlannedChunk, type PlannedSource } from './repository';

/** whisper's window: a chunk is at most this long. */
export const CHUNK_MS = 30_000;
/** Context kept around a speech stretch (the lanes' edges are 20-ms frames). */
const PAD_MS = 250;
/** Stretches closer than this are one chunk's. */
const JOIN_MS = 1500;
const RATE = 16_000;

export interface TranscribeDeps {
  db: Db;
  repos: Repos;
  library: LibraryService;
  talk: TalkService;
  transcripts: TranscriptRepo;
  emit: (name: 'transcript:progress', payload: TranscriptionView) => void;
  /** The recogniser for a model file (the whisper.cpp engine; a test's own where it says so). */
  open?: (modelFile: string) => Promise<Recognizer>;
}

export interface TranscribeOptions {
  model: string;
  /** An ISO 639-1 code (en, de, …); null: the model finds it. */
  language?: string | null;
  /** Only this recording (its lanes, or it alone). */
  recordingId?: number | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export class TranscriptionService {
  private readonly repo: TranscriptionRepo;
  private readonly running = new Map<number, { controller: AbortController; done: Promise<TranscriptionView> }>();
  constructor(private readonly deps: TranscribeDeps) {
    this.repo = new TranscriptionRepo(deps.db);
    // A job that was running when the app stopped (a quit, a crash) waits to be resumed.
    if (!deps.db.readonly) write(deps.db, () => this.repo.pauseRunning());
  }

  /** The session's newest transcription job, as the app shows it (null: never transcribed here). */
  status(sessionId: number): TranscriptionView | null {
    this.deps.library.getSession(sessionId);
    const job = this.repo.latest(sessionId);
    return job ? this.view(job) : null;
  }

  /**
   * Starts transcribing (or resumes the session's unfinished job with the same model), in the
   * background; the answer is the job as it starts. `done` resolves when it ends.
   */
  async start(
    sessionId: number,
    opts: TranscribeOptions,
  ): Promise<{ job: TranscriptionView; done: Promise<TranscriptionView> }> {
    const { deps } = this;
    deps.library.getSession(sessionId);
    if (this.running.has(sessionId))
      throw new AppError('INVALID_INPUT', 'This session is being transcribed already: wait for it, or cancel it.');
    if (this.running.size)
      throw new AppError(
        'INVALID_INPUT',
        'Another session is being transcribed: one at a time (the model takes the processor). Wait for it, or cancel it.',
      );
    const language = normalizeLanguage(opts.language);
    // The model first: a missing or wrong file is said before anything else happens.
    const open = deps.open ?? openWhisper;
    const recognizer = await open(opts.model);
    let job: JobRow;
    try {
      const unfinished = this.repo.latest(sessionId);
      if (
        unfinished &&
        unfinished.state !== 'done' &&
        unfinished.model === recognizer.model &&
        unfinished.language === language &&
        unfinished.recordingId === (opts.recordingId ?? null)
      ) {
        job = unfinished;
        write(deps.db, () => this.repo.setState(job.id, 'running', null));
        job = this.repo.get(job.id)!;
      } else {
        const plan = this.plan(sessionId, opts.recordingId ?? null);
        job = write(deps.db, () => {
          // A new transcription takes the place of the machine-made one before it (imported and
          // typed utterances stay).
          const replaced = this.repo.removeMachineMade(sessionId);
          return this.repo.create({
            uid: randomUUID(),
            sessionId,
            model: recognizer.model,
            modelPath: path.resolve(opts.model),
            language,
            recordingId: opts.recordingId ?? null,
            sources: plan.sources,
            chunks: plan.chunks,
            notes: [
              ...plan.notes,
              ...(replaced
                ? [`${plural(replaced, 'machine-made utterance')} of an earlier transcription replaced.`]
                : []),
            ],
          });
        });
      }
    } catch (e) {
      await recognizer.close();
      throw e;
    }
    const controller = new AbortController();
    const done = this.run(job, recognizer, controller.signal).finally(() => {
      this.running.delete(sessionId);
      void recognizer.close();
    });
    this.running.set(sessionId, { controller, done });
    return { job: this.view(job), done };
  }

  /** Stops a running transcription; what is done is kept, and `start` resumes it. */
  async cancel(sessionId: number): Promise<TranscriptionView | null> {
    this.deps.library.getSession(sessionId);
    const r = this.running.get(sessionId);
    if (!r) return this.status(sessionId);
    r.controller.abort();
    return r.done;
  }

  /** Which lanes (or recording) are transcribed, and the chunks, on the session's clock. */
  private plan(
    sessionId: number,
    recordingId: number | null,
  ): { sources: PlannedSource[]; chunks: PlannedChunk[]; notes: string[] } {
    const { deps } = this;
    const recordings = deps.library.sessionDetail(sessionId).recordings;
    if (recordingId !== null && !recordings.some((r) => r.id === recordingId))
      throw new AppError('NOT_FOUND', `Recording ${recordingId} is not one of this session's.`);
    const usable = recordings.filter(
      (r) => r.hasAudio && r.state === 'ready' && (recordingId === null || r.id === recordingId),
    );
    if (!usable.length)
      throw new AppError(
        'INVALID_INPUT',
        recordings.some((r) => r.hasAudio)
          ? 'The session’s recordings with sound are not where they were imported from: relink them first.'
          : 'This session has no recording with sound to transcribe.',
      );
    const notes: string[] = [];
    let activity: TalkActivity | null = null;
    try {
      activity = deps.talk.session(sessionId).activity;
    } catch {
      activity = null;
    }
    const byId = new Map(usable.map((r) => [r.id, r]));
    const sources: PlannedSource[] = [];
    const lanes = (activity?.mode === 'channels' || activity?.mode === 'files' ? activity.lanes : []).filter((l) =>
      byId.has(l.recordingId),
    );
    if (lanes.length >= 2 || (lanes.length === 1 && recordingId !== null)) {
      for (const l of lanes)
        sources.push({ recordingId: l.recordingId, channel: l.channel, speaker: l.name, stretches: l.stretches });
      notes.push(
        `Speakers from the talk lanes (${activity!.mode === 'channels' ? 'one microphone per channel' : 'one recorder per speaker'}): ${lanes.map((l) => l.name).join(', ')}.`,
      );
    } else {
      const heard = heardByDefault(usable, usable[0]!.id) ?? usable[0]!.id;
      const voice = activity?.lanes.find((l) => l.recordingId === heard && l.channel === null);
      sources.push({ recordingId: heard, channel: null, speaker: '', stretches: voice?.stretches ?? null });
      notes.push(
        'One unnamed speaker: the talk lanes do not tell the speakers apart (a microphone per channel or a recorder per speaker would).',
      );
    }
    const chunks: PlannedChunk[] = [];
    sources.forEach((s, i) => {
      const r = byId.get(s.recordingId)!;
      const from = Math.max(0, r.offsetMs);
      const to = r.offsetMs + r.durationMs;
      for (const [a, b] of s.stretches ? groupStretches(s.stretches, from, to) : windows(from, to))
        chunks.push({ source: i, startMs: a, endMs: b });
    });
    chunks.sort((x, y) => x.startMs - y.startMs || x.source - y.source);
    if (!chunks.length) notes.push('The talk lanes found no speech to transcribe.');
    return { sources, chunks, notes };
  }

  private async run(job: JobRow, recognizer: Recognizer, signal: AbortSignal): Promise<TranscriptionView> {
    const { deps } = this;
    const emit = (j: JobRow, within = 0) => deps.emit('transcript:progress', this.view(j, within));
    emit(job);
    try {
      for (let i = job.chunksDone; i < job.chunks.length; i++) {
        if (signal.aborted) throw new AppError('CANCELLED', 'cancelled');
        const chunk = job.chunks[i]!;
        const source = job.sources[chunk.source]!;
        const recording = deps.repos.recordings.listBySession(job.sessionId).find((r) => r.id === source.recordingId);
        if (!recording) throw new AppError('NOT_FOUND', 'A recording being transcribed was removed from the session.');
        const pcm = await decode(recording.path, recording.offsetMs, chunk, source.channel, signal);
        let shown = -1;
        const heard = await recognizer.recognize(pcm, {
          language: job.language,
          signal,
          onProgress: (f) => {
            const pct = Math.floor(f * 20);
            if (pct !== shown) emit(job, f);
            shown = pct;
          },
        });
        const rows = heard
          .map((h) => ({
            startMs: Math.min(chunk.endMs, chunk.startMs + h.startMs),
            endMs: Math.min(chunk.endMs, chunk.startMs + Math.max(h.endMs, h.startMs)),
            speaker: source.speaker,
            text: h.text,
          }))
          .filter((u) => u.text);
        // The chunk's words and the job's progress together: nothing half-written survives a stop.
        job = write(deps.db, () => {
          this.repo.addUtterances(job, rows);
          return this.repo.chunkDone(job.id, i + 1, chunk.endMs - chunk.startMs);
        });
        emit(job);
      }
      job = write(deps.db, () => this.repo.setState(job.id, 'done', null));
    } catch (e) {
      const cancelled = signal.aborted || (e as AppError).code === 'CANCELLED';
      if (!deps.db.open) return { ...this.lastView(job), state: 'paused' }; // the library closed under it (a quit)
      job = write(deps.db, () =>
        this.repo.setState(job.id, cancelled ? 'paused' : 'failed', cancelled ? null : (e as Error).message),
      );
    }
    const v = this.view(job);
    deps.emit('transcript:progress', v);
    return v;
  }

  /** The job as last read (without the database). */
  private lastView(job: JobRow): TranscriptionView {
    return {
      sessionId: job.sessionId,
      jobId: job.uid,
      model: job.model,
      modelPath: job.modelPath,
      language: job.language,
      state: job.state,
      doneMs: job.doneMs,
      totalMs: job.totalMs,
      chunksDone: job.chunksDone,
      chunks: job.chunks.length,
      utterances: 0,
      speakers: [],
      error: job.error,
      notes: job.notes,
    };
  }

  private view(job: JobRow, within = 0): TranscriptionView {
    const next = job.chunks[job.chunksDone];
    const doneMs = job.doneMs + (next && job.state === 'running' ? within * (next.endMs - next.startMs) : 0);
    return {
      sessionId: job.sessionId,
      jobId: job.uid,
      model: job.model,
      modelPath: job.modelPath,
      language: job.language,
      state: job.state,
      doneMs: Math.round(doneMs),
      totalMs: job.totalMs,
      chunksDone: job.chunksDone,
      chunks: job.chunks.length,
      utterances: this.repo.countOf(job),
      speakers: [...new Set(job.sources.map((s) => s.speaker || 'one unnamed speaker'))],
      error: job.error,
      notes: [
        ...job.notes,
        ...(job.state === 'paused' && job.chunksDone < job.chunks.length
          ? [
              `Stopped at ${formatTime(job.chunks[job.chunksDone]!.startMs, false)} (${plural(job.chunksDone, 'chunk')} of ${job.chunks.length} kept): transcribe again with the same model to go on from there.`,
            ]
          : []),
      ],
    };
  }
}

function normalizeLanguage(language: string | null | undefined): string | null {
  const l = language?.trim().toLowerCase();
  if (!l || l === 'auto') return null;
  if (!/^[a-z]{2,3}$/.test(l))
    throw new AppError(
      'INVALID_INPUT',
      `"${language}" is not a language code: use two letters such as en, de, es, or auto.`,
    );
  return l;
}

/** Fixed windows over [from, to). */
function windows(from: number, to: number): Span[] {
  const out: Span[] = [];
  for (let a = from; a < to; a += CHUNK_MS) out.push([a, Math.min(to, a + CHUNK_MS)]);
  return out;
}

/**
 * Speech stretches (on the session's clock) grouped into chunks of at most CHUNK_MS, each padded
 * a little and kept within [from, to); a stretch longer than a chunk is cut into windows.
 */
export function groupStretches(stretches: Span[], from: number, to: number): Span[] {
  const out: Span[] = [];
  let cur: Span | null = null;
  for (const [s0, s1] of stretches) {
    const a = Math.max(from, s0 - PAD_MS);
    const b = Math.min(to, s1 + PAD_MS);
    if (b <= a) continue;
    if (cur && a - cur[1] <= JOIN_MS && b - cur[0] <= CHUNK_MS) {
      cur[1] = Math.max(cur[1], b);
      continue;
    }
    if (cur) out.push(cur);
    if (b - a > CHUNK_MS) {
      const parts = windows(a, b);
      out.push(...parts.slice(0, -1));
      cur = parts.at(-1)!;
    } else cur = [a, b];
  }
  if (cur) out.push(cur);
  return out;
}

/** A chunk of a recording as 16-kHz mono 16-bit samples (one channel, or the mix). */
async function decode(
  file: string,
  offsetMs: number,
  chunk: PlannedChunk,
  channel: number | null,
  signal: AbortSignal,
): Promise<Buffer> {
  const input = await ffmpegInput(file);
  const args = ['-nostdin', '-v', 'error'];
  const startInFile = Math.max(0, chunk.startMs - offsetMs);
  if (startInFile > 0) args.push('-ss', (startInFile / 1000).toFixed(3));
  args.push('-t', ((chunk.endMs - chunk.startMs) / 1000).toFixed(3), '-i', input, '-map', '0:a:0', '-vn', '-sn', '-dn');
  if (channel !== null) args.push('-af', `pan=mono|c0=c${channel}`);
  args.push('-ac', '1', '-ar', String(RATE), '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1');
  return new Promise<Buffer>((resolve, reject) => {
    const child = spawnMediaTool(ffmpegPath(), args, { signal });
    const parts: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => parts.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
    child.on('error', (e) =>
      reject(
        (e as Error).name === 'AbortError'
          ? new AppError('CANCELLED', 'The transcription was cancelled.')
          : new AppError('INTERNAL', `Could not run ffmpeg: ${e.message}`),
      ),
    );
    child.on('close', (code) => {
      if (signal.aborted) return reject(new AppError('CANCELLED', 'The transcription was cancelled.'));
      if (code !== 0)
        return reject(
          new AppError(
            'FILE_UNREADABLE',
            `${path.basename(file)} could not be decoded for transcription: ${stderr.trim() || `ffmpeg exited with ${code}`}`,
          ),
        );
      resolve(Buffer.concat(parts));
    });
  });
}
