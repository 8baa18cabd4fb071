import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../src/main/hosts/browser-host';
import { launchChromium, SCREENSHOT_DIR, startTestHost } from '../support/browser';
import { axeViolations } from '../support/axe';
import { mediaFile } from '../support/media';
import { seedSession } from '../support/fixtures';

let browser: Browser;
let page: Page;
let host: BrowserHost;
let stopHost: () => Promise<void>;

/**
 * Three cases: C-101 with two sessions rated by two observers each (both submitted), C-102 with
 * one session whose second rating is still a draft (it does not count), and C-103 with four
 * sessions (recordings stand in; no media is decoded) where the observers also mark repairs.
 */
beforeAll(async () => {
  const started = await startTestHost();
  host = started.host;
  stopHost = started.cleanup;
  const { library, annotations, imports } = host.core;
  const a = annotations.createRater('Observer A', 'observer').id;
  const b = annotations.createRater('Observer B', 'observer').id;
  annotations.setCurrentRater(annotations.createRater('Dr. Supervisor', 'supervisor').id);
  const session = async (code: string, number: number, shiftMs: number, submitB: boolean) => {
    const c =
      library.listCases().find((x) => x.code === code) ?? library.createCase({ code, therapist: '', notes: '' });
    const id = library.createSession({ caseId: c.id, number, date: null, modality: '', notes: '' }).id;
    await imports.importOne(id, mediaFile('session.webm'), { offsetMs: 0, copy: false });
    for (const [start, end] of [
      [2_000, 6_000],
      [12_000, 15_000],
      [21_000, 25_000],
    ] as const) {
      annotations.create({ sessionId: id, raterId: a, kind: 'rupture', startMs: start, endMs: end, codes: ['W2'] });
      annotations.create({
        sessionId: id,
        raterId: b,
        kind: 'rupture',
        startMs: start + shiftMs,
        endMs: end + shiftMs,
        codes: ['W2'],
      });
    }
    annotations.submit(id, a);
    if (submitB) annotations.submit(id, b);
  };
  await session('C-101', 1, 0, true);
  await session('C-101', 2, 2_000, true);
  await session('C-102', 1, 500, false);
  for (let i = 0; i < 4; i++) {
    const { sessionId } = seedSession(host.core, 'C-103');
    for (const [rater, shift] of [
      [a, 0],
      [b, 1_000 * i],
    ] as const) {
      const r = annotations.create({
        sessionId,
        raterId: rater,
        kind: 'rupture',
        startMs: 30_000 + shift,
        endMs: 40_000 + shift,
        codes: ['W2'],
      });
      const repair = annotations.create({
        sessionId,
        raterId: rater,
        kind: 'repair',
        startMs: 40_000 + shift,
        endMs: 50_000 + shift,
        codes: [],
        rating: rater === a || i % 2 ? 5 : 2,
      });
      annotations.link(repair.id, r.id);
      annotations.submit(sessionId, rater);
    }
  }
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
});
afterAll(async () => {
  await browser?.close();
  await stopHost?.();
});

describe('agreement across sessions (the study view)', () => {
  it('shows the mean figures with intervals and a methods text, per case, from the keyboard', async () => {
    await page.goto(host.url);
    const open = page.getByRole('button', { name: 'Agreement' });
    await open.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Agreement across sessions');
    const summary = page.getByRole('region', { name: 'Mean agreement' });
    // Seven sessions, six with both ratings submitted: six pairs, enough to resample sessions.
    await expect
      .poll(() => summary.getByRole('heading').textContent())
      .toBe('6 of 7 sessions with two or more submitted ratings · 6 rater pairs');
    const kappa = summary.getByRole('row', { name: /Time-unit kappa/ });
    const cells = await kappa.getByRole('cell').allTextContents();
    expect(Number(cells[0]!.replace('−', '-'))).toBeGreaterThan(0.3);
    expect(Number(cells[0]!.replace('−', '-'))).toBeLessThan(1);
    expect(cells[1]).toMatch(/^\[(−?\.\d\d|1\.00), (−?\.\d\d|1\.00)\]$/);
    expect(await summary.textContent()).toContain('bootstrap over sessions');
    // Fewer than ten sessions: the interval is shown, with a word that it rests on few.
    expect(await summary.getByRole('list', { name: 'Why a figure or interval is missing' }).textContent()).toMatch(
      /rests on only 6 sessions/,
    );
    // Repair status of the ruptures both observers marked (C-103: two of four the same).
    expect(await summary.getByLabel('Repair status').textContent()).toMatch(
      /Repair status of the 10 ruptures both raters of a pair marked: the same for 80 %/,
    );
    await summary.getByText('Methods text').click();
    const text = await summary.getByRole('textbox', { name: 'Methods text to paste' }).inputValue();
    expect(text).toMatch(/6 sessions, 6 rater pairs\) as time-unit kappa/);
    expect(text).toMatch(
      /Mean κ = [−.\d]+ \[[−.\d]+, [−.\d]+\].*1000 resamples, seed 1\).*same repair status.*Computed with Alliance Review/,
    );
    const perSession = page.getByRole('region', { name: 'Per session' });
    expect((await perSession.getByRole('link').allTextContents()).slice(0, 2)).toEqual([
      'C-101 · session 1',
      'C-101 · session 2',
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'study-agreement.png'), fullPage: true });

    // Repairs compared, chosen from the keyboard: only C-103's sessions have them.
    const compare = page.getByRole('combobox', { name: 'Compare' });
    await compare.focus();
    await compare.selectOption({ label: 'Repairs' });
    await expect
      .poll(() => summary.getByRole('textbox', { name: 'Methods text to paste' }).inputValue())
      .toMatch(/^Agreement on repair markers/);
    await compare.selectOption({ label: 'Ruptures' });

    // One case, chosen from the keyboard; a case without two submitted ratings says so.
    const scope = page.getByRole('combobox', { name: 'Sessions of' });
    await scope.focus();
    await scope.selectOption({ label: 'case C-102' });
    await expect.poll(() => summary.textContent()).toContain('No session has two submitted ratings yet');
    // Two sessions: no interval from resampling two, and said in words.
    await scope.selectOption({ label: 'case C-101' });
    await expect.poll(() => summary.textContent()).toContain('No interval: it would rest on 2 sessions');
    expect(await kappa.getByRole('cell').nth(1).textContent()).toBe('–');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'study-agreement-two-sessions.png'), fullPage: true });
    // Without resamples, no intervals, and the methods text says nothing of a bootstrap.
    await page.getByRole('combobox', { name: 'Resamples' }).selectOption({ label: 'none (no intervals)' });
    await expect.poll(() => summary.textContent()).toContain('No intervals: choose a number of resamples.');
    expect(await kappa.getByRole('cell').nth(1).textContent()).toBe('–');
    // A session's link opens its comparison.
    await perSession.getByRole('link', { name: 'C-101 · session 2' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/compare\/\d+$/);
  });
});
