/**
 * Import speed: a 60-minute recording (probe + fingerprint + peaks + store) against ffmpeg alone
 * decoding the same audio to 8 kHz mono PCM, measured side by side, alternating, several rounds.
 * Target (issue 2): import ≤ 1.5 × ffmpeg alone; issue 11's, using every core: ≤ 0.6 ×.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../src/main/app';
import { ffmpegDecodeMs, sixtyMinuteRecording } from './media';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const file = sixtyMinuteRecording();
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const ffmpegMs: number[] = [];
  const importMs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    ffmpegMs.push(ffmpegDecodeMs(file, { audioChannels: 1 }));

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-bench-'));
    const core = createCore({ dataDir: dir });
    const c = core.library.createCase({ code: 'C-BENCH', therapist: '', notes: '' });
    const s = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
    const t1 = performance.now();
    const rec = await core.imports.importOne(s.id, file, { offsetMs: 0, copy: false });
    importMs.push(performance.now() - t1);
    if (rec.peaks.length !== 3) throw new Error('peaks missing');
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const ratio = median(importMs) / median(ffmpegMs);
  console.log(
    JSON.stringify(
      {
        benchmark: 'import-60min',
        file: { bytes: fs.statSync(file).size, durationS: 3600, video: 'h264 640x360 25fps', audio: 'aac 48kHz mono' },
        rounds,
        ffmpeg_decode_8k_mono_ms: { median: Math.round(median(ffmpegMs)), all: ffmpegMs.map(Math.round) },
        import_ms: { median: Math.round(median(importMs)), all: importMs.map(Math.round) },
        ratio_import_to_ffmpeg: Math.round(ratio * 1000) / 1000,
        target_ratio: 1.5,
        within_target: ratio <= 1.5,
        // Issue 11's, with the decode spread over every core (and the speech analysis included).
        target_ratio_all_cores: 0.6,
        within_target_all_cores: ratio <= 0.6,
      },
      null,
      2,
    ),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
