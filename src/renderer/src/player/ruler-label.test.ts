import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rulerLabel } from './ruler-label';

describe('ruler labels', () => {
  it('read the time they stand at, in tenths when labels are closer than a second', () => {
    const labels = [0, 0.5, 1, 1.5, 2, 2.5].map((t) => rulerLabel(t, 0.5));
    expect(labels).toEqual(['0:00.0', '0:00.5', '0:01.0', '0:01.5', '0:02.0', '0:02.5']);
    // Accumulated in steps of 0.2 as the ruler does (0.2 + 0.2 + … is not exactly 1).
    let t = 0;
    const seen: string[] = [];
    for (let i = 0; i <= 5; i++, t += 0.2) seen.push(rulerLabel(t, 0.2));
    expect(seen).toEqual(['0:00.0', '0:00.2', '0:00.4', '0:00.6', '0:00.8', '0:01.0']);
    expect(rulerLabel(3725, 60)).toBe('1:02:05');
  });

  it('parse back to within half a tenth of the time, for any time (generated)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 36_000_0 }), (tenths) => {
        const t = tenths / 10 + 1e-9 * (tenths % 7);
        const m = /^(?:(\d+):)?(\d+):(\d\d)\.(\d)$/.exec(rulerLabel(t, 0.5))!;
        const back = Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 10;
        expect(Math.abs(back - t)).toBeLessThan(0.051);
      }),
    );
  });
});
