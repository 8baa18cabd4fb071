/**
 * Speech made by espeak-ng (synthetic voices, never a real session), cached with the test media:
 * a dialogue on a stereo recorder, the therapist's voice on the left channel and the patient's on
 * the right (one lavalier microphone each), with pauses between turns. CI installs espeak-ng
 * (`.ci/run`); a machine without it is told how to get it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { MEDIA_DIR } from './media';

/** Who says what, and when (seconds into the recording). */
export const DIALOGUE = [
  { at: 0.5, side: 'left', text: 'How have things been since we last met?' },
  { at: 4.5, side: 'right', text: "I don't know. Fine, I guess." },
  { at: 8.5, side: 'left', text: 'You sound a little unsure.' },
  { at: 12, side: 'right', text: 'Maybe it does not matter what I think.' },
] as const;
export const DIALOGUE_SECONDS = 16;

export function espeakDialogue(): string {
  const out = path.join(MEDIA_DIR, 'espeak-dialogue.wav');
  if (fs.existsSync(out) && fs.statSync(out).size > 0) return out;
  fs.mkdirSync(MEDIA_DIR, { recursive: true });
  const lines = DIALOGUE.map((d, i) => {
    const f = path.join(MEDIA_DIR, `espeak-line-${i}.wav`);
    try {
      execFileSync('espeak-ng', ['-v', 'en', '-p', d.side === 'left' ? '35' : '70', '-s', '150', '-w', f, d.text], {
        stdio: 'pipe',
      });
    } catch (e) {
      throw new Error(
        `espeak-ng makes the test speech: install it (apt-get install espeak-ng). ${(e as Error).message}`,
      );
    }
    return f;
  });
  // Each line delayed to its time, on its side; the other side hears nothing of it.
  const inputs = lines.flatMap((f) => ['-i', f]);
  const delayed = DIALOGUE.map((d, i) => `[${i}:a]aresample=16000,adelay=${Math.round(d.at * 1000)}[d${i}]`);
  const side = (s: 'left' | 'right') =>
    DIALOGUE.map((d, i) => (d.side === s ? `[d${i}]` : '')).join('') +
    `amix=inputs=${DIALOGUE.filter((d) => d.side === s).length}:duration=longest,volume=2,apad[${s}]`;
  const graph = [...delayed, side('left'), side('right'), '[left][right]join=inputs=2:channel_layout=stereo[out]'].join(
    ';',
  );
  const tmp = `${out}.tmp.wav`;
  execFileSync(
    ffmpegInstaller.path,
    ['-v', 'error', '-y', ...inputs, '-filter_complex', graph, '-map', '[out]', '-t', String(DIALOGUE_SECONDS), tmp],
    { stdio: 'pipe' },
  );
  fs.renameSync(tmp, out);
  for (const f of lines) fs.rmSync(f, { force: true });
  return out;
}

/** One sentence by espeak-ng, mono, 4 s: the shortest file the whole path can run on. */
export function espeakLine(): string {
  const out = path.join(MEDIA_DIR, 'espeak-line.wav');
  if (fs.existsSync(out) && fs.statSync(out).size > 0) return out;
  fs.mkdirSync(MEDIA_DIR, { recursive: true });
  const raw = path.join(MEDIA_DIR, 'espeak-line-raw.wav');
  try {
    execFileSync('espeak-ng', ['-v', 'en', '-s', '150', '-w', raw, "I don't know. Maybe it does not matter."], {
      stdio: 'pipe',
    });
  } catch (e) {
    throw new Error(`espeak-ng makes the test speech: install it (apt-get install espeak-ng). ${(e as Error).message}`);
  }
  const tmp = `${out}.tmp.wav`;
  execFileSync(
    ffmpegInstaller.path,
    ['-v', 'error', '-y', '-i', raw, '-af', 'adelay=300,apad', '-ar', '16000', '-ac', '1', '-t', '4', tmp],
    { stdio: 'pipe' },
  );
  fs.renameSync(tmp, out);
  fs.rmSync(raw, { force: true });
  return out;
}
