/**
 * Who speaks when and alignment, on 60-minute recordings (issue 11's targets):
 * - import of a stereo recorder (probe, fingerprint, peaks and speech frames in one decode) against
 *   ffmpeg alone decoding the same audio, and the same decode without speech frames (what the
 *   analysis adds);
 * - speech analysis on demand for a session imported before it (target ≤ 1.5 × ffmpeg's decode);
 * - the speaker lanes and talk figures of the hour (what opening the session costs);
 * - alignment of a 60-minute pair (target < 3 s), and the offset it finds against the truth.
 * Alternating rounds; medians.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../src/main/app';
import { analyzeAudio } from '../src/main/media/media';
import { ffmpegDecodeMs, sixtyMinutePair, sixtyMinuteTwoMics } from './media';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x);

async function main() {
  const twoMics = sixtyMinuteTwoMics();
  const pair = sixtyMinutePair();
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const ffmpegMs: number[] = [];
  const peaksOnlyMs: number[] = [];
  const importMs: number[] = [];
  const analyzeMs: number[] = [];
  const sessionMs: number[] = [];
  const alignMs: number[] = [];
  let found: unknown = null;
  let figures: unknown = null;
  for (let i = 0; i < rounds; i++) {
    ffmpegMs.push(ffmpegDecodeMs(twoMics, { audioChannels: 2 }));
    const t0 = performance.now();
    await analyzeAudio(twoMics, 3_600_000, { channels: 2, speech: false }, () => undefined);
    peaksOnlyMs.push(performance.now() - t0);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-bench-'));
    const core = createCore({ dataDir: dir });
    try {
      const c = core.library.createCase({ code: 'C-BENCH', therapist: '', notes: '' });
      const s = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
      const t1 = performance.now();
      await core.imports.importOne(s.id, twoMics, { offsetMs: 0, copy: false });
      importMs.push(performance.now() - t1);

      const t2 = performance.now();
      const talk = core.talk.session(s.id);
      sessionMs.push(performance.now() - t2);
      figures = {
        mode: talk.activity?.mode,
        lanes: talk.figures?.session.lanes.map((l) => ({ key: l.key, talk_s: round(l.talkMs / 1000), turns: l.turns })),
        silences: talk.activity?.silences.length,
        overlaps: talk.activity?.overlaps.length,
        stretches: talk.activity?.lanes.map((l) => l.stretches.length),
        speech_frames_bytes: core.db.prepare('SELECT sum(length(data)) AS n FROM speech_frames').get(),
      };

      core.db.prepare('DELETE FROM speech_frames').run();
      const t3 = performance.now();
      await core.talk.analyze(s.id);
      analyzeMs.push(performance.now() - t3);

      const s2 = core.library.createSession({ caseId: c.id, number: 2, date: null, modality: '', notes: '' });
      await core.imports.importOne(s2.id, pair.main, { offsetMs: 0, copy: false });
      await core.imports.importOne(s2.id, pair.other, { offsetMs: 0, copy: false });
      const t4 = performance.now();
      const res = await core.talk.align(s2.id);
      alignMs.push(performance.now() - t4);
      const r = res.recordings[0]!;
      found = {
        truth_ms: pair.lagMs,
        found_ms: r.foundOffsetMs,
        error_ms: r.foundOffsetMs === null ? null : r.foundOffsetMs - pair.lagMs,
        confidence: r.confidence,
        refined: r.refined,
      };
    } finally {
      core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const ff = median(ffmpegMs);
  console.log(
    JSON.stringify(
      {
        benchmark: 'talk-60min',
        file: { bytes: fs.statSync(twoMics).size, durationS: 3600, audio: 'aac 16 kHz stereo, a speaker per channel' },
        rounds,
        ffmpeg_decode_8k_stereo_ms: { median: round(ff), all: ffmpegMs.map(round) },
        peaks_only_decode_ms: { median: round(median(peaksOnlyMs)), all: peaksOnlyMs.map(round) },
        import_with_speech_ms: { median: round(median(importMs)), all: importMs.map(round) },
        ratio_import_to_ffmpeg: Math.round((median(importMs) / ff) * 100) / 100,
        speech_added_ms: round(median(importMs) - median(peaksOnlyMs)),
        analyze_on_demand_ms: { median: round(median(analyzeMs)), all: analyzeMs.map(round) },
        ratio_analyze_to_ffmpeg: Math.round((median(analyzeMs) / ff) * 100) / 100,
        target_analyze_ratio: 1.5,
        session_lanes_and_figures_ms: { median: round(median(sessionMs)), all: sessionMs.map(round) },
        figures,
        align_60min_pair_ms: { median: round(median(alignMs)), all: alignMs.map(round) },
        target_align_ms: 3000,
        alignment: found,
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
