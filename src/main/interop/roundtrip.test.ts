/**
 * Round trips as properties: what the app writes as ELAN .eaf or as a BORIS project, read back
 * through the same import path (reader → mapping plan), gives back the same segments — kinds,
 * times, codes, significance, notes, comments, links (EAF) and transcripts (EAF) — for generated
 * sessions with overlapping, touching, point, very short and empty-noted annotations.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Rater, Segment } from '../../shared/annotations';
import { DEFAULT_CODEBOOK } from '../../shared/codebook';
import { seg } from '../../shared/segment-fixture';
import { writeBorisProject } from './boris-write';
import { readBorisProject } from './boris';
import { readEaf } from './eaf-read';
import { writeEaf } from './eaf-write';
import { planImport, type ImportPlan } from './mapping';

fc.configureGlobal({
  ...fc.readConfigureGlobal(),
  ...(process.env.FC_SEED === 'random' ? {} : { seed: Number(process.env.FC_SEED ?? 20261206) }),
});

const keysOf = (cats: string[]) => DEFAULT_CODEBOOK.codes.filter((c) => cats.includes(c.category)).map((c) => c.key);
const RUPTURE_CODES = keysOf(['withdrawal', 'confrontation']);
const REPAIR_CODES = keysOf(['repair']);
const RATERS: Rater[] = [
  { id: 1, name: 'Coder Ä', role: 'observer', consensus: false },
  { id: 2, name: 'Dr. O’Brien', role: 'supervisor', consensus: false },
];
const NOTES = ['', 'quiet, looks away', 'a "quoted" <b> & ; note', 'Pause — ich weiß nicht', '=1+1'];

/** A session's coding: per rater, ruptures, repairs (linked to an earlier rupture or none) and comments. */
const sessions = fc
  .array(
    fc.record({
      rater: fc.constantFrom(1, 2),
      kind: fc.constantFrom('rupture', 'repair', 'comment') as fc.Arbitrary<Segment['kind']>,
      start: fc.integer({ min: 0, max: 120_000 }),
      // 0: a point (comments only); 100 ms: the shortest segment; otherwise up to 30 s.
      length: fc.oneof(fc.constant(0), fc.constant(100), fc.integer({ min: 100, max: 30_000 })),
      codes: fc.integer({ min: 1, max: 2 }),
      pick: fc.integer({ min: 0, max: 1000 }),
      rating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
      note: fc.constantFrom(...NOTES),
      link: fc.boolean(),
    }),
    { minLength: 1, maxLength: 25 },
  )
  .map((rows) => {
    const segments: Segment[] = [];
    rows.forEach((r, i) => {
      const id = i + 1;
      const pool = r.kind === 'repair' ? REPAIR_CODES : RUPTURE_CODES;
      const codes =
        r.kind === 'comment'
          ? []
          : [...new Set(Array.from({ length: r.codes }, (_, k) => pool[(r.pick + k * 7) % pool.length]!))].sort();
      const length = r.kind === 'comment' ? r.length : Math.max(100, r.length);
      const earlier = segments.filter((x) => x.kind === 'rupture' && x.raterId === r.rater);
      segments.push(
        seg(id, r.kind, r.start, r.start + length, {
          raterId: r.rater,
          codes,
          rating: r.kind === 'comment' ? null : r.rating,
          note: r.note,
          linkedRuptureIds: r.kind === 'repair' && r.link && earlier.length ? [earlier[earlier.length - 1]!.id] : [],
        }),
      );
    });
    return segments;
  });

/** Segments as comparable lines: rater, kind, times, codes, significance, note (and the link, by time). */
function fromSession(segments: Segment[], withLinks: boolean): string[] {
  const byId = new Map(segments.map((s) => [s.id, s]));
  return segments
    .map((s) =>
      [
        RATERS.find((r) => r.id === s.raterId)!.name,
        s.kind,
        s.startMs,
        s.endMs,
        s.codes.join(';'),
        s.rating ?? '',
        s.note,
        withLinks ? s.linkedRuptureIds.map((id) => `${byId.get(id)!.startMs}-${byId.get(id)!.endMs}`).join(',') : '',
      ].join('|'),
    )
    .sort();
}

function fromPlan(plan: ImportPlan, withLinks: boolean): string[] {
  const rows = plan.segments.flatMap((g) => g.rows.map((r) => ({ ...r, rater: g.rater })));
  const byKey = new Map(rows.filter((r) => r.key).map((r) => [r.key!, r]));
  return rows
    .map((r) =>
      [
        r.rater,
        r.kind,
        r.startMs,
        r.endMs,
        [...r.codes].sort().join(';'),
        r.rating ?? '',
        r.note,
        withLinks ? (r.linkKeys ?? []).map((k) => `${byKey.get(k)!.startMs}-${byKey.get(k)!.endMs}`).join(',') : '',
      ].join('|'),
    )
    .sort();
}

