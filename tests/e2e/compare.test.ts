import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../src/main/hosts/browser-host';
import { launchChromium, SCREENSHOT_DIR, startTestHost } from '../support/browser';
import { axeViolations } from '../support/axe';
import { wheelsAndVideo } from './wheels';
import { mediaFile } from '../support/media';

let browser: Browser;
let page: Page;
let host: BrowserHost;
let stopHost: () => Promise<void>;
const raters: Record<'a' | 'b' | 'sup' | 'patient', number> = { a: 0, b: 0, sup: 0, patient: 0 };

/**
 * A session of its own for each test: two observers' ruptures, and optionally both ratings
 * submitted and the patient's post-session report (no test depends on another's leftovers).
 */
async function seed(code: string, opts: { submitted?: boolean; patientReport?: boolean } = {}): Promise<number> {
  const { library, annotations, imports, responses } = host.core;
  const c = library.createCase({ code, therapist: 'B. Lund', notes: '' });
  const sessionId = library.createSession({ caseId: c.id, number: 4, date: '2026-11-02', modality: '', notes: '' }).id;
  await imports.importOne(sessionId, mediaFile('session.webm'), { offsetMs: 0, copy: false });
  const rupture = (raterId: number, startMs: number, endMs: number, codes: string[], rating: number) =>
    annotations.create({ sessionId, raterId, kind: 'rupture', startMs, endMs, codes, rating });
  rupture(raters.a, 5_000, 9_000, ['W2'], 3);
  rupture(raters.b, 5_500, 10_000, ['W2', 'W5'], 4);
  rupture(raters.b, 20_000, 23_000, ['C1'], 2);
  if (opts.submitted) {
    annotations.submit(sessionId, raters.a);
    annotations.submit(sessionId, raters.b);
  }
  if (opts.patientReport)
    responses.save({
      sessionId,
      raterId: raters.patient,
      perspective: 'patient',
      instrument: 'psr-patient',
      answers: { tension: false },
    });
  return sessionId;
}

beforeAll(async () => {
  const started = await startTestHost();
  host = started.host;
  stopHost = started.cleanup;
  const { annotations } = host.core;
  raters.a = annotations.createRater('Observer A', 'observer').id;
  raters.b = annotations.createRater('Observer B', 'observer').id;
  raters.sup = annotations.createRater('Dr. Supervisor', 'supervisor').id;
  raters.patient = annotations.createRater('Patient P', 'patient').id;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
  await stopHost?.();
});

const lanesOf = (name: string) => page.getByRole('list', { name: `Ruptures of ${name}` });
async function actAs(label: string) {
  await page.getByRole('combobox', { name: 'Current rater' }).selectOption({ label });
  await expect.poll(() => host.core.annotations.currentRater()?.name).toBe(label.replace(/ \(.*\)$/, ''));
}

