/**
 * The scrub aid on a camera file as cameras write it (H.264, a keyframe every 10 s): built in the
 * background after import with its progress shown, followed by the stage while the real file
 * seeks (typed times, frame steps backwards), and shown as a thumbnail when hovering over the
 * overview. Seeds its own session; this host builds scrub aids (the others do not).
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../src/main/hosts/browser-host';
import { axeViolations } from '../support/axe';
import { launchChromium, SCREENSHOT_DIR, startTestHost } from '../support/browser';
import { mediaFile } from '../support/media';

let browser: Browser;
let page: Page;
let host: BrowserHost;
let stopHost: () => Promise<void>;
let sessionId: number;
let recordingId: number;

beforeAll(async () => {
  const started = await startTestHost({ scrubAid: true });
  host = started.host;
  stopHost = started.cleanup;
  const lib = host.core.library;
  const c = lib.createCase({ code: 'C-CAM', therapist: '', notes: '' });
  sessionId = lib.createSession({ caseId: c.id, number: 1, date: '2026-11-28', modality: '', notes: '' }).id;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stopHost?.();
});

const proxyTime = () =>
  page.evaluate(() => (document.querySelector('video.scrub-proxy') as HTMLVideoElement).currentTime);
const proxyShown = () =>
  page.evaluate(() => (document.querySelector('video.scrub-proxy') as HTMLVideoElement).style.visibility);

describe('scrubbing a camera file with 10-s keyframes', () => {
  it('builds the scrub aid in the background after the import, showing its progress', async () => {
    await page.goto(`${host.url}#/session/${sessionId}`);
    await page.getByRole('tab', { name: 'Recordings' }).click();
    const rec = await host.core.imports.importOne(sessionId, mediaFile('camera-gop10s.mp4'), {
      offsetMs: 0,
      copy: false,
    });
    recordingId = rec.id;
    // The import's end queued the build; the page hears its progress.
    expect(['queued', 'building']).toContain(host.core.scrub.statusOf(rec.id).state);
    await host.core.scrub.idle();
    expect(host.core.scrub.statusOf(recordingId).state).toBe('ready');
    await page.reload();
    await page.getByRole('tab', { name: 'Recordings' }).click();
    await expect.poll(() => page.getByText(/Scrub aid ready/).count()).toBe(1);
    expect(await page.locator('video.scrub-proxy').count()).toBe(1);
    expect(await axeViolations(page, '.stage')).toEqual([]);
  });

  it('the proxy follows a typed time and frame steps backwards, and hands back to the real file', async () => {
    const time = page.getByRole('textbox', { name: 'Current time' });
    await time.fill('00:00:17.000');
    await time.press('Enter');
    await expect.poll(proxyTime).toBeCloseTo(17, 1);
    await page.getByRole('region', { name: 'Lanes' }).focus();
    await page.keyboard.press(',');
    await page.keyboard.press(',');
    await expect.poll(proxyTime).toBeCloseTo(16.92, 2);
    // Once the real file has its frame, the proxy hides again.
    await expect.poll(proxyShown).toBe('hidden');
  });

  it('shows the frame under the pointer as a thumbnail over the overview', async () => {
    const overview = page.getByRole('slider', { name: 'Session overview' });
    const box = (await overview.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    const thumb = page.locator('.hover-thumb');
    await expect.poll(() => thumb.evaluate((el) => getComputedStyle(el).display)).toBe('block');
    await expect
      .poll(() => thumb.locator('video').evaluate((v) => (v as HTMLVideoElement).currentTime))
      .toBeCloseTo(15, 0);
    expect(await thumb.locator('span').textContent()).toBe('00:00:15');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'scrub-hover.png') });
    await page.mouse.move(box.x + box.width * 0.5, box.y - 200);
    await expect.poll(() => thumb.evaluate((el) => getComputedStyle(el).display)).toBe('none');
  });

  it('side by side, every camera angle has its own scrub aid over it, following that angle’s seeks', async () => {
    // A second camera, also with 10-s keyframes, started at the same moment.
    const second = await host.core.imports.importOne(sessionId, mediaFile('scene-early.mp4'), {
      offsetMs: 0,
      copy: false,
    });
    await host.core.scrub.idle();
    expect(host.core.scrub.statusOf(second.id).state).toBe('ready');
    await page.reload();
    await page.getByRole('button', { name: 'Side by side' }).press('Enter');
    const proxies = page.locator('video.scrub-proxy');
    await expect.poll(() => proxies.count()).toBe(2);
    // Each aid lies exactly over its own angle's cell.
    const boxes = await page.evaluate(() => {
      const r = (el: Element | null) => {
        const b = el!.getBoundingClientRect();
        return [Math.round(b.x), Math.round(b.width)];
      };
      const videos = [...document.querySelectorAll('.stage video:not(.scrub-proxy):not(.audio-only)')];
      const aids = [...document.querySelectorAll('.stage video.scrub-proxy')];
      return { videos: videos.map(r), aids: aids.map(r) };
    });
    expect(boxes.videos).toHaveLength(2);
    expect(boxes.aids).toEqual(boxes.videos);
    expect(boxes.videos[1]![0]!).toBeGreaterThan(boxes.videos[0]![0]!); // two cells, side by side
    // A typed time: the second angle's aid seeks there too.
    const time = page.getByRole('textbox', { name: 'Current time' });
    await time.fill('00:00:21.000');
    await time.press('Enter');
    await expect
      .poll(() =>
        page.evaluate(() => (document.querySelectorAll('video.scrub-proxy')[1] as HTMLVideoElement).currentTime),
      )
      .toBeCloseTo(21, 1);
    expect(await axeViolations(page, '.stage')).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'scrub-side-by-side.png') });
  });
});
