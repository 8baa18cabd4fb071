/**
 * Synthetic test media, generated with the ffmpeg that ships in the npm package (so CI needs no
 * system ffmpeg) and cached between runs. Never real recordings.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';

export const MEDIA_DIR = path.resolve(__dirname, '..', '..', '.cache', 'test-media');

/** Speech-like audio: a tone and noise shaped by a slow on/off envelope, with pauses. */
const SPEECHY = "aevalsrc='0.6*sin(2*PI*220*t)*(0.5+0.5*sin(2*PI*0.7*t))*gt(sin(2*PI*0.23*t),-0.3)':s=48000";

const RECIPES: Record<string, string[]> = {
  // H.264 + AAC, moov atom at the end (as cameras write it), so truncation removes it.
  'av.mp4': [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x180:rate=25',
    '-f',
    'lavfi',
    '-i',
    SPEECHY,
    '-t',
    '6',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
  ],
  // A second camera as real cameras write it: a keyframe only every 10 s (libx264's default
  // interval at 25 fps), 20 s long, its own tone; used with an offset against session.webm.
  'camera2.webm': [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x180:rate=25',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=330:sample_rate=48000',
    '-t',
    '20',
    '-c:v',
    'libvpx',
    '-g',
    '250',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-c:a',
    'libopus',
    '-shortest',
  ],
  // VP8 + Opus WebM: plays in every Chromium build, used by the browser tests.
  'session.webm': [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x180:rate=25',
    '-f',
    'lavfi',
    '-i',
    SPEECHY,
    '-t',
    '30',
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-b:v',
    '300k',
    '-c:a',
    'libopus',
    '-shortest',
  ],
  'video-only.mp4': [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x180:rate=25',
    '-t',
    '4',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-an',
  ],
  'audio-only.m4a': ['-f', 'lavfi', '-i', SPEECHY, '-t', '5', '-c:a', 'aac'],
  // Twelve minutes of quiet tone: long enough for a 3RS grid of three 5-minute segments.
  'twelve-minutes.m4a': [
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=220:sample_rate=8000',
    '-t',
    '720',
    '-c:a',
    'aac',
    '-b:a',
    '16k',
  ],
};

export function mediaFile(name: keyof typeof RECIPES | string): string {
  fs.mkdirSync(MEDIA_DIR, { recursive: true });
  const out = path.join(MEDIA_DIR, name);
  if (fs.existsSync(out) && fs.statSync(out).size > 0) return out;
  const recipe = RECIPES[name];
  if (!recipe) throw new Error(`No recipe for test media ${name}`);
  const tmp = `${out}.tmp${path.extname(out)}`;
  execFileSync(ffmpegInstaller.path, ['-v', 'error', '-y', ...recipe, tmp], { stdio: 'pipe' });
  fs.renameSync(tmp, out);
  return out;
}

/** Copies a generated file to `dir/name` (for odd names, moves, and deletions in tests). */
export function copyMedia(source: string, dir: string, name: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, name);
  fs.copyFileSync(source, target);
  return target;
}

/** A file cut to `fraction` of its length: a recording interrupted while copying. */
export function truncatedCopy(source: string, dir: string, name: string, fraction = 0.5): string {
  const data = fs.readFileSync(source);
  const target = path.join(dir, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(target, data.subarray(0, Math.floor(data.length * fraction)));
  return target;
}
