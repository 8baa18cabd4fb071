/**
 * The comparison as a player, in Chromium through the browser host, on the 60-minute recording
 * with 6 submitted raters × 300 segments: open (from the review player's "Compare" until the
 * waveform is drawn and the lanes are laid out; target < 300 ms, the player's), and 2 s of
 * panning the waveform with every lane following (dropped frames at 60 fps; target: none).
 * Prints JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBrowserHost } from '../src/main/hosts/browser-host';
import { launchChromium } from '../tests/support/browser';
import { sixtyMinuteRecording } from './media';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 10) / 10;

async function main() {
  const file = sixtyMinuteRecording();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-bench-compare-'));
  const host = await startBrowserHost({
    dataDir,
    rendererDir: path.resolve(__dirname, '..', '..', 'out', 'renderer'),
    scrubAid: false,
    dailyBackups: false,
  });
  const { core } = host;
  const c = core.library.createCase({ code: 'C-BENCH', therapist: '', notes: '' });
  const s = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
  await core.imports.importOne(s.id, file, { offsetMs: 0, copy: false });
  const RATERS = Number(process.env.BENCH_RATERS ?? 6);
  const PER = Number(process.env.BENCH_SEGMENTS ?? 300);
  for (let r = 0; r < RATERS; r++) {
    const rater = core.annotations.createRater(`Observer ${r + 1}`, 'observer');
    const rows = Array.from({ length: PER }, (_, i) => {
      const start = Math.floor(((i + 0.1 + r * 0.03) * 3_590_000) / PER);
      return {
        line: i + 1,
        input: {
          sessionId: s.id,
          raterId: rater.id,
          kind: (i % 3 === 2 ? 'repair' : 'rupture') as 'repair' | 'rupture',
          startMs: start,
          endMs: start + 4000 + (i % 5) * 1000,
          codes: [i % 3 === 2 ? 'R1' : i % 2 ? 'W2' : 'C1'],
        },
      };
    });
    core.annotations.importSegments(rows, false);
    core.annotations.submit(s.id, rater.id);
  }
  const sup = core.annotations.createRater('Dr. Bench', 'supervisor');
  core.annotations.setCurrentRater(sup.id);

  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const loads = Number(process.env.BENCH_LOADS ?? 7);
  const openMs: number[] = [];
  // PROFILE=open prints the heaviest functions while opening (build with NO_MINIFY=1 for names).
  const cdp = await page.context().newCDPSession(page);
  for (let i = 0; i < loads + 1; i++) {
    if (process.env.PROFILE === 'open' && i === loads) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    await page.goto(`${host.url}#/session/${s.id}`);
    await page.locator('.waveform[data-drawn="true"]').waitFor({ timeout: 30_000 });
    const ms = await page.evaluate(
      (part) =>
        new Promise<number>((resolve) => {
          const t0 = performance.now();
          // OPEN_PART=lanes|wave (diagnostic): stop the clock when only that part is shown.
          const done = () =>
            location.hash.startsWith('#/compare/') &&
            (part === 'lanes' || document.querySelector('.waveform[data-drawn="true"]')) &&
            (part === 'wave' || document.querySelectorAll('.perspective-group .seg').length > 0);
          const observer = new MutationObserver(() => {
            if (done()) {
              observer.disconnect();
              requestAnimationFrame(() => resolve(performance.now() - t0));
            }
          });
          observer.observe(document.body, { subtree: true, attributes: true, childList: true });
          const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Compare')!;
          button.click();
        }),
      process.env.OPEN_PART ?? '',
    );
    if (i > 0) openMs.push(ms); // the first warms caches
  }
  // A cold open: the comparison's address loaded directly (nothing shared with a player before it);
  // from navigation start until the lanes and the waveform are drawn.
  const coldMs: number[] = [];
  for (let i = 0; i < 4; i++) {
    await page.goto('about:blank'); // a real load, not a hash change in the same document
    await page.goto(`${host.url}#/compare/${s.id}`);
    await page.locator('.perspective-group .seg').first().waitFor({ timeout: 30_000 });
    await page.locator('.waveform[data-drawn="true"]').waitFor({ timeout: 30_000 });
    if (i > 0) coldMs.push(await page.evaluate(() => performance.now()));
  }
  if (process.env.PROFILE === 'open') {
    const { profile } = await cdp.send('Profiler.stop');
    const self = new Map<string, number>();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    (profile.samples ?? []).forEach((id, i) => {
      const n = byId.get(id)!;
      const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
    });
    console.error(
      [...self.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 25)
        .map(([k, v]) => `${v.toFixed(1)}ms ${k}`)
        .join('\n'),
    );
  }
  const lanes = await page.locator('.perspective-group .lane').count();
  const pan = await page.evaluate(async () => {
    const hostEl = document.querySelector('.waveform')?.firstElementChild as HTMLElement;
    const scroller = hostEl.shadowRoot!.querySelector('.scroll') as HTMLElement;
    const deltas: number[] = [];
    let last = performance.now();
    const t0 = last;
    await new Promise<void>((resolve) => {
      const step = () => {
        const now = performance.now();
        deltas.push(now - last);
        last = now;
        scroller.scrollLeft += 12;
        if (now - t0 < 2000) requestAnimationFrame(step);
        else resolve();
      };
      requestAnimationFrame(step);
    });
    const dropped = deltas.slice(1).reduce((acc, d) => acc + Math.max(0, Math.round(d / (1000 / 60)) - 1), 0);
    return { frames: deltas.length, seconds: 2, dropped, worstMs: Math.round(Math.max(...deltas.slice(1))) };
  });
  await browser.close();
  await host.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      bench: 'compare',
      raters: RATERS,
      segments_per_rater: PER,
      lanes,
      cold_open_from_address_ms: { median: Math.round(median(coldMs)), all: coldMs.map(Math.round) },
      open_ms: { median: round(median(openMs)), all: openMs.map(round), target: 300 },
      waveform_pan_2s: pan,
    }),
  );
}
void main();