describe('round trips over generated sessions', () => {
  it('EAF out → in: the same segments, links and transcript', () => {
    fc.assert(
      fc.property(
        sessions,
        fc.array(
          fc.record({
            start: fc.integer({ min: 0, max: 100_000 }),
            length: fc.integer({ min: 1, max: 8_000 }),
            speaker: fc.constantFrom('', 'Patient', 'Therapeut·in'),
            text: fc.constantFrom('Ich weiß nicht.', 'Yes "really" <b>', 'mm-hm'),
          }),
          { maxLength: 6 },
        ),
        (segments, talk) => {
          const utterances = talk.map((u, i) => ({
            id: i + 1,
            sessionId: 1,
            startMs: u.start,
            endMs: u.start + u.length,
            speaker: u.speaker,
            text: u.text,
          }));
          const xml = writeEaf({
            author: 'Alliance Review',
            recordings: [{ fileName: 's.mp4', path: '/x/s.mp4', offsetMs: 0 }],
            raters: RATERS,
            segments,
            codebook: DEFAULT_CODEBOOK,
            utterances,
          });
          const plan = planImport(readEaf(xml), DEFAULT_CODEBOOK, {
            fileName: 'out.eaf',
            recordings: [{ name: 's.mp4', offsetMs: 0 }],
          });
          expect(plan.blocking).toEqual([]);
          expect(plan.rejected).toEqual([]);
          expect(fromPlan(plan, true)).toEqual(fromSession(segments, true));
          expect(plan.utterances.map((u) => [u.startMs, u.endMs, u.speaker, u.text]).sort()).toEqual(
            utterances.map((u) => [u.startMs, u.endMs, u.speaker, u.text]).sort(),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('BORIS out → in: the same segments (overlaps of one code, several codes, comments with their span, significance)', () => {
    fc.assert(
      fc.property(sessions, (segments) => {
        const json = writeBorisProject({
          projectName: 'p',
          sessionLabel: 'C-1 s1',
          date: '2026-12-06',
          recordings: [
            { fileName: 's.mp4', path: '/x/s.mp4', offsetMs: 0, durationMs: 200_000, hasVideo: true, hasAudio: true },
          ],
          raters: RATERS,
          segments,
          codebook: DEFAULT_CODEBOOK,
        });
        const plan = planImport(readBorisProject(json), DEFAULT_CODEBOOK, {
          fileName: 'out.boris',
          recordings: [{ name: 's.mp4', offsetMs: 0 }],
        });
        expect(plan.blocking).toEqual([]);
        expect(plan.rejected).toEqual([]);
        expect(fromPlan(plan, false)).toEqual(fromSession(segments, false));
      }),
      { numRuns: 150 },
    );
  });
});

describe('CSV out → in', () => {
  it("a session's CSV export, read back by the import, gives the same segments (notes like =1+1 too)", async () => {
    const { testCore } = await import('../../../tests/support/core');
    const { seedSession } = await import('../../../tests/support/fixtures');
    const { sessionCsv } = await import('./exporter');
    const { parseSegmentFile } = await import('../agreement/segment-files');
    await fc.assert(
      fc.asyncProperty(sessions, async (generated) => {
        const t = testCore();
        try {
          const { sessionId } = seedSession(t.core, 'C-1', 0, 200_000);
          const rater = t.core.annotations.createRater('Coder Ä', 'observer');
          // One rater's segments (a CSV import is one rater's), without links (the CSV names them in words).
          const mine = generated.map((x) => ({ ...x, raterId: 1, linkedRuptureIds: [] }));
          for (const x of mine)
            t.core.annotations.create({
              sessionId,
              raterId: rater.id,
              kind: x.kind,
              startMs: x.startMs,
              endMs: x.endMs,
              codes: x.codes,
              rating: x.rating,
              stage: null,
              note: x.note,
            });
          const parsed = parseSegmentFile(
            sessionCsv(t.core.library, t.core.annotations, sessionId, null, { names: true, notes: true }),
          );
          expect(parsed.rejected).toEqual([]);
          const back = parsed.rows
            .map((r) =>
              [
                'Coder Ä',
                r.input.kind,
                r.input.startMs,
                r.input.endMs,
                [...(r.input.codes ?? [])].sort().join(';'),
                r.input.rating ?? '',
                r.input.note ?? '',
                '',
              ].join('|'),
            )
            .sort();
          expect(back).toEqual(fromSession(mine, false));
        } finally {
          t.cleanup();
        }
      }),
      { numRuns: 25 },
    );
  });
});
