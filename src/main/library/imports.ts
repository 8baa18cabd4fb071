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

/** An indexed file waiting for its batch: stored, or its copy discarded. */
interface Indexed {
  row: Parameters<Repos['recordings']['insert']>[0];
  fileName: string;
  /** Removes the copy made into the library (the batch was not stored). */
  discard(): void;
  /** Ends the note that a copy is being made (after storing or discarding). */
  done(): void;
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
   * Checks every file (exists, readable, not empty, not already in the session, is media), then
   * indexes them in the background as one batch: stored together when all are indexed, or none
   * of them (a batch is all-or-nothing, as the CLI's). A file that fails the check starts nothing:
   * every problem is reported and nothing is stored.
   */
  async start(
    sessionId: number,
    paths: string[],
    options: ImportOptions,
    /** Per file, in the order of `paths`: where each starts on the session's clock. */
    offsetsMs?: number[],
  ): Promise<{ started: ImportJob[]; rejected: { path: string; error: AppErrorShape }[] }> {
    this.library.getSession(sessionId);
    const accepted: { prepared: Prepared; options: ImportOptions }[] = [];
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
        accepted.push({ prepared, options: { ...options, offsetMs } });
      } catch (error) {
        rejected.push({ path: p, error: toShape(error) });
      }
    }
    if (rejected.length) {
      // All or nothing: the good files are named as not imported because of the bad ones.
      const why = rejected.length === 1 ? baseName(rejected[0]!.path) : `${rejected.length} of the files`;
      for (const { prepared } of accepted)
        rejected.push({
          path: prepared.absPath,
          error: toShape(
            new AppError(
              'INVALID_INPUT',
              `${baseName(prepared.absPath)} was not imported either: ${why} could not be, and files chosen together are imported together or not at all.`,
            ),
          ),
        });
      return { started: [], rejected };
    }
    return { started: this.launchBatch(sessionId, accepted).map((r) => ({ ...r.job })), rejected };
  }

  /** Imports one file and waits for it. */
  async importOne(
    sessionId: number,
    filePath: string,
    options: ImportOptions,
    signal?: AbortSignal,
    onProgress?: (fraction: number) => void,
  ): Promise<Recording> {
    const [recording] = await this.importAll(
      sessionId,
      [{ path: filePath, offsetMs: options.offsetMs }],
      options.copy,
      signal,
      onProgress,
    );
    return recording!;
  }

  /**
   * Imports files as one batch and waits for it (the CLI's path): all are stored, or none. A
   * refusal names every file and why ("nothing was imported").
   */
  async importAll(
    sessionId: number,
    files: { path: string; offsetMs: number }[],
    copy: boolean,
    signal?: AbortSignal,
    onProgress?: (fraction: number) => void,
  ): Promise<Recording[]> {
    this.library.getSession(sessionId);
    const items: { prepared: Prepared; options: ImportOptions }[] = [];
    for (const f of files) {
      const bad = offsetProblem(f.offsetMs);
      if (bad) throw new AppError('INVALID_INPUT', bad);
      const prepared = await this.prepare(sessionId, f.path);
      if (items.some((x) => x.prepared.fingerprint === prepared.fingerprint))
        throw new AppError('DUPLICATE', `${baseName(f.path)} was chosen twice; it is imported once.`);
      items.push({ prepared, options: { offsetMs: f.offsetMs, copy } });
    }
    // Progress of the whole batch: the mean of its files'.
    const fractions = items.map(() => 0);
    const runs = this.launchBatch(sessionId, items);
    runs.forEach((r, i) => {
      r.onProgress = (f) => {
        fractions[i] = f;
        onProgress?.(fractions.reduce((a, b) => a + b, 0) / fractions.length);
      };
    });
    const abortAll = () => runs.forEach((r) => r.controller.abort());
    if (signal?.aborted) abortAll();
    else signal?.addEventListener('abort', abortAll, { once: true });
    const results = await Promise.allSettled(runs.map((r) => r.done));
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (!failed.length) return results.map((r) => (r as PromiseFulfilledResult<Recording>).value);
    if (runs.length === 1) throw failed[0];
    const first = toShape(failed[0]);
    throw new AppError(
      first.code,
      `Nothing was imported (files chosen together are imported together or not at all):\n${results
        .map(
          (r, i) =>
            `  ${runs[i]!.job.fileName}: ${r.status === 'rejected' ? toShape(r.reason).message : 'indexed, not stored'}`,
        )
        .join('\n')}`,
    );
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

  /**
   * Indexes a batch of files (each its own job, with progress and cancel) and stores them in one
   * transaction once all are indexed. If one fails or is cancelled, the others stop and nothing
   * of the batch is stored; each job's `done` says why.
   */
  private launchBatch(
    sessionId: number,
    items: { prepared: Prepared; options: ImportOptions }[],
    onProgress?: (fraction: number) => void,
  ): RunningJob[] {
    const runs = items.map(({ prepared }) => {
      const job: ImportJob = {
        id: randomUUID(),
        sessionId,
        path: prepared.absPath,
        fileName: baseName(prepared.absPath),
        phase: 'queued',
        percent: 0,
      };
      const running: RunningJob = {
        job,
        controller: new AbortController(),
        done: Promise.resolve() as unknown as Promise<Recording>,
        onProgress,
      };
      this.jobs.set(job.id, running);
      return running;
    });
    let firstFailure: { fileName: string; error: unknown } | null = null;
    const indexed = runs.map((running, i) =>
      this.index(running, items[i]!.prepared, items[i]!.options).catch((error: unknown) => {
        // The first failure stops the rest of the batch.
        if (!firstFailure) {
          firstFailure = { fileName: running.job.fileName, error };
          for (const other of runs) if (other !== running) other.controller.abort();
        }
        throw error;
      }),
    );
    const stored = Promise.allSettled(indexed).then((results) => {
      const ready = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      try {
        if (ready.length !== results.length)
          throw firstFailure?.error ?? new AppError('CANCELLED', 'Import cancelled.');
        return write(this.db, () => ready.map((r) => this.store(r)));
      } catch (error) {
        for (const r of ready) r.discard();
        throw error;
      } finally {
        for (const r of ready) r.done();
      }
    });
    runs.forEach((running, i) => {
      const { job } = running;
      running.done = stored.then(
        (recordings) => {
          this.jobs.delete(job.id);
          const recording = recordings[i]!;
          this.events.finished({ ...job }, recording, null);
          return recording;
        },
        (batchError: unknown) => {
          this.jobs.delete(job.id);
          const failure = firstFailure as { fileName: string; error: unknown } | null;
          const own = failure && failure.fileName === job.fileName;
          const error =
            own || !failure || runs.length === 1
              ? batchError
              : new AppError(
                  'CANCELLED',
                  `${job.fileName} was not imported: ${failure.fileName} could not be (${toShape(failure.error).message}), and files chosen together are imported together or not at all.`,
                );
          this.events.finished({ ...job }, null, toShape(error));
          throw error;
        },
      );
      // Callers that only listen to events must not see an unhandled rejection.
      running.done.catch(() => undefined);
      this.events.progress({ ...job });
    });
    return runs;
  }

  /** Copies (when asked) and indexes one file; what it returns is stored by the batch, or discarded. */
  private async index(running: RunningJob, prepared: Prepared, options: ImportOptions): Promise<Indexed> {
    const { job, controller } = running;
    const signal = controller.signal;
    await this.slot();
    let copiedTo: string | null = null;
    let pendingId: number | null = null;
    const finish = () => {
      if (pendingId !== null) this.repos.pending.finish(pendingId);
      pendingId = null;
    };
    const discard = () => {
      if (copiedTo) fs.rmSync(copiedTo, { force: true });
      copiedTo = null;
    };
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
      const row = {
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
      };
      const kept = { discard, done: finish, row, fileName: job.fileName };
      return kept;
    } catch (error) {
      if (copiedTo) await fs.promises.rm(copiedTo, { force: true }).catch(() => undefined);
      copiedTo = null;
      finish();
      throw error;
    } finally {
      this.release();
    }
  }

  /** Stores an indexed file (inside the batch's transaction). */
  private store(r: Indexed): Recording {
    this.library.getSession(r.row.sessionId);
    const dup = this.repos.recordings.findDuplicate(r.row.sessionId, r.row.fingerprint, r.row.path);
    if (dup) throw new AppError('DUPLICATE', `${r.fileName} is already in this session. It was not imported again.`);
    return this.library.withState(this.repos.recordings.insert(r.row));
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
