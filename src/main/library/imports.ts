/**
 * Importing recordings: check, probe, (copy), compute peaks, then store the recording and its
 * peaks in one transaction. Until that transaction the database is untouched, so a failed,
 * cancelled or interrupted import leaves it exactly as it was.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { encryptFile, keyForFile } from '../protection/media-crypt';
import path from 'node:path';
import { copyTarget } from './copy-path';
import type { ImportJob, Probe, Recording } from '../../shared/domain';
import { AppError, type AppErrorShape } from '../../shared/errors';
import { offsetProblem } from '../../shared/time';
import { toShape } from '../rpc/errors';
import { write, type Db } from '../db/open';
import type { Repos } from './repositories';
import type { LibraryService } from './library';
import { analyzeAudio, baseName, checkFile, fileError, fingerprint, probe, type PeakSet } from '../media/media';

export interface ImportOptions {
  offsetMs: number;
  copy: boolean;
}

export interface ImportEvents {
  progress(job: ImportJob): void;
  finished(job: ImportJob, recording: Recording | null, error: AppErrorShape | null): void;
}

interface Prepared {
  absPath: string;
  size: number;
  fingerprint: string;
  probe: Probe;
}

interface RunningJob {
  job: ImportJob;
  controller: AbortController;
  done: Promise<Recording>;
  onProgress?: (fraction: number) => void;
}

/** Runs at most this many imports at once; the rest wait their turn (2 cores here). */
const CONCURRENCY = 2;

