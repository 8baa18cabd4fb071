/**
 * The benchmark recording: 60 minutes of 640x360 H.264 with AAC audio, synthetic. One minute is
 * encoded, then looped with stream copy (seconds instead of ten minutes of encoding). Keyframes
 * every 2 s (-g 50), as cameras and screen recorders typically write them; seek time depends on it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';

export const BENCH_DIR = path.resolve(__dirname, '..', '..', '.cache', 'bench-media');

export function sixtyMinuteRecording(): string {
  const out = path.join(BENCH_DIR, 'session-60min.mp4');
  if (fs.existsSync(out)) return out;
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const minute = path.join(BENCH_DIR, 'minute.mp4');
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
    '35',
    '-g',
    '50',
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
    '3600',
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
