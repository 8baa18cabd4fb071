/**
 * Agreement over a generated study: 500 sessions × 3 raters × 40 segments each (50-minute
 * sessions, 14 marker codes), computed with the same report the CLI prints (time-unit kappa per
 * code and any, event agreement, IoU, PABAK, positive/negative agreement for every pair).
 * Target (issue 4): under 1 s for the whole study.
 */
import { segmentsReport } from '../src/main/core/agreement';

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
console.log(
  JSON.stringify(
    {
      benchmark: 'agreement-study',
      sessions: sessions.length,
      raters_per_session: 3,
      segments_per_rater: 40,
      pairs,
      unit_ms: 1000,
      study_ms: { median: Math.round(runs[1]!), all: runs.map(Math.round), target: 1000 },
    },
    null,
    2,
  ),
);
