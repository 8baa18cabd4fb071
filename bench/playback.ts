/**
 * The page's main thread while a 60-minute session plays at 1×: the review player against a bare
 * <video> of the same file in the same browser, side by side. Busy share = the Chrome DevTools
 * Protocol's `Performance.getMetrics` TaskDuration over 10 s of playback, divided by 10 s.
 * Target (issue 11): the player at most 2× the bare video.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startBrowserHost } from '../src/main/hosts/browser-host';
import { launchChromium } from '../tests/support/browser';
import { heaviestFunctions, traceSums } from './diagnose';
import { sixtyMinuteRecording } from './media';

const SECONDS = Number(process.env.BENCH_PLAY_S ?? 10);

async function busyWhilePlaying(
  page: Page,
  profile = false,
  trace = false,
  traceOut = process.env.TRACE_OUT,
): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const task = async () =>
    (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')!.value;
  await page.waitForTimeout(2000); // playback settles
  if (process.env.MUTATIONS === '1') {
    // MUTATIONS=1: what in the page changes while it plays (each change costs a frame), on stderr.
    const changed = await page.evaluate(async () => {
      const seen = new Map<string, number>();
      const mo = new MutationObserver((records) => {
        for (const r of records) {
          const e = r.target instanceof Element ? r.target : r.target.parentElement;
          const k = `${r.type} ${e ? `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}` : '#text'} ${r.attributeName ?? ''}`;
          seen.set(k, (seen.get(k) ?? 0) + 1);
        }
      });
      mo.observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
      // And how fast the media's clock runs against the page's (the playhead glides on the page's).
      const video = document.querySelector('video')!;
      const [m0, p0] = [video.currentTime, performance.now()];
      await new Promise((r) => setTimeout(r, 5000));
      const clockRate = (video.currentTime - m0) / ((performance.now() - p0) / 1000);
      mo.disconnect();
      return [...[...seen].map(([k, n]) => `${n} ${k}`), `media clock / page clock: ${clockRate.toFixed(4)}`];
    });
    console.error(changed.join('\n'));
  }
  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  const browser = page.context().browser()!;
  if (trace)
    await browser.startTracing(page, {
      // TRACE_CATEGORIES=a,b adds Chromium's own (e.g. toplevel: where each task was posted from).
      categories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        ...(process.env.TRACE_CATEGORIES?.split(',') ?? []),
      ],
    });
  const t0 = await task();
  await page.waitForTimeout(SECONDS * 1000);
  const t1 = await task();
  if (trace) {
    // TRACE=1: where the renderer's threads spent the time (style, layout, paint, …), on stderr;
    // TRACE_OUT=file.json keeps the raw trace.
    const raw = await browser.stopTracing();
    if (traceOut) fs.writeFileSync(traceOut, raw);
    console.error(traceSums(raw));
  }
  if (profile) {
    // PROFILE=1 (with a NO_MINIFY=1 build): the heaviest functions while playing, on stderr.
    console.error(heaviestFunctions((await cdp.send('Profiler.stop')).profile, 30));
  }
  const playing = await page.evaluate(() => !(document.querySelector('video') as HTMLVideoElement).paused);
  if (!playing) throw new Error('the video stopped playing during the measurement');
  await cdp.detach();
  // Two decimals: the bare video is at a few tenths of a per cent, and a ratio of rounded tenths
  // would jump by halves.
  return Math.round(((t1 - t0) / SECONDS) * 10000) / 100;
}

async function main() {
  const file = sixtyMinuteRecording();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-bench-playback-'));
  const host = await startBrowserHost({
    dataDir,
    rendererDir: path.resolve(__dirname, '..', '..', 'out', 'renderer'),
    scrubAid: false,
    dailyBackups: false,
  });
  const c = host.core.library.createCase({ code: 'C-BENCH', therapist: '', notes: '' });
  const s = host.core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
  const rec = await host.core.imports.importOne(s.id, file, { offsetMs: 0, copy: false });
  const browser = await launchChromium();
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const player: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(`${host.url}#/session/${s.id}`);
    await page.locator('.waveform[data-drawn="true"]').waitFor({ timeout: 30_000 });
    const key = await page.evaluate(
      () => document.querySelector('meta[name="alliance-media-key"]')?.getAttribute('content') ?? '',
    );
    await page.getByRole('region', { name: 'Lanes' }).focus();
    await page.keyboard.press(' ');
    player.push(
      await busyWhilePlaying(page, process.env.PROFILE === '1' && i === 0, process.env.TRACE === '1' && i === 0),
    );
    await page.close();

    const plain = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await plain.goto(host.url);
    await plain.setContent(
      `<video src="${host.url.replace(/\/?(\?.*)?$/, '')}/media/${rec.id}?k=${key}" autoplay muted style="width:1000px"></video>`,
    );
    await plain.waitForFunction(() => (document.querySelector('video') as HTMLVideoElement).currentTime > 0.5);
    // TRACE_BARE_OUT=file.json: the bare video's trace too, to set beside the player's.
    bare.push(
      await busyWhilePlaying(plain, false, !!process.env.TRACE_BARE_OUT && i === 0, process.env.TRACE_BARE_OUT),
    );
    await plain.close();
  }
  await browser.close();
  await host.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    JSON.stringify(
      {
        benchmark: 'playback-main-thread',
        seconds: SECONDS,
        rounds,
        player_busy_percent: { median: median(player), all: player },
        bare_video_busy_percent: { median: median(bare), all: bare },
        ratio: Math.round((median(player) / Math.max(0.01, median(bare))) * 10) / 10,
        target_ratio: 2,
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
