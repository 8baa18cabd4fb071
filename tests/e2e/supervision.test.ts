/**
 * Supervision between two computers in the app: the trainee sends her session from the library,
 * the supervisor receives it from the library, and the trainee receives the supervisor's feedback
 * in the session's Feedback tab — from the keyboard, with axe on every screen.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../src/main/hosts/browser-host';
import type { Rater } from '../../src/shared/annotations';
import { launchChromium, SCREENSHOT_DIR, startTestHost } from '../support/browser';
import { axeViolations } from '../support/axe';
import { mediaFile } from '../support/media';
import { tempDir } from '../support/tmp';

let browser: Browser;
let page: Page;
let trainee: BrowserHost;
let supervisor: BrowserHost;
let ana: Rater;
let sup: Rater;
let sessionId: number;
const stops: (() => Promise<void> | void)[] = [];
let shared: string;
const PASS = 'Passphrase der Klinik für Supervision';

beforeAll(async () => {
  const a = await startTestHost();
  const b = await startTestHost();
  trainee = a.host;
  supervisor = b.host;
  const f = tempDir();
  shared = f.dir;
  stops.push(a.cleanup, b.cleanup, f.cleanup);
  // The trainee's computer: her session, self-reviewed and submitted.
  const t = trainee.core;
  ana = t.annotations.createRater('Ana Trainee', 'trainee');
  t.annotations.setCurrentRater(ana.id);
  const c = t.library.createCase({ code: 'K-12', therapist: 'Ana Trainee', notes: 'private' });
  const s = t.library.createSession({ caseId: c.id, number: 3, date: '2026-11-30', modality: 'CBT', notes: '' });
  sessionId = s.id;
  await t.imports.importOne(s.id, mediaFile('session.webm'), { offsetMs: 0, copy: false });
  t.annotations.create({
    sessionId: s.id,
    raterId: ana.id,
    kind: 'rupture',
    startMs: 1000,
    endMs: 3000,
    codes: ['W2'],
  });
  t.annotations.submit(s.id, ana.id);
  // The supervisor's computer: an empty library, the supervisor at the machine.
  sup = supervisor.core.annotations.createRater('Dr. Sup', 'supervisor');
  supervisor.core.annotations.setCurrentRater(sup.id);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
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

describe('supervision between two computers, in the app', () => {
  it('the trainee sends from the library, the supervisor receives, the feedback comes back to the trainee’s Feedback tab', async () => {
    // The trainee: Send… on the session's row shows what will be shared before anything is written.
    await page.goto(trainee.url);
    await page.getByRole('button', { name: 'Send for supervision: Session 3' }).focus();
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: 'Send K-12 Session 3 for supervision' });
    await expect.poll(() => form.count()).toBe(1);
    // The focus is in the form's first field.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('list')))
      .toBe('supervision-people');
    await page.keyboard.type('Dr. Sup');
    const preview = form.getByLabel('What will be shared');
    await expect.poll(() => preview.textContent()).toContain('your self-review (submitted, revision 1): 1 segment');
    expect(await preview.textContent()).toContain('no therapist name, no notes');
    const file = path.join(shared, 'K-12 Sitzung 3 für Dr. Sup.arsup');
    await type('Save as', file, form);
    await type('Passphrase', PASS, form);
    await type('The passphrase again', PASS, form);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'supervision-send.png') });
    await page.keyboard.press('Enter');
    const sent = page.getByRole('status').filter({ hasText: 'Sent for Dr. Sup' });
    await expect.poll(() => sent.count()).toBe(1);
    expect(fs.existsSync(file)).toBe(true);
    await page.keyboard.press('Enter'); // Close (it has the focus)
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Send for supervision: Session 3');

    // The supervisor: Receive… in the library; a wrong passphrase says so and changes nothing.
    await page.goto(supervisor.url);
    await page.getByRole('button', { name: 'Receive…' }).focus();
    await page.keyboard.press('Enter');
    const receive = page.getByRole('form', { name: 'Receive a supervision file' });
    await type('File', file, receive);
    await type('Passphrase', 'falsch', receive);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => receive.getByRole('alert').first().textContent())
      .toContain('The passphrase is not the one');
    expect(supervisor.core.library.listCases()).toEqual([]);
    await receive.getByLabel('Passphrase', { exact: true }).fill('');
    await type('Passphrase', PASS, receive);
    await page.keyboard.press('Enter');
    const got = page.getByRole('status', { name: 'Received for supervision' });
    await expect.poll(() => got.textContent()).toContain('From Ana Trainee: case K-12 · session 3 (new here)');
    expect(await got.textContent()).toContain('not on this computer: relink it');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'supervision-received.png') });
    await expect.poll(() => page.getByRole('listitem', { name: 'K-12 Session 3' }).count()).toBe(1);

    // The supervisor comments and sends back (the service the app's channel calls).
    const there = supervisor.core.library.listCases()[0]!.sessions[0]!.id;
    supervisor.core.feedback.add(
      { sessionId: there, startMs: 1500, label: 'strength', text: 'Good catch of the withdrawal.' },
      sup,
    );
    const back = path.join(shared, 'back to Ana.arsup');
    await supervisor.core.supervision.send({ sessionId: there, to: 'Ana Trainee', out: back, passphrase: PASS }, sup);

    // The trainee: in the session's Feedback tab, Receive… — the comment appears, new to her.
    await page.goto(`${trainee.url}#/session/${sessionId}`);
    await page.getByRole('tab', { name: /^Feedback/ }).click();
    const line = page.locator('.supervision-line');
    await expect.poll(() => line.textContent()).toContain('Sent to Dr. Sup');
    await line.getByRole('button', { name: 'Receive…' }).focus();
    await page.keyboard.press('Enter');
    const inTab = page.getByRole('form', { name: 'Receive a supervision file' });
    await type('File', back, inTab);
    await type('Passphrase', PASS, inTab);
    await page.keyboard.press('Enter');
    const report = page.getByRole('status', { name: 'Received for supervision' });
    await expect.poll(() => report.textContent()).toContain('From Dr. Sup: case K-12 · session 3');
    expect(await report.textContent()).toContain('1 new comment');
    await expect.poll(() => page.getByRole('tab', { name: 'Feedback (1 new)' }).count()).toBe(1);
    await expect.poll(() => page.locator('.feedback-panel').textContent()).toContain('Good catch of the withdrawal.');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'supervision-feedback-tab.png') });
    await page.keyboard.press('Enter'); // Close
    await expect.poll(() => line.textContent()).toContain('received from Dr. Sup');
  });
});
