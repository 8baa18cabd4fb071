/**
 * The benchmark recording: 60 minutes of 640x360 H.264 with AAC audio, synthetic. One minute is
 * encoded, then looped with stream copy (seconds instead of ten minutes of encoding). Keyframes
 * every 2 s (-g 50), as cameras and screen recorders typically write them; seek time depends on it.
 */
import type { NewRecording } from '../src/main/library/repositories';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';

export const BENCH_DIR = path.resolve(__dirname, '..', '..', '.cache', 'bench-media');

export function sixtyMinuteRecording(): string {
  return loopedHour('session-60min.mp4', { crf: 35, gop: 50 });
}

/** Two hours of the same (a research group's long session; the scale bench). */
export function twoHourRecording(): string {
  return loopedHour('session-120min.mp4', { crf: 35, gop: 50 }, 7200);
}

/**
 * An hour of 640×360 H.264 with speech-like AAC: one minute encoded with the given quality and
 * keyframe interval, then looped by stream copy (seconds instead of ten minutes of encoding).
 */
function loopedHour(name: string, o: { crf: number; gop: number }, seconds = 3600): string {
  const out = path.join(BENCH_DIR, name);
  if (fs.existsSync(out)) return out;
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const minute = path.join(BENCH_DIR, `minute-${name}`);
  const voice = "aevalsrc='0.6*sin(2*PI*220*t)*(0.5+0.5*sin(2*PI*0.7*t))*gt(sin(2*PI*0.23*t),-0.3)':s=48000";
  execFileSync(ffmpegInstaller.path, [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=640x360:rate=25',
    '-f',
    'lavfi',
    '-i',
    voice,
    '-t',
    '60',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-crf',
    String(o.crf),
    '-g',
    String(o.gop),
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-b:a',
    '64k',
    '-shortest',
    minute,
  ]);
  const tmp = `${out}.tmp.mp4`;
  execFileSync(ffmpegInstaller.path, [
    '-v',
    'error',
    '-y',
    '-stream_loop',
    '-1',
    '-i',
    minute,
    '-t',
    String(seconds),
    '-c',
    'copy',
    '-movflags',
    '+faststart',
    tmp,
  ]);
  fs.renameSync(tmp, out);
  fs.rmSync(minute);
  return out;
}

/** A voice: harmonics of `f0` with a syllable rhythm. */
const voice = (f0: number, T: string, syl = 4.3137) =>
  `(sin(2*PI*${f0}*${T})+0.5*sin(2*PI*${2 * f0}*${T})+0.3*sin(2*PI*${3 * f0}*${T}))*(0.55+0.45*sin(2*PI*${syl}*${T}))`;
/** Talk spurts from three incommensurate rhythms: no stretch of the hour repeats. */
const spurts = (T: string) =>
  `(sin(2*PI*0.023*${T})+sin(2*PI*0.037*${T}+1)+0.6*sin(2*PI*0.061*${T}+2)+0.5*sin(2*PI*0.31*${T}))`;

function generate(name: string, args: string[]): string {
  const out = path.join(BENCH_DIR, name);
  if (fs.existsSync(out)) return out;
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const tmp = `${out}.tmp${path.extname(out)}`;
  execFileSync(ffmpegInstaller.path, ['-v', 'error', '-y', ...args, tmp]);
  fs.renameSync(tmp, out);
  return out;
}

/**
 * Sixty minutes from a stereo recorder with one lavalier per channel (therapist left, patient
 * right, each hearing the other 15 dB down), AAC at 16 kHz: who-speaks-when's bench file. Generated
 * sample by sample (about a minute, once; cached).
 */
export function sixtyMinuteTwoMics(): string {
  const a = `${voice(120, 't')}*gt(${spurts('t')},0.4)`;
  const b = `${voice(210, 't', 3.7113)}*lt(${spurts('t')},0.6)`;
  return generate('two-mics-60min.m4a', [
    '-f',
    'lavfi',
    '-i',
    `aevalsrc='0.25*${a}+0.045*${b}+0.004*(random(0)-0.5)|0.25*${b}+0.045*${a}+0.004*(random(1)-0.5)':s=16000:d=3600`,
    '-c:a',
    'aac',
    '-b:a',
    '48k',
  ]);
}

/**
 * A pair for alignment: the main recording's hour of sound, and a second recorder (22.05 kHz, its
 * own noise, 20 % quieter) that starts 7.345 s later and runs 59 minutes.
 */
export function sixtyMinutePair(): { main: string; other: string; lagMs: number } {
  const scene = (shift: number, noise: number) =>
    `0.3*${voice(130, `(t+${shift})`)}*gt(${spurts(`(t+${shift})`)},0.3)+${noise}*(random(0)-0.5)`;
  const main = generate('scene-60min.m4a', [
    '-f',
    'lavfi',
    '-i',
    `aevalsrc='${scene(0, 0.01)}':s=16000:d=3600`,
    '-c:a',
    'aac',
  ]);
  const other = generate('scene-60min-late.m4a', [
    '-f',
    'lavfi',
    '-i',
    `aevalsrc='0.8*(${scene(7.345, 0.03)})':s=22050:d=3540`,
    '-c:a',
    'aac',
  ]);
  return { main, other, lagMs: 7345 };
}

/**
 * The same hour as a camera writes it: 640×360 H.264 with libx264's default keyframe interval
 * (250 frames, 10 s at 25 fps), AAC.
 */
export function sixtyMinuteCamera(): string {
  return loopedHour('camera-60min-gop10s.mp4', { crf: 30, gop: 250 });
}

/**
 * How long ffmpeg alone takes (ms) to decode a file's first audio stream to 8 kHz PCM with
 * `channels` channels (the baseline the import figures are read against), or its video alone.
 */
export function ffmpegDecodeMs(file: string, what: { audioChannels: number } | 'video'): number {
  const t0 = performance.now();
  const out =
    what === 'video'
      ? ['-map', '0:v:0', '-f', 'null', '-']
      : ['-map', '0:a:0', '-vn', '-ac', String(what.audioChannels), '-ar', '8000', '-f', 's16le', '-y', '/dev/null'];
  const r = spawnSync(ffmpegInstaller.path, ['-nostdin', '-v', 'error', '-i', file, ...out]);
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr.toString()}`);
  return performance.now() - t0;
}

/**
 * A recording row standing in for a 50-minute file (agreement and packages read no media): the
 * `i`th session's, with a waveform's worth of (silent) peaks when `peaks` is asked for.
 */
export function standInRecording(sessionId: number, i: number, peaks = false): NewRecording {
  return {
    sessionId,
    path: `/study/session-${i + 1}.mp4`,
    fileName: `session-${i + 1}.mp4`,
    sizeBytes: 1,
    fingerprint: `bench-${i}`,
    managed: false,
    offsetMs: 0,
    durationMs: 3_000_000,
    hasAudio: peaks,
    hasVideo: true,
    probe: { formatName: 'mp4', durationMs: 3_000_000, streams: [{ kind: 'video', codec: 'h264' }] },
    peaks: peaks
      ? [
          { level: 'overview', pairsPerSecond: 1, data: new Int8Array(2 * 3000) },
          { level: 'coarse', pairsPerSecond: 20, data: new Int8Array(2 * 60_000) },
        ]
      : [],
  };
}
