import { describe, expect, it } from 'vitest';
import type { Segment, SessionAnnotations } from '../../../shared/annotations';
import { disagreementBands } from './bands';

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
