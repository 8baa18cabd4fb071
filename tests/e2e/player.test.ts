import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../src/main/hosts/browser-host';
import { axeViolations } from '../support/axe';
import { wheelsAndVideo } from './wheels';
import { launchChromium, SCREENSHOT_DIR, startTestHost } from '../support/browser';
import { copyMedia, mediaFile } from '../support/media';
import { tempDir } from '../support/tmp';
import { formatTime } from '../../src/shared/time';

let browser: Browser;
let page: Page;
let stopHost: () => Promise<void>;
let url: string;
let host: BrowserHost;
let files: ReturnType<typeof tempDir>;

/**
 * A case and session of the test's own, holding `file` (copied under `name` into a folder of the
 * case when given, so that a test may move it).
 */
async function seedSession(code: string, file: string, name?: string): Promise<{ id: number; path: string }> {
  const c = host.core.library.createCase({ code, therapist: 'T. Hansen', notes: '' });
  const s = host.core.library.createSession({ caseId: c.id, number: 1, date: '2026-09-02', modality: '', notes: '' });
  const source = name ? copyMedia(file, path.join(files.dir, `Klient ${code}`), name) : file;
  await host.core.imports.importOne(s.id, source, { offsetMs: 0, copy: false });
  return { id: s.id, path: source };
}

async function openSession(id: number) {
  await page.goto(`${url}#/session/${id}`);
  await expect.poll(() => page.locator('.waveform').getAttribute('data-drawn'), { timeout: 20_000 }).toBe('true');
}

beforeAll(async () => {
  mediaFile('session.webm');
  mediaFile('video-only.mp4');
  files = tempDir('alliance-e2e-files-');
  const started = await startTestHost();
  stopHost = started.cleanup;
  url = started.host.url;
  host = started.host;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await stopHost?.();
  files?.cleanup();
});

const currentTime = () =>
  page
    .locator('video')
    .first()
    .evaluate((v: HTMLVideoElement) => v.currentTime);

async function waveformIsDrawn(): Promise<boolean> {
  return page.locator('.waveform').evaluate((el) => {
    const host = el.firstElementChild;
    const canvases = host?.shadowRoot ? [...host.shadowRoot.querySelectorAll('canvas')] : [];
    return canvases.some((c) => {
      const ctx = c.getContext('2d');
      if (!ctx || c.width === 0 || c.height === 0) return false;
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) return true;
      return false;
    });
  });
}

