/**
 * The scrub aid: for a video whose keyframes are far apart (cameras, phones and OBS write one
 * every 5–10 s, so every seek decodes up to 10 s of video), a proxy copy with a keyframe every
 * 12 frames and no B-frames, at most 640 pixels wide, built in the background once the import is
 * done. The player seeks it while the real file is still seeking, so a drag follows the pointer
 * and a step backwards is as quick as one forwards; when the real file has its frame it takes over
 * again. Hovering over the overview shows the proxy's frame as a thumbnail.
 *
 * Why a proxy and not a filmstrip of thumbnails: the proxy gives the exact frame at any time (a
 * filmstrip only every few seconds), at full size, for the drag, the frame steps and the hover
 * alike, from one file, and costs less disk than thumbnails every few frames would.
 *
 * Built one at a time with one thread (the app and the waveform keep the other core), into
 * `<library>/scrub/<recording>-<fingerprint>.mp4.partial`, renamed when whole: a build cut off by
 * a crash or a quit leaves only a `.partial`, which the next start removes and builds again. A
 * proxy is deleted with its recording (and any file no recording owns is swept on start).
 */
import type { ChildProcess } from 'node:child_process';
import { spawnMediaTool } from './ffmpeg-run';
import fs from 'node:fs';
import path from 'node:path';
import { privateTemp } from '../files/private-temp';
import type { ScrubStatus } from '../../shared/domain';
import type { Db } from '../db/open';
import type { Repos, StoredRecording } from '../library/repositories';
import { ffmpegPath, ffprobePath } from './binaries';
import { encryptFile, ffmpegInput, keyForFile } from '../protection/media-crypt';

/** Keyframes this close already seek fast enough (every 2 s, as the bench's media): no proxy. */
const NEEDS_PROXY_GOP_S = 2.5;
const PROXY_GOP_FRAMES = 12;
const PROXY_MAX_WIDTH = 640;

export interface ScrubEvents {
  progress(status: ScrubStatus): void;
}

