/**
 * `report SESSION_ID --format pdf|html --out FILE [--names]`: the supervision report. The HTML is
 * the one the app shows and prints; a PDF is that same page printed by a headless Chromium-family
 * browser (the one the app's own tests use), so the two never differ. Without a browser, say so
 * and offer --format html.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../app';
import { caseReportHtml } from './case-report';
import { reportData } from './report';
import { reportHtml } from './report-html';
import { AppError } from '../../shared/errors';
import { checkOutput, writeOutput } from '../files/output';
import { privateTemp } from '../files/private-temp';
import type { Command } from '../../cli/args';
import { clipCommand } from './cli-clip';
import { playlistCommand } from './cli-playlist';
import { progressBar } from '../../cli/args';
import { sessionSubject } from '../protection/audit';

export interface ReportOptions {
  case?: string;
  format?: string;
  out?: string;
  names?: boolean;
  json?: boolean;
}

export async function reportCommand(
  core: Core,
  args: string[],
  values: ReportOptions,
  io: { stdout: (s: string) => void; env: NodeJS.ProcessEnv },
): Promise<number> {
  const sessionId = Number(args[0]);
  const caseCode = values.case;
  if (caseCode === undefined && (!Number.isInteger(sessionId) || sessionId < 1))
    throw new AppError(
      'INVALID_INPUT',
      'Use: alliance-review report SESSION_ID --format pdf|html --out FILE [--names], or report --case CODE … for the case summary.',
    );
  const format = values.format ?? (values.out?.toLowerCase().endsWith('.pdf') ? 'pdf' : 'html');
  if (format !== 'pdf' && format !== 'html')
    throw new AppError('INVALID_INPUT', `--format must be pdf or html, not ${format}.`);
  const rule = { what: 'the report', dataDir: core.dataDir, special: 'write-into' as const };
  let plain = true;
  let html: string;
  if (caseCode !== undefined) {
    const found = core.library.listCases().find((c) => c.code.toLowerCase() === caseCode.toLowerCase());
    if (!found) throw new AppError('NOT_FOUND', `There is no case ${caseCode}.`);
    html = caseReportHtml(core, found.id, 'all', { names: values.names });
  } else html = reportHtml(reportData(core, sessionId, 'all', { names: values.names }));
  if (format === 'html') {
    if (!values.out) {
      io.stdout(html);
      return 0;
    }
    plain = writeOutput(values.out, rule, (tmp) => fs.writeFileSync(tmp, html)).plain;
  } else {
    if (!values.out) throw new AppError('INVALID_INPUT', 'A PDF needs a file: add --out FILE.pdf.');
    checkOutput(values.out, rule); // before the browser starts, not after it printed
    const browser = findBrowser(io.env);
    if (!browser)
      throw new AppError(
        'INVALID_INPUT',
        'No Chromium, Chrome or Edge was found to print the PDF. Install one (or name it in ALLIANCE_REVIEW_BROWSER), or use --format html and print that from any browser.',
      );
    plain = await printPdf(browser, html, values.out, core.dataDir);
  }
  if (values.json) io.stdout(`${JSON.stringify({ out: path.resolve(values.out), format })}\n`);
  else if (plain) io.stdout(`Wrote ${values.out}\n`);
  return 0;
}

/** A Chromium-family browser: $ALLIANCE_REVIEW_BROWSER, $CHROME_PATH, or a usual place. */
export function findBrowser(env: NodeJS.ProcessEnv, exists = (p: string) => fs.existsSync(p)): string | null {
  const candidates = [
    env.ALLIANCE_REVIEW_BROWSER,
    env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/microsoft-edge',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  ];
  return candidates.find((c): c is string => !!c && exists(c)) ?? null;
}

/**
 * Prints the page to PDF. The page is plaintext while the browser reads it: it lives in a private
 * folder of the library (0700, removed when done and at the next start), never the shared
 * temporary folder.
 */
async function printPdf(browser: string, html: string, out: string, dataDir: string): Promise<boolean> {
  const { dir: work, remove } = privateTemp(dataDir, 'report');
  const page = path.join(work, 'report.html');
  const pdf = path.join(work, 'report.pdf');
  try {
    fs.writeFileSync(page, html);
    const args = [
      '--headless',
      '--disable-gpu',
      '--no-pdf-header-footer',
      // The report is a local file; the browser must not reach out either.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--disable-default-apps',
      '--no-first-run',
      '--no-default-browser-check',
      `--user-data-dir=${path.join(work, 'profile')}`,
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      `--print-to-pdf=${pdf}`,
      `file://${page}`,
    ];
    const stderr = await new Promise<string>((resolve, reject) => {
      const child = spawn(browser, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new AppError('INVALID_INPUT', `${browser} could not be started (${e.message}).`));
      });
      child.on('exit', () => {
        clearTimeout(timer);
        resolve(err);
      });
    });
    if (!fs.existsSync(pdf) || fs.statSync(pdf).size === 0)
      throw new AppError(
        'INTERNAL',
        `The browser did not print the PDF. It said: ${stderr.trim().split('\n').slice(-3).join(' ') || 'nothing'}`,
      );
    return writeOutput(out, { what: 'the report', dataDir, special: 'write-into' }, (tmp) => fs.copyFileSync(pdf, tmp))
      .plain;
  } finally {
    remove();
  }
}

/** Clips, playlists and reports from the command line. */
export const reportCommands: Command[] = [
  {
    name: 'clip',
    help: [
      {
        group: 'Supervision',
        text: `  clip SESSION_ID (--segment ID | --from TIME --to TIME) [--pad SECONDS] [--audio-only] [--blur]
       [--timecode] [--pitch] [--label TEXT] [--out FILE]   a teaching clip (MP4, H.264/AAC)`,
      },
    ],
    run: async ({ core, args, values, io }) => {
      const code = await clipCommand(core, args, values, { ...io, progress: progressBar(io, 'clip') });
      if (code === 0) core.audit.record('clip.export', sessionSubject(core, Number(args[0])), {});
      return code;
    },
  },
  {
    name: 'playlist',
    help: [
      {
        group: 'Supervision',
        text: `  playlist SESSION_ID --items seg:ID,fb:ID,… [--pad SECONDS] [--blur] [--pitch] (--out FILE.mp4 | --folder DIR)
      marked moments in order: one MP4 with title cards, or a folder of clips with index.csv`,
      },
    ],
    run: ({ core, args, values, io }) =>
      playlistCommand(core, args, values, { ...io, progress: progressBar(io, 'playlist') }),
  },
  {
    name: 'report',
    help: [
      {
        group: 'Supervision',
        text: `  report SESSION_ID --format pdf|html [--out FILE] [--names]
      the supervision report (pseudonymous unless --names); a PDF is printed by Chromium or Chrome
  report --case CODE --format pdf|html [--out FILE] [--names]   the case summary across sessions`,
      },
    ],
    run: async ({ core, args, values, io }) => {
      const code = await reportCommand(core, args, values, io);
      if (code === 0)
        core.audit.record(
          'report.export',
          values.case ? `case ${values.case}` : sessionSubject(core, Number(args[0])),
          {
            format: values.format ?? 'html',
            names: values.names ?? false,
          },
        );
      return code;
    },
  },
];
