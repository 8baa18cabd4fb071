/**
 * Coding speed on a densely coded 60-minute session (2,000 segments, one rater) in Chromium via
 * the browser host:
 * - round trip of an edit, UI → store → UI: a keyboard nudge of the selected segment until its
 *   box moved on screen (median; target < 16 ms), until the next frame after that, and until the
 *   store kept it and the page shows so (median; target ≤ 8 ms); the same for a new comment
 *   saved from its form (stored-and-shown median; target ≤ 16 ms);
 * - waveform panning and zooming with the lanes shown: frames and dropped frames (60 fps); the
 *   zoom run is two gestures of six steps with a pause after each, so it includes the redraws.
 * With ENCRYPTED=1 the library is protected with a passphrase first (SQLCipher 4's format).
 * Also writes a screenshot of the coded session to tests/screenshots/dense-60min.png.
 *
 * Diagnostics (stderr): PROFILE=edit|create|pan|zoom prints the heaviest functions of that phase (build
 * with NO_MINIFY=1 for readable names); TRACE=edit|create|pan|zoom prints where the browser's main
 * thread spent the phase (style, layout, paint, compositing); TRACE_OUT=file.json also keeps the raw
 * trace (open it in DevTools' Performance panel); MUTATIONS=edit lists what one nudge changed in the page; PROFILE_OUT=file.cpuprofile keeps the CPU profile.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SegmentInput } from '../src/main/coding/annotations';
import { heaviestFunctions, traceSums } from './diagnose';
import { startBrowserHost } from '../src/main/hosts/browser-host';
import { launchChromium } from '../tests/support/browser';
import { sixtyMinuteRecording } from './media';

/** ENCRYPTED=1: the library protected with a passphrase before the session is opened. */
const ENCRYPTED = process.env.ENCRYPTED === '1';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 10) / 10;

