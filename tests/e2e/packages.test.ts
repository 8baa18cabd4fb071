import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../src/main/hosts/browser-host';
import { launchChromium, SCREENSHOT_DIR, startTestHost } from '../support/browser';
import { axeViolations } from '../support/axe';
import { copyMedia, mediaFile } from '../support/media';
import { tempDir } from '../support/tmp';

let browser: Browser;
let page: Page;
let sup: BrowserHost;
let obs: BrowserHost;
const stops: (() => Promise<void> | void)[] = [];
let files: string;
const PASS = 'Lange Passphrase für die Studie';

/**
 * Two libraries, two desks: the supervisor's (a case with two sessions, an observer) and the
 * observer's (empty). Every form is filled from the keyboard.
 */
beforeAll(async () => {
  const a = await startTestHost();
  const b = await startTestHost();
  sup = a.host;
  obs = b.host;
  const f = tempDir();
  files = f.dir;
  stops.push(a.cleanup, b.cleanup, f.cleanup);
  const { library, annotations, imports } = sup.core;
  const c = library.createCase({ code: 'C-310', therapist: 'Dr. Named', notes: 'not to travel' });
  for (const n of [1, 2]) {
    const s = library.createSession({ caseId: c.id, number: n, date: `2026-11-0${n}`, modality: 'CBT', notes: '' });
    await imports.importOne(s.id, mediaFile('session.webm'), { offsetMs: 0, copy: false });
  }
  annotations.createRater('Observer Ö', 'observer');
  annotations.setCurrentRater(annotations.createRater('Dr. Supervisor', 'supervisor').id);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
  for (const s of stops.reverse()) await s();
});

async function type(label: string | RegExp, text: string, scope = page.locator('body')) {
  const field = scope.getByLabel(label, { exact: typeof label === 'string' });
  await field.focus();
  await page.keyboard.type(text);
}