describe('library and review player in Chromium', () => {
  it('creates a case and a session, imports a recording, and refuses bad files with a clear message', async () => {
    await page.goto(url);
    await expect.poll(() => page.getByRole('heading', { name: 'No cases yet' }).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'library-empty.png') });

    await page.getByRole('button', { name: '+ Case' }).click();
    await page.getByLabel('Client code').fill('C-014');
    await page.getByLabel('Therapist').fill('T. Hansen');
    await page.getByRole('button', { name: 'Create case' }).click();
    // The new case gets the focus on its "+ Session" (named for its case), the next step: Enter.
    const addSession = page.getByRole('button', { name: 'Add a session to case C-014' });
    await expect.poll(() => addSession.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByLabel('Date').fill('2026-09-02');
    await page.getByRole('button', { name: 'Create session' }).click();
    // The new session gets the focus on its Import… (the next step), not the page.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Import recordings into Session 1');

    // A session number that already exists is refused, with the reason.
    await page.getByRole('button', { name: 'Add a session to case C-014' }).click();
    await page.getByLabel('Session number').fill('1');
    await page.getByRole('button', { name: 'Create session' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('already has a session 1');
    await page.getByRole('button', { name: 'Cancel' }).click();

    const recording = copyMedia(mediaFile('session.webm'), path.join(files.dir, 'Klient C-014'), 'Økt 1 – klient.webm');
    await page.getByRole('button', { name: 'Import recordings into Session 1' }).click();
    await page.getByLabel('File paths, one per line').fill(recording);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    // The form closes and the focus goes back to Import… (not to the page).
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Import recordings into Session 1');
    const row = page.getByRole('listitem', { name: 'C-014 Session 1' });
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('● ready');
    expect(await row.textContent()).toContain('1 recording');

    // The same file again, and a text file dressed as a video: refused, nothing added.
    const notes = path.join(files.dir, 'notes.mp4');
    fs.writeFileSync(notes, 'session notes, not a video\n'.repeat(20));
    await page.getByRole('button', { name: 'Import recordings into Session 1' }).click();
    await page.getByLabel('File paths, one per line').fill(`${recording}\n${notes}`);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    // Several files: each gets its own offset before the import.
    await page.getByRole('button', { name: 'Import 2 recordings' }).click();
    const alert = row.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('is already in session 1');
    expect(await alert.textContent()).toContain('Nothing was imported.');
    expect(await alert.textContent()).toContain('notes.mp4 is not a video or audio recording');
    expect(await row.textContent()).toContain('1 recording');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'library.png') });

    // A second camera that started 2.5 s late and a recorder that started 1.2 s early.
    const cam = copyMedia(mediaFile('camera2.webm'), files.dir, 'Kamera 2.webm');
    const rec = copyMedia(mediaFile('scene-late.webm'), files.dir, 'Rekorder.webm');
    await page.getByRole('button', { name: 'Import recordings into Session 1' }).click();
    // The next step starts clean: the refusal of the attempt before is gone.
    expect(await alert.count()).toBe(0);
    await page.getByLabel('File paths, one per line').fill(`${cam}\n${rec}`);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const offsets = page.getByRole('form', { name: 'Offsets of the recordings' });
    await offsets.getByRole('textbox', { name: /Kamera 2\.webm offset/ }).fill('2500');
    await offsets.getByRole('textbox', { name: /Rekorder\.webm offset/ }).fill('-1200');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'import-offsets.png') });
    expect(await axeViolations(page, '.inline-form')).toEqual([]);
    await offsets.getByRole('textbox', { name: /Rekorder\.webm offset/ }).press('Enter');
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('3 recordings');
    const stored = host.core.library.listCases().find((c) => c.code === 'C-014')!.sessions[0]!;
    const byName = new Map(host.core.library.sessionDetail(stored.id).recordings.map((r) => [r.fileName, r.offsetMs]));
    expect(byName.get('Kamera 2.webm')).toBe(2500);
    expect(byName.get('Rekorder.webm')).toBe(-1200);
  });

  it('imports two recordings of unknown offsets, offers their alignment by sound, and removes one', async () => {
    const c = host.core.library.ensureCase('C-077', 'A. Berg');
    const s = host.core.library.createSession({ caseId: c.id, number: 1, date: '2026-09-03', modality: '', notes: '' });
    await page.goto(url);
    const row = page.getByRole('listitem', { name: 'C-077 Session 1' });
    await row.getByRole('button', { name: 'Import recordings into Session 1' }).click();
    const main = copyMedia(mediaFile('scene-main.webm'), files.dir, 'Hovedkamera.webm');
    const late = copyMedia(mediaFile('scene-late.webm'), files.dir, 'Opptaker.webm');
    await page.getByLabel('File paths, one per line').fill(`${main}\n${late}`);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('button', { name: 'Import 2 recordings' }).click();
    const offer = page.getByRole('form', { name: 'Align the recordings of C-077 Session 1 by sound' });
    await expect.poll(() => offer.textContent(), { timeout: 60_000 }).toMatch(/found \+3\.2\d\d s, confidence/);
    const field = offer.getByRole('textbox', { name: /Opptaker\.webm offset/ });
    expect(Math.abs(Number(await field.inputValue()) - 3217)).toBeLessThanOrEqual(20);
    expect(await axeViolations(page, '.align-offer')).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'import-align-offer.png') });
    await field.fill('3210'); // nudged by hand
    await offer.getByRole('button', { name: 'Use these offsets' }).click();
    await expect.poll(() => offer.count()).toBe(0);
    const offsets = () =>
      new Map(host.core.library.sessionDetail(s.id).recordings.map((r) => [r.fileName, r.offsetMs]));
    expect(offsets().get('Opptaker.webm')).toBe(3210);
    expect(offsets().get('Hovedkamera.webm')).toBe(0);

    // One recording goes, from the player's Recordings tab; its file stays.
    await row.getByRole('button', { name: 'Open Session 1' }).click();
    await page.getByRole('tab', { name: 'Recordings' }).click();
    await page.getByRole('button', { name: 'Remove Opptaker.webm…' }).click();
    await page
      .getByRole('group', { name: 'Remove Opptaker.webm' })
      .getByRole('button', { name: 'Remove recording' })
      .click();
    await expect.poll(() => offsets().has('Opptaker.webm')).toBe(false);
    expect(fs.existsSync(late)).toBe(true);
    await expect.poll(() => page.getByRole('listitem', { name: 'Recording Opptaker.webm' }).count()).toBe(0);
  });

  it('opens the session with a drawn waveform; plays, seeks by keyboard, waveform click and typed time', async () => {
    const { id } = await seedSession('C-015', mediaFile('session.webm'), 'Økt 1 – klient.webm');
    await page.goto(url);
    await page
      .getByRole('listitem', { name: 'C-015 Session 1' })
      .getByRole('button', { name: 'Open Session 1' })
      .click();
    await expect.poll(() => page.url()).toContain(`#/session/${id}`);
    await expect.poll(() => page.locator('.waveform').getAttribute('data-drawn'), { timeout: 20_000 }).toBe('true');
    expect(await waveformIsDrawn()).toBe(true);
    await expect
      .poll(() =>
        page
          .locator('video')
          .first()
          .evaluate((v: HTMLVideoElement) => v.readyState),
      )
      .toBeGreaterThanOrEqual(1);

    // Play with Space, pause with Space.
    await page.locator('body').press('Space');
    await expect.poll(currentTime, { timeout: 10_000 }).toBeGreaterThan(0.4);
    // Playing, the time runs on the clock's wheels over the field (turned by the compositor),
    // and they show the video's time.
    await expect.poll(() => page.locator('.time-field').getAttribute('class')).toContain('running');
    const face = await wheelsAndVideo(page);
    expect(Math.abs(face.shown - face.video)).toBeLessThan(0.15);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'player-playing.png') });
    // The wheels are hidden from assistive technology; the field (its text hidden meanwhile) is
    // what is read, and the playing transport passes axe.
    expect(await axeViolations(page, '.transport')).toEqual([]);
    // Into the field while playing: it shows the time it is now (not the time it stood at), and
    // a typed time plays on from there, on the wheels again.
    const field = page.getByRole('textbox', { name: 'Current time' });
    await field.focus();
    expect(await page.locator('.time-field').getAttribute('class')).not.toContain('running');
    const [typedFrom, videoNow] = [await field.inputValue(), await currentTime()];
    const [, , sec] = typedFrom.split(':').map(Number);
    expect(Math.abs(sec! - videoNow)).toBeLessThan(0.5);
    await field.fill('00:00:02.000');
    await field.press('Enter');
    await expect.poll(() => page.locator('.time-field').getAttribute('class')).toContain('running');
    expect(await currentTime()).toBeGreaterThanOrEqual(2);
    expect(await currentTime()).toBeLessThan(3);
    await page.locator('body').press('Space');
    await expect.poll(() => page.getByRole('button', { name: 'Play' }).isVisible()).toBe(true);
    // Paused, the field shows the exact time again.
    await expect.poll(() => page.locator('.time-field').getAttribute('class')).not.toContain('running');
    const [shownText, pausedAt] = [
      await page.getByRole('textbox', { name: 'Current time' }).inputValue(),
      await currentTime(),
    ];
    expect(shownText).toBe(formatTime(pausedAt * 1000));

    // Keyboard seeks: ±1 s, Shift ±5 s.
    await page.getByRole('textbox', { name: 'Current time' }).fill('00:00:05.000');
    await page.getByRole('textbox', { name: 'Current time' }).press('Enter');
    await expect.poll(currentTime).toBeCloseTo(5, 1);
    await page.locator('body').press('ArrowRight');
    await expect.poll(currentTime).toBeCloseTo(6, 1);
    await page.locator('body').press('Shift+ArrowRight');
    await expect.poll(currentTime).toBeCloseTo(11, 1);
    await page.locator('body').press('ArrowLeft');
    await expect.poll(currentTime).toBeCloseTo(10, 1);
    await expect.poll(() => page.getByRole('textbox', { name: 'Current time' }).inputValue()).toBe('00:00:10.000');

    // Click on the waveform seeks the video: the whole 30 s clip is in view, so 75 % is ~22.5 s.
    const box = (await page.locator('.waveform').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.75, box.y + 40);
    await expect.poll(currentTime).toBeGreaterThan(21.5);
    expect(await currentTime()).toBeLessThan(23.5);

    // A typed time that is not a time gets a message, not a jump.
    await page.getByRole('textbox', { name: 'Current time' }).fill('half past');
    await page.getByRole('textbox', { name: 'Current time' }).press('Enter');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Type a time like');

    await page.getByRole('textbox', { name: 'Current time' }).fill('00:00:12.480');
    await page.getByRole('textbox', { name: 'Current time' }).press('Enter');
    await expect.poll(currentTime).toBeCloseTo(12.48, 1);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'player.png') });

    // Reload: the last position comes back.
    await page.waitForTimeout(700);
    await page.reload();
    await expect.poll(() => page.locator('.waveform').getAttribute('data-drawn'), { timeout: 20_000 }).toBe('true');
    await expect.poll(currentTime, { timeout: 10_000 }).toBeCloseTo(12.48, 1);
  });

  it('zooms the waveform with buttons and keys and shows the window on the overview', async () => {
    const { id } = await seedSession('C-016', mediaFile('session.webm'));
    await openSession(id);
    const windowLabel = () => page.getByLabel('Visible window').textContent();
    expect(await windowLabel()).toBe('window 0:30');
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.locator('body').press('+');
    await page.locator('body').press('+');
    await expect.poll(windowLabel).not.toBe('window 0:30');
    await page.getByRole('button', { name: 'Fit: show the whole session' }).click();
    await expect.poll(windowLabel).toBe('window 0:30');
  });

  it('says "no audio track" for a silent video, which still plays', async () => {
    const { id } = await seedSession('C-017', mediaFile('video-only.mp4'));
    await page.goto(`${url}#/session/${id}`);
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('No audio track');
    await page.locator('body').press('Space');
    await expect.poll(currentTime, { timeout: 10_000 }).toBeGreaterThan(0.3);
    await page.locator('body').press('Space');
  });

  it('flags a moved recording and relinks it only to the same content', async () => {
    const { path: original } = await seedSession('C-018', mediaFile('session.webm'), 'Økt 1 – klient.webm');
    await page.goto(url);
    const moved = path.join(files.dir, 'archive', 'session-one.webm');
    fs.mkdirSync(path.dirname(moved), { recursive: true });
    fs.renameSync(original, moved);
    await page.reload();
    const row = page.getByRole('listitem', { name: 'C-018 Session 1' });
    await expect.poll(() => row.textContent()).toContain('needs attention');
    expect(await row.textContent()).toContain('is not at');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'library-moved.png') });

    await row.getByRole('button', { name: 'Relink…' }).click();
    await row.getByLabel(/New location of/).fill(mediaFile('video-only.mp4'));
    await row.getByRole('button', { name: 'Relink', exact: true }).click();
    await expect.poll(() => row.getByRole('alert').first().textContent()).toContain('is not the same recording');

    await row.getByLabel(/New location of/).fill(moved);
    await row.getByRole('button', { name: 'Relink', exact: true }).click();
    await expect.poll(() => row.textContent()).toContain('● ready');
  });
});
