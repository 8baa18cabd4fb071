/**
 * Agreement on continuous ratings at scale (issue 24): `agreement ratings` over 100,000 units
 * rated by two raters, every value distinct (200,000 distinct values: onset times in ms, say),
 * through the CLI in a fresh process as a user runs it: wall clock and peak memory (the
 * process's own maxRSS, read at its exit). Before, the category statistics were built over every
 * distinct value and ran out of memory. Target: at most 2 s and 300 MB. Also the same file with
 * --level ordinal (still no category table) and the in-process report alone.
 * Prints one JSON object.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ratingsReport } from '../src/main/agreement/ratings';
import { parseRatingsTable } from '../src/main/agreement/segment-files';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-bench-stats-'));
const csv = path.join(dir, 'onsets.csv');
const random = rng(24);
const lines = ['unit,rater,value'];
for (let u = 0; u < 100_000; u++) {
  // Onsets around 3,000,000 ms spread over 20 s: each rater within about a second of the truth.
  const onset = 3_000_000 + random() * 20_000;
  const a = onset + (random() - 0.5) * 2_000;
  const b = onset + 300 + (random() - 0.5) * 2_000;
  lines.push(`u${u},A,${a.toFixed(3)}`, `u${u},B,${b.toFixed(3)}`);
}
fs.writeFileSync(csv, lines.join('\n'));
// Peak memory of the CLI process, written to stderr as it exits.
const peak = path.join(dir, 'peak.cjs');
fs.writeFileSync(
  peak,
  "process.on('exit', () => require('node:fs').writeSync(2, '\\nPEAK_RSS_KB ' + process.resourceUsage().maxRSS + '\\n'));",
);
const cli = path.resolve(__dirname, '..', '..', 'out', 'cli', 'alliance-review.cjs');

/** Three timed runs of the CLI on the file (wall clock, Node's start included), and its answer. */
function run(extra: string[]) {
  const ms: number[] = [];
  let out: Record<string, unknown> = {};
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const res = execFileSync(process.execPath, [cli, 'agreement', 'ratings', csv, '--json', ...extra], {
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    });
    ms.push(performance.now() - t0);
    out = JSON.parse(res) as Record<string, unknown>;
  }
  return { ms: ms.map(Math.round).sort((x, y) => x - y), out };
}

/** The CLI's peak memory on the file (its own maxRSS, written as it exits), in MB. */
function peakOf(extra: string[]): number {
  const r = spawnSync(process.execPath, ['-r', peak, cli, 'agreement', 'ratings', csv, '--json', ...extra], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const kb = Number(/PEAK_RSS_KB (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

const inferred = run([]);
const ordinal = run(['--level', 'ordinal']);
const t0 = performance.now();
const report = ratingsReport(parseRatingsTable(fs.readFileSync(csv, 'utf8')));
const inProcessMs = performance.now() - t0;
const icc = (o: Record<string, unknown>) => (o.icc as Record<string, number | null>).ICC2_1;
console.log(
  JSON.stringify(
    {
      benchmark: 'statistics-continuous',
      units: 100_000,
      raters: 2,
      distinct_values: new Set(lines.slice(1).map((l) => l.split(',')[2])).size,
      cli_agreement_ratings: {
        level: inferred.out.level,
        median_ms: inferred.ms[1],
        all_ms: inferred.ms,
        peak_rss_mb: peakOf([]),
        icc2_1: icc(inferred.out),
        interval_alpha: (inferred.out.krippendorff_alpha as Record<string, number | null>).interval,
        target: { ms: 2000, rss_mb: 300 },
      },
      cli_agreement_ratings_level_ordinal: {
        median_ms: ordinal.ms[1],
        peak_rss_mb: peakOf(['--level', 'ordinal']),
        note: ordinal.out.notes && (ordinal.out.notes as Record<string, string>).categories,
      },
      in_process_report_ms: Math.round(inProcessMs),
      in_process_level: report.level,
    },
    null,
    2,
  ),
);
fs.rmSync(dir, { recursive: true, force: true });
