/**
 * Clip exports from the app run as jobs: progress and the end are told as events, a job can be
 * cancelled, and the rest of the app stays usable meanwhile. Files go where the user says, or into
 * the library's exports folder.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppErrorShape } from '../../shared/errors';
import { formatTime } from '../../shared/time';
import type { Emit } from '../rpc/types';
import { exportClip, planClip, type ClipDeps, type ClipRequest, type ClipResult } from './clips';
import { checkPlaylist, exportPlaylist, type PlaylistRequest } from './playlist';
import { AppError } from '../../shared/errors';
import { isProtectedLibrary } from '../protection/media-crypt';
import { toShape } from '../rpc/errors';
import type { Viewer } from '../rpc/policy';

export interface ClipJob {
  id: string;
  fileName: string;
  fraction: number;
}

export class ClipJobs {
  private readonly running = new Map<string, AbortController>();
  constructor(
    private readonly core: ClipDeps,
    private readonly emit: Emit,
  ) {}

  /** Starts a clip; without `out` it goes to <library>/exports/<case>-s<n>-<time>.mp4. */
  start(req: Omit<ClipRequest, 'out'> & { out?: string }, viewer: Viewer | 'all'): ClipJob {
    // What cannot be cut (a hidden segment, a time outside the session, a moved file) is said now.
    planClip(this.core, { ...req, out: '' }, viewer, '');
    if (req.out !== undefined) {
      // From the app a path is typed by hand: never overwrite a file, and only ever write a video.
      if (!/\.mp4$/i.test(req.out)) throw new AppError('INVALID_INPUT', 'A clip is saved as an .mp4 file.');
      if (fs.existsSync(req.out)) throw new AppError('DUPLICATE', `${req.out} already exists; choose another name.`);
    }
    const out = req.out ?? this.defaultOut(req, viewer);
    if (!fs.existsSync(path.dirname(path.resolve(out))))
      throw new AppError('INVALID_INPUT', `The folder ${path.dirname(path.resolve(out))} does not exist.`);
    return this.run(path.basename(out), (signal, onProgress) =>
      exportClip(this.core, { ...req, out }, viewer, { signal, onProgress }),
    );
  }

  /**
   * Starts a playlist (one MP4 with title cards, or a folder of clips) into the exports folder; the
   * same events as a clip tell its progress and end.
   */
  startPlaylist(req: Omit<PlaylistRequest, 'out'>, viewer: Viewer | 'all'): ClipJob {
    checkPlaylist(this.core, req, viewer); // what it cannot hold is said now
    this.assertMayKeepPlaintext(
      'a playlist',
      'Cut the moments one by one with "Save as", or make the playlist from the command line with --out.',
    );
    const d = this.core.library.sessionDetail(req.sessionId);
    const dir = path.join(this.core.dataDir, 'exports');
    fs.mkdirSync(dir, { recursive: true });
    const base = `${d.case.code}-s${d.session.number}-playlist`;
    let name = req.folder ? base : `${base}.mp4`;
    for (let n = 2; fs.existsSync(path.join(dir, name)); n++)
      name = req.folder ? `${base} (${n})` : `${base} (${n}).mp4`;
    const out = path.join(dir, name);
    return this.run(name, async (signal, onProgress) => {
      const r = await exportPlaylist(this.core, { ...req, out }, viewer, { signal, onProgress });
      return { out: r.out, fromMs: 0, toMs: 0, recording: '', audio: null, bytes: r.bytes };
    });
  }

  /**
   * The exports folder lies in the library's folder: a protected library keeps no plaintext
   * recording there, so a clip or playlist it would hold unencrypted goes only where the user says.
   */
  private assertMayKeepPlaintext(what: string, instead: string): void {
    if (isProtectedLibrary(this.core.dataDir))
      throw new AppError(
        'INVALID_INPUT',
        `This library is protected with a passphrase, and ${what} in its exports folder would lie there unencrypted. ${instead}`,
      );
  }

  /** Runs one export as a job: progress at most once a percent, the end as an event, cancellable. */
  private run(
    fileName: string,
    work: (signal: AbortSignal, onProgress: (fraction: number) => void) => Promise<ClipResult>,
  ): ClipJob {
    const job: ClipJob = { id: randomUUID(), fileName, fraction: 0 };
    const abort = new AbortController();
    this.running.set(job.id, abort);
    let last = -1;
    const onProgress = (f: number) => {
      const pct = Math.floor(f * 100);
      if (pct === last) return;
      last = pct;
      this.emit('clip:progress', { ...job, fraction: f });
    };
    work(abort.signal, onProgress).then(
      (result) => this.finish(job, result, null),
      (error: unknown) => this.finish(job, null, toShape(error)),
    );
    return job;
  }

  /** How many clips are being cut now. */
  get active(): number {
    return this.running.size;
  }

  cancelAll(): void {
    for (const abort of this.running.values()) abort.abort();
  }

  cancel(id: string): { cancelled: boolean } {
    const abort = this.running.get(id);
    abort?.abort();
    return { cancelled: abort !== undefined };
  }

  private finish(job: ClipJob, result: ClipResult | null, error: AppErrorShape | null): void {
    this.running.delete(job.id);
    this.emit('clip:finished', { job: { ...job, fraction: result ? 1 : job.fraction }, result, error });
  }

  private defaultOut(req: Omit<ClipRequest, 'out'>, viewer: Viewer | 'all'): string {
    this.assertMayKeepPlaintext('a clip', 'Type where to save it in "Save as".');
    const d = this.core.library.sessionDetail(req.sessionId);
    const at =
      req.fromMs ??
      (req.segmentId !== undefined
        ? this.core.policy.segmentForRead(req.segmentId, viewer).startMs
        : req.threadId !== undefined
          ? this.core.feedback.getThread(req.threadId, viewer).startMs
          : 0);
    const dir = path.join(this.core.dataDir, 'exports');
    fs.mkdirSync(dir, { recursive: true });
    const base = `${d.case.code}-s${d.session.number}-${formatTime(at, false).replace(/:/g, '-')}`;
    let name = `${base}.mp4`;
    for (let n = 2; fs.existsSync(path.join(dir, name)); n++) name = `${base} (${n}).mp4`;
    return path.join(dir, name);
  }
}
