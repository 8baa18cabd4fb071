/**
 * Importing a large annotations CSV through the command line's path (parse, check every row,
 * store as one undoable change): 50,000 rows into a 60-minute session. Target (issue 8): under
 * 5 s, all or nothing. Prints JSON; a run that fails says why in `error`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../src/main/app';
import { runCli } from '../src/cli/index';

const ROWS = Number(process.env.BENCH_ROWS ?? 50_000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const times: number[] = [];
  let error: string | null = null;
  let imported = 0;
  for (let round = 0; round < rounds; round++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-bench-csv-'));
    const core = createCore({ dataDir: dir });
    const c = core.library.createCase({ code: 'C-CSV', therapist: '', notes: '' });
    const s = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
    core.repos.recordings.insert({
      sessionId: s.id,
      path: path.join(dir, 'stand-in.mp4'),
      fileName: 'stand-in.mp4',
      sizeBytes: 1,
      fingerprint: 'bench',
      managed: false,
      offsetMs: 0,
      durationMs: 3_600_000,
      hasAudio: true,
      hasVideo: true,
      probe: { formatName: 'mp4', durationMs: 3_600_000, streams: [] },
      peaks: [],
    });
    core.close();
    const lines = ['type,code,start,end,significance,note'];
    for (let i = 0; i < ROWS; i++) {
      const start = (i * 71) % 3_590_000;
      lines.push(
        `rupture,${i % 2 ? 'W2' : 'C1'},${(start / 1000).toFixed(3)},${((start + 1500) / 1000).toFixed(3)},${(i % 5) + 1},row ${i}`,
      );
    }
    const file = path.join(dir, 'segments.csv');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    let out = '';
    let err = '';
    const t0 = performance.now();
    const code = await runCli(
      ['annotations', 'import', file, '--session', String(s.id), '--rater', 'Importer', '--json', '--data-dir', dir],
      { stdout: (x) => (out += x), stderr: (x) => (err += x), tty: false, env: {} },
    );
    times.push(performance.now() - t0);
    if (code !== 0) error = err.trim() || out.trim().slice(0, 300);
    else imported = (JSON.parse(out) as { imported: number }).imported;
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    JSON.stringify(
      {
        benchmark: 'annotations-csv-import',
        rows: ROWS,
        rounds,
        imported,
        error,
        import_ms: { median: Math.round(median(times)), all: times.map(Math.round) },
        target_ms: 5000,
        within_target: error === null && imported === ROWS && median(times) < 5000,
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
