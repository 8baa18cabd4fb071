import { describe, expect, it } from 'vitest';
import type { Segment, SessionAnnotations } from '../../../shared/annotations';
import { disagreementBands, stretchAgreement } from './bands';

const rupture = (id: number, raterId: number, startMs: number, endMs: number) =>
  ({ id, raterId, kind: 'rupture', startMs, endMs }) as Segment;

describe('disagreement bands', () => {
  it('marks the seconds where only some raters mark a rupture, merged into stretches', () => {
    const data = { segments: [rupture(1, 1, 0, 5_000), rupture(2, 2, 2_000, 5_000)] } as SessionAnnotations;
    expect(disagreementBands(data, [1, 2], 10_000)).toEqual([{ start: 0, end: 2_000 }]);
  });

  it('shows nothing for one rater alone, or when all agree', () => {
    const data = { segments: [rupture(1, 1, 0, 5_000), rupture(2, 2, 0, 5_000)] } as SessionAnnotations;
    expect(disagreementBands(data, [1], 10_000)).toEqual([]);
    expect(disagreementBands(data, [1, 2], 10_000)).toEqual([]);
  });
});

describe('agreement over the visible stretch', () => {
  const data = {
    segments: [rupture(1, 1, 0, 4_000), rupture(2, 2, 2_000, 4_000), rupture(3, 1, 20_000, 30_000)],
  } as SessionAnnotations;
  const raters = [
    { id: 1, name: 'A' },
    { id: 2, name: 'B' },
  ];
  it('counts 1-second units in the stretch and gives kappa', () => {
    // 0–10 s: A marks units 0–3, B units 2–3: 8 of 10 agree; kappa = (0.8 − 0.56) / 0.44.
    const [p] = stretchAgreement(data, raters, 0, 10_000);
    expect(p).toMatchObject({ raters: ['A', 'B'], units: 10, agreement: 0.8 });
    expect(p!.kappa).toBeCloseTo(0.24 / 0.44, 6);
  });
  it('gives kappa as undefined where neither rater varies, and looks only at the stretch', () => {
    const [p] = stretchAgreement(data, raters, 10_000, 20_000);
    expect(p).toMatchObject({ units: 10, agreement: 1, kappa: null });
    const [q] = stretchAgreement(data, raters, 20_000, 30_000);
    expect(q).toMatchObject({ agreement: 0, kappa: 0 });
  });
});

describe('the same rule as the statistics', () => {
  it('gives the session kappa over the whole session: point events count, a segment ending at a midpoint does not claim it', async () => {
    const { pairAgreement } = await import('../../../shared/agreement/time');
    const data = {
      segments: [
        rupture(1, 1, 0, 4_500),
        rupture(2, 2, 2_000, 4_000),
        rupture(3, 2, 7_000, 7_000),
        rupture(4, 1, 7_200, 9_500),
      ],
    } as SessionAnnotations;
    const raters = [
      { id: 1, name: 'A' },
      { id: 2, name: 'B' },
    ];
    const [p] = stretchAgreement(data, raters, 0, 10_000);
    const spans = (id: number) =>
      data.segments.filter((s) => s.raterId === id).map((s) => ({ code: 'W', startMs: s.startMs, endMs: s.endMs }));
    const whole = pairAgreement(['A', 'B'], spans(1), spans(2), {
      unitMs: 1000,
      toleranceMs: 0,
      windowMs: 3000,
      durationMs: 10_000,
    });
    expect(p!.kappa).toBeCloseTo(whole.time_unit_kappa.any!.value!, 9);
    // A marks 0–4.5 s: the unit 4–5 s has its midpoint at 4.5 s, the segment's (open) end.
    expect(disagreementBands(data, [1, 2], 10_000)).toEqual([
      { start: 0, end: 2_000 },
      { start: 8_000, end: 9_000 },
    ]);
  });
});
