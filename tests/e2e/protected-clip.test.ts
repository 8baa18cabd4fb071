/**
 * A teaching clip in a protected library, from the keyboard: the clip form asks where to save it
 * (the library's exports folder would hold it unencrypted), says so in words when no place is
 * given, and cuts it to the place given. Seeds its own library; screenshot protected-clip.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../src/main/hosts/browser-host';
import { axeViolations } from '../support/axe';
import { launchChromium, SCREENSHOT_DIR, startTestHost } from '../support/browser';
import { mediaFile } from '../support/media';
import { tempDir } from '../support/tmp';

const PASS = 'a passphrase for the clinic';
let browser: Browser;
let page: Page;
let host: BrowserHost;
let stopHost: () => Promise<void>;
let sessionId: number;
let outside: ReturnType<typeof tempDir>;

beforeAll(async () => {
  const started = await startTestHost();
  host = started.host;
  stopHost = started.cleanup;
  outside = tempDir('alliance-clip-out-');
  const lib = host.core.library;
  const c = lib.createCase({ code: 'C-LOCK', therapist: '', notes: '' });
  sessionId = lib.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' }).id;
  await host.core.imports.importOne(sessionId, mediaFile('session.webm'), { offsetMs: 0, copy: false });
  const sup = host.core.raters.create('Dr. Sup', 'supervisor');
  host.core.raters.setCurrent(sup.id);
  host.core.feedback.add(
    { sessionId, startMs: 2000, endMs: 4000, label: 'question', text: 'What happened here?' },
    sup,
  );
  await host.gate.protect(PASS, false);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
});
afterAll(async () => {
  await browser?.close();
  await stopHost?.();
  outside?.cleanup();
});

describe('a clip in a protected library', () => {
  it('asks where to save it, refuses the exports folder in words, and cuts it to the place given', async () => {
    await page.goto(`${host.url}#/session/${sessionId}`);
    await page.getByRole('tab', { name: /^Feedback/ }).click();
    await page.getByRole('button', { name: 'Clip…' }).first().click();
    const clip = page.getByRole('form', { name: /^Clip of the comment at/ });
    const saveAs = clip.getByRole('textbox', { name: 'Save as' });
    await expect.poll(() => saveAs.getAttribute('placeholder')).toMatch(/outside the library/);
    // No place given: refused, and nothing lands in the library's folder.
    await clip.getByRole('button', { name: 'Cut clip' }).press('Enter');
    await expect
      .poll(() => clip.getByRole('alert').textContent())
      .toMatch(/protected with a passphrase, and a clip in its exports folder would lie there unencrypted/);
    expect(fs.existsSync(path.join(host.core.dataDir, 'exports'))).toBe(false);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'protected-clip.png') });
    expect(await axeViolations(page)).toEqual([]);
    // A place outside the library, typed from the keyboard: cut there.
    const out = path.join(outside.dir, 'moment.mp4');
    await saveAs.fill(out);
    await saveAs.press('Enter');
    await expect
      .poll(() => clip.getByRole('status').textContent(), { timeout: 20_000 })
      .toMatch(/^Saved .*moment\.mp4/);
    expect(fs.statSync(out).size).toBeGreaterThan(1000);
    expect(fs.existsSync(path.join(host.core.dataDir, 'exports'))).toBe(false);
  });
});