export class ScrubService {
  private readonly status = new Map<number, ScrubStatus>();
  private readonly queue: number[] = [];
  private running: { id: number; child: ChildProcess | null } | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly repos: Repos,
    private readonly dir: string,
    private readonly events: ScrubEvents,
  ) {}

  /** The proxy's file name for a recording (its id and fingerprint: a relinked copy keeps it). */
  fileFor(r: Pick<StoredRecording, 'id' | 'fingerprint'>): string {
    return path.join(this.dir, `${r.id}-${r.fingerprint.replace(/[^0-9a-f]/gi, '').slice(0, 40)}.mp4`);
  }

  /**
   * The marker that a recording needs no proxy (its keyframes are close): kept beside where the
   * proxy would be, so that a start does not probe every such recording again.
   */
  private noneFor(r: Pick<StoredRecording, 'id' | 'fingerprint'>): string {
    return this.fileFor(r).replace(/\.mp4$/, '.none');
  }

  /** The ready proxy of a recording, or null. */
  readyFile(recordingId: number): string | null {
    const r = this.repos.recordings.get(recordingId);
    if (!r) return null;
    const file = this.fileFor(r);
    return fs.existsSync(file) ? file : null;
  }

  statusOf(recordingId: number): ScrubStatus {
    const known = this.status.get(recordingId);
    if (known) return known;
    const r = this.repos.recordings.get(recordingId);
    if (!r) return { recordingId, state: 'none', percent: 0, message: null };
    if (!r.hasVideo) return { recordingId, state: 'not-needed', percent: 0, message: null };
    if (fs.existsSync(this.fileFor(r))) return { recordingId, state: 'ready', percent: 100, message: null };
    if (fs.existsSync(this.noneFor(r))) return { recordingId, state: 'not-needed', percent: 0, message: null };
    return { recordingId, state: 'none', percent: 0, message: null };
  }

  list(sessionId: number): ScrubStatus[] {
    return this.repos.recordings.listBySession(sessionId).map((r) => this.statusOf(r.id));
  }

  /** Queues a build for a recording that needs one and has none. */
  ensure(recordingId: number): ScrubStatus {
    const current = this.statusOf(recordingId);
    if (current.state !== 'none' && current.state !== 'failed') return current;
    if (this.db.readonly) return current;
    this.set({ recordingId, state: 'queued', percent: 0, message: null });
    this.queue.push(recordingId);
    void this.next();
    return this.statusOf(recordingId);
  }

  /**
   * On start: removes half-built and orphaned files, then queues every video recording that has
   * no proxy yet (recordings imported by the CLI, or whose build was cut off).
   */
  resumeAll(): void {
    this.sweep();
    for (const r of this.repos.recordings.listAll()) if (r.hasVideo) this.ensure(r.id);
  }

  /** Deletes proxy files that no recording owns, and any `.partial` not being written now. */
  sweep(): number {
    let removed = 0;
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return 0;
    }
    const owned = new Set(
      this.repos.recordings.listAll().flatMap((r) => [path.basename(this.fileFor(r)), path.basename(this.noneFor(r))]),
    );
    const writing = this.running
      ? `${path.basename(this.fileFor(this.repos.recordings.get(this.running.id)!))}.partial`
      : null;
    for (const name of names) {
      if (name === writing || owned.has(name)) continue;
      fs.rmSync(path.join(this.dir, name), { force: true });
      removed++;
    }
    for (const [id] of this.status) if (!this.repos.recordings.get(id)) this.status.delete(id);
    return removed;
  }

  /** Stops building (quit, tests); what was half-built is removed on the next start. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.running?.child?.kill('SIGKILL');
  }

  /** Resolves when nothing is queued or building (tests, benches). */
  async idle(): Promise<void> {
    while (this.running || this.queue.length) await new Promise((r) => setTimeout(r, 50));
  }

  private set(s: ScrubStatus): void {
    this.status.set(s.recordingId, s);
    this.events.progress(s);
  }

  private async next(): Promise<void> {
    if (this.running || this.stopped) return;
    const id = this.queue.shift();
    if (id === undefined) return;
    const r = this.repos.recordings.get(id);
    if (!r) {
      this.status.delete(id);
      return void this.next();
    }
    this.running = { id, child: null };
    try {
      const gop = await keyframeInterval(await ffmpegInput(r.path));
      if (this.stopped) this.status.delete(id);
      else if (gop !== null && gop <= NEEDS_PROXY_GOP_S) {
        fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        fs.writeFileSync(this.noneFor(r), '');
        this.set({ recordingId: id, state: 'not-needed', percent: 0, message: null });
      } else {
        await this.build(r);
      }
    } catch (error) {
      this.set({
        recordingId: id,
        state: 'failed',
        percent: 0,
        message: error instanceof Error ? error.message : String(error),
      });
    } finally {
      this.running = null;
      void this.next();
    }
  }

  private async build(r: StoredRecording): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const target = this.fileFor(r);
    // ffmpeg writes the aid in plaintext: in a private folder of the library (0700, removed when
    // done and at the next start after a crash), never beside the encrypted aids.
    const work = privateTemp(path.dirname(this.dir), 'scrub');
    const partial = path.join(work.dir, 'aid.mp4');
    // A protected library: the source is read decrypted, and the aid is encrypted once built.
    const source = await ffmpegInput(r.path);
    const key = keyForFile(target);
    this.set({ recordingId: r.id, state: 'building', percent: 0, message: null });
    return new Promise<void>((resolve, reject) => {
      const child = spawnMediaTool(ffmpegPath(), [
        '-nostdin',
        '-v',
        'error',
        '-threads',
        '1',
        '-i',
        source,
        '-map',
        '0:v:0',
        '-an',
        '-sn',
        '-dn',
        '-vf',
        `scale=w='min(${PROXY_MAX_WIDTH},iw)':h=-2`,
        '-c:v',
        'libx264',
        '-threads',
        '1',
        '-preset',
        'veryfast',
        '-tune',
        'fastdecode',
        '-crf',
        '30',
        '-g',
        String(PROXY_GOP_FRAMES),
        '-bf',
        '0',
        '-pix_fmt',
        'yuv420p',
        '-movflags',
        '+faststart',
        '-f',
        'mp4',
        '-progress',
        'pipe:1',
        '-y',
        partial,
      ]);
      this.running = { id: r.id, child };
      let stderr = '';
      let last = -1;
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        const m = /out_time_us=(\d+)/.exec(d.slice(d.lastIndexOf('out_time_us=')));
        if (!m || !r.durationMs) return;
        const pct = Math.min(99, Math.floor((Number(m[1]) / 1000 / r.durationMs) * 100));
        if (pct !== last) {
          last = pct;
          this.set({ recordingId: r.id, state: 'building', percent: pct, message: null });
        }
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d.slice(0, 4000)));
      child.on('error', (e) => reject(new Error(`Could not run ffmpeg: ${e.message}`)));
      child.on('close', (code) => {
        if (code !== 0 || !this.repos.recordings.get(r.id)) {
          work.remove();
          if (this.stopped || !this.repos.recordings.get(r.id)) {
            this.status.delete(r.id);
            return resolve();
          }
          return reject(
            new Error(`The scrub aid could not be built (${stderr.trim().split('\n').pop() ?? `ffmpeg ${code}`}).`),
          );
        }
        const sealed = `${target}.partial`; // encrypted: only ciphertext ever lies in the scrub folder
        const done = key
          ? encryptFile(partial, sealed, key).then(() => fs.renameSync(sealed, target))
          : new Promise<void>((res) => {
              fs.renameSync(partial, target);
              res();
            });
        done.then(
          () => {
            work.remove();
            this.set({ recordingId: r.id, state: 'ready', percent: 100, message: null });
            resolve();
          },
          (e: unknown) => {
            work.remove();
            fs.rmSync(sealed, { force: true });
            reject(e instanceof Error ? e : new Error(String(e)));
          },
        );
      });
    });
  }
}

/**
 * The longest gap between keyframes in the first minute of a file's video (seconds), or null
 * when it cannot be told (a very short video).
 */
export function keyframeInterval(file: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawnMediaTool(ffprobePath(), [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-skip_frame',
      'nokey',
      '-show_entries',
      'frame=pts_time,best_effort_timestamp_time',
      '-of',
      'csv=p=0',
      '-read_intervals',
      '%+60',
      file,
    ]);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.resume(); // its words are not needed; read so that it never waits on a full pipe
    child.on('error', () => resolve(null));
    child.on('close', () => {
      const times = out
        .split('\n')
        .map((l) => Number(l.split(',').find((x) => x && x !== 'N/A')))
        .filter((t) => Number.isFinite(t));
      if (times.length < 2) return resolve(times.length === 1 ? Infinity : null);
      let longest = 0;
      for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
      resolve(longest);
    });
  });
}
