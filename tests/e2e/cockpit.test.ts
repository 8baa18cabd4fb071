/**
 * The coder's cockpit at a clinic laptop's size (1366×768), from the keyboard: marks stored the
 * moment they close, a repair starting exactly as its rupture ends, quick-code keys, the code
 * field's suggestions, segments on the lanes reached and moved with the keys, and the layout's
 * splits. axe-core on what is shown.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CODEBOOK } from '../../src/shared/codebook';
import type { BrowserHost } from '../../src/main/hosts/browser-host';
import { axeViolations } from '../support/axe';
import { launchChromium, SCREENSHOT_DIR, startTestHost } from '../support/browser';
import { mediaFile } from '../support/media';

let browser: Browser;
let page: Page;
let host: BrowserHost;
let stopHost: () => Promise<void>;
let sessionId: number;
let rater: number;

beforeAll(async () => {
  const started = await startTestHost();
  host = started.host;
  stopHost = started.cleanup;
  const lib = host.core.library;
  const c = lib.createCase({ code: 'C-031', therapist: 'A. Berg', notes: '' });
  sessionId = lib.createSession({ caseId: c.id, number: 1, date: '2026-10-02', modality: '', notes: '' }).id;
  await host.core.imports.importOne(sessionId, mediaFile('session.webm'), { offsetMs: 0, copy: false });
  // Quick keys in the codebook: 1 for W2 (minimal response), E for R4.
  host.core.annotations.saveCodebook({
    ...DEFAULT_CODEBOOK,
    codes: DEFAULT_CODEBOOK.codes.map((c) =>
      c.key === 'W2' ? { ...c, quickKey: '1' } : c.key === 'R4' ? { ...c, quickKey: 'e' } : c,
    ),
  });
  rater = host.core.annotations.ensureRater('Olga', 'observer').id;
  host.core.annotations.setCurrentRater(rater);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
});
afterAll(async () => {
  await browser?.close();
  await stopHost?.();
});

const stored = () => host.core.annotations.list(sessionId).segments.filter((s) => s.raterId === rater);
const clock = () => page.getByRole('textbox', { name: 'Current time' });
async function goTo(time: string) {
  await clock().fill(time);
  await clock().press('Enter');
  await page.locator('body').focus();
}
const inForm = () => page.evaluate(() => !!document.activeElement?.closest('.segment-form'));

describe('the coder’s cockpit at 1366×768', () => {
  it('stores a mark when it closes, lets the next mark start at once, and keeps it on Esc', async () => {
    await page.goto(`${host.url}#/session/${sessionId}`);
    await page.locator('.waveform[data-drawn="true"]').waitFor({ timeout: 30_000 });
    await goTo('00:00:02.000');
    await page.keyboard.press('r');
    await goTo('00:00:05.000');
    await page.keyboard.press('r');
    // Stored at once, without a code; the form shows but does not take the focus.
    await expect.poll(() => stored().length).toBe(1);
    expect(stored()[0]).toMatchObject({ kind: 'rupture', startMs: 2000, endMs: 5000, codes: [] });
    await expect.poll(() => page.getByRole('form', { name: 'New rupture' }).isVisible()).toBe(true);
    expect(await inForm()).toBe(false);
    // P at once: a repair opens where the rupture ended, and nothing is typed into the form.
    await page.keyboard.press('p');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'repair open since' }).isVisible()).toBe(true);
    await goTo('00:00:08.000');
    await page.keyboard.press('p');
    await expect.poll(() => stored().length).toBe(2);
    const repair = stored().find((s) => s.kind === 'repair')!;
    expect(repair).toMatchObject({ startMs: 5000, endMs: 8000, codes: [], linkedRuptureIds: [stored()[0]!.id] });
    // Esc closes the form; the mark stays, flagged as not coded yet, on its lane and in the list.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.segment-form').count()).toBe(0);
    expect(stored()).toHaveLength(2);
    const lane = page.getByRole('list', { name: 'Repairs of Olga' });
    expect(await lane.getByRole('listitem').first().getAttribute('aria-label')).toContain('not coded yet');
    await expect.poll(() => page.getByRole('list', { name: 'Segments' }).textContent()).toContain('not coded yet');
    // Submit asks first, and counts the marks still to code.
    await page.getByRole('button', { name: 'Submit rating' }).click();
    const confirm = page.getByRole('form', { name: 'Submit rating' });
    await expect.poll(() => confirm.getByRole('alert').textContent()).toContain('2 marks without a code');
    await confirm.getByRole('button', { name: 'Not yet' }).click();
    await page.locator('body').focus();
  });

  it('codes with a quick key, and a quick key closes the open mark and starts its own', async () => {
    await goTo('00:00:10.000');
    await page.keyboard.press('1');
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'rupture W2 open since' }).isVisible())
      .toBe(true);
    await goTo('00:00:13.000');
    await page.keyboard.press('e'); // closes W2 at 13 s and opens an R4 repair there
    await goTo('00:00:15.000');
    await page.keyboard.press('e');
    await expect.poll(() => stored().length).toBe(4);
    const w2 = stored().find((s) => s.codes.includes('W2'))!;
    const r4 = stored().find((s) => s.codes.includes('R4'))!;
    expect(w2).toMatchObject({ kind: 'rupture', startMs: 10_000, endMs: 13_000, ruptureType: 'withdrawal' });
    expect(r4).toMatchObject({ kind: 'repair', startMs: 13_000, endMs: 15_000, linkedRuptureIds: [w2.id] });
    await page.keyboard.press('Escape');
    // The ? sheet lists them.
    await page.keyboard.press('?');
    const sheet = page.getByRole('complementary', { name: 'Keyboard shortcuts' });
    await expect.poll(() => sheet.textContent()).toContain('W2');
    expect(await sheet.textContent()).toMatch(/E.*repair coded R4/);
    await page.keyboard.press('Escape');
  });

  it('reaches a segment on its lane from the keyboard, moves it with the arrows, and codes it with suggestions', async () => {
    // The first rupture (uncoded): Tab to the lane's stop, ↑ to the first segment.
    const ruptures = page.getByRole('list', { name: 'Ruptures of Olga' });
    const first = stored().find((s) => s.kind === 'rupture' && s.codes.length === 0)!;
    await ruptures.locator(`.seg[data-id="${first.id}"]`).focus();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toContain('rupture');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => stored().find((s) => s.id === first.id)!.startMs).toBe(3100);
    expect(stored().find((s) => s.id === first.id)!.endMs).toBe(6100);
    // ↓ goes to the next rupture on the lane.
    await page.keyboard.press('ArrowDown');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''))
      .toContain('W2');
    await page.keyboard.press('ArrowUp');
    // Enter edits: the form takes the focus in the code field, which suggests as you type.
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: 'Edit rupture' });
    await expect.poll(() => inForm()).toBe(true);
    await page.keyboard.type('minimal');
    const options = form.getByRole('listbox', { name: 'Matching codes' }).getByRole('option');
    await expect.poll(() => options.first().textContent()).toContain('W2');
    expect(await options.first().textContent()).toContain('Minimal response');
    await page.keyboard.type('x'); // "minimalx" matches nothing
    await expect.poll(() => options.count()).toBe(0);
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter'); // adds W2
    await expect.poll(() => form.getByRole('button', { name: /^W2 .*remove/ }).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'cockpit-1366.png') });
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Enter'); // an empty code field saves
    await expect.poll(() => stored().find((s) => s.id === first.id)!.codes).toEqual(['W2']);
    await expect.poll(() => page.locator('.segment-form').count()).toBe(0);
    // The focus is back on the segment the edit started from, not on the page.
    await expect
      .poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id))
      .toBe(String(first.id));
  });

  it('resizes the video and the side column from the keyboard, remembers it, and has a compact mode', async () => {
    const video = page.getByRole('separator', { name: 'Video height' });
    const side = page.getByRole('separator', { name: 'Side panel width' });
    const stageH = async () => (await page.locator('.stage-box').boundingBox())!.height;
    const sideW = async () => (await page.locator('.side-column').boundingBox())!.width;
    const h0 = await stageH();
    const w0 = await sideW();
    await video.focus();
    await page.keyboard.press('Shift+ArrowUp');
    await expect.poll(stageH).toBe(h0 - 64);
    await side.focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(sideW).toBe(w0 + 16);
    await page.reload();
    await page.locator('.waveform[data-drawn="true"]').waitFor({ timeout: 30_000 });
    expect(await stageH()).toBe(h0 - 64);
    expect(await sideW()).toBe(w0 + 16);
    // The segment list shows at least 8 rows at this size.
    const rows = (await page.locator('.segment-list .rows').boundingBox())!;
    const panel = (await page.locator('.side-panel').boundingBox())!;
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'cockpit-list-1366.png') });
    expect((panel.y + panel.height - rows.y) / 40).toBeGreaterThanOrEqual(8);
    await page.getByRole('button', { name: /Compact/ }).click();
    await expect.poll(stageH).toBeLessThanOrEqual(90);
    expect(await page.getByRole('button', { name: /Compact/ }).getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'cockpit-compact-1366.png') });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('passes axe on every tab of the side panel, each reached with the arrow keys', async () => {
    const tabs = page.getByRole('tab');
    const names = await tabs.allTextContents();
    expect(names.length).toBeGreaterThanOrEqual(5);
    await page.getByRole('tab', { selected: true }).focus();
    await page.keyboard.press('Home');
    for (const name of names) {
      await expect.poll(() => page.getByRole('tab', { selected: true }).textContent()).toBe(name);
      expect(await axeViolations(page), name).toEqual([]);
      await page.keyboard.press('ArrowRight');
    }
  });

  it('draws a lane of hundreds of segments on one canvas when zoomed out; a press picks one, zooming in brings the boxes back', async () => {
    const c = host.core.library.ensureCase('C-031', 'A. Berg');
    const dense = host.core.library.createSession({
      caseId: c.id,
      number: 2,
      date: '2026-10-09',
      modality: '',
      notes: '',
    }).id;
    await host.core.imports.importOne(dense, mediaFile('twelve-minutes.m4a'), { offsetMs: 0, copy: false });
    const obs = host.core.annotations.ensureRater('Oskar', 'observer');
    const imported = host.core.annotations.importSegments(
      Array.from({ length: 400 }, (_, i) => ({
        line: i + 1,
        input: {
          sessionId: dense,
          raterId: obs.id,
          kind: 'rupture' as const,
          startMs: i * 1800,
          endMs: i * 1800 + 1000,
        },
      })),
      false,
    );
    expect(imported).toMatchObject({ imported: 400 });
    host.core.annotations.submit(dense, obs.id);
    host.core.annotations.setCurrentRater(host.core.annotations.ensureRater('Dr. S', 'supervisor').id);
    await page.goto(`${host.url}#/session/${dense}`);
    await page.locator('.waveform[data-drawn="true"]').waitFor({ timeout: 30_000 });
    await page.keyboard.press('0'); // the whole session: 400 segments in 12 minutes
    const lane = page.getByRole('group', { name: 'Ruptures of Oskar' });
    await expect.poll(() => lane.locator('canvas.lane-canvas').count()).toBe(1);
    expect(await lane.locator('.seg').count()).toBe(0);
    expect(await lane.getAttribute('aria-description')).toContain('400 segments, drawn zoomed out');
    // A press on the drawing picks the segment under it (its row in the list is the selected one).
    // Its first row in sight, at the top of the lanes' own scrolling region.
    await lane.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const box = (await lane.boundingBox())!;
    await page.mouse.click(box.x + 2, box.y + 10); // the first segment, 0–1 s, in the first row
    await expect.poll(() => page.locator('.segment-list li.selected').count()).toBe(1);
    // Zoomed in far enough, the lane is boxes again, each focusable.
    await page.locator('body').focus();
    for (let i = 0; i < 12; i++) await page.keyboard.press('+');
    await expect
      .poll(() => page.getByRole('list', { name: 'Ruptures of Oskar' }).locator('.seg').count())
      .toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows at least 4 raters’ lanes in the comparison at this size, in compact mode', async () => {
    const c = host.core.library.ensureCase('C-031', 'A. Berg');
    const six = host.core.library.createSession({
      caseId: c.id,
      number: 3,
      date: '2026-10-16',
      modality: '',
      notes: '',
    }).id;
    await host.core.imports.importOne(six, mediaFile('session.webm'), { offsetMs: 0, copy: false });
    for (let r = 0; r < 6; r++) {
      const rater = host.core.annotations.ensureRater(`Observer ${r + 1}`, 'observer');
      host.core.annotations.importSegments(
        Array.from({ length: 6 }, (_, i) => ({
          line: i + 1,
          input: {
            sessionId: six,
            raterId: rater.id,
            kind: (i % 2 ? 'repair' : 'rupture') as 'repair' | 'rupture',
            startMs: i * 4500 + r * 200,
            endMs: i * 4500 + r * 200 + 3000,
            codes: [i % 2 ? 'R1' : 'W2'],
          },
        })),
        false,
      );
      host.core.annotations.submit(six, rater.id);
    }
    host.core.annotations.setCurrentRater(host.core.annotations.ensureRater('Dr. S', 'supervisor').id);
    await page.goto(`${host.url}#/compare/${six}`);
    await page.locator('.perspective-group .seg').first().waitFor({ state: 'attached' });
    const compact = page.getByRole('button', { name: /Compact/ });
    if ((await compact.getAttribute('aria-pressed')) !== 'true') await compact.click();
    await page.waitForTimeout(300);
    const seen = await page.evaluate(() => {
      const region = document.querySelector('.lanes-scroll')!.getBoundingClientRect();
      return [...document.querySelectorAll('.perspective-group .rater-group')].filter((g) => {
        const b = g.getBoundingClientRect();
        return b.top >= region.top - 1 && b.bottom <= Math.min(region.bottom, innerHeight) + 1;
      }).length;
    });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'compare-compact-1366.png') });
    expect(seen).toBeGreaterThanOrEqual(4);
    expect(await axeViolations(page)).toEqual([]);
  });
});
