import { describe, expect, it } from 'vitest';
import { mediaClock, placeOnClock } from './clock';

const ch = (...v: number[]) => [Float32Array.from(v), Float32Array.from(v)] as [Float32Array, Float32Array];

describe("the player's session clock", () => {
  it('reads and seeks on the session clock, not the main file’s', () => {
    const media = { currentTime: 10 } as HTMLMediaElement;
    const clock = mediaClock(media, 2_500, 60_000);
    expect(clock.nowMs()).toBe(12_500);
    clock.seekMs(20_000);
    expect(media.currentTime).toBe(17.5);
    clock.seekMs(1_000); // before this recording starts: its first frame
    expect(media.currentTime).toBe(0);
  });

  it('places a late recording’s waveform after silence, and an early one cut to the session', () => {
    expect([...placeOnClock(ch(1, 2, 3), 1, 2_000, 5_000)[0]]).toEqual([0, 0, 1, 2, 3]);
    expect([...placeOnClock(ch(1, 2, 3, 4), 1, -1_000, 3_000)[0]]).toEqual([2, 3, 4]);
    expect([...placeOnClock(ch(1, 2), 1, 0, 4_000)[1]]).toEqual([1, 2, 0, 0]);
  });
});
