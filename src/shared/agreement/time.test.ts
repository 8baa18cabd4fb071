import { describe, expect, it } from 'vitest';
import { seeded } from './inference';
import { ANY, eventAgreement, pairAgreement, pairBlockBootstrap, timeUnitKappa, unitPresence, type Span } from './time';

const s = (code: string, start: number, end: number): Span => ({ code, startMs: start * 1000, endMs: end * 1000 });

describe('time units', () => {
  it('marks a unit present when a span covers its midpoint', () => {
    expect(unitPresence([s('W2', 1.4, 3.6)], 'W2', 1000, 5)).toEqual([false, true, true, true, false]);
    expect(unitPresence([s('W2', 1.6, 2.4)], 'W2', 1000, 5)).toEqual([false, false, false, false, false]);
    expect(unitPresence([s('W2', 0, 1), s('C1', 3, 4)], ANY, 1000, 5)).toEqual([true, false, false, true, false]);
  });

  it('is half-open, and a point event occupies the unit it falls in', () => {
    // 0–1.5 s ends exactly at unit 1's midpoint: unit 1 is the next span's, not both.
    expect(unitPresence([s('W2', 0, 1.5)], 'W2', 1000, 3)).toEqual([true, false, false]);
    expect(unitPresence([s('W2', 1.5, 3)], 'W2', 1000, 3)).toEqual([false, true, true]);
    // Two coders marking the same moment half a second apart agree (a BORIS point event).
    expect(unitPresence([s('W2', 2.2, 2.2)], 'W2', 1000, 5)).toEqual([false, false, true, false, false]);
    const a = [s('W2', 2.2, 2.2)];
    const b = [s('W2', 2.7, 2.7)];
    expect(timeUnitKappa(a, b, 'W2', { unitMs: 1000, toleranceMs: 0, durationMs: 5000 }).value).toBe(1);
  });

  it('time-unit kappa is 1 for identical coding and counts a ±1 unit offset as agreement with tolerance', () => {
    const a = [s('W2', 10, 20), s('C1', 40, 50)];
    expect(timeUnitKappa(a, a, 'W2', { unitMs: 1000, toleranceMs: 0, durationMs: 60_000 }).value).toBe(1);
    const shifted = [s('W2', 11, 21), s('C1', 40, 50)];
    const strict = timeUnitKappa(a, shifted, 'W2', { unitMs: 1000, toleranceMs: 0, durationMs: 60_000 }).value!;
    const tolerant = timeUnitKappa(a, shifted, 'W2', { unitMs: 1000, toleranceMs: 1000, durationMs: 60_000 }).value!;
    expect(strict).toBeLessThan(1);
    expect(tolerant).toBe(1);
  });

  it('explains an all-absent code', () => {
    const r = timeUnitKappa([s('W2', 1, 2)], [s('W2', 1, 2)], 'C5', {
      unitMs: 1000,
      toleranceMs: 0,
      durationMs: 10_000,
    });
    expect(r.value).toBeNull();
    expect(r.note).toBe('kappa undefined: neither coder marked C5 (all units absent)');
  });
});

describe('event agreement', () => {
  it('matches same-code events one to one within the onset window: 2M / (N_A + N_B), with mean IoU', () => {
    const a = [s('W2', 10, 20), s('W2', 30, 40), s('W2', 100, 110)];
    const b = [s('W2', 12, 20), s('W2', 31, 39), s('W2', 200, 210), s('C1', 10, 20)];
    const r = eventAgreement(a, b, 'W2', 3000);
    expect(r).toMatchObject({ matched: 2, nA: 3, nB: 3 });
    expect(r.value).toBeCloseTo(4 / 6, 12);
    expect(r.meanIoU).toBeCloseTo((8 / 10 + 8 / 10) / 2, 12);
  });

  it('finds the maximum number of matches, not a greedy first fit', () => {
    // A at 0 and 5 s, B at 3 and 8 s, window 4 s: pairing 0↔3 and 5↔8 gives 2 matches.
    const r = eventAgreement([s('W2', 0, 1), s('W2', 5, 6)], [s('W2', 3, 4), s('W2', 8, 9)], 'W2', 4000);
    expect(r.matched).toBe(2);
  });

  it('explains when neither coder marked the code', () => {
    expect(eventAgreement([], [], 'W2', 3000).note).toMatch(/neither coder marked W2/);
  });
});

