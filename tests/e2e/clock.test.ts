/**
 * The session has one clock: a second camera that started 2.5 s late, chosen as the main
 * recording, plays in its own file time but every time shown and stored is the session's.
 * Seeds its own session.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../src/main/hosts/browser-host';
import { launchChromium, SCREENSHOT_DIR, startTestHost } from '../support/browser';
import { axeViolations } from '../support/axe';
import { mediaFile } from '../support/media';

let browser: Browser;
let page: Page;
let host: BrowserHost;
let stopHost: () => Promise<void>;
let sessionId: number;

beforeAll(async () => {
  const started = await startTestHost();
  host = started.host;
  stopHost = started.cleanup;
  const lib = host.core.library;
  const c = lib.createCase({ code: 'C-CLOCK', therapist: '', notes: '' });
  sessionId = lib.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' }).id;
  await host.core.imports.importOne(sessionId, mediaFile('session.webm'), { offsetMs: 0, copy: false });
  await host.core.imports.importOne(sessionId, mediaFile('camera2.webm'), { offsetMs: 2_500, copy: false });
  const rater = host.core.annotations.createRater('Dr. Clock', 'supervisor');
  host.core.annotations.setCurrentRater(rater.id);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
  await stopHost?.();
});

const mainTime = () =>
  page
    .locator('video')
    .first()
    .evaluate((v: HTMLVideoElement) => v.currentTime);

describe("the session's clock", () => {
  it('stays the session’s when a later camera is shown big: seeking, marking and the total length', async () => {
    await page.goto(`${host.url}#/session/${sessionId}`);
    await page.getByRole('tab', { name: 'Recordings' }).click();
    await page.getByRole('listitem', { name: 'Recording camera2.webm' }).getByRole('radio').check();
    await expect
      .poll(() =>
        page
          .locator('video')
          .first()
          .evaluate((v: HTMLVideoElement) => (v.readyState >= 1 ? v.currentSrc : '')),
      )
      .toContain('/media/2');
    // The session lasts as long as its last recording: 2.5 s + 20 s = 22.5 s (session.webm is 30 s).
    await expect.poll(() => page.getByText('/ 00:00:30').isVisible()).toBe(true);
    const time = page.getByRole('textbox', { name: 'Current time' });
    await time.fill('00:00:06.000');
    await time.press('Enter');
    // Session time 6 s is 3.5 s into the camera that started 2.5 s late.
    await expect.poll(mainTime).toBeCloseTo(3.5, 1);
    await expect.poll(() => time.inputValue()).toBe('00:00:06.000');
    await page.locator('body').press('r');
    await time.fill('00:00:08.000');
    await time.press('Enter');
    await expect.poll(mainTime).toBeCloseTo(5.5, 1);
    await page.locator('body').press('r');
    const form = page.getByRole('form', { name: 'New rupture' });
    await expect.poll(() => form.isVisible()).toBe(true);
    await form.getByLabel('Marker code').press('Enter');
    await expect.poll(() => host.core.annotations.list(sessionId).segments.length).toBe(1);
    const [seg] = host.core.annotations.list(sessionId).segments;
    // Stored on the session's clock, not 2.5 s off.
    expect(seg!.startMs).toBeGreaterThanOrEqual(5_900);
    expect(seg!.startMs).toBeLessThanOrEqual(6_100);
    expect(seg!.endMs).toBeGreaterThanOrEqual(7_900);
    expect(seg!.endMs).toBeLessThanOrEqual(8_100);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'clock-second-camera.png') });
    // V swaps the angle shown big; the time shown stays the session's.
    await page.locator('body').press('v');
    await expect
      .poll(() =>
        page
          .locator('video')
          .first()
          .evaluate((v: HTMLVideoElement) => v.currentSrc),
      )
      .toContain('/media/1');
    await expect.poll(() => time.inputValue()).toBe('00:00:08.000');
    await expect.poll(mainTime).toBeCloseTo(8, 1);
    // Both angles side by side, the same size.
    const toggle = page.getByRole('button', { name: 'Side by side' });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.stage.side-by-side').count()).toBe(1);
    const widths = await page
      .locator('.stage video')
      .evaluateAll((vs) => vs.map((v) => v.getBoundingClientRect().width));
    expect(widths).toHaveLength(2);
    expect(Math.abs(widths[0]! - widths[1]!)).toBeLessThan(4);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'angles-side-by-side.png') });
    expect(await axeViolations(page, '.stage')).toEqual([]);
    await page.getByRole('button', { name: 'One big' }).click();
    await expect.poll(() => page.locator('.stage.side-by-side').count()).toBe(0);
  });

  it('starts the later camera when the session reaches it, and keeps it in step while playing', async () => {
    const time = page.getByRole('textbox', { name: 'Current time' });
    await time.fill('00:00:01.000');
    await time.press('Enter');
    await expect.poll(mainTime).toBeCloseTo(1, 1);
    const both = () =>
      page.evaluate(() => {
        const main = document.querySelector('.stage > video') as HTMLVideoElement;
        const angle = document.querySelector('.angles video') as HTMLVideoElement;
        return { main: main.currentTime, angle: angle.currentTime, anglePaused: angle.paused };
      });
    // Session time 1 s is before the camera that started 2.5 s late: it waits.
    expect((await both()).anglePaused).toBe(true);
    await page.evaluate(() => void (document.querySelector('.stage > video') as HTMLVideoElement).play());
    // Nothing but the playing main video's time says when the session reaches it.
    await expect.poll(async () => (await both()).anglePaused, { timeout: 10_000 }).toBe(false);
    await page.waitForTimeout(500);
    const at = await both();
    expect(Math.abs(at.angle - (at.main - 2.5))).toBeLessThan(0.3);
    // In step while it plays on: sampled over 2 s once it has settled (it ran 0.1 s behind before).
    await page.waitForTimeout(2000);
    const drifts: number[] = [];
    for (let i = 0; i < 10; i++) {
      const x = await both();
      drifts.push(Math.abs(x.angle - (x.main - 2.5)));
      await page.waitForTimeout(200);
    }
    drifts.sort((a, b) => a - b);
    console.log(
      `angle drift while playing, median ${(drifts[5]! * 1000).toFixed(0)} ms, worst ${(drifts[9]! * 1000).toFixed(0)} ms`,
    );
    expect(drifts[5]!).toBeLessThan(0.06);
    await page.evaluate(() => (document.querySelector('.stage > video') as HTMLVideoElement).pause());
    await expect.poll(async () => (await both()).anglePaused).toBe(true);
  });

  it('the player (header, stage, transport, side panel, lanes, shortcut sheet) passes axe', async () => {
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('body').press('?');
    await expect.poll(() => page.getByRole('complementary', { name: 'Keyboard shortcuts' }).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('body').press('Escape');
  });
});
