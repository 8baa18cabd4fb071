/**
 * Runs the bundled ffmpeg for an export (a clip, a playlist): progress from its `-progress` output,
 * cancellable, and every failure said in words. A cancel waits for ffmpeg to exit before answering,
 * so the caller can remove a partial file that is no longer being written.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { AppError } from '../../shared/errors';
import { mediaToolEnv } from '../protection/media-crypt';
import { ffmpegPath } from './binaries';

/**
 * The one way ffmpeg and ffprobe are started: no stdin, stdout and stderr piped, and the
 * environment that lets them read a protected library's recordings (mediaToolEnv: the loopback
 * proxy's password, never in the arguments). `cwd` is the private folder drawn text is read from.
 */
export function spawnMediaTool(
  bin: string,
  args: string[],
  options: { signal?: AbortSignal; cwd?: string } = {},
): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: mediaToolEnv(), ...options });
}

/**
 * What ffmpeg draws into a picture comes from a file, never from the filter graph: a label in the
 * graph's syntax could end the filter and start another (one that writes a file, or draws a file
 * of the user's into the picture). The file lives in a private folder that is ffmpeg's working
 * folder, so the graph names it by a fixed relative name with no characters to escape.
 */
export function drawTextFile(name: string): string {
  if (!/^[a-z0-9-]+\.txt$/.test(name)) throw new Error(`not a plain text file name: ${name}`);
  return `textfile=${name}:expansion=none`;
}

export interface FfmpegWords {
  /** What was being made, for messages: "The clip", "The playlist". */
  what: string;
  /** Says why it failed, given ffmpeg's last words (or null to use the general message). */
  explain?: (stderr: string) => AppError | null;
}

export function runFfmpeg(
  args: string[],
  totalMs: number,
  words: FfmpegWords,
  opts: { signal?: AbortSignal; onProgress?: (fraction: number) => void; cwd?: string } = {},
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // Drawn text is read from files named relative to a private folder (drawTextFile): no user
    // text and no path of the user's ever becomes filter syntax.
    const child = spawnMediaTool(ffmpegPath(), ['-progress', 'pipe:1', ...args], {
      cwd: opts.cwd,
      signal: opts.signal,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      const m = /out_time_us=(\d+)/.exec(d);
      if (m && totalMs > 0) opts.onProgress?.(Math.min(1, Number(m[1]) / 1000 / totalMs));
    });
    child.on('error', (e) => {
      // A cancel kills ffmpeg: the answer waits for it to exit ('close').
      if (e.name === 'AbortError') return;
      reject(new AppError('INTERNAL', `Could not run ffmpeg: ${e.message}`));
    });
    child.on('close', (code) => {
      if (opts.signal?.aborted)
        return reject(new AppError('CANCELLED', `${words.what} was cancelled; nothing was written.`));
      if (code === 0) return resolve();
      if (/No space left/i.test(stderr))
        return reject(new AppError('DISK_FULL', `The disk is full: ${words.what.toLowerCase()} was not written.`));
      reject(
        words.explain?.(stderr) ??
          new AppError(
            'MEDIA_CORRUPT',
            `${words.what} could not be made: ${stderr.trim().split('\n').slice(-2).join(' ') || 'ffmpeg failed'}`,
          ),
      );
    });
  });
}
