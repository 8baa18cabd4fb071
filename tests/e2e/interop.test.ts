/**
 * Other tools' files in the app, from the keyboard: a supervisor opens "Import / export…", picks
 * an ELAN file, sees each tier with the role and rater the app proposes, maps the value the
 * codebook lacks, and imports; the coders' lanes and the transcript appear; the transcript
 * follows playback, finds words, and a range of utterances becomes a segment; the library finds
 * words across sessions. Seeds its own session.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../src/main/hosts/browser-host';
import { axeViolations } from '../support/axe';
import { launchChromium, SCREENSHOT_DIR, startTestHost } from '../support/browser';
import { mediaFile } from '../support/media';

const FIX = path.resolve(__dirname, '../fixtures/interop');
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
  const c = lib.createCase({ code: 'C-ELAN', therapist: '', notes: '' });
  sessionId = lib.createSession({ caseId: c.id, number: 1, date: '2026-11-20', modality: '', notes: '' }).id;
  await host.core.imports.importOne(sessionId, mediaFile('session.webm'), { offsetMs: 0, copy: false });
  const sup = host.core.raters.create('Dr. Sup', 'supervisor');
  host.core.raters.setCurrent(sup.id);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
});
afterAll(async () => {
  await browser?.close();
  await stopHost?.();
});

describe('import / export in the player', () => {
  it('previews an .eaf tier by tier, maps the value the codebook lacks, and imports all of it', async () => {
    await page.goto(`${host.url}#/session/${sessionId}`);
    const open = page.getByRole('button', { name: 'Import / export…' });
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Import / export' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    // Keys belong to the dialog: "d" typed here is not a player command.
    await dialog.getByLabel('File').setInputFiles(path.join(FIX, 'rupture-coding.eaf'));
    const table = dialog.getByRole('table');
    await expect.poll(() => table.isVisible()).toBe(true);
    expect(await dialog.getByText('ELAN .eaf file', { exact: true }).isVisible()).toBe(true);
    expect(await dialog.getByLabel('What tier Ruptures Coder A becomes').inputValue()).toBe('rupture');
    expect(await dialog.getByLabel('What tier T becomes').inputValue()).toBe('transcript');
    expect(await dialog.getByLabel('Rater for tier Ruptures Coder B').inputValue()).toBe('Coder B');
    // The value the codebook lacks blocks the import until it is mapped.
    const importButton = dialog.getByRole('button', { name: /^Import \d+ segments/ });
    expect(await importButton.isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'interop-import-preview.png') });
    expect(await axeViolations(page, '.interop-dialog')).toEqual([]);
    await dialog.getByRole('combobox', { name: /Rückzug \(sonstiger\)/ }).selectOption('W7');
    await expect.poll(() => importButton.isDisabled()).toBe(false);
    expect(await importButton.textContent()).toBe('Import 7 segments and 2 utterances');
    // The account before anything is stored: what comes in, as whose lane, and the time shift.
    const willDo = dialog.getByRole('region', { name: 'What the import will do' });
    expect(await willDo.textContent()).toContain(
      `Tier "Ruptures Coder B": 2 annotations as ruptures into Coder B's lane`,
    );
    expect(await willDo.textContent()).toMatch(/times shifted by \+2,000 ms onto the session's clock/);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'interop-import-account.png') });
    expect(await axeViolations(page, '.interop-dialog')).toEqual([]);
    // Finished coding from ELAN: submitted, so the supervisor sees the coders' lanes at once.
    await dialog.getByRole('checkbox', { name: /This is finished coding: submit Coder A, Coder B’s ratings/ }).check();
    expect(host.core.annotations.list(sessionId).segments).toEqual([]);
    await importButton.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.getByRole('status').filter({ hasText: 'Imported 7 segments' }).count()).toBe(1);
    expect(await dialog.getByRole('region', { name: 'What the import did' }).textContent()).toContain(
      `Tier "Ruptures Coder A": 4 annotations as ruptures into Coder A's lane`,
    );
    expect(host.core.annotations.list(sessionId).segments).toHaveLength(7);
    expect(host.core.transcripts.list(sessionId)).toHaveLength(2);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    // The coders' lanes are there, each segment saying where it came from.
    expect(host.core.annotations.list(sessionId).ratings.map((r) => r.status)).toEqual(['submitted', 'submitted']);
    await expect.poll(() => page.getByText(/^Coder B/).count()).toBeGreaterThan(0);
    const row = page.getByRole('button', { name: /W7 .*\(imported from rupture-coding\.eaf\)/ });
    await expect.poll(() => row.count()).toBe(1);
  });

  it('the transcript follows playback, finds words, and marks a range of utterances as a segment', async () => {
    await page.getByRole('tab', { name: 'Transcript' }).click();
    const list = page.getByRole('list', { name: 'Transcript' });
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2);
    const time = page.getByRole('textbox', { name: 'Current time' });
    await time.fill('00:00:06.000');
    await time.press('Enter');
    await expect.poll(() => list.locator('li[aria-current="true"]').textContent()).toContain('Gut, denke ich');
    await page.getByRole('searchbox', { name: 'Search the transcript' }).fill('woche');
    await expect.poll(() => page.getByText('Hit 1 of 1').count()).toBe(1);
    expect(await list.locator('mark').first().textContent()).toBe('Woche');
    await page.getByRole('searchbox', { name: 'Search the transcript' }).press('Enter');
    await expect.poll(() => time.inputValue()).toBe('00:00:02.500');
    // Click the first utterance, Shift+click the second: mark them as one rupture.
    await list.getByRole('button').nth(0).click();
    await list
      .getByRole('button')
      .nth(1)
      .click({ modifiers: ['Shift'] });
    await page.getByRole('button', { name: 'Mark as rupture…' }).click();
    const form = page.locator('.segment-form');
    await expect.poll(() => form.isVisible()).toBe(true);
    expect(await form.getByLabel('Start').inputValue()).toBe('00:00:02.500');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'interop-transcript.png') });
    expect(await axeViolations(page, '.side-panel')).toEqual([]);
  });

  it('the library searches every transcript and opens the session at the hit', async () => {
    await page.goto(`${host.url}#/`);
    await page.getByRole('searchbox', { name: 'Search all transcripts' }).fill('denke');
    const hit = page.getByRole('button', { name: /C-ELAN · Session 1 · 00:00:05 Patient:/ });
    await expect.poll(() => hit.count()).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'interop-library-search.png') });
    expect(await axeViolations(page, '.library-search')).toEqual([]);
    await hit.click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Current time' }).inputValue()).toBe('00:00:05.100');
  });

  it('a segment joins the playlist from the segment list, and the playlist exports as one video', async () => {
    await page.goto(`${host.url}#/session/${sessionId}`);
    await page.getByRole('tab', { name: 'Segments' }).click();
    const add = page.getByRole('button', { name: /^Playlist: rupture at 00:00:03\.000/ }).first();
    await add.focus();
    await page.keyboard.press('Enter');
    expect(await add.getAttribute('aria-pressed')).toBe('true');
    const playlist = page.getByRole('group', { name: 'Playlist' });
    await expect.poll(() => playlist.textContent()).toContain('Playlist: 1 moment, in the order chosen');
    await playlist.getByRole('button', { name: 'Export as one video' }).click();
    await expect
      .poll(() => playlist.getByRole('status').textContent(), { timeout: 30_000 })
      .toMatch(/^Saved .*C-ELAN-s1-playlist\.mp4/);
    expect(await axeViolations(page, '.side-panel')).toEqual([]);
  });

  it('saves the session as an ELAN file from the dialog', async () => {
    await page.goto(`${host.url}#/session/${sessionId}`);
    await page.getByRole('button', { name: 'Import / export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import / export' });
    await dialog.getByRole('radio', { name: /ELAN \(\.eaf\)/ }).check();
    await dialog.getByRole('checkbox', { name: /Include the transcript/ }).check();
    // Pseudonymous unless asked, and the dialog says what leaves the machine.
    expect(await dialog.textContent()).toContain('pseudonymous: raters as R1, R2 …, recordings by number');
    const save = async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        dialog.getByRole('button', { name: 'Save…' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('C-ELAN-session-1.eaf');
      return fs.readFileSync((await download.path())!, 'utf8');
    };
    const plain = await save();
    expect(plain).toContain('<ANNOTATION_DOCUMENT');
    expect(plain).not.toContain('Coder A');
    expect(plain).toMatch(/TIER_ID="Ruptures – R\d+"/);
    await dialog.getByRole('checkbox', { name: /Include names/ }).check();
    expect(await dialog.textContent()).toContain('with names: the therapist, the raters');
    expect(await axeViolations(page, '[role="dialog"]')).toEqual([]);
    await dialog.screenshot({ path: path.join(SCREENSHOT_DIR, 'export-dialog.png') });
    const text = await save();
    expect(text).toContain('TIER_ID="Ruptures – Coder A"');
    expect(text).toContain('Transcript – Patient');
    await expect
      .poll(() => dialog.getByRole('status').filter({ hasText: 'Saved C-ELAN-session-1.eaf.' }).count())
      .toBe(1);
  });
});