export class ImportService {
  private readonly jobs = new Map<string, RunningJob>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly repos: Repos,
    private readonly library: LibraryService,
    private readonly mediaDir: string,
    private readonly events: ImportEvents,
  ) {}

  list(): ImportJob[] {
    return [...this.jobs.values()].map((j) => ({ ...j.job }));
  }

  cancel(jobId: string): { cancelled: boolean } {
    const job = this.jobs.get(jobId);
    if (!job) return { cancelled: false };
    job.controller.abort();
    return { cancelled: true };
  }

  /**
   * Checks every file (exists, readable, not empty, not already in the session, is media),
   * then starts indexing the good ones in the background. Bad files are reported, not stored.
   */
  async start(
    sessionId: number,
    paths: string[],
    options: ImportOptions,
    /** Per file, in the order of `paths`: where each starts on the session's clock. */
    offsetsMs?: number[],
  ): Promise<{ started: ImportJob[]; rejected: { path: string; error: AppErrorShape }[] }> {
    this.library.getSession(sessionId);
    const started: ImportJob[] = [];
    const rejected: { path: string; error: AppErrorShape }[] = [];
    const seen = new Set<string>();
    for (const [i, p] of paths.entries()) {
      try {
        const offsetMs = offsetsMs?.[i] ?? options.offsetMs;
        const bad = offsetProblem(offsetMs);
        if (bad) throw new AppError('INVALID_INPUT', bad);
        const prepared = await this.prepare(sessionId, p);
        if (seen.has(prepared.fingerprint)) {
          throw new AppError('DUPLICATE', `${baseName(p)} was chosen twice; it is imported once.`);
        }
        seen.add(prepared.fingerprint);
        started.push(this.launch(sessionId, prepared, { ...options, offsetMs }).job);
      } catch (error) {
        rejected.push({ path: p, error: toShape(error) });
      }
    }
    return { started, rejected };
  }

  /** Imports one file and waits for it (the CLI's path). */
  async importOne(
    sessionId: number,
    filePath: string,
    options: ImportOptions,
    signal?: AbortSignal,
    onProgress?: (fraction: number) => void,
  ): Promise<Recording> {
    this.library.getSession(sessionId);
    const bad = offsetProblem(options.offsetMs);
    if (bad) throw new AppError('INVALID_INPUT', bad);
    const prepared = await this.prepare(sessionId, filePath);
    const running = this.launch(sessionId, prepared, options, onProgress);
    if (signal?.aborted) running.controller.abort();
    else signal?.addEventListener('abort', () => running.controller.abort(), { once: true });
    return running.done;
  }

  /**
   * Removes what imports that were killed half-way left behind (run when the library opens): a
   * copy of a recording that was never stored, a case or session the import created and that is
   * still empty. Imports of a process that is still running are left alone; only what the
   * import itself made is ever removed.
   */
  recoverInterrupted(onlyThisProcess = false): number {
    let cleaned = 0;
    for (const p of this.repos.pending.list()) {
      const mine = p.pid === process.pid;
      if (onlyThisProcess ? !mine : !mine && processAlive(p.pid)) continue;
      write(this.db, () => {
        if (p.copiedPath && !this.repos.pending.pathInUse(p.copiedPath)) {
          for (const f of [p.copiedPath, `${p.copiedPath}.partial`]) {
            try {
              fs.rmSync(f, { force: true });
            } catch {
              // Not ours to worry about: the file is gone or cannot be removed; the row goes anyway.
            }
          }
        }
        this.repos.pending.finish(p.id);
        if (p.createdSession && p.sessionId !== null && !this.repos.pending.sessionUsed(p.sessionId))
          this.repos.sessions.delete(p.sessionId);
        if (p.createdCase && p.caseId !== null && !this.repos.pending.caseUsed(p.caseId))
          this.repos.cases.delete(p.caseId);
      });
      cleaned++;
    }
    return cleaned;
  }

  /** Records that an import is creating a case or session, for `recoverInterrupted`. */
  track(p: { caseId: number; sessionId: number; createdCase: boolean; createdSession: boolean }): number {
    return this.repos.pending.begin({ ...p, copiedPath: null });
  }

  untrack(id: number): void {
    this.repos.pending.finish(id);
  }

  /** Resolves once every running import has ended (tests and shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.jobs.values()].map((j) => j.done));
  }

  private async prepare(sessionId: number, filePath: string): Promise<Prepared> {
    const absPath = path.resolve(filePath);
    const size = await checkFile(absPath);
    const fp = await fingerprint(absPath);
    const dup = this.repos.recordings.findDuplicate(sessionId, fp, absPath);
    if (dup) {
      const session = this.library.getSession(sessionId);
      throw new AppError(
        'DUPLICATE',
        `${baseName(absPath)} is already in session ${session.number} (as ${dup.fileName}). It was not imported again.`,
      );
    }
    for (const j of this.jobs.values()) {
      if (j.job.sessionId === sessionId && j.job.path === absPath) {
        throw new AppError('DUPLICATE', `${baseName(absPath)} is being imported into this session already.`);
      }
    }
    return { absPath, size, fingerprint: fp, probe: await probe(absPath) };
  }

  private launch(
    sessionId: number,
    prepared: Prepared,
    options: ImportOptions,
    onProgress?: (fraction: number) => void,
  ): RunningJob {
    const job: ImportJob = {
      id: randomUUID(),
      sessionId,
      path: prepared.absPath,
      fileName: baseName(prepared.absPath),
      phase: 'queued',
      percent: 0,
    };
    const controller = new AbortController();
    const running: RunningJob = {
      job,
      controller,
      done: Promise.resolve() as unknown as Promise<Recording>,
      onProgress,
    };
    this.jobs.set(job.id, running);
    running.done = this.run(running, prepared, options).then(
      (recording) => {
        this.jobs.delete(job.id);
        this.events.finished({ ...job }, recording, null);
        return recording;
      },
      (error: unknown) => {
        this.jobs.delete(job.id);
        this.events.finished({ ...job }, null, toShape(error));
        throw error;
      },
    );
    // Callers that only listen to events must not see an unhandled rejection.
    running.done.catch(() => undefined);
    this.events.progress({ ...job });
    return running;
  }

  private async run(running: RunningJob, prepared: Prepared, options: ImportOptions): Promise<Recording> {
    const { job, controller } = running;
    const signal = controller.signal;
    await this.slot();
    let copiedTo: string | null = null;
    let pendingId: number | null = null;
    try {
      if (signal.aborted) throw new AppError('CANCELLED', 'Import cancelled.');
      let mediaPath = prepared.absPath;
      if (options.copy) {
        this.update(job, 'copying', 0);
        copiedTo = await this.copyIntoLibrary(prepared, job, signal, (id) => (pendingId = id));
        mediaPath = copiedTo;
      }
      const hasAudio = prepared.probe.streams.some((s) => s.kind === 'audio');
      let peaks: PeakSet[] = [];
      let speech: Uint8Array[] | null = null;
      if (hasAudio) {
        this.update(job, 'indexing', 0);
        const audio = prepared.probe.streams.find((s) => s.kind === 'audio');
        // One decode gives the waveform and who speaks when (each channel apart when stereo).
        ({ peaks, speech } = await analyzeAudio(
          // An encrypted copy (a protected library) is decoded from the original it was made from.
          copiedTo && keyForFile(copiedTo) ? prepared.absPath : mediaPath,
          prepared.probe.durationMs,
          { channels: audio?.channels ?? 1, speech: true },
          (f) => {
            running.onProgress?.(f);
            this.update(job, 'indexing', Math.floor(f * 100));
          },
          signal,
        ));
      }
      if (signal.aborted) throw new AppError('CANCELLED', 'Import cancelled.');
      this.update(job, 'saving', 100);
      // The file must still be the one we probed: it may have been moved or replaced meanwhile.
      const stillThere = await fingerprint(mediaPath).catch((e: unknown) => {
        throw e instanceof AppError && e.code === 'FILE_MISSING'
          ? new AppError('FILE_MISSING', `${job.fileName} disappeared while it was being imported. Nothing was stored.`)
          : e;
      });
      if (stillThere !== prepared.fingerprint) {
        throw new AppError(
          'FILE_MISSING',
          `${job.fileName} changed while it was being imported. Nothing was stored; import it again.`,
        );
      }
      this.library.getSession(job.sessionId);
      const dup = this.repos.recordings.findDuplicate(job.sessionId, prepared.fingerprint, mediaPath);
      if (dup)
        throw new AppError('DUPLICATE', `${job.fileName} is already in this session. It was not imported again.`);
      const stored = this.repos.recordings.insert({
        sessionId: job.sessionId,
        path: mediaPath,
        fileName: job.fileName,
        sizeBytes: prepared.size,
        fingerprint: prepared.fingerprint,
        managed: copiedTo !== null,
        offsetMs: options.offsetMs,
        durationMs: prepared.probe.durationMs,
        hasAudio,
        hasVideo: prepared.probe.streams.some((s) => s.kind === 'video'),
        probe: prepared.probe,
        peaks,
        speech,
      });
      copiedTo = null; // stored: keep the copy
      return this.library.withState(stored);
    } finally {
      if (copiedTo) await fs.promises.rm(copiedTo, { force: true }).catch(() => undefined);
      if (pendingId !== null) this.repos.pending.finish(pendingId);
      this.release();
    }
  }

  private async copyIntoLibrary(
    prepared: Prepared,
    job: ImportJob,
    signal: AbortSignal,
    onPending: (id: number) => void,
  ): Promise<string> {
    const session = this.library.getSession(job.sessionId);
    const c = this.library.getCase(session.caseId);
    const target = copyTarget(this.mediaDir, c.code, session.number, baseName(prepared.absPath));
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const partial = `${target}.partial`;
    // Noted before the first byte is written: if the process is killed, the next start removes it.
    onPending(
      this.repos.pending.begin({
        caseId: null,
        sessionId: null,
        copiedPath: target,
        createdCase: false,
        createdSession: false,
      }),
    );
    try {
      const key = keyForFile(target);
      if (key) {
        // A protected library: the copy is encrypted as it is written.
        await encryptFile(prepared.absPath, target, key, {
          signal,
          progress: (done, total) => this.update(job, 'copying', Math.floor((done / Math.max(1, total)) * 100)),
        }).catch((e: unknown) => {
          throw signal.aborted
            ? new AppError('CANCELLED', 'Import cancelled.')
            : e instanceof AppError
              ? e
              : fileError(e, prepared.absPath);
        });
        return target;
      }
      await new Promise<void>((resolve, reject) => {
        const input = fs.createReadStream(prepared.absPath);
        const output = fs.createWriteStream(partial, { mode: 0o600 });
        let copied = 0;
        let last = -1;
        input.on('data', (chunk) => {
          copied += chunk.length;
          const pct = Math.floor((copied / prepared.size) * 100);
          if (pct !== last) {
            last = pct;
            this.update(job, 'copying', pct);
          }
        });
        const fail = (e: unknown) => {
          input.destroy();
          output.destroy();
          reject(signal.aborted ? new AppError('CANCELLED', 'Import cancelled.') : fileError(e, prepared.absPath));
        };
        signal.addEventListener('abort', () => fail(new Error('aborted')), { once: true });
        input.on('error', fail);
        output.on('error', fail);
        output.on('finish', () => resolve());
        input.pipe(output);
      });
      await fs.promises.rename(partial, target);
      return target;
    } catch (error) {
      await fs.promises.rm(partial, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  private update(job: ImportJob, phase: ImportJob['phase'], percent: number): void {
    if (job.phase === phase && job.percent === percent) return;
    job.phase = phase;
    job.percent = percent;
    this.events.progress({ ...job });
  }

  private async slot(): Promise<void> {
    if (this.running >= CONCURRENCY) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.();
  }
}

/** Whether a process with this id is running (a killed import's process is not). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