describe('pair agreement', () => {
  it('reports per code and for any code, with PABAK and positive/negative agreement on presence', () => {
    const a = [s('W2', 10, 20), s('C1', 40, 45)];
    const b = [s('W2', 11, 20), s('C1', 70, 75)];
    const r = pairAgreement(['A', 'B'], a, b, { unitMs: 1000, toleranceMs: 0, windowMs: 3000, durationMs: 100_000 });
    expect(Object.keys(r.time_unit_kappa)).toEqual(['C1', 'W2', 'any']);
    expect(r.event_agreement.W2!.value).toBe(1);
    expect(r.event_agreement.C1!.value).toBe(0);
    expect(r.mean_iou.W2).toBeCloseTo(0.9, 12);
    expect(r.time_unit_kappa.C1!.value).toBeLessThan(0);
    expect(r.positive_agreement.value).toBeCloseTo((2 * 9) / (2 * 9 + 1 + 5 + 5), 12);
    expect(r.pabak.value).toBeCloseTo(2 * ((100 - 11) / 100) - 1, 12);
    // Symmetric in raters.
    const back = pairAgreement(['B', 'A'], b, a, { unitMs: 1000, toleranceMs: 0, windowMs: 3000, durationMs: 100_000 });
    expect(back.time_unit_kappa.any!.value).toBeCloseTo(r.time_unit_kappa.any!.value!, 12);
  });
});

describe('sparse presence', () => {
  it('gives the same 2×2 table as the unit-by-unit count', async () => {
    const { presence, presenceRuns, tableFromRuns } = await import('./time');
    const { table2x2 } = await import('./stats');
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 50; trial++) {
      const mk = () =>
        Array.from({ length: 8 }, () => {
          const start = Math.floor(rnd() * 90_000);
          return { code: rnd() < 0.5 ? 'W2' : 'C1', startMs: start, endMs: start + Math.floor(rnd() * 15_000) };
        });
      const a = mk();
      const b = mk();
      for (const code of ['W2', 'C1', ANY]) {
        expect(tableFromRuns(presenceRuns(a, code, 1000, 100), presenceRuns(b, code, 1000, 100), 100)).toEqual(
          table2x2(presence(a, code, 1000, 100), presence(b, code, 1000, 100)),
        );
      }
    }
  });
});

describe('intervals within a session (a block bootstrap over time)', () => {
  // Two coders over an hour: ruptures of 20–60 s, the second coder missing some and shifting others.
  const rnd = seeded(21);
  const a: Span[] = [];
  const b: Span[] = [];
  for (let t = 30; t < 3500; t += 90 + Math.floor(rnd() * 120)) {
    const len = 20 + Math.floor(rnd() * 40);
    a.push(s('W2', t, t + len));
    if (rnd() < 0.75) b.push(s('W2', t + Math.floor(rnd() * 8), t + len + Math.floor(rnd() * 8)));
  }
  const base = { unitMs: 1000, toleranceMs: 0, windowMs: 3000, durationMs: 3_600_000, resamples: 2000, seed: 4 };

  it('holds the estimate, repeats with its seed, and is wider than if units were independent', () => {
    const point = pairAgreement(['A', 'B'], a, b, base);
    const ci = pairBlockBootstrap(a, b, { ...base, blockMs: 60_000 });
    expect(ci.blocks).toBe(60);
    const kappa = point.time_unit_kappa.any!.value!;
    expect(ci.time_unit_kappa_any.lower!).toBeLessThan(kappa);
    expect(ci.time_unit_kappa_any.upper!).toBeGreaterThan(kappa);
    const events = point.event_agreement.any!.value!;
    expect(ci.event_agreement_any.lower!).toBeLessThan(events);
    expect(ci.event_agreement_any.upper!).toBeGreaterThan(events);
    expect(pairBlockBootstrap(a, b, { ...base, blockMs: 60_000 })).toEqual(ci);
    // One-unit blocks treat neighbouring seconds as independent: a falsely narrow interval.
    const iid = pairBlockBootstrap(a, b, { ...base, blockMs: 1000 });
    const width = (x: { lower: number | null; upper: number | null }) => x.upper! - x.lower!;
    expect(width(ci.time_unit_kappa_any)).toBeGreaterThan(2 * width(iid.time_unit_kappa_any));
  });

  it('identical coding gives [1, 1]; a session shorter than two blocks gives no interval', () => {
    const same = pairBlockBootstrap(a, a, { ...base, blockMs: 60_000 });
    expect(same.time_unit_kappa_any).toMatchObject({ lower: 1, upper: 1 });
    expect(same.event_agreement_any).toMatchObject({ lower: 1, upper: 1 });
    const short = pairBlockBootstrap(a, b, { ...base, durationMs: 50_000, blockMs: 60_000 });
    expect(short.blocks).toBe(1);
    expect(short.time_unit_kappa_any).toEqual({ lower: null, upper: null, undefined_resamples: 0 });
  });
});
