import { describe, expect, it } from 'vitest';
import { formatTime } from '../../../shared/time';
import { digitAt, FACE, wheelTiming, type Wheel } from './running-clock';

/** The face as the wheels show it at session time `ms`. */
const faceAt = (ms: number) => FACE.map((p) => (typeof p === 'string' ? p : String(digitAt(p, ms)))).join('');

/** What a wheel's stepped animation shows at page time `t` (as the browser plays it: steps(count, end)). */
function shownBy(w: Wheel, timing: { duration: number; startTime: number }, t: number) {
  const progress = ((((t - timing.startTime) / timing.duration) % 1) + 1) % 1;
  return Math.floor(progress * w.count);
}

describe('the running clock', () => {
  it('shows what the time field shows, digit for digit', () => {
    for (const ms of [0, 999, 1000, 59_999, 61_234, 3_599_999, 3_600_000, 12 * 3_600_000 + 34 * 60_000 + 56_789])
      expect(faceAt(ms)).toBe(formatTime(ms));
  });

  it('times each wheel so that, started at a moment, it shows the running time later, at any rate', () => {
    const wheels = FACE.filter((p): p is Wheel => typeof p !== 'string');
    for (const rate of [0.5, 1, 1.5, 2]) {
      const startMs = 754_321;
      const now = 10_000; // page time when started
      const timings = wheels.map((w) => wheelTiming(w, startMs, now, rate));
      // 7.3 s of page time later (away from a step, where float rounding could show either side).
      const later = now + 7_300.4;
      const sessionMs = startMs + (later - now) * rate;
      const shown = wheels.map((w, i) => shownBy(w, timings[i]!, later));
      expect(shown).toEqual(wheels.map((w) => digitAt(w, sessionMs)));
    }
  });

  it('turns the seconds wheel once per ten seconds of session time, so twice as fast at 2×', () => {
    const seconds = FACE[7] as Wheel;
    expect(wheelTiming(seconds, 0, 0, 1).duration).toBe(10_000);
    expect(wheelTiming(seconds, 0, 0, 2).duration).toBe(5_000);
    // At 00:00:07.500 it is three quarters through its turn (at 1×: started 7.5 s ago).
    expect(wheelTiming(seconds, 7_500, 20_000, 1).startTime).toBe(12_500);
  });
});
