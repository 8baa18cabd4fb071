// Screenshots of the main screens, light and dark, for looking at what we build:
//   npm run build && node scripts/screenshots.mjs [outDir]
// and the guides' pictures at a clinic laptop's size (docs/images, committed):
//   npm run build && node scripts/screenshots.mjs --docs
// Starts the built browser host on a scratch data folder with synthetic media, imports through
// the CLI, and saves PNGs (default: tests/screenshots/).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const docs = process.argv.includes('--docs');
const outDir = path.resolve(
  docs
    ? path.join(root, 'docs/images')
    : (process.argv.slice(2).find((a) => !a.startsWith('--')) ?? path.join(root, 'tests/screenshots')),
);
fs.mkdirSync(outDir, { recursive: true });
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-shots-'));
const dataDir = path.join(work, 'data');
const ffmpeg = require('@ffmpeg-installer/ffmpeg').path;
const voice =
  "aevalsrc='0.6*sin(2*PI*180*t)*(0.4+0.6*abs(sin(2*PI*0.31*t)))*gt(sin(2*PI*0.13*t)+0.4*sin(2*PI*0.05*t),-0.2)':s=16000";
const media = path.join(work, 'Økt 3 – klient.mp4');
execFileSync(ffmpeg, [
  '-v',
  'error',
  '-y',
  '-f',
  'lavfi',
  '-i',
  'testsrc2=size=640x360:rate=25',
  '-f',
  'lavfi',
  '-i',
  voice,
  '-t',
  '300',
  '-c:v',
  'libx264',
  '-preset',
  'ultrafast',
  '-crf',
  '38',
  '-pix_fmt',
  'yuv420p',
  '-c:a',
  'aac',
  '-shortest',
  media,
]);
const cli = (...args) =>
  execFileSync(process.execPath, [path.join(root, 'bin/alliance-review.cjs'), ...args, '--data-dir', dataDir], {
    stdio: 'pipe',
  });
cli('import', media, '--case', 'C-014', '--session', '3', '--date', '2026-09-16', '--therapist', 'T. Hansen');
cli('import', media, '--case', 'C-021', '--session', '1', '--date', '2026-10-02', '--therapist', 'A. Berg');
// A coded session: two raters' ruptures, repairs and comments over the five minutes.
const rows = ['type,code,start,end,significance,stage,note'];
const markers = ['W2', 'W4', 'C1', 'W1;W5', 'C5', 'W3', 'C2', 'W7'];
for (let i = 0; i < 14; i++) {
  const t = 8 + i * 20.5;
  rows.push(
    `rupture,${markers[i % markers.length]},${t.toFixed(1)},${(t + 6 + (i % 4) * 2).toFixed(1)},${(i % 5) + 1},,`,
  );
  if (i % 3 !== 2)
    rows.push(
      `repair,${['R4', 'R1', 'R6', 'R9'][i % 4]},${(t + 9).toFixed(1)},${(t + 15).toFixed(1)},${(i % 4) + 2},,`,
    );
  if (i % 4 === 1) rows.push(`comment,,${(t + 3).toFixed(1)},${(t + 3).toFixed(1)},,,Notice how the pause lands here`);
}
const csv = path.join(work, 'coding.csv');
fs.writeFileSync(csv, rows.join('\n'));
cli('annotations', 'import', csv, '--session', '1', '--rater', 'Dr. Supervisor', '--role', 'supervisor');
const csv2 = path.join(work, 'coding2.csv');
fs.writeFileSync(
  csv2,
  rows
    .filter((_, i) => i % 2 === 0)
    .map((r, i) => (i === 0 ? r : r.replace(/,(\d+\.\d),/, (m, a) => `,${(Number(a) + 1.5).toFixed(1)},`)))
    .join('\n'),
);
cli('annotations', 'import', csv2, '--session', '1', '--rater', 'Trainee T', '--role', 'trainee', '--skip-invalid');
if (docs) {
  // Two observers who rated blind and submitted, and a comment from the supervisor that is held
  // from the trainee (her self-review is a draft).
  cli('annotations', 'import', csv, '--session', '1', '--rater', 'Observer O', '--role', 'observer', '--submit');
  cli(
    'annotations',
    'import',
    csv2,
    '--session',
    '1',
    '--rater',
    'Observer P',
    '--role',
    'observer',
    '--submit',
    '--skip-invalid',
  );
  cli(
    'feedback',
    'add',
    '1',
    '--at',
    '00:00:29',
    '--to',
    '00:00:36',
    '--author',
    'Dr. Supervisor',
    '--text',
    'She goes quiet after your question: a withdrawal? What did you notice?',
    '--label',
    'rupture missed',
  );
}

