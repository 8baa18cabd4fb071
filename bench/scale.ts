/**
 * A research group's size, in Chromium through the browser host at 1366×768: a 2-hour session
 * coded by 6 raters × 5,000 segments (30,000, all submitted), opened by a supervisor.
 * - player: open from the library until the lanes show segments and the waveform is drawn
 *   (median; target ≤ 500 ms), the longest main-thread task while opening, the JS heap's peak,
 *   errors in the console;
 * - zooming out step by step and panning for 2 s, in the player and in the comparison: dropped
 *   frames at 60 fps and the worst frame (target: none over 50 ms);
 * - the side list: scrolling it for 1 s (worst frame);
 * - the report: building its HTML (ms, bytes, rows listed).
 * Sizes: BENCH_RATERS, BENCH_SEGMENTS (per rater), BENCH_LOADS. Prints JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startBrowserHost } from '../src/main/hosts/browser-host';
import { reportData } from '../src/main/reports/report';
import { reportHtml } from '../src/main/reports/report-html';
import { launchChromium } from '../tests/support/browser';
import { twoHourRecording } from './media';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 10) / 10;
const TWO_HOURS = 7_200_000;

/** Frame times of 2 s of animation frames while `act` runs each frame: dropped at 60 fps, worst. */
async function frames(page: Page, what: 'zoom' | 'pan') {
  return page.evaluate(async (kind) => {
    const hostEl = document.querySelector('.waveform')?.firstElementChild as HTMLElement | null;
    const scroller = hostEl?.shadowRoot?.querySelector('.scroll') as HTMLElement | null;
    const deltas: number[] = [];
    let last = performance.now();
    const t0 = last;
    let next = t0;
    await new Promise<void>((resolve) => {
      const step = () => {
        const now = performance.now();
        deltas.push(now - last);
        last = now;
        if (kind === 'pan' && scroller) scroller.scrollLeft += 12;
        if (kind === 'zoom' && now >= next) {
          // A zoom-out step every 250 ms, as a reviewer pressing − does.
          window.dispatchEvent(new KeyboardEvent('keydown', { key: '-', bubbles: true }));
          next = now + 250;
        }
        if (now - t0 < 2000) requestAnimationFrame(step);
        else resolve();
      };
      requestAnimationFrame(step);
    });
    const f = deltas.slice(1);
    return {
      frames: f.length,
      dropped: f.reduce((acc, d) => acc + Math.max(0, Math.round(d / (1000 / 60)) - 1), 0),
      worst_ms: Math.round(Math.max(...f)),
      over_50ms: f.filter((d) => d > 50).length,
    };
  }, what);
}

/** The heaviest functions of a CPU profile, by self time, on stderr (PROFILE=open|zoom). */
function printProfile(profile: {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}) {
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  (profile.samples ?? []).forEach((id, k) => {
    const n = byId.get(id)!;
    const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[k] ?? 0) / 1000);
  });
  console.error(
    [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([k, v]) => `${v.toFixed(1)}ms ${k}`)
      .join('\n'),
  );
}

/** Zooming out step by step from a close view, then panning at that scale. */
async function zoomAndPan(page: Page) {
  for (let i = 0; i < 8; i++) await page.keyboard.press('+');
  await page.waitForTimeout(500);
  const zoom = await frames(page, 'zoom');
  await page.waitForTimeout(500);
  const pan = await frames(page, 'pan');
  return { zoom_out_2s: zoom, pan_2s: pan };
}

