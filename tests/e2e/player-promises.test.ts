/**
 * The player keeps its promises on a 1366×768 laptop with four raters: a refused time never moves
 * the layout, the segment form never pushes the waveform away, a submitted rating says so before
 * a form opens, Enter in a note saves, and deleting a session says what goes with it. Seeds its
 * own sessions.
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
let me: number;

beforeAll(async () => {
  const started = await startTestHost();
  host = started.host;
  stopHost = started.cleanup;
  const lib = host.core.library;
  const c = lib.createCase({ code: 'C-LAP', therapist: '', notes: '' });
  sessionId = lib.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' }).id;
  await host.core.imports.importOne(sessionId, mediaFile('session.webm'), { offsetMs: 0, copy: false });
  const ann = host.core.annotations;
  // Three observers who submitted (their lanes show), and the one at the machine.
  for (const name of ['Ann', 'Ben', 'Cy']) {
    const r = ann.createRater(name, 'observer');
    for (let i = 0; i < 4; i++)
      ann.create({
        sessionId,
        raterId: r.id,
        kind: 'rupture',
        startMs: i * 7000,
        endMs: i * 7000 + 3000,
        codes: ['W1'],
      });
    ann.create({ sessionId, raterId: r.id, kind: 'repair', startMs: 4000, endMs: 6000 });
    ann.submit(sessionId, r.id);
  }
  me = ann.createRater('Dee', 'observer').id;
  ann.create({ sessionId, raterId: me, kind: 'rupture', startMs: 2000, endMs: 5000, codes: ['W2'] });
  ann.submit(sessionId, me);
  ann.setCurrentRater(me);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
});
afterAll(async () => {
  await browser?.close();
  await stopHost?.();
});

const box = async (selector: string) => (await page.locator(selector).first().boundingBox())!;

describe('the player at 1366×768 with four raters', () => {
  it('a refused time is said under the field and never moves the video or the waveform', async () => {
    await page.goto(`${host.url}#/session/${sessionId}`);
    await page.locator('.waveform[data-drawn="true"]').waitFor({ timeout: 30_000 });
    const video = await box('.stage');
    const wave = await box('.waveform');
    const time = page.getByRole('textbox', { name: 'Current time' });
    await time.fill('99:99');
    await time.press('Enter');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Type a time like' }).isVisible()).toBe(true);
    expect(await box('.stage')).toEqual(video);
    expect(await box('.waveform')).toEqual(wave);
    expect(await time.getAttribute('aria-invalid')).toBe('true');
    await time.press('Escape');
    expect(await page.getByRole('alert').filter({ hasText: 'Type a time like' }).count()).toBe(0);
  });

  it('says a submitted rating is locked when R is pressed, instead of opening a form that refuses on save', async () => {
    await page.locator('body').press('r');
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'Your rating of this session is submitted' }).isVisible())
      .toBe(true);
    expect(await page.getByRole('form', { name: /New rupture/ }).count()).toBe(0);
    // The blind-rating note does not ask someone who has submitted to submit.
    expect(await page.locator('.blind-note').count()).toBe(0);
  });

  it('keeps the waveform in view and the video usable with the segment form open; Enter in a note saves', async () => {
    host.core.annotations.revise(sessionId, me, 'second look');
    await page.reload();
    await page.locator('.waveform[data-drawn="true"]').waitFor({ timeout: 30_000 });
    await page.locator('body').press('r');
    await page.locator('body').press('r');
    const form = page.getByRole('form', { name: 'New rupture' });
    await expect.poll(() => form.isVisible()).toBe(true);
    const wave = await box('.waveform');
    const video = await box('.stage');
    const formBox = (await form.boundingBox())!;
    expect(wave.y).toBeGreaterThanOrEqual(0);
    expect(wave.y + wave.height).toBeLessThanOrEqual(768);
    expect(formBox.y + formBox.height).toBeLessThanOrEqual(768);
    expect(video.height).toBeGreaterThanOrEqual(240);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'player-1366-form-open.png') });
    const note = form.getByRole('textbox', { name: 'Note' });
    await note.fill('looks away');
    await note.press('Enter');
    await expect
      .poll(() =>
        host.core.annotations.list(sessionId).segments.some((x) => x.raterId === me && x.note === 'looks away'),
      )
      .toBe(true);
    expect(host.core.annotations.list(sessionId).segments.find((x) => x.note === 'looks away')!.note).not.toContain(
      '\n',
    );
    expect(await axeViolations(page)).toEqual([]);
  });

  it('deleting the session says what goes with it and that it cannot be undone; Keep keeps it', async () => {
    await page.goto(`${host.url}#/`);
    const row = page.getByRole('listitem', { name: 'C-LAP Session 1' });
    await row.getByRole('button', { name: 'Delete Session 1' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete session' });
    await expect.poll(() => dialog.textContent()).toMatch(/cannot be undone/);
    await expect
      .poll(() => dialog.textContent())
      .toMatch(
        /It erases 17 coded segments by 4 raters with their edit history, 3 submitted ratings, .*overwrites the space they took\..*The audit log keeps only that it was deleted\./,
      );
    // Keep has the focus: Enter keeps.
    await page.keyboard.press('Enter');
    expect(await dialog.count()).toBe(0);
    expect(host.core.library.listCases()[0]!.sessions).toHaveLength(1);
    expect(await axeViolations(page)).toEqual([]);
  });
});
