/**
 * The scrub aid on a camera file (60 minutes, 640×360 H.264, a keyframe every 10 s):
 * - its build time beside ffmpeg decoding the same video alone, and its size per hour;
 * - in Chromium through the browser host: seek latency (currentTime set → `seeked` of the file, or
 *   of the aid when it is first) on the file alone and with the aid (median, p90; target ≤ 100 ms with the aid),
 *   single frame steps backwards, and a 3-s drag across the overview (frames presented per second;
 *   target ≥ 15).
 * Two sessions hold the same file: one with its aid, one without.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createCore } from '../src/main/app';
import { startBrowserHost } from '../src/main/hosts/browser-host';
import { launchChromium } from '../tests/support/browser';
import { ffmpegDecodeMs, sixtyMinuteCamera } from './media';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;
const round = (x: number) => Math.round(x * 10) / 10;

/** Seeks the main video to each target; ms until a frame of it shows (the aid's or the file's). */
function seekTimes(page: Page, targets: number[]): Promise<number[]> {
  return page.evaluate(async (ts) => {
    const v = document.querySelector('.stage video:not(.scrub-proxy)') as HTMLVideoElement;
    const proxy = document.querySelector('video.scrub-proxy') as HTMLVideoElement | null;
    const out: number[] = [];
    for (const t of ts) {
      const ms = await new Promise<number>((resolve) => {
        const t0 = performance.now();
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          resolve(performance.now() - t0);
        };
        // 'seeked' fires once the target frame is decoded and ready to show (as the player bench).
        v.addEventListener('seeked', finish, { once: true });
        proxy?.addEventListener('seeked', finish, { once: true });
        v.currentTime = t;
      });
      out.push(ms);
      // Let the real file finish before the next seek (a reviewer's pause between seeks).
      await new Promise<void>((r) => (v.seeking ? v.addEventListener('seeked', () => r(), { once: true }) : r()));
      await new Promise((r) => setTimeout(r, 50));
    }
    return out;
  }, targets);
}

/** Drags across the overview for 3 s at 60 pointer moves a second; frames presented per second. */
async function dragFps(page: Page): Promise<{ fps: number; fromAid: number; fromFile: number }> {
  await page.evaluate(() => {
    const w = window as unknown as { frames_: { aid: number; file: number } };
    w.frames_ = { aid: 0, file: 0 };
    const v = document.querySelector('.stage video:not(.scrub-proxy)') as HTMLVideoElement;
    const proxy = document.querySelector('video.scrub-proxy') as HTMLVideoElement | null;
    const count = (el: HTMLVideoElement, key: 'aid' | 'file') => {
      const cb = () => {
        if (key === 'file' || el.style.visibility === 'visible') w.frames_[key]++;
        el.requestVideoFrameCallback(cb);
      };
      el.requestVideoFrameCallback(cb);
    };
    count(v, 'file');
    if (proxy) count(proxy, 'aid');
  });
  const overview = page.getByRole('slider', { name: 'Session overview' });
  const box = (await overview.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.2, y);
  await page.mouse.down();
  const steps = 180;
  for (let i = 0; i <= steps; i++) {
    await page.mouse.move(box.x + box.width * (0.2 + (0.3 * i) / steps), y);
    await page.waitForTimeout(1000 / 60);
  }
  await page.mouse.up();
  const f = await page.evaluate(() => (window as unknown as { frames_: { aid: number; file: number } }).frames_);
  return { fps: round((f.aid + f.file) / 3), fromAid: f.aid, fromFile: f.file };
}

async function main() {
  const file = sixtyMinuteCamera();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-bench-scrub-'));
  // Build time against ffmpeg decoding the same video alone.
  const decodeMs = ffmpegDecodeMs(file, 'video');
  const core = createCore({ dataDir });
  const c = core.library.createCase({ code: 'C-BENCH', therapist: '', notes: '' });
  const withAid = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
  const without = core.library.createSession({ caseId: c.id, number: 2, date: null, modality: '', notes: '' });
  const rec = await core.imports.importOne(withAid.id, file, { offsetMs: 0, copy: false });
  await core.imports.importOne(without.id, file, { offsetMs: 0, copy: false });
  const t1 = performance.now();
  core.scrub.ensure(rec.id);
  await core.scrub.idle();
  const buildMs = performance.now() - t1;
  const aid = core.scrub.readyFile(rec.id);
  if (!aid) throw new Error(`no scrub aid: ${JSON.stringify(core.scrub.statusOf(rec.id))}`);
  const aidBytes = fs.statSync(aid).size;
  core.close();
  if (process.env.SCRUB_BUILD_ONLY) {
    console.log(JSON.stringify({ decodeMs: Math.round(decodeMs), buildMs: Math.round(buildMs), aidBytes }));
    return;
  }

  const host = await startBrowserHost({
    dataDir,
    rendererDir: path.resolve(__dirname, '..', '..', 'out', 'renderer'),
    scrubAid: false,
    dailyBackups: false,
  });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const n = Number(process.env.BENCH_SEEKS ?? 30);
  const targets = Array.from({ length: n }, (_, i) => 60 + ((i * 1237.77) % 3400));
  const steps = Array.from({ length: 20 }, (_, i) => 1800 - 0.04 * (i + 1));
  const results: Record<string, unknown> = {};
  for (const [name, session] of [
    ['without_aid', without.id],
    ['with_aid', withAid.id],
  ] as const) {
    await page.goto(`${host.url}#/session/${session}`);
    await page.locator('.waveform[data-drawn="true"]').waitFor({ timeout: 30_000 });
    if (name === 'with_aid') await page.locator('video.scrub-proxy').waitFor({ state: 'attached' });
    await page.waitForTimeout(500);
    const seeks = await seekTimes(page, targets);
    await seekTimes(page, [1800]);
    const back = await seekTimes(page, steps);
    const drag = await dragFps(page);
    results[name] = {
      seek_ms: { median: round(median(seeks)), p90: round(p90(seeks)), max: round(Math.max(...seeks)), n },
      frame_step_back_ms: { median: round(median(back)), p90: round(p90(back)), n: back.length },
      drag_3s: drag,
    };
  }
  await browser.close();
  await host.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(
    JSON.stringify(
      {
        benchmark: 'scrub-aid-60min',
        file: { bytes: fs.statSync(file).size, durationS: 3600, video: 'h264 640x360 25fps, keyframe every 10 s' },
        ffmpeg_decode_video_ms: Math.round(decodeMs),
        aid_build_ms: Math.round(buildMs),
        ratio_build_to_decode: Math.round((buildMs / decodeMs) * 100) / 100,
        aid_bytes_per_hour: aidBytes,
        aid_mb_per_hour: Math.round(aidBytes / 1e6),
        ...results,
        targets: { seek_median_ms: 100, stretch_ms: 50, drag_fps: 15 },
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