const host = spawn(process.execPath, [path.join(root, 'out/host/browser-host.cjs'), '--data-dir', dataDir], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve) =>
  host.stdout.on('data', (d) => {
    const m = /(http:\S+)/.exec(String(d));
    if (m) resolve(m[1]);
  }),
);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  if (docs) await docShots();
  for (const scheme of docs ? [] : ['light', 'dark']) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: scheme });
    await page.goto(url);
    await page.getByRole('button', { name: 'Open Session 3' }).waitFor();
    await page.screenshot({ path: path.join(outDir, `library-${scheme}.png`) });
    await page.getByRole('button', { name: 'Open Session 3' }).click();
    await page.getByRole('combobox', { name: 'Current rater' }).selectOption({ label: 'Dr. Supervisor (supervisor)' });
    await page.locator('.waveform[data-drawn="true"]').waitFor();
    await page.getByRole('textbox', { name: 'Current time' }).fill('00:02:10.000');
    await page.getByRole('textbox', { name: 'Current time' }).press('Enter');
    await page.locator('body').press('+');
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(outDir, `player-${scheme}.png`) });
    await page.locator('body').press('?');
    await page.screenshot({ path: path.join(outDir, `shortcuts-${scheme}.png`) });
    await page.close();
  }
  console.log(`Screenshots in ${outDir}`);
} finally {
  await browser.close();
  host.kill();
  fs.rmSync(work, { recursive: true, force: true });
}

/** The guides' pictures: 1366×768, light. */
async function docShots() {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, colorScheme: 'light' });
  const shot = (name) => page.screenshot({ path: path.join(outDir, name) });
  const asRater = async (label) => {
    await page.getByRole('combobox', { name: 'Current rater' }).selectOption({ label });
    await page.locator('.waveform[data-drawn="true"]').waitFor();
  };
  const go = async (time) => {
    await page.getByRole('textbox', { name: 'Current time' }).fill(time);
    await page.getByRole('textbox', { name: 'Current time' }).press('Enter');
    await page.locator('body').focus();
  };
  await page.goto(url);
  await page.getByRole('button', { name: 'Open Session 3' }).waitFor();
  await shot('library.png');
  // The supervisor's player, with the feedback tab.
  await page.getByRole('button', { name: 'Open Session 3' }).click();
  await asRater('Dr. Supervisor (supervisor)');
  await go('00:00:30.000');
  await page.getByRole('tab', { name: /^Feedback/ }).click();
  await page.waitForTimeout(300);
  await shot('supervisor-player.png');
  // The trainee's: her self-review is a draft, so the supervisor's comment is held.
  await asRater('Trainee T (trainee)');
  await page.getByRole('tab', { name: /^Feedback/ }).click();
  await page.waitForTimeout(300);
  await shot('trainee-feedback-held.png');
  // An observer coding from the keyboard: R … R stores the mark, its form waits beside the lanes.
  await page.getByRole('tab', { name: 'Segments' }).click();
  await page
    .getByRole('combobox', { name: 'Current rater' })
    .selectOption({ label: 'New rater…' })
    .catch(() => undefined);
  const name = page.getByLabel('Rater name');
  if (await name.isVisible().catch(() => false)) {
    await name.fill('Observer Q');
    await page.getByLabel('Role').selectOption('observer');
    await page.getByRole('button', { name: 'Start rating' }).click();
    await page.locator('.waveform[data-drawn="true"]').waitFor();
  }
  await go('00:01:02.000');
  await page.keyboard.press('r');
  await go('00:01:07.500');
  await page.keyboard.press('r');
  await page.keyboard.press('Enter');
  await page.keyboard.type('minimal');
  await page.waitForTimeout(300);
  await shot('observer-coding.png');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  // The comparison, as the supervisor.
  await asRater('Dr. Supervisor (supervisor)');
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.locator('.perspective-group .seg').first().waitFor({ state: 'attached' });
  await page.waitForTimeout(500);
  await shot('compare.png');
  // The codebook with quick keys.
  await page.goto(`${url}#/codebook`);
  await page.getByLabel('Quick key of W2').fill('1');
  await shot('codebook.png');
  await page.close();
}