describe('perspectives, blind rating and the comparison', () => {
  it('two observers rate blind: each sees only their own lanes until both have submitted', async () => {
    const sessionId = await seed('C-031');
    await page.goto(`${host.url}#/session/${sessionId}`);
    await actAs('Observer A (observer)');
    await expect.poll(() => lanesOf('Observer A').count()).toBe(1);
    await expect.poll(() => lanesOf('Observer B').count()).toBe(0);
    await expect
      .poll(() => page.getByRole('note').filter({ hasText: 'Blind rating' }).textContent())
      .toContain('1 other rater’s work is hidden until you submit yours');
    await page.getByRole('button', { name: 'Submit rating' }).click();
    // A confirmation first, naming what is still empty (A marked a rupture but left the grid blank).
    const confirm = page.getByRole('form', { name: 'Submit rating' });
    await expect.poll(() => confirm.getByRole('alert').textContent()).toMatch(/^Still empty: the 3RS grid/);
    expect(await confirm.getByRole('alert').textContent()).not.toContain('no segment marked');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'submit-confirm.png') });
    // Focus is on its Submit: Enter confirms.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status', { name: 'Rating status' }).textContent()).toBe('Submitted');

    await actAs('Observer B (observer)');
    await expect.poll(() => lanesOf('Observer B').count()).toBe(1);
    await expect.poll(() => lanesOf('Observer A').count()).toBe(0); // A submitted, but B has not
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'blind.png') });
    await page.getByRole('button', { name: 'Submit rating' }).click();
    await page.getByRole('form', { name: 'Submit rating' }).getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => lanesOf('Observer A').count()).toBe(1);
    // Submitted ratings are locked.
    await page.locator('body').press('Control+z');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('submitted. Start a revision');
  });

  it('a patient questionnaire is entered for the session', async () => {
    const sessionId = await seed('C-032');
    await page.goto(`${host.url}#/session/${sessionId}`);
    // The patient answers at the machine as themselves (only one's own answers can be entered).
    await actAs('Patient P (patient)');
    await page.getByRole('tab', { name: 'Self-reports' }).click();
    await page.getByLabel('Answered by').selectOption({ label: 'Patient P (patient)' });
    const q = page.getByRole('form', { name: 'Enter a questionnaire' });
    await q
      .getByRole('group', { name: /tension or problem between you and your therapist/ })
      .getByRole('radio', { name: 'no' })
      .check();
    await q.getByRole('button', { name: 'Save questionnaire' }).click();
    await expect
      .poll(() => page.getByRole('list', { name: 'Questionnaires of this session' }).textContent())
      .toContain('Patient P: no tension reported');
  });

  it('the supervisor compares the submitted ratings, sees the self-report beside them, and builds a consensus lane', async () => {
    const sessionId = await seed('C-033', { submitted: true, patientReport: true });
    await page.goto(`${host.url}#/session/${sessionId}`);
    await actAs('Dr. Supervisor (supervisor)');
    await page.getByRole('button', { name: 'Compare' }).click();
    const observers = page.getByLabel('Perspective observer');
    await expect.poll(() => observers.getByRole('list', { name: /^Ruptures of/ }).count()).toBe(2);
    const strip = page.getByRole('region', { name: 'Self-reports' });
    await expect.poll(() => strip.textContent()).toContain('Patient (Patient P): no tension reported');
    expect(await strip.textContent()).toContain('Observers: 3 ruptures marked, first at 00:00:05');
    const agreement = page.getByLabel('Agreement', { exact: true });
    // The whole session's figures, and those of the stretch in view.
    await expect.poll(() => agreement.getByRole('row', { name: /Observer A · Observer B/ }).count()).toBe(2);
    expect(await page.getByRole('region', { name: 'Agreement in view' }).getByRole('row').count()).toBe(2);
    // Each figure with its 95 % interval (a block bootstrap over time), and a methods text to paste.
    const pairRow = agreement.locator('table.pairs').getByRole('row', { name: /Observer A · Observer B/ });
    await expect.poll(() => pairRow.locator('.ci').count()).toBeGreaterThanOrEqual(2);
    expect(await pairRow.locator('.ci').first().textContent()).toMatch(/^\[(−?\.\d\d|1\.00), (−?\.\d\d|1\.00)\]$/);
    expect(await agreement.textContent()).toMatch(
      /block bootstrap over time \(\d+ blocks of [\d.]+ s, 1000 resamples\)/,
    );
    await agreement.getByText('Methods text').click();
    const methods = agreement.getByRole('textbox', { name: 'Methods text to paste' });
    expect(await methods.inputValue()).toMatch(
      /Observer A and Observer B: κ = [−.\d]+ \[[−.\d]+, [−.\d]+\], event agreement .* seed 1\).* Computed with Alliance Review/,
    );
    expect(await axeViolations(page)).toEqual([]);
    await agreement.screenshot({ path: path.join(SCREENSHOT_DIR, 'compare-agreement.png') });
    // Repairs compared instead: neither observer marked one, and the panel says so in words.
    const compareWhat = agreement.getByRole('combobox', { name: 'Compare' });
    await compareWhat.focus();
    await compareWhat.selectOption({ label: 'Repairs' });
    await expect
      .poll(() => agreement.getByRole('list', { name: 'Why a figure or interval is missing' }).textContent())
      .toMatch(/neither coder marked anything/);
    expect(await axeViolations(page)).toEqual([]);
    await agreement.screenshot({ path: path.join(SCREENSHOT_DIR, 'compare-agreement-repairs.png') });
    await compareWhat.selectOption({ label: 'Ruptures' });
    await expect.poll(() => pairRow.locator('.ci').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.band').count()).toBeGreaterThan(0);

    await lanesOf('Observer A').getByRole('listitem').first().click();
    await lanesOf('Observer B').getByRole('listitem').first().click();
    await page.getByRole('button', { name: 'Merge into consensus' }).click();
    const consensusLane = page
      .getByLabel('Consensus', { exact: true })
      .getByRole('list', { name: 'Ruptures of Consensus' });
    await expect.poll(() => consensusLane.getByRole('listitem').count()).toBe(1);
    expect(await consensusLane.getByRole('listitem').first().textContent()).toContain('W2+W5 ●4');
    const merged = host.core.annotations.list(sessionId).segments.find((s) => s.sources.length > 0)!;
    expect(merged).toMatchObject({
      startMs: 5_000,
      endMs: 10_000,
      sources: [{ raterId: raters.a }, { raterId: raters.b }],
    });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'compare.png') });
    expect(await axeViolations(page)).toEqual([]);

    // The consensus segment can be edited, keeping its sources; edits undo first.
    await consensusLane.getByRole('listitem').first().dblclick();
    const form = page.getByRole('form', { name: 'Edit rupture' });
    await form.getByLabel('Note').fill('Agreed in supervision');
    await form.getByRole('button', { name: 'Save' }).click();
    const consensusSeg = () => host.core.annotations.list(sessionId).segments.find((s) => s.sources.length > 0);
    await expect.poll(() => consensusSeg()?.note).toBe('Agreed in supervision');
    expect(consensusSeg()!.sources).toHaveLength(2);
    await page.getByRole('button', { name: 'Undo consensus change' }).click();
    await expect.poll(() => consensusSeg()?.note).toBe('');
    await page.getByRole('button', { name: 'Undo consensus change' }).click();
    await expect.poll(() => consensusLane.getByRole('listitem').count()).toBe(0);

    // From the keyboard: D plays the next disagreement with context, X chooses what lies at the
    // playhead, A merges it into the consensus, which says where it came from.
    const time = page.getByRole('textbox', { name: 'Current time' });
    await time.fill('00:00:00');
    await time.press('Enter');
    await page.locator('body').press('d');
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: /^Disagreement 1 of/ })
          .count(),
      )
      .toBe(1);
    // It plays: the comparison's clock runs on the same wheels as the player's, in step with the video.
    await expect.poll(() => page.locator('.time-field').getAttribute('class')).toContain('running');
    const face = await wheelsAndVideo(page);
    expect(Math.abs(face.shown - face.video)).toBeLessThan(0.15);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'compare-playing.png') });
    await page.locator('body').press('Space'); // pause
    await time.fill('00:00:07');
    await time.press('Enter');
    await page.locator('body').press('x');
    await expect.poll(() => page.getByText('2 segments chosen at the playhead.').isVisible()).toBe(true);
    // Just one of them, from the keyboard: untick the other in the list of chosen segments.
    const chosen = page.getByRole('group', { name: 'Chosen segments' });
    await chosen.getByRole('checkbox', { name: /^Observer B · W2\+W5/ }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByText('1 segment chosen.').isVisible()).toBe(true);
    expect(await chosen.getByRole('checkbox').count()).toBe(1);
    // Both again, for the merge.
    await page.locator('body').press('x');
    await expect.poll(() => page.getByText('2 segments chosen.').isVisible()).toBe(true);
    await page.locator('body').press('a');
    await expect.poll(() => consensusLane.getByRole('listitem').count()).toBe(1);
    // The playhead stands in it: it says where it came from.
    await expect
      .poll(() =>
        page
          .getByRole('note')
          .filter({ hasText: /comes from/ })
          .textContent(),
      )
      .toMatch(
        /comes from Observer A’s W2 at 00:00:05, Observer B’s W2\+W5 at 00:00:05; accepted by Dr\. Supervisor\./,
      );
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'compare-player.png') });
    expect(await axeViolations(page)).toEqual([]);

    // Calibration: Observer A against Observer B missed B's confrontation rupture at 00:00:20.
    const cal = page.getByRole('region', { name: 'Calibration' });
    await cal.getByLabel('Rater to calibrate').selectOption({ label: 'Observer A' });
    await cal.getByLabel('Reference rater').selectOption({ label: 'Observer B' });
    await expect.poll(() => cal.textContent()).toContain('Missed (1): 00:00:20 C1');
    expect(await cal.textContent()).toContain('Added (0)');
  });

  it('shows the case over time as small multiples and the perspectives compared', async () => {
    await seed('C-034', { submitted: true, patientReport: true });
    host.core.annotations.setCurrentRater(raters.sup);
    await page.goto(`${host.url}#/`);
    await page.getByRole('button', { name: 'Overview of case C-034' }).click();
    await expect.poll(() => page.getByRole('img', { name: /^Ruptures per session/ }).count()).toBe(1);
    const drawn = await page.locator('.small-chart canvas').evaluateAll((cs) =>
      cs.map((c) => {
        const canvas = c as HTMLCanvasElement;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) return true;
        return false;
      }),
    );
    expect(drawn).toEqual([true, true, true]);
    const table = page.getByRole('region', { name: 'Perspectives compared' });
    await expect.poll(() => table.getByRole('row', { name: /^observer/ }).textContent()).toContain('100 %');
    expect(await table.getByRole('row', { name: /^patient/ }).textContent()).toContain('0 %');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'case-overview.png') });
    // The case summary for a meeting about this client, from the overview.
    await page.getByRole('button', { name: 'Report' }).click();
    const summary = page.frameLocator('iframe[title="Case summary"]');
    await expect.poll(() => summary.getByRole('heading', { level: 1 }).textContent()).toBe('Case summary · C-034');
    expect(await summary.locator('body').textContent()).toMatch(/tension|none/);
    expect(await axeViolations(page)).toEqual([]);
  });
});
