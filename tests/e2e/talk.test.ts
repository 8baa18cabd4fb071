/**
 * Who speaks when and lining up recordings, from the keyboard: the speaker lanes of a session
 * recorded with one microphone per channel, S and O to step through silences and overlaps, the
 * lanes named once for the case in the summary, a talk line per 3RS grid segment; and a second
 * recording aligned by sound, accepted, nudged, and heard together with the first. Seeds its own
 * sessions.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../src/main/hosts/browser-host';
import { axeViolations } from '../support/axe';
import { launchChromium, SCREENSHOT_DIR, startTestHost } from '../support/browser';
import { mediaFile } from '../support/media';

let browser: Browser;
let page: Page;
let host: BrowserHost;
let stopHost: () => Promise<void>;
let talkSession: number;
let alignSession: number;
let caseId: number;

beforeAll(async () => {
  const started = await startTestHost();
  host = started.host;
  stopHost = started.cleanup;
  const lib = host.core.library;
  const c = lib.createCase({ code: 'C-TALK', therapist: '', notes: '' });
  caseId = c.id;
  talkSession = lib.createSession({ caseId: c.id, number: 1, date: '2026-11-27', modality: '', notes: '' }).id;
  alignSession = lib.createSession({ caseId: c.id, number: 2, date: '2026-11-28', modality: '', notes: '' }).id;
  await host.core.imports.importOne(talkSession, mediaFile('two-mics.webm'), { offsetMs: 0, copy: false });
  await host.core.imports.importOne(alignSession, mediaFile('scene-main.webm'), { offsetMs: 0, copy: false });
  await host.core.imports.importOne(alignSession, mediaFile('scene-late.webm'), { offsetMs: 0, copy: false });
  const sup = host.core.raters.create('Dr. Sup', 'supervisor');
  host.core.raters.setCurrent(sup.id);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stopHost?.();
});

const seconds = async () => {
  const v = await page.getByRole('textbox', { name: 'Current time' }).inputValue();
  const [h, m, s] = v.split(':').map(Number);
  return h! * 3600 + m! * 60 + s!;
};

describe('who speaks when', () => {
  it('shows a lane per microphone, and S / O step through the silence and the overlap', async () => {
    await page.goto(`${host.url}#/session/${talkSession}`);
    const left = page.getByRole('group', { name: 'Speech of Left channel' });
    await expect.poll(() => left.count()).toBe(1);
    expect(await page.getByRole('group', { name: 'Speech of Right channel' }).count()).toBe(1);
    expect(await left.locator('.speech-bar').count()).toBe(2);
    await page.getByRole('region', { name: 'Lanes' }).focus();
    await page.keyboard.press('s');
    await expect.poll(seconds).toBeGreaterThan(8.3);
    expect(await seconds()).toBeLessThan(8.8);
    // The waveform's playhead stands there (the whole 20 s are in view).
    const wave = (await page.locator('.waveform').boundingBox())!;
    const playheadX = async () => (await page.locator('.wave-playhead').boundingBox())?.x ?? -1;
    await expect
      .poll(async () => Math.abs((await playheadX()) - (wave.x + (wave.width * (await seconds())) / 20)))
      .toBeLessThan(6);
    // Playing, the playhead glides (an animation the compositor runs) and stays on the video's time.
    const from = await seconds();
    await page.evaluate(() => void (document.querySelector('.stage video') as HTMLVideoElement).play());
    // (The field stands while playing: the time runs on the clock's wheels over it.)
    const videoTime = () =>
      page.evaluate(() => (document.querySelector('.stage video') as HTMLVideoElement).currentTime);
    await expect.poll(videoTime, { timeout: 15_000 }).toBeGreaterThan(from + 0.5);
    const [drift, played] = await page.evaluate((w) => {
      const v = document.querySelector('.stage video') as HTMLVideoElement;
      // Wavesurfer draws in a shadow root.
      const host = [...document.querySelectorAll('.waveform *')].find((e) => e.shadowRoot)!;
      const x = host.shadowRoot!.querySelector('.wave-playhead')!.getBoundingClientRect().x;
      // The played part's colour grows with it (slid by the compositor, not repainted).
      const edge = host.shadowRoot!.querySelector('.progress')!.getBoundingClientRect().right;
      return [Math.abs(x - (w.x + (w.width * v.currentTime) / 20)), Math.abs(edge - 1 - x)];
    }, wave);
    expect(played).toBeLessThan(3);
    await page.evaluate(() => (document.querySelector('.stage video') as HTMLVideoElement).pause());
    expect(drift).toBeLessThan(6);
    await page.keyboard.press('o');
    await expect.poll(seconds).toBeGreaterThan(14.8);
    expect(await seconds()).toBeLessThan(15.3);
    await page.keyboard.press('Shift+S');
    await expect.poll(seconds).toBeLessThan(8.8);
    expect(await axeViolations(page, '.speaker-lanes')).toEqual([]);
  });

  it('names the lanes for the case from the summary and shows the talk figures', async () => {
    await page.getByRole('tab', { name: 'Summary' }).click();
    const name = page.getByRole('textbox', { name: 'Name of the left channel' });
    await name.fill('Therapist');
    await name.press('Enter');
    const right = page.getByRole('textbox', { name: 'Name of the right channel' });
    await right.fill('Patient');
    await right.press('Enter');
    await expect.poll(() => page.getByRole('group', { name: 'Speech of Therapist' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('group', { name: 'Speech of Patient' }).count()).toBe(1);
    expect(host.core.repos.cases.speakerNames(caseId)).toEqual({ left: 'Therapist', right: 'Patient' });
    const table = page.getByRole('table', { name: 'Talk per speaker, whole session' });
    // The two speakers talk equally long (the generated file): a point either way is the detector's
    // 20-ms frames at the turns' edges.
    expect(await table.getByRole('row', { name: /Therapist .* (49|50|51) % 2/ }).count()).toBe(1);
    expect(await table.getByRole('row', { name: /Patient .* (49|50|51) % 2/ }).count()).toBe(1);
    expect(await page.getByText(/1 silence ≥ 3 s · 1 overlap \(/).count()).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'talk-summary.png') });
    expect(await axeViolations(page, '.talk-section')).toEqual([]);
  });

  it('the segment list shows the segments at a long silence or at overlapping talk', async () => {
    const sup = host.core.raters.current()!.id;
    const spans: [number, number][] = [
      [1_000, 2_500], // while the therapist talks
      [9_000, 11_000], // in the silence
      [15_200, 15_800], // while both talk
    ];
    for (const [startMs, endMs] of spans)
      host.core.annotations.create({
        sessionId: talkSession,
        raterId: sup,
        kind: 'rupture',
        startMs,
        endMs,
        codes: ['W2'],
      });
    expect(host.core.annotations.list(talkSession).segments).toHaveLength(3);
    await page.reload();
    await page.getByRole('tab', { name: 'Segments' }).click();
    const count = page.locator('.segment-list .count');
    await expect.poll(() => count.textContent()).toBe('3 of 3');
    await page.getByRole('combobox', { name: 'Filter by talk' }).selectOption('silence');
    await expect.poll(() => count.textContent()).toBe('1 of 3');
    await page.getByRole('combobox', { name: 'Filter by talk' }).selectOption('overlap');
    await expect.poll(() => count.textContent()).toBe('1 of 3');
    expect(await axeViolations(page, '.segment-list .filters')).toEqual([]);
  });

  it('gives each 3RS grid segment a line of talk figures', async () => {
    await page.getByRole('tab', { name: '3RS grid' }).click();
    // The generated mics alternate evenly: each speaks about half of the time (a frame or two of the
    // voice detector either way is noise, not a finding).
    await expect
      .poll(() => page.locator('.talk-line').first().textContent())
      .toMatch(/Therapist (49|50|51) % · Patient (49|50|51) %/);
  });
});

describe('several recordings of one session', () => {
  it('finds the second recording’s offset by sound, takes it, nudges it, and lets both be heard', async () => {
    await page.goto(`${host.url}#/session/${alignSession}`);
    await page.getByRole('tab', { name: 'Recordings' }).click();
    const align = page.getByRole('button', { name: 'Align by sound' });
    await align.focus();
    await page.keyboard.press('Enter');
    const use = page.getByRole('button', { name: /^Use 32\d\d ms$/ });
    await expect.poll(() => use.count(), { timeout: 20_000 }).toBe(1);
    const found = Number((await use.textContent())!.match(/\d+/)![0]);
    expect(Math.abs(found - 3217)).toBeLessThanOrEqual(20);
    await use.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'align-found.png') });
    await use.focus();
    await page.keyboard.press('Enter');
    const late = () => host.core.library.sessionDetail(alignSession).recordings[1]!.offsetMs;
    await expect.poll(late).toBe(found);
    await expect.poll(() => page.getByText(/Aligned by sound/).count()).toBe(1);
    await page
      .getByRole('group', { name: 'Nudge the offset of scene-late.webm' })
      .getByRole('button', { name: '+10 ms' })
      .click();
    await expect.poll(late).toBe(found + 10);
    // The separate recorder is heard by default (over the camera's microphone), and says why;
    // the camera's sound is turned on beside it.
    const heard = (name: string) =>
      page.getByRole('listitem', { name: `Recording ${name}` }).getByRole('checkbox', { name: 'Heard' });
    expect(await heard('scene-late.webm').isChecked()).toBe(true);
    expect(await page.getByRole('listitem', { name: 'Recording scene-late.webm' }).textContent()).toContain(
      'by default: a separate sound recorder',
    );
    await expect
      .poll(() => page.evaluate(() => (document.querySelector('.angles video') as HTMLVideoElement | null)?.muted))
      .toBe(false);
    expect(await heard('scene-main.webm').isChecked()).toBe(false);
    await heard('scene-main.webm').check();
    await expect
      .poll(() => page.evaluate(() => (document.querySelector('.stage > video') as HTMLVideoElement | null)?.muted))
      .toBe(false);
    expect(await axeViolations(page, '.recordings-panel')).toEqual([]);
  });
});
