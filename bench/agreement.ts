/**
 * Agreement over a generated study: 500 sessions × 3 raters × 40 segments each (50-minute
 * sessions, 14 marker codes), computed with the same report the CLI prints (time-unit kappa per
 * code and any, event agreement, IoU, PABAK, positive/negative agreement for every pair).
 * Target (issue 4): under 1 s for the whole study. Measured twice: the report function in
 * process, and the CLI (`agreement study`, a fresh process reading a library of the same study
 * with every rating submitted), wall clock including Node's start.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SegmentInput } from '../src/main/coding/annotations';
import { createCore } from '../src/main/app';
import { standInRecording } from './media';
import { segmentsReport } from '../src/main/agreement/agreement';
import { ratingsReport } from '../src/main/agreement/ratings';
import { parseRatingsTable } from '../src/main/agreement/segment-files';
import { krippendorffAlpha } from '../src/shared/agreement/stats';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const codes = ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7'];
const random = rng(42);
const sessions = Array.from({ length: 500 }, () => {
  const base = Array.from({ length: 40 }, () => {
    const start = Math.floor(random() * 2_990_000);
    return {
      code: codes[Math.floor(random() * codes.length)]!,
      startMs: start,
      endMs: start + 2_000 + Math.floor(random() * 20_000),
    };
  });
  // Three raters who mostly see the same events, with jitter and some disagreement.
  return ['A', 'B', 'C'].flatMap((rater) =>
    base.map((e) => {
      const jitter = Math.floor((random() - 0.5) * 4_000);
      const code = random() < 0.15 ? codes[Math.floor(random() * codes.length)]! : e.code;
      return { rater, code, startMs: Math.max(0, e.startMs + jitter), endMs: e.endMs + jitter };
    }),
  );
});

const runs: number[] = [];
let pairs = 0;
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  pairs = 0;
  for (const spans of sessions)
    pairs += segmentsReport(spans, { unitMs: 1000, toleranceMs: 0, windowMs: 3000, durationMs: 3_000_000 }).pairs
      .length;
  runs.push(performance.now() - t0);
}
runs.sort((a, b) => a - b);

// The same study as a library on disk, then the CLI over it.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-bench-study-'));
const core = createCore({ dataDir });
const c = core.library.createCase({ code: 'C-STUDY', therapist: '', notes: '' });
const raterIds = Object.fromEntries(
  ['A', 'B', 'C'].map((r) => [r, core.annotations.createRater(`Observer ${r}`, 'observer').id]),
);
core.db.transaction(() => {
  sessions.forEach((spans, i) => {
    const s = core.library.createSession({ caseId: c.id, number: i + 1, date: null, modality: '', notes: '' });
    core.repos.recordings.insert(standInRecording(s.id, i));
    for (const rater of ['A', 'B', 'C']) {
      const rows: { line: number; input: SegmentInput }[] = spans
        .filter((x) => x.rater === rater)
        .map((x, n) => ({
          line: n + 1,
          input: {
            sessionId: s.id,
            raterId: raterIds[rater]!,
            kind: 'rupture',
            startMs: x.startMs,
            endMs: Math.min(3_000_000, x.endMs),
            codes: [x.code],
          },
        }));
      const r = core.annotations.importSegments(rows, false);
      if (r.imported !== rows.length) throw new Error(JSON.stringify(r.rejected[0]));
      core.annotations.submit(s.id, raterIds[rater]!);
    }
  });
})();
core.close();
const cli = path.resolve(__dirname, '..', '..', 'out', 'cli', 'alliance-review.cjs');
const cliRuns: number[] = [];
let cliPairs = 0;
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [cli, 'agreement', 'study', '--json', '--data-dir', dataDir], {
    maxBuffer: 256 * 1024 * 1024,
  });
  cliRuns.push(performance.now() - t0);
  cliPairs = (JSON.parse(out.toString()) as { pairs: number }).pairs;
}
cliRuns.sort((a, b) => a - b);
// The same study with a block bootstrap over sessions, 1,000 resamples (issue 12: under 3 s).
const tBootStudy = performance.now();
execFileSync(process.execPath, [cli, 'agreement', 'study', '--json', '--bootstrap', '1000', '--data-dir', dataDir], {
  maxBuffer: 256 * 1024 * 1024,
});
const bootStudyMs = performance.now() - tBootStudy;
if (process.env.BENCH_KEEP) console.error(dataDir);
else fs.rmSync(dataDir, { recursive: true, force: true });

// Continuous ratings (issue 12): 100,000 ratings, every value distinct — reading the table and
// Krippendorff's alpha (interval and ordinal, from sums; nominal). Target: each under 1 s.
const many = ['unit,rater,value'];
const cont = rng(7);
for (let u = 0; u < 25_000; u++)
  for (const r of ['A', 'B', 'C', 'D']) many.push(`u${u},${r},${(u + cont()).toFixed(9)}`);
const tRead = performance.now();
const table = parseRatingsTable(many.join('\n'));
const readMs = performance.now() - tRead;
const alphaMs: Record<string, number> = {};
const alphaValue: Record<string, number | null> = {};
for (const m of ['interval', 'ordinal', 'nominal'] as const) {
  const t0 = performance.now();
  alphaValue[m] = krippendorffAlpha(table.table, m).value;
  alphaMs[m] = Math.round(performance.now() - t0);
}

// Alpha's seeded bootstraps (all four metrics; Hayes & Krippendorff's and the unit bootstrap),
// 1,000 resamples over 2,000 units × 4 raters on a 1–5 scale (ratio alpha is quadratic in the
// number of distinct values, so the bootstrap is measured on a rating scale, as it is used).
const likert = rng(9);
const boot = {
  units: Array.from({ length: 2000 }, (_, u) => `u${u}`),
  raters: ['A', 'B', 'C', 'D'],
  table: Array.from({ length: 2000 }, () => {
    const t = 1 + Math.floor(likert() * 5);
    return [0, 1, 2, 3].map(() => Math.min(5, Math.max(1, t + (likert() < 0.3 ? (likert() < 0.5 ? -1 : 1) : 0))));
  }),
};
const tBoot = performance.now();
const bootReport = ratingsReport(boot, { bootstrap: 1000, seed: 1 });
const bootMs = performance.now() - tBoot;

// Intervals within one session (issue 12): its three pairs, each with a block bootstrap over
// time (1,000 resamples, 60-s blocks of a 50-minute session).
const tSession = performance.now();
const sessionReport = segmentsReport(sessions[0]!, {
  unitMs: 1000,
  toleranceMs: 0,
  windowMs: 3000,
  durationMs: 3_000_000,
  bootstrap: 1000,
  seed: 1,
});
const sessionBootMs = performance.now() - tSession;

console.log(
  JSON.stringify(
    {
      cli_agreement_study_bootstrap_1000_ms: { ms: Math.round(bootStudyMs), target: 3000 },
      alpha_bootstrap: {
        units: 2000,
        raters: 4,
        resamples: 1000,
        metrics: Object.keys((bootReport.krippendorff_alpha_ci as Record<string, unknown>) ?? {}),
        ms: Math.round(bootMs),
      },
      session_block_bootstrap_1000: {
        pairs: sessionReport.pairs.length,
        blocks: sessionReport.bootstrap?.blocks,
        ms: Math.round(sessionBootMs),
      },
      continuous_ratings: {
        ratings: table.units.length * table.raters.length,
        read_ms: Math.round(readMs),
        alpha_ms: alphaMs,
        alpha: alphaValue,
        target_ms: 1000,
      },
      benchmark: 'agreement-study',
      sessions: sessions.length,
      raters_per_session: 3,
      segments_per_rater: 40,
      pairs,
      unit_ms: 1000,
      in_process_ms: { median: Math.round(runs[1]!), all: runs.map(Math.round), target: 1000 },
      cli_agreement_study_ms: {
        median: Math.round(cliRuns[1]!),
        all: cliRuns.map(Math.round),
        pairs: cliPairs,
        target: 1000,
      },
    },
    null,
    2,
  ),
);
