/**
 * "Transcribe…" in the Transcript tab, with whisper.cpp and its test model: a wrong path is said
 * in words, a run shows its progress, Cancel stops it keeping what is done — from the keyboard,
 * with axe at 1366×768.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../src/main/hosts/browser-host';
import { launchChromium, SCREENSHOT_DIR, startTestHost } from '../support/browser';
import { axeViolations } from '../support/axe';
import { espeakLine } from '../support/speech';

const MODEL = path.resolve(__dirname, '../fixtures/transcribe/for-tests-ggml-tiny.bin');
let browser: Browser;
let page: Page;
let host: BrowserHost;
let sessionId: number;
const stops: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  const a = await startTestHost();
  host = a.host;
  stops.push(a.cleanup);
  const { library, imports, annotations } = host.core;
  annotations.setCurrentRater(annotations.createRater('Dr. Sup', 'supervisor').id);
  const c = library.createCase({ code: 'C-ASR', therapist: '', notes: '' });
  const s = library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
  sessionId = s.id;
  await imports.importOne(s.id, espeakLine(), { offsetMs: 0, copy: false });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
});
afterAll(async () => {
  await host?.core.transcription.cancel(sessionId).catch(() => undefined);
  await browser?.close();
  for (const s of stops.reverse()) await s();
});

describe('transcription in the app', () => {
  it('Transcribe… says a wrong model path in words, shows its progress, and Cancel keeps what is done', async () => {
    await page.goto(`${host.url}#/session/${sessionId}`);
    await page.getByRole('tab', { name: 'Transcript' }).click();
    const open = page.getByRole('button', { name: 'Transcribe…' });
    await open.focus();
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: 'Transcribe the session' });
    await expect.poll(() => form.count()).toBe(1);
    await form.getByLabel('Model file').focus();
    await page.keyboard.type('/nowhere/ggml-base.bin');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('There is no model file at /nowhere/ggml-base.bin');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'transcribe-form.png') });

    await form.getByLabel('Model file').fill('');
    await form.getByLabel('Model file').focus();
    await page.keyboard.type(MODEL);
    await form.getByLabel('Language').selectOption('en');
    await form.getByRole('button', { name: 'Start' }).focus();
    await page.keyboard.press('Enter');
    const progress = page.getByRole('progressbar');
    await expect.poll(() => progress.count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('.transcribe-progress').textContent()).toContain(
      'Transcribing with for-tests-ggml-tiny.bin',
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'transcribe-running.png') });
    await page.getByRole('button', { name: 'Cancel' }).focus();
    await page.keyboard.press('Enter');
    const status = page.locator('.transcribe-box [role="status"]');
    await expect
      .poll(() => status.textContent(), { timeout: 10_000 })
      .toMatch(/^Stopped at 00:00:00 of 00:00:0\d .*goes on\.$/);
    expect(host.core.transcription.status(sessionId)).toMatchObject({ state: 'paused', chunksDone: 0 });
    expect(await axeViolations(page)).toEqual([]);
  }, 60_000);

  it('corrects an utterance’s words and speaker from the keyboard; the search finds the new words', async () => {
    host.core.transcripts.replaceFromFile(sessionId, 'machine.vtt', [
      { startMs: 300, endMs: 2500, speaker: '', text: 'I dont no maybe', origin: null },
    ]);
    // The page is on this session already: read it again.
    await page.reload();
    await page.getByRole('tab', { name: 'Transcript' }).click();
    await expect.poll(() => page.locator('.transcript-list').count()).toBe(1);
    const row = page.getByRole('list', { name: 'Transcript' }).getByRole('button', { name: /I dont no maybe/ });
    await row.focus();
    await page.keyboard.press('Enter'); // selects it (and plays from there)
    await page.getByRole('button', { name: 'Edit…' }).focus();
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: /Edit the utterance at/ });
    await expect.poll(() => form.count()).toBe(1);
    await form.getByLabel('Speaker').fill('Patient');
    await form.getByLabel('Words').fill("I don't know. Maybe.");
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'transcript-edit.png') });
    await form.getByLabel('Words').press('Enter');
    await expect.poll(() => form.count()).toBe(0);
    await expect.poll(() => page.locator('.transcript-list').textContent()).toContain("PatientI don't know. Maybe.");
    expect(host.core.transcripts.search('know', { sessionId }).map((h) => h.speaker)).toEqual(['Patient']);
  });
});
