import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../src/main/hosts/browser-host';
import { axeViolations } from '../support/axe';
import { launchChromium, SCREENSHOT_DIR, startTestHost } from '../support/browser';

let browser: Browser;
let page: Page;
let host: BrowserHost;
let dataDir: string;
const stops: (() => Promise<void> | void)[] = [];
const PASS = 'Abendsupervision am Donnerstag';

/** A supervisor's library with one case, protected from the keyboard, locked and unlocked. */
beforeAll(async () => {
  const t = await startTestHost();
  host = t.host;
  dataDir = t.dataDir;
  stops.push(t.cleanup);
  const { library, annotations } = host.core;
  library.createCase({ code: 'C-LOCK-41', therapist: 'Dr. Unseen', notes: '' });
  annotations.setCurrentRater(annotations.createRater('Dr. Supervisor', 'supervisor').id);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
  for (const s of stops.reverse()) await s();
});

async function type(label: string, text: string) {
  await page.getByLabel(label, { exact: true }).focus();
  await page.keyboard.type(text);
}

describe('protecting the library in the app', () => {
  it('protects with a passphrase, locks (by hand and when the host locks), and unlocks — from the keyboard', async () => {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Audit & backups' }).press('Enter');
    const section = page.getByRole('region', { name: 'Passphrase protection' });
    await section.getByRole('button', { name: 'Protect this library with a passphrase…' }).press('Enter');
    const form = section.getByRole('form', { name: 'Protect this library' });
    await type('New passphrase', 'short');
    await type('Again, to be sure', 'short');
    expect(await form.getByRole('button', { name: 'Encrypt the library' }).isDisabled()).toBe(true);
    await form.getByLabel('New passphrase', { exact: true }).fill('');
    await form.getByLabel('Again, to be sure', { exact: true }).fill('');
    await type('New passphrase', PASS);
    await type('Again, to be sure', PASS);
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => section.getByRole('status').textContent())
      .toBe('The library and its backups are now encrypted.');
    expect(fs.readFileSync(path.join(dataDir, 'alliance-review.db')).includes(Buffer.from('Dr. Unseen'))).toBe(false);
    expect(await section.getByLabel('Lock after').inputValue()).toBe('15');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'protection.png'), fullPage: true });

    // Lock now: everything is hidden, the passphrase field has the focus.
    await section.getByRole('button', { name: 'Lock now' }).press('Enter');
    const field = page.getByLabel('Passphrase', { exact: true });
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.content()).not.toContain('C-LOCK-41');
    expect(await axeViolations(page)).toEqual([]);
    // A wrong passphrase says so and keeps everything hidden.
    await page.keyboard.type('not the passphrase');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not this library’s passphrase/);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'lock-screen.png'), fullPage: true });
    expect(await page.content()).not.toContain('C-LOCK-41');
    await page.keyboard.type(PASS);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent()).toMatch(/audit log/);

    // The host locks (the machine went to sleep): the page follows at once.
    await page.getByRole('button', { name: 'Back to the library' }).press('Enter');
    await expect.poll(() => page.getByText('C-LOCK-41').count()).toBeGreaterThan(0);
    await host.gate.lock('sleep');
    await expect.poll(() => page.getByRole('heading', { name: 'Alliance Review is locked' }).count()).toBe(1);
    expect(await page.content()).not.toContain('C-LOCK-41');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByText('C-LOCK-41').count()).toBeGreaterThan(0);
    // The library toolbar offers Lock once it is protected.
    await page.getByRole('button', { name: 'Lock', exact: true }).press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'Alliance Review is locked' }).count()).toBe(1);
  });

  it('locks itself after the chosen minutes without use (a fake clock, no waiting)', async () => {
    // The library is protected by the test above; five minutes without use.
    const idle = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await idle.clock.install();
    await idle.goto(host.url);
    if (host.gate.status().locked) {
      await idle.getByLabel('Passphrase', { exact: true }).fill(PASS);
      await idle.keyboard.press('Enter');
    }
    await expect.poll(() => idle.getByText('C-LOCK-41').count()).toBeGreaterThan(0);
    host.gate.setAutoLock(5);
    await idle.reload();
    await expect.poll(() => idle.getByText('C-LOCK-41').count()).toBeGreaterThan(0);
    // Four minutes, then a key: still open; five more minutes without anything: locked.
    await idle.clock.fastForward('04:00');
    await idle.keyboard.press('Shift');
    await idle.clock.fastForward('04:00');
    expect(await idle.getByText('C-LOCK-41').count()).toBeGreaterThan(0);
    await idle.clock.fastForward('01:30');
    await expect.poll(() => idle.getByRole('heading', { name: 'Alliance Review is locked' }).count()).toBe(1);
    expect(host.gate.status().locked).toBe(true);
    expect(await idle.content()).not.toContain('C-LOCK-41');
    await idle.close();
  });
});