async function main() {
  const file = sixtyMinuteRecording();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-bench-annotate-'));
  const host = await startBrowserHost({
    dataDir,
    rendererDir: path.resolve(__dirname, '..', '..', 'out', 'renderer'),
    scrubAid: false,
    dailyBackups: false,
  });
  const a = host.core.annotations;
  const c = host.core.library.createCase({ code: 'C-BENCH', therapist: '', notes: '' });
  const s = host.core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
  await host.core.imports.importOne(s.id, file, { offsetMs: 0, copy: false });
  const rater = a.createRater('Observer A', 'observer');
  a.setCurrentRater(rater.id);
  const markers = ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7'];
  const strategies = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R10'];
  const rows: { line: number; input: SegmentInput }[] = [];
  for (let i = 0; i < 2000; i++) {
    const kind = i % 5 === 4 ? 'comment' : i % 2 === 0 ? 'rupture' : 'repair';
    const start = Math.floor((i * 3_600_000) / 2000) + (i % 3) * 300;
    const len = kind === 'comment' ? 0 : 2_000 + ((i * 7919) % 9) * 1_000;
    rows.push({
      line: i + 1,
      input: {
        sessionId: s.id,
        raterId: rater.id,
        kind,
        startMs: start,
        endMs: Math.min(3_600_000, start + len),
        codes:
          kind === 'rupture'
            ? [markers[i % markers.length]!]
            : kind === 'repair'
              ? [strategies[i % strategies.length]!]
              : [],
        rating: kind === 'comment' ? null : (i % 5) + 1,
        note: kind === 'comment' ? 'Notice the shift here' : '',
      },
    });
  }
  const imported = a.importSegments(rows, false);
  if (imported.imported !== 2000)
    throw new Error(`imported ${imported.imported}: ${JSON.stringify(imported.rejected[0])}`);
  if (ENCRYPTED) {
    // The same session in a library protected with a passphrase (issue 13's cost).
    const supervisor = a.createRater('Supervisor S', 'supervisor');
    a.setCurrentRater(supervisor.id);
    await host.gate.protect('bench passphrase of some length', false);
    host.core.annotations.setCurrentRater(rater.id);
  }

  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${host.url}#/session/${s.id}`);
  await page.locator('.waveform[data-drawn="true"]').waitFor();
  await page.getByRole('textbox', { name: 'Current time' }).fill('00:31:00.000');
  await page.getByRole('textbox', { name: 'Current time' }).press('Enter');
  await page.waitForTimeout(800);
  fs.mkdirSync(path.resolve(__dirname, '..', '..', 'tests', 'screenshots'), { recursive: true });
  await page.screenshot({ path: path.resolve(__dirname, '..', '..', 'tests', 'screenshots', 'dense-60min.png') });

  // Select a visible rupture, then nudge its end with Alt+→ and time each round trip.
  // The lanes lay out a window's width either side of the view; click one that is in view.
  const at = await page.evaluate(() => {
    const lane = document.querySelector('.lane-rupture')!.getBoundingClientRect();
    const inView = [...document.querySelectorAll('.lane-rupture .seg')]
      .map((e) => e.getBoundingClientRect())
      .filter((r) => r.left > lane.left + 200 && r.right < lane.right - 100);
    const r = inView[3]!;
    return { x: r.left + Math.min(20, r.width / 2), y: r.top + r.height / 2 };
  });
  await page.mouse.click(at.x, at.y);
  const cdp = await page.context().newCDPSession(page);
  if (process.env.MUTATIONS === 'edit') {
    // Which parts of the page one nudge changes (a render that touches more than the nudged box
    // and the save status costs time in the frame after it).
    const changed = await page.evaluate(async () => {
      const seen = new Map<string, number>();
      const name = (n: Node) => {
        const e = n instanceof Element ? n : n.parentElement;
        const label =
          e?.getAttribute('aria-label') ??
          e?.getAttribute('name') ??
          e?.closest('[aria-label]')?.getAttribute('aria-label');
        return e
          ? `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (${label ?? e.parentElement?.outerHTML.slice(0, 160) ?? ''})`
          : '#text';
      };
      const mo = new MutationObserver((records) => {
        for (const r of records) {
          const k = `${r.type} ${name(r.target)} ${r.attributeName ?? ''}`;
          seen.set(k, (seen.get(k) ?? 0) + 1);
        }
      });
      mo.observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', altKey: true, bubbles: true }));
      await new Promise((r) => setTimeout(r, 600));
      mo.disconnect();
      return [...seen].map(([k, n]) => `${n} ${k}`);
    });
    console.error(changed.join('\n'));
  }
  if (process.env.PROFILE === 'edit') {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  // Each nudge is timed twice: until the box moved on screen (the change shown), and until the
  // store has acknowledged it and the screen shows what is stored (the save status says saved).
  if (process.env.TRACE === 'edit')
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  const trips = await page.evaluate(async () => {
    const el = document.querySelector('.lane-rupture .seg.selected') as HTMLElement;
    const status = document.querySelector('.save-status') as HTMLElement;
    const out: { dom: number; frame: number; stored: number }[] = [];
    for (let i = 0; i < 40; i++) {
      const before = el.style.width;
      const t0 = performance.now();
      let stored = 0;
      const saved = new Promise<void>((resolve) => {
        const mo = new MutationObserver(() => {
          if (status.dataset.state === 'saved') {
            mo.disconnect();
            stored = performance.now() - t0;
            resolve();
          }
        });
        mo.observe(status, { attributes: true, attributeFilter: ['data-state'] });
      });
      const dom = await new Promise<number>((resolve) => {
        const mo = new MutationObserver(() => {
          if (el.style.width !== before) {
            mo.disconnect();
            resolve(performance.now() - t0);
          }
        });
        mo.observe(el, { attributes: true, attributeFilter: ['style'] });
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', altKey: true, bubbles: true }));
      });
      const frame = await new Promise<number>((resolve) =>
        requestAnimationFrame(() => resolve(performance.now() - t0)),
      );
      await saved;
      out.push({ dom, frame, stored });
      await new Promise((r) => setTimeout(r, 30));
    }
    return out;
  });
  if (trips.some((t) => t.stored < t.dom)) throw new Error('the save status said saved before the box moved');

  // Where the main thread's time went, by trace event (top-level and nested alike).
  const traceReport = async () => {
    const trace = await browser.stopTracing();
    if (process.env.TRACE_OUT) fs.writeFileSync(process.env.TRACE_OUT, trace);
    console.error(traceSums(trace));
  };
  const report = async () => {
    const { profile } = await cdp.send('Profiler.stop');
    if (process.env.PROFILE_OUT) fs.writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
    console.error(heaviestFunctions(profile));
  };

  if (process.env.PROFILE === 'edit') await report();
  if (process.env.TRACE === 'edit') await traceReport();
  // Creating: a point comment through the keyboard and the form, timed from the Save click until
  // the new box is on its lane, and until the store kept it (the save status says saved).
  const creates: { shown: number; stored: number }[] = [];
  if (process.env.PROFILE === 'create') {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  if (process.env.TRACE === 'create')
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  for (let i = 0; i < 24; i++) {
    await page.locator('body').press('ArrowRight');
    await page.locator('body').press('c');
    await page.locator('body').press('c');
    const form = page.getByRole('form', { name: 'New comment' });
    await form.getByLabel('Comment').fill(`Bench note ${i}`);
    creates.push(
      await page.evaluate(async () => {
        const count = () => document.querySelectorAll('.lane-comment .seg').length;
        const status = document.querySelector('.save-status') as HTMLElement;
        const before = count();
        const save = [...document.querySelectorAll('form button')].find((b) => b.textContent === 'Save') as HTMLElement;
        const t0 = performance.now();
        let shown = 0;
        const stored = new Promise<number>((resolve) => {
          const mo = new MutationObserver(() => {
            if (status.dataset.state === 'saved') {
              mo.disconnect();
              resolve(performance.now() - t0);
            }
          });
          mo.observe(status, { attributes: true, attributeFilter: ['data-state'] });
        });
        await new Promise<void>((resolve) => {
          const mo = new MutationObserver(() => {
            if (count() > before) {
              mo.disconnect();
              shown = performance.now() - t0;
              resolve();
            }
          });
          mo.observe(document.querySelector('.lanes')!, { childList: true, subtree: true });
          save.click();
        });
        return { shown, stored: await stored };
      }),
    );
    await page.waitForTimeout(50);
  }

  if (process.env.PROFILE === 'create') await report();
  if (process.env.TRACE === 'create') await traceReport();
  // The transport alone, no rendering: the update as a bare HTTP request, and no-op calls over
  // HTTP and over the WebSocket the page uses.
  const bare = await page.evaluate(async (id) => {
    const token = sessionStorage.getItem('alliance-token') ?? '';
    const out: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      const res = await fetch('/api/segments:update', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Alliance-Token': token },
        body: JSON.stringify({ id, note: `n${i}` }),
      });
      await res.json();
      out.push(performance.now() - t0);
    }
    const info: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      const res = await fetch('/api/app:info', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Alliance-Token': token },
        body: '{}',
      });
      await res.json();
      info.push(performance.now() - t0);
    }
    // The page's own channel: the same no-op call over the host's WebSocket.
    const ws = new WebSocket(`ws://${location.host}/rpc`, ['alliance.rpc.v1', `token.${token}`]);
    await new Promise((r) => (ws.onopen = r));
    const socket: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        ws.onmessage = () => resolve();
        ws.send(JSON.stringify({ id: i + 1, channel: 'app:info', input: {} }));
      });
      socket.push(performance.now() - t0);
    }
    ws.close();
    return { update: out, info, socket };
  }, 2);
  const frames = async (action: 'pan' | 'zoom') =>
    page.evaluate(async (kind) => {
      const hostEl = document.querySelector('.waveform')?.firstElementChild as HTMLElement;
      const scroller = hostEl.shadowRoot!.querySelector('.scroll') as HTMLElement;
      const deltas: number[] = [];
      let last = performance.now();
      const t0 = last;
      let n = 0;
      await new Promise<void>((resolve) => {
        const step = () => {
          const now = performance.now();
          deltas.push(now - last);
          last = now;
          n++;
          if (kind === 'pan') scroller.scrollLeft += 12;
          // Zoom gestures: six steps in (one every 5th frame), a half-second pause in which the
          // waveform is redrawn sharp, six steps out, another pause.
          else if (n % 5 === 0 && n % 60 <= 30)
            window.dispatchEvent(new KeyboardEvent('keydown', { key: n % 120 < 60 ? '+' : '-', bubbles: true }));
          if (now - t0 < 2000) requestAnimationFrame(step);
          else resolve();
        };
        requestAnimationFrame(step);
      });
      const dropped = deltas.slice(1).reduce((acc, d) => acc + Math.max(0, Math.round(d / (1000 / 60)) - 1), 0);
      return { frames: deltas.length, seconds: 2, dropped, worstMs: Math.round(Math.max(...deltas.slice(1))) };
    }, action);
  if (process.env.PROFILE === 'pan') {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  const pan = await frames('pan');
  if (process.env.PROFILE === 'pan') await report();
  if (process.env.PROFILE === 'zoom') {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  if (process.env.TRACE && !['edit', 'create'].includes(process.env.TRACE))
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  const zoom = await frames(process.env.TRACE === 'pan' ? 'pan' : 'zoom');
  if (process.env.TRACE && !['edit', 'create'].includes(process.env.TRACE)) await traceReport();
  if (process.env.PROFILE === 'zoom') await report();

  await browser.close();
  await host.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(
    JSON.stringify(
      {
        benchmark: 'annotate-60min-2000-segments',
        encrypted: ENCRYPTED,
        segments: 2000,
        edit_round_trip_ms: {
          shown_median: round(median(trips.map((t) => t.dom))),
          shown_next_frame_median: round(median(trips.map((t) => t.frame))),
          shown_max: round(Math.max(...trips.map((t) => t.dom))),
          stored_and_shown_median: round(median(trips.map((t) => t.stored))),
          stored_and_shown_max: round(Math.max(...trips.map((t) => t.stored))),
          n: trips.length,
          // `target` is the older one for shown (issue 3); issue 8's is for stored-and-shown.
          target: 16,
          stored_and_shown_target: 8,
        },
        create_round_trip_ms: {
          shown_median: round(median(creates.map((c) => c.shown))),
          stored_and_shown_median: round(median(creates.map((c) => c.stored))),
          stored_and_shown_max: round(Math.max(...creates.map((c) => c.stored))),
          n: creates.length,
          stored_and_shown_target: 16,
        },
        bare_http_update_request_ms: { median: round(median(bare.update)), n: bare.update.length },
        bare_http_noop_request_ms: { median: round(median(bare.info)), n: bare.info.length },
        bare_socket_noop_call_ms: { median: round(median(bare.socket)), n: bare.socket.length },
        waveform_pan_2s: pan,
        waveform_zoom_2s: zoom,
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
