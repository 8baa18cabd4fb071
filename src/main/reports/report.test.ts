/**
 * The supervision report, read as its reader would: what it says, what it keeps out
 * (pseudonymous by default, blind rating), and that the CLI writes a real PDF through Chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCore } from '../../../tests/support/core';
import { seedSupervision } from '../../../tests/support/supervision';
import { findBrowser } from './cli-report';
import { cliIn } from '../../../tests/support/cli';
import { reportData } from './report';
import { reportHtml } from './report-html';
import { caseReportHtml } from './case-report';
import { count } from '../../shared/words';

let t: ReturnType<typeof testCore>;
let seeded: ReturnType<typeof seedSupervision>;
beforeEach(() => {
  t = testCore();
  seeded = seedSupervision(t.core, { segments: 30, durationMs: 1_800_000 });
  t.core.library.updateCase({ id: seeded.caseId, code: 'C-REP', therapist: 'Therese Hansen', notes: '' });
});
afterEach(() => t.cleanup());

const text = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

describe('the supervision report', () => {
  it('covers raters, ruptures with their repairs, feedback, the grid, self-reports and agreement, pseudonymously', () => {
    const html = reportHtml(reportData(t.core, seeded.sessionId, 'all'));
    const body = text(html);
    expect(body).toMatch(/Supervision report · C-REP · session 1/);
    expect(body).toMatch(/Observer A\s+observer\s+submitted/);
    expect(body).toMatch(/Trainee A\s+trainee\s+submitted/);
    expect(body).toMatch(/Consensus/);
    expect(body).toMatch(/W2 Minimal response/);
    expect(body).toMatch(/repaired|partly/);
    expect(body).toMatch(/She goes quiet after the homework question\./);
    expect(body).toMatch(/Trainee A : I felt it too, but moved on\./);
    expect(body).toMatch(/3RS grid \(5-minute segments\)/);
    expect(body).toMatch(/Post-session rupture report \(patient\)\s+tension reported, how tense 3\/5, resolved 4\/5/);
    expect(body).toMatch(/Agreement between submitted ratings/);
    // Nothing identifying unless asked: no names, no therapist, no notes, no paths or file names.
    for (const secret of [
      'Tess',
      'Dr. Sup',
      'Oda',
      'Olav',
      'Therese Hansen',
      'Met after a missed week',
      '/nonexistent',
      '.mp4',
    ])
      expect(html).not.toContain(secret);
    // Self-contained: no script, no external resource.
    expect(html).not.toMatch(/<script|src="http|href="http|url\(http/);
  });

  it('summarises a research coding of thousands of ruptures instead of listing each, and says so', () => {
    const big = testCore();
    try {
      const many = seedSupervision(big.core, { segments: 3000, durationMs: 7_200_000 });
      const html = reportHtml(reportData(big.core, many.sessionId, 'all'));
      const body = text(html);
      const ruptures = big.core.annotations.list(many.sessionId).segments.filter((x) => x.kind === 'rupture');
      expect(ruptures.length).toBeGreaterThan(1000);
      expect(body).toContain(`This session has ${count(ruptures.length, 'rupture')}`);
      expect(body).toContain('above 1000 the report summarises them');
      expect(body).toContain('alliance-review export SESSION_ID --format csv');
      // Per rater and marker, and per ten minutes (12 rows for two hours).
      expect(body).toMatch(
        /Observer A: [\d,]+ ruptures Markers Ruptures Mean sig\. Repaired Partly Median s to repair/,
      );
      expect(
        (html.match(/<caption>Ruptures per ten minutes<\/caption>[\s\S]*?<\/table>/)![0].match(/<tr>/g) ?? []).length,
      ).toBe(13);
      // The noted ruptures are still listed, the first 60 of them.
      const noted = ruptures.filter((x) => x.note).length;
      expect(body).toContain(`Ruptures with a note (the first 60 of ${noted})`);
      expect(body).toContain('“looks away, short answers”');
      // Far smaller than a row per rupture.
      expect(html.length).toBeLessThan(200_000);
    } finally {
      big.cleanup();
    }
  });

  it('shows a repair linked to no rupture (as a CSV import leaves it) under its rater', () => {
    const rater = t.core.annotations.createRater('Observer Z', 'observer');
    t.core.annotations.create({
      sessionId: seeded.sessionId,
      raterId: rater.id,
      kind: 'repair',
      startMs: 1_700_000,
      endMs: 1_710_000,
      codes: ['R4'],
      rating: 5,
      stage: null,
      note: '',
    });
    const body = text(reportHtml(reportData(t.core, seeded.sessionId, 'all')));
    expect(body).toMatch(/1 repair linked to no rupture: 00:28:20(\.000)? R4 \(5\/5\)/);
  });

  it('names people only when asked, and escapes what people wrote', () => {
    t.core.feedback.add(
      { sessionId: seeded.sessionId, startMs: 1000, text: '<script>alert(1)</script> & "quotes"' },
      seeded.sup,
    );
    const html = reportHtml(reportData(t.core, seeded.sessionId, 'all', { names: true }));
    expect(html).toContain('Therese Hansen');
    expect(html).toContain('Met after a missed week');
    expect(text(html)).toMatch(/Tess\s+trainee/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(html).not.toContain('<script>alert');
  });

  it('keeps blind rating: a rater with a draft sees only their own work in it, and no feedback as an observer', () => {
    const late = t.core.raters.create('Late', 'observer');
    t.core.annotations.create({
      sessionId: seeded.sessionId,
      raterId: late.id,
      kind: 'rupture',
      startMs: 5000,
      endMs: 9000,
      codes: ['C1'],
    });
    const d = reportData(t.core, seeded.sessionId, late);
    expect(d.raters.map((r) => r.id)).toEqual([late.id]);
    expect(d.feedback).toBeNull();
    expect(d.agreement).toBeNull();
    expect(d.segments.every((s) => s.raterId === late.id)).toBe(true);
  });

  it('finds a browser from the environment or a usual place, and says when there is none', () => {
    expect(findBrowser({ ALLIANCE_REVIEW_BROWSER: '/opt/x/chrome' }, (p) => p === '/opt/x/chrome')).toBe(
      '/opt/x/chrome',
    );
    expect(findBrowser({}, (p) => p === '/usr/bin/google-chrome')).toBe('/usr/bin/google-chrome');
    expect(findBrowser({}, () => false)).toBeNull();
  });

  it('is written as a PDF by the command line (through Chromium), and as HTML, leaving no partial file on failure', async () => {
    t.core.close();
    const run = (args: string[]) => cliIn(t.dir, args, process.env);
    const pdf = path.join(t.dir, 'report.pdf');
    const res = await run(['report', String(seeded.sessionId), '--format', 'pdf', '--out', pdf]);
    expect(res.stderr).toBe('');
    const bytes = fs.readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect((bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBeGreaterThanOrEqual(2);
    const html = path.join(t.dir, 'report.html');
    expect((await run(['report', String(seeded.sessionId), '--out', html])).code).toBe(0);
    expect(fs.readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/);
    const bad = await run([
      'report',
      String(seeded.sessionId),
      '--format',
      'pdf',
      '--out',
      path.join(t.dir, 'no-such-dir', 'r.pdf'),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/The folder .*no-such-dir does not exist/); // said before the browser starts
    expect(fs.readdirSync(t.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The page the browser printed was plaintext: it lived in the library's private folder, now empty,
    // and never in the shared temporary folder.
    expect(fs.readdirSync(path.join(t.dir, 'tmp'))).toEqual([]);
    expect(fs.statSync(path.join(t.dir, 'tmp')).mode & 0o777).toBe(0o700);
    expect((await run(['report', '999', '--format', 'html'])).stderr).toMatch(/no longer exists/);
  }, 60_000);

  it('summarises the case across sessions: ruptures per perspective, resolution, self-reports and feedback', () => {
    const second = seedSupervision(t.core, { segments: 12, durationMs: 900_000, code: 'C-REP' });
    const html = caseReportHtml(t.core, seeded.caseId, 'all');
    const body = text(html);
    expect(body).toMatch(/Case summary · C-REP/);
    expect(body).toMatch(/Sessions 2/);
    // Session rows: number, date, length; observers' mean count; the patient's own report; feedback threads.
    expect(body).toMatch(/1 2026-11-20 30:00 \d+ resolved \d+ %/);
    expect(body).toMatch(/tension resolved 75 %/);
    expect(body).toMatch(/4 \(3 open\)/);
    expect(html).not.toContain('Therese Hansen');
    expect(caseReportHtml(t.core, seeded.caseId, 'all', { names: true })).toContain('Therese Hansen');
    expect(second.caseId).toBe(seeded.caseId);
    // Blind rating: a rater with a draft sees no one else's counts.
    const late = t.core.raters.create('Late', 'observer');
    expect(caseReportHtml(t.core, seeded.caseId, late)).not.toContain('class="num">observer</th>');
  });
});
