/**
 * A 60-second teaching clip from the middle of the 60-minute bench recording, cut by the app
 * (exportClip: plan, ffmpeg, atomic rename) and by the same ffmpeg with the same arguments on its
 * own, alternately, side by side. Target (issue 9): the app at most 1.3× ffmpeg alone. Prints JSON.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../src/main/app';
import { ffmpegPath } from '../src/main/media/binaries';
import { exportClip, planClip } from '../src/main/reports/clips';
import { sixtyMinuteRecording } from './media';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const media = sixtyMinuteRecording();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-bench-clip-'));
  const core = createCore({ dataDir: dir });
  const c = core.library.createCase({ code: 'C-CLIP', therapist: '', notes: '' });
  const s = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
  await core.imports.importOne(s.id, media, { offsetMs: 0, copy: false });
  const req = { sessionId: s.id, fromMs: 1_800_000, toMs: 1_860_000, out: path.join(dir, 'app.mp4') };
  const app: number[] = [];
  const alone: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let t0 = performance.now();
    await exportClip(core, req, 'all');
    app.push(performance.now() - t0);
    const { args } = planClip(core, req, 'all', path.join(dir, 'alone.mp4'));
    t0 = performance.now();
    execFileSync(ffmpegPath(), args);
    alone.push(performance.now() - t0);
  }
  const bytes = fs.statSync(req.out).size;
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const a = median(app);
  const b = median(alone);
  console.log(
    JSON.stringify({
      bench: 'clip',
      clip_s: 60,
      rounds,
      app_ms_median: Math.round(a),
      ffmpeg_alone_ms_median: Math.round(b),
      ratio: Math.round((a / b) * 100) / 100,
      target_ratio: 1.3,
      clip_bytes: bytes,
    }),
  );
}
void main();