async function main() {
  const file = twoHourRecording();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-bench-scale-'));
  const host = await startBrowserHost({
    dataDir,
    rendererDir: path.resolve(__dirname, '..', '..', 'out', 'renderer'),
    scrubAid: false,
    dailyBackups: false,
  });
  const { core } = host;
  const c = core.library.createCase({ code: 'C-SCALE', therapist: '', notes: '' });
  const s = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
  await core.imports.importOne(s.id, file, { offsetMs: 0, copy: false });
  const RATERS = Number(process.env.BENCH_RATERS ?? 6);
  const PER = Number(process.env.BENCH_SEGMENTS ?? 5000);
  const seedStart = performance.now();
  for (let r = 0; r < RATERS; r++) {
    const rater = core.annotations.createRater(`Observer ${r + 1}`, 'observer');
    const rows = Array.from({ length: PER }, (_, i) => {
      const start = Math.floor(((i + 0.1 + r * 0.03) * (TWO_HOURS - 10_000)) / PER);
      const kind = i % 7 === 6 ? 'comment' : i % 3 === 2 ? 'repair' : 'rupture';
      return {
        line: i + 1,
        input: {
          sessionId: s.id,
          raterId: rater.id,
          kind: kind as 'repair' | 'rupture' | 'comment',
          startMs: start,
          endMs: kind === 'comment' ? start : start + 800 + (i % 5) * 300,
          codes: kind === 'comment' ? [] : [kind === 'repair' ? 'R1' : i % 2 ? 'W2' : 'C1'],
          ...(kind === 'comment' ? { note: `Note ${i}` } : {}),
        },
      };
    });
    core.annotations.importSegments(rows, false);
    core.annotations.submit(s.id, rater.id);
  }
  const seedMs = performance.now() - seedStart;
  const sup = core.annotations.createRater('Dr. Scale', 'supervisor');
  core.annotations.setCurrentRater(sup.id);
  // What the host spends answering the player's one opening request, and its size.
  const hostMs: number[] = [];
  let openBytes = 0;
  const parts = { list_ms: 0, stringify_ms: 0 };
  for (let i = 0; i < 5; i++) {
    const t1 = performance.now();
    const listed = core.segments.list(s.id, sup);
    const t2 = performance.now();
    openBytes = JSON.stringify(listed).length;
    const t3 = performance.now();
    hostMs.push(t3 - t1);
    if (i === 4) Object.assign(parts, { list_ms: round(t2 - t1), stringify_ms: round(t3 - t2) });
  }

  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const heapNow = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  };

  const loads = Number(process.env.BENCH_LOADS ?? 5);
  const openMs: number[] = [];
  const arrivedMs: number[] = [];
  const lanesMs: number[] = [];
  const waveMs: number[] = [];
  const longest: number[] = [];
  let heapPeak = 0;
  const profiling = process.env.PROFILE === 'open';
  for (let i = 0; i < loads + 1; i++) {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Open Session 1' }).waitFor();
    // PROFILE=open prints the heaviest functions of the last open (build with NO_MINIFY=1 for names).
    if (profiling && i === loads) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        heapPeak = Math.max(heapPeak, await heapNow());
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const res = await page.evaluate(
      () =>
        new Promise<{ ms: number; longest: number; arrived: number; lanes: number; wave: number }>((resolve) => {
          let lanesAt = 0;
          let waveAt = 0;
          let worst = 0;
          const long = new PerformanceObserver((list) => {
            for (const e of list.getEntries()) worst = Math.max(worst, e.duration);
          });
          long.observe({ type: 'longtask' });
          const t0 = performance.now();
          const observer = new MutationObserver(() => {
            if (!lanesAt && document.querySelector('.lanes .seg[data-id], .lanes .lane-canvas'))
              lanesAt = performance.now() - t0;
            if (!waveAt && document.querySelector('.waveform[data-drawn="true"]')) waveAt = performance.now() - t0;
            if (lanesAt && waveAt) {
              observer.disconnect();
              requestAnimationFrame(() =>
                setTimeout(() => {
                  long.disconnect();
                  const arrived = performance.getEntriesByName('segments-arrived').at(-1)?.startTime ?? t0;
                  resolve({
                    ms: performance.now() - t0,
                    longest: worst,
                    arrived: arrived - t0,
                    lanes: lanesAt,
                    wave: waveAt,
                  });
                }, 0),
              );
            }
          });
          observer.observe(document.body, { subtree: true, attributes: true, childList: true });
          const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Session 1')!;
          button.click();
        }),
    );
    sampling = false;
    await sampler;
    if (profiling && i === loads) printProfile((await cdp.send('Profiler.stop')).profile);
    if (i > 0) {
      arrivedMs.push(res.arrived);
      lanesMs.push(res.lanes);
      waveMs.push(res.wave);
      openMs.push(res.ms);
      longest.push(res.longest);
    }
  }
  if (process.env.PROFILE === 'zoom') {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  const playerZoom = await zoomAndPan(page);
  if (process.env.PROFILE === 'zoom') printProfile((await cdp.send('Profiler.stop')).profile);
  // The side list: scrolled for 1 s.
  const listScroll = await page.evaluate(async () => {
    const rows = document.querySelector('.segment-list .rows') as HTMLElement;
    const deltas: number[] = [];
    let last = performance.now();
    const t0 = last;
    await new Promise<void>((resolve) => {
      const step = () => {
        const now = performance.now();
        deltas.push(now - last);
        last = now;
        rows.scrollTop += 400;
        if (now - t0 < 1000) requestAnimationFrame(step);
        else resolve();
      };
      requestAnimationFrame(step);
    });
    return { frames: deltas.length - 1, worst_ms: Math.round(Math.max(...deltas.slice(1))) };
  });

  // The comparison, from the player's Compare button.
  const compareOpen: number[] = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(`${host.url}#/session/${s.id}`);
    await page.locator('.waveform[data-drawn="true"]').waitFor({ timeout: 60_000 });
    const ms = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const t0 = performance.now();
          const observer = new MutationObserver(() => {
            if (
              location.hash.startsWith('#/compare/') &&
              document.querySelector('.waveform[data-drawn="true"]') &&
              document.querySelectorAll('.perspective-group .seg').length > 0
            ) {
              observer.disconnect();
              requestAnimationFrame(() => resolve(performance.now() - t0));
            }
          });
          observer.observe(document.body, { subtree: true, attributes: true, childList: true });
          [...document.querySelectorAll('button')].find((b) => b.textContent === 'Compare')!.click();
        }),
    );
    compareOpen.push(ms);
  }
  const compareLanes = await page.locator('.perspective-group').count();
  const compareZoom = await zoomAndPan(page);
  await browser.close();

  // The report as the supervisor takes it to the meeting.
  const t0 = performance.now();
  const html = reportHtml(reportData(core, s.id, sup, { names: false }));
  const reportMs = performance.now() - t0;
  await host.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      bench: 'scale',
      session_minutes: TWO_HOURS / 60_000,
      raters: RATERS,
      segments_per_rater: PER,
      seed_ms: Math.round(seedMs),
      viewport: '1366x768',
      host_segments_list_ms: round(median(hostMs)),
      host_segments_list_mb: round(openBytes / 1e6),
      host_segments_list_parts: parts,
      player_open_ms: { median: round(median(openMs)), all: openMs.map(round), target: 500 },
      player_open_segments_arrived_ms: round(median(arrivedMs)),
      player_open_lanes_shown_ms: round(median(lanesMs)),
      player_open_waveform_drawn_ms: round(median(waveMs)),
      player_open_longest_task_ms: { median: round(median(longest)), worst: round(Math.max(...longest)) },
      heap_peak_mb: round(heapPeak / 1e6),
      console_errors: errors.slice(0, 5),
      player_zoom_and_pan: playerZoom,
      side_list_scroll_1s: listScroll,
      compare_open_ms: { median: round(median(compareOpen)), all: compareOpen.map(round) },
      compare_rater_groups: compareLanes,
      compare_zoom_and_pan: compareZoom,
      report: {
        ms: Math.round(reportMs),
        html_kb: Math.round(html.length / 1024),
        rows: (html.match(/<tr/g) ?? []).length,
      },
    }),
  );
}
void main();
