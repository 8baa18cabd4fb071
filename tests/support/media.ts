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

/** A voice: a few harmonics of `f0` with a syllable rhythm of about 4 per second. */
const voice = (f0: number, T: string) =>
  `(sin(2*PI*${f0}*${T})+0.5*sin(2*PI*${2 * f0}*${T})+0.3*sin(2*PI*${3 * f0}*${T}))*(0.55+0.45*sin(2*PI*4.3*${T}))`;

/**
 * A session's sound as a function of the session's clock T = t + shift: a voice whose talk spurts
 * follow three incommensurate rhythms, so no stretch repeats; `shift` makes a recording that
 * starts `shift` seconds into the session (negative: before it). Room noise differs per file.
 */
function scene(shift: number, f0 = 130, rhythm = [0.23, 0.37, 0.61], noise = 0): string {
  const T = `(t+${shift})`;
  const gate = `gt(sin(2*PI*${rhythm[0]}*${T})+sin(2*PI*${rhythm[1]}*${T}+1)+0.6*sin(2*PI*${rhythm[2]}*${T}+2),0.3)`;
  return `0.3*${voice(f0, T)}*${gate}+${noise}*(random(0)-0.5)`;
}

/**
 * Two speakers, one lavalier microphone each on a stereo recorder (left: therapist at 120 Hz,
 * right: patient at 210 Hz), each microphone hearing the other voice 15 dB down. A talks 0–4 s and
 * 12–16 s, B 4.5–8.5 s and 15–19 s (1 s of overlap), silence 8.5–12 s; 20 s long.
 */
const speakerA = (T = 't') => `${voice(120, T)}*(between(${T},0,4)+between(${T},12,16))`;
const speakerB = (T = 't') => `${voice(210, T)}*(between(${T},4.5,8.5)+between(${T},15,19))`;

/** VP8 + Opus WebM of the test pattern with the given sound: plays in every Chromium build. */
const webm = (audio: string, seconds: number): string[] => [
  '-f',
  'lavfi',
  '-i',
  'testsrc2=size=320x180:rate=25',
  '-f',
  'lavfi',
  '-i',
  audio,
  '-t',
  String(seconds),
  '-c:v',
  'libvpx',
  '-deadline',
  'realtime',
  '-cpu-used',
  '8',
  '-c:a',
  'libopus',
  '-shortest',
];

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
  // Who speaks when: one speaker per channel (see speakerA/speakerB), AAC stereo as recorders write it.
  'two-mics.m4a': [
    '-f',
    'lavfi',
    '-i',
    `aevalsrc='0.25*${speakerA()}+0.045*${speakerB()}|0.25*${speakerB()}+0.045*${speakerA()}':s=48000:d=20`,
    '-c:a',
    'aac',
  ],
  // The same two voices mixed into both channels (a camera's stereo microphone): one lane.
  'dual-mono.m4a': [
    '-f',
    'lavfi',
    '-i',
    `aevalsrc='0.2*${speakerA()}+0.2*${speakerB()}|0.2*${speakerA()}+0.2*${speakerB()}':s=48000:d=20`,
    '-c:a',
    'aac',
  ],
  // A camera as they really are: H.264 with libx264's default keyframe interval (250 frames: 10 s
  // at 25 fps), 640×360, 30 s; and the same with a keyframe every 2 s (no scrub aid needed).
  'camera-gop10s.mp4': [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=640x360:rate=25',
    '-f',
    'lavfi',
    '-i',
    SPEECHY,
    '-t',
    '30',
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
  'camera-gop2s.mp4': [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x180:rate=25',
    '-t',
    '10',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    '50',
    '-pix_fmt',
    'yuv420p',
  ],
  // The browser tests' versions (VP8 + Opus plays in every Chromium build): a session recorded with
  // one lavalier per channel, and a main camera plus a recorder 3.217 s late.
  'two-mics.webm': webm(
    `aevalsrc='0.25*${speakerA()}+0.045*${speakerB()}|0.25*${speakerB()}+0.045*${speakerA()}':s=48000:d=20`,
    20,
  ),
  'scene-main.webm': webm(`aevalsrc='${scene(0, 130, undefined, 0.01)}':s=48000:d=40`, 40),
  'scene-late.webm': [
    '-f',
    'lavfi',
    '-i',
    `aevalsrc='0.6*(${scene(3.217, 130, undefined, 0.03)})':s=48000:d=30`,
    '-c:a',
    'libopus',
  ],
  // The same two speakers on two recorders (one each), the second started 1 s later: with offsets
  // 0 and 1000 ms their lanes must match the stereo file's.
  'mic-left.m4a': [
    '-f',
    'lavfi',
    '-i',
    `aevalsrc='0.25*${speakerA()}+0.045*${speakerB()}':s=48000:d=20`,
    '-c:a',
    'aac',
  ],
  'mic-right-late.m4a': [
    '-f',
    'lavfi',
    '-i',
    `aevalsrc='0.25*${speakerB('(t+1)')}+0.045*${speakerA('(t+1)')}':s=44100:d=19`,
    '-c:a',
    'aac',
  ],
  // Alignment: the main recording (session 0–40 s), a recorder at 44.1 kHz that starts 3.217 s
  // later, a camera that starts 2.5 s before the main one (10-s keyframes), and an unrelated file.
  'scene-main.m4a': ['-f', 'lavfi', '-i', `aevalsrc='${scene(0, 130, undefined, 0.01)}':s=48000:d=40`, '-c:a', 'aac'],
  'scene-late.m4a': [
    '-f',
    'lavfi',
    '-i',
    `aevalsrc='0.6*(${scene(3.217, 130, undefined, 0.03)})':s=44100:d=30`,
    '-c:a',
    'aac',
  ],
  'scene-early.mp4': [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x180:rate=25',
    '-f',
    'lavfi',
    '-i',
    `aevalsrc='${scene(-2.5, 130, undefined, 0.02)}':s=48000:d=25`,
    '-t',
    '25',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    '250',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
  ],
  'unrelated.m4a': [
    '-f',
    'lavfi',
    '-i',
    `aevalsrc='${scene(0, 190, [0.31, 0.17, 0.53], 0.01)}':s=48000:d=30`,
    '-c:a',
    'aac',
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
