import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clampLayout, defaultLayout, SIDE_MIN, STAGE_MIN } from './layout-prefs';

describe('the remembered layout', () => {
  it('keeps the timeline and the side column in view whatever was stored', () => {
    fc.assert(
      fc.property(
        fc.record({
          sideW: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
          stageH: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
          compact: fc.boolean(),
        }),
        fc.integer({ min: 800, max: 4000 }),
        fc.integer({ min: 600, max: 3000 }),
        (p, width, height) => {
          const c = clampLayout(p, { width, height });
          expect(c.sideW).toBeGreaterThanOrEqual(SIDE_MIN);
          expect(c.sideW).toBeLessThanOrEqual(Math.max(SIDE_MIN, width / 2));
          expect(c.stageH).toBeGreaterThanOrEqual(STAGE_MIN);
          // The header, transport, waveform and some lanes keep 380 px.
          expect(c.stageH).toBeLessThanOrEqual(Math.max(STAGE_MIN, height - 380));
          expect(clampLayout(c, { width, height })).toEqual(c);
        },
      ),
    );
  });

  it('gives the comparison a smaller video than the player by default', () => {
    const laptop = { width: 1366, height: 768 };
    expect(defaultLayout('compare', laptop).stageH).toBeLessThan(defaultLayout('player', laptop).stageH);
    expect(defaultLayout('player', laptop)).toEqual({ sideW: 342, stageH: 292, compact: false });
  });
});
