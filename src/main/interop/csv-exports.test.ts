/**
 * CSV exports and formula injection (shared/csv.ts): a session's CSV, meant for people, shows a
 * formula-like name or note as text; the study export, meant for R, keeps it exactly.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testCore } from '../../../tests/support/core';
import { seedSession } from '../../../tests/support/fixtures';
import { sessionCsv } from './exporter';
import { studySegmentsCsv } from './study-export';

let t: ReturnType<typeof testCore>;
afterEach(() => t.cleanup());

describe('CSV cells that start with = + - @', () => {
  it('are neutralised in the session CSV and kept in the study export', () => {
    t = testCore();
    const { sessionId } = seedSession(t.core, 'C-CSV');
    const rater = t.core.raters.create('=HYPERLINK("http://x","R")', 'observer');
    t.core.annotations.create({
      sessionId,
      raterId: rater.id,
      kind: 'rupture',
      startMs: 1000,
      endMs: 2000,
      codes: ['W2'],
      note: '@SUM(A1:A9)',
    });
    const csv = sessionCsv(t.core.library, t.core.annotations, sessionId, null, { names: true, notes: true });
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""R"")"`);
    expect(csv).toContain("'@SUM(A1:A9)");
    expect(csv).not.toMatch(/(^|,)[=@]/m);
    const study = studySegmentsCsv(t.core, 'C-CSV', true);
    expect(study).toContain('"=HYPERLINK(""http://x"",""R"")"');
    expect(study).not.toContain("'=HYPERLINK");
  });
});