describe('rating packages in the app', () => {
  it('a supervisor sends, an observer opens, rates and returns, the supervisor imports — from the keyboard', async () => {
    // The supervisor: Packages from the library, two sessions to the observer.
    await page.goto(sup.url);
    await page.getByRole('button', { name: 'Packages' }).focus();
    await page.keyboard.press('Enter');
    const send = page.getByRole('form', { name: 'Send sessions to a rater' });
    await expect.poll(() => send.count()).toBe(1);
    for (const n of [1, 2]) {
      await send.getByRole('checkbox', { name: `C-310 session ${n}` }).focus();
      await page.keyboard.press('Space');
    }
    await send.getByRole('combobox', { name: 'Rater' }).selectOption({ label: 'Observer Ö (observer)' });
    const pkg = path.join(files, 'für Observer Ö.arpkg');
    await type('Save the package as', pkg, send);
    await type('Passphrase', PASS, send);
    await type('The passphrase again', `${PASS}x`, send);
    await expect.poll(() => send.getByRole('alert').textContent()).toBe('The two passphrases differ.');
    await page.keyboard.press('Backspace');
    await expect.poll(() => send.getByRole('alert').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'packages-send.png'), fullPage: true });
    await page.keyboard.press('Enter');
    const report = page.getByRole('region', { name: 'What the package did' });
    await expect.poll(() => report.textContent()).toContain('Rating package of Observer Ö');
    expect(await report.textContent()).toContain('C-310 · session 2: packed with 1 recording by fingerprint');
    expect(fs.existsSync(pkg)).toBe(true);

    // The observer, at their desk: a wrong passphrase says so; the right one opens the package.
    await page.goto(`${obs.url}#/packages`);
    const open = page.getByRole('form', { name: 'Open a package' });
    await type('Package file', pkg, open);
    await type('Passphrase', 'falsch', open);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('The passphrase is not the one');
    await open.getByLabel('Passphrase', { exact: true }).fill('');
    await type('Passphrase', PASS, open);
    await page.keyboard.press('Enter');
    await expect.poll(() => report.textContent()).toContain('ready to rate once its recording is relinked');
    // Relinked to the observer's own copy (what a file dialog or a typed path gives).
    const local = obs.core.library.listCases()[0]!.sessions[0]!.id;
    const rec = obs.core.library.sessionDetail(local).recordings[0]!;
    await obs.core.library.relink(rec.id, copyMedia(mediaFile('session.webm'), files, 'own copy.webm'));
    // They rate (as the package made them the current rater) and return.
    const me = obs.core.raters.current()!;
    expect(me.name).toBe('Observer Ö');
    obs.core.annotations.create({
      sessionId: local,
      raterId: me.id,
      kind: 'rupture',
      startMs: 2000,
      endMs: 5000,
      codes: ['W2'],
    });
    await page.reload();
    const back = page.getByRole('form', { name: 'Return the package of Observer Ö' });
    await expect
      .poll(() => back.getByRole('link').allTextContents())
      .toEqual(['C-310 · session 1', 'C-310 · session 2']);
    const returned = path.join(files, 'return.arpkg');
    await type('Save the return as', returned, back);
    await type('Passphrase', PASS, back);
    await type('The passphrase again', PASS, back);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'packages-observer.png'), fullPage: true });
    await page.keyboard.press('Enter');
    await expect.poll(() => report.textContent()).toContain('1 segment, rating revision 1 submitted');

    // The supervisor imports the return; a second import changes nothing.
    await page.goto(`${sup.url}#/packages`);
    const imp = page.getByRole('form', { name: 'Import returned packages' });
    await type('Return files (one per line)', returned, imp);
    await type('Passphrase', PASS, imp);
    await imp.getByRole('button', { name: 'Import 1 return' }).press('Enter');
    await expect.poll(() => report.textContent()).toContain('added: 1 segment, 0 grid cells, 0 questionnaires');
    const sessionId = sup.core.library.listCases()[0]!.sessions[0]!.id;
    const observer = sup.core.annotations.raters().find((r) => r.name === 'Observer Ö')!;
    expect(sup.core.annotations.list(sessionId).segments.filter((s) => s.raterId === observer.id)).toHaveLength(1);
    await imp.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await imp.getByRole('button', { name: 'Import 1 return' }).click();
    await expect.poll(() => report.textContent()).toContain('Return of Observer Ö: nothing changed');
    const history = page.getByRole('table');
    await expect.poll(() => history.textContent()).toContain('Return imported');
    expect(await axeViolations(page)).toEqual([]);

    // The supervisor's audit log names what was sent and imported, by codes; its chain is intact.
    await page.getByRole('button', { name: 'Back to the library' }).press('Enter');
    await page.getByRole('button', { name: 'Audit & backups' }).press('Enter');
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/entries are intact/);
    const rows = await page.getByRole('table').getByRole('row').allTextContents();
    expect(rows.some((r) => r.includes('sent a package') && r.includes('case C-310 sessions 1, 2'))).toBe(true);
    expect(rows.some((r) => r.includes('imported a return'))).toBe(true);
    expect(rows.join('\n')).not.toContain('Dr. Named');
    // A backup by hand; a restore asks first (and can be cancelled).
    const backups = page.getByRole('region', { name: 'Backups' });
    await backups.getByRole('button', { name: 'Back up now' }).press('Enter');
    await expect
      .poll(() => backups.getByRole('status').textContent())
      .toMatch(/^Backed up: library-.*-manual\.db, checked\.$/);
    await backups
      .getByRole('button', { name: /^Restore the backup of/ })
      .first()
      .press('Enter');
    expect(await backups.getByRole('group', { name: 'Confirm the restore' }).textContent()).toContain(
      'What is there now is backed up first.',
    );
    expect(await axeViolations(page)).toEqual([]);
    await backups.getByRole('button', { name: 'Cancel' }).press('Enter');
    // Erasing the observer says what goes, and asks; Erase takes their returned work.
    const ratersSection = page.getByRole('region', { name: 'Erase a rater' });
    await ratersSection.getByRole('button', { name: 'Erase Observer Ö…' }).press('Enter');
    const confirm = ratersSection.getByRole('group', { name: 'Confirm erasing Observer Ö' });
    await expect
      .poll(() => confirm.textContent())
      .toContain('Erasing Observer Ö erases 1 segment with their edit history');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'audit-log.png'), fullPage: true });
    await confirm.getByRole('button', { name: 'Erase', exact: true }).press('Enter');
    await expect.poll(() => ratersSection.getByRole('status').textContent()).toBe('Erased Observer Ö and their work.');
    expect(sup.core.annotations.raters().map((r) => r.name)).not.toContain('Observer Ö');
    expect(sup.core.annotations.list(sessionId).segments).toHaveLength(0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'audit-log.png'), fullPage: true });
  });
});
