/**
 * The supervision report of a 60-minute session with 2,000 segments (three raters, linked
 * repairs, feedback, grids, a self-report): time to gather and draw the HTML, and to the PDF
 * through the CLI's path (headless Chromium). Target (issue 9): under 2 s to PDF. Prints JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../src/main/app';
import { runCli } from '../src/cli/index';
import { reportData } from '../src/main/reports/report';
import { reportHtml } from '../src/main/reports/report-html';
import { seedSupervision } from '../tests/support/supervision';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-bench-report-'));
  const core = createCore({ dataDir: dir });
  const { sessionId } = seedSupervision(core, { segments: 2000, durationMs: 3_600_000 });
  const segments = core.annotations.list(sessionId).segments.length;
  const htmlMs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const html = reportHtml(reportData(core, sessionId, 'all'));
    htmlMs.push(performance.now() - t0);
    bytes = html.length;
  }
  core.close();
  const pdfMs: number[] = [];
  let pages = 0;
  let error: string | null = null;
  for (let i = 0; i < rounds; i++) {
    const out = path.join(dir, `r${i}.pdf`);
    let stderr = '';
    const t0 = performance.now();
    const code = await runCli(['report', String(sessionId), '--format', 'pdf', '--out', out, '--data-dir', dir], {
      stdout: () => undefined,
      stderr: (s) => (stderr += s),
      tty: false,
      env: process.env,
    });
    pdfMs.push(performance.now() - t0);
    if (code !== 0) {
      error = stderr.trim();
      break;
    }
    pages = (
      fs
        .readFileSync(out)
        .toString('latin1')
        .match(/\/Type\s*\/Page[^s]/g) ?? []
    ).length;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      bench: 'report',
      segments,
      rounds,
      html_ms_median: Math.round(median(htmlMs)),
      html_bytes: bytes,
      pdf_ms_median: error ? null : Math.round(median(pdfMs)),
      pdf_ms_max: error ? null : Math.round(Math.max(...pdfMs)),
      pdf_pages: pages,
      target_pdf_ms: 2000,
      error,
    }),
  );
}
void main();
