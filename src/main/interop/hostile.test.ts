/**
 * Other tools' files are input from anywhere: real ELAN, BORIS, subtitle and CSV files (the
 * fixtures, with their sources in tests/fixtures/interop/README.md), changed by fast-check (bytes
 * flipped, cut short, text inserted), and arbitrary text, go through the contract's import. Each
 * is refused in words with nothing changed, or imports only what obeys the segment rules.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshot, testCore } from '../../../tests/support/core';
import { seedSession } from '../../../tests/support/fixtures';
import { noDialogs } from '../platform/types';
import { dispatch } from '../rpc/dispatch';
import { createHandlers } from '../rpc/handlers';
import type { HandlerTable } from '../rpc/types';

const FIX = path.resolve(__dirname, '../../../tests/fixtures/interop');
const CSV = Buffer.from(
  'type,code,start,end,significance,stage,note\nrupture,W2,1.5,4,3,,first\nrepair,R3,4,6,,,\ncomment,,7,7,,,"a ""quoted"" note"\n',
);
const FILES: [string, Buffer][] = [
  ['rupture-coding.eaf', fs.readFileSync(path.join(FIX, 'rupture-coding.eaf'))],
  ['boris-test.boris', fs.readFileSync(path.join(FIX, 'boris-test.boris'))],
  ['boris8-tabular.tsv', fs.readFileSync(path.join(FIX, 'boris8-tabular.tsv'))],
  ['elan-both-times.txt', fs.readFileSync(path.join(FIX, 'elan-both-times.txt'))],
  ['transcript.vtt', fs.readFileSync(path.join(FIX, 'transcript.vtt'))],
  ['codes.csv', CSV],
];

let t: ReturnType<typeof testCore>;
let handlers: HandlerTable;
let sessionId: number;
let durationMs: number;
let supervisorId: number;
let observerId: number;
/** Runs that imported something: the properties are not only about refusals. */
let imported = 0;
beforeAll(() => {
  t = testCore();
  const seeded = seedSession(t.core, 'C-HOST', 0, 600_000);
  sessionId = seeded.sessionId;
  durationMs = 600_000;
  supervisorId = t.core.raters.create('Dr. Sup', 'supervisor').id;
  // An observer imports their own coding with no mapping questions: the fuzz reaches the storing.
  observerId = t.core.raters.create('Obs', 'observer').id;
  t.core.raters.setCurrent(supervisorId);
  handlers = createHandlers(t.core, noDialogs, { host: 'browser', version: 'test' });
});
afterAll(() => t.cleanup());

async function tryImport(fileName: string, bytes: Buffer, skipInvalid: boolean) {
  const before = snapshot(t.core.db);
  const r = await dispatch(handlers, 'interop:import', {
    sessionId,
    fileName,
    contentBase64: bytes.toString('base64'),
    choices: { skipInvalid, addCodes: false },
  });
  if (r.ok) {
    const v = r.value as { segments: number; utterances: number };
    if (v.segments > 0 || v.utterances > 0) imported++;
  }
  if (!r.ok) {
    expect(r.error.code, r.error.message).not.toBe('INTERNAL');
    expect(r.error.message).not.toMatch(
      /SQLITE|constraint failed|TypeError|Cannot read|is not a function|\[object|^undefined|: undefined\b/,
    );
    expect(snapshot(t.core.db)).toEqual(before);
  }
  // Whatever is in the session obeys the segment rules.
  for (const s of t.core.annotations.list(sessionId).segments) {
    expect(Number.isInteger(s.startMs) && Number.isInteger(s.endMs)).toBe(true);
    expect(s.startMs).toBeGreaterThanOrEqual(0);
    expect(s.endMs).toBeGreaterThanOrEqual(s.startMs);
    expect(s.endMs).toBeLessThanOrEqual(durationMs);
    expect(s.note.length).toBeLessThanOrEqual(4000);
  }
  return r;
}

describe('hostile files through the importers', () => {
  it('the real files are read as they are (the properties below start from working input)', async () => {
    for (const [name, bytes] of FILES) {
      const r = await dispatch(handlers, 'interop:preview', {
        sessionId,
        fileName: name,
        contentBase64: bytes.toString('base64'),
      });
      // Read: a preview, or a question the app asks the user (whose coding a tier is).
      if (!r.ok) expect(r.error.message, name).toMatch(/^(Say whose|Whose coding)/);
    }
  });

  it('changed files are refused in words, changing nothing, or import within the rules (fast-check)', async () => {
    t.core.raters.setCurrent(observerId);
    imported = 0;
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        text: fc.oneof(
          fc.string(),
          fc.constantFrom('-1', '9e15', 'NaN', '\u0000', '<', '"', '\t\t\t', '99:99:99.999', '\r\n\r\n', '</TIER>'),
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FILES),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async ([name, original], changes, skipInvalid) => {
          let bytes = Buffer.from(original);
          for (const c of changes) {
            const at = c.at % Math.max(1, bytes.length);
            if (c.kind === 'flip') bytes[at] = c.byte;
            else if (c.kind === 'cut') bytes = bytes.subarray(0, at);
            else bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(c.text), bytes.subarray(at)]);
          }
          await tryImport(name, bytes, skipInvalid);
        },
      ),
      { numRuns: 150, seed: 25 },
    );
    expect(imported).toBeGreaterThan(10);
  });

  it('arbitrary text under any of the names is refused in words or imports within the rules (fast-check)', async () => {
    t.core.raters.setCurrent(observerId);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('x.eaf', 'x.boris', 'x.tsv', 'x.csv', 'x.txt', 'x.vtt', 'x.srt'),
        fc.string({ maxLength: 400 }),
        async (name, text) => {
          await tryImport(name, Buffer.from(text), false);
        },
      ),
      { numRuns: 150, seed: 26 },
    );
  });
});
