import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { followMedia, nextSecondMs, untilSessionMs } from './playback-loop';

/** A media element as the loop sees it: its state and its events. */
class FakeMedia extends EventTarget {
  paused = true;
  seeking = false;
}

describe('followMedia', () => {
  let frames: ((now: number) => void)[] = [];
  const nextFrame = () => {
    const due = frames;
    frames = [];
    due.forEach((cb) => cb(performance.now()));
  };
  beforeEach(() => {
    frames = [];
    vi.useFakeTimers();
    vi.stubGlobal('requestAnimationFrame', (cb: (now: number) => void) => frames.push(cb));
    vi.stubGlobal('cancelAnimationFrame', () => (frames = []));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('runs once and then sleeps while the media stands paused: a paused player asks for no frames', () => {
    const media = new FakeMedia();
    const step = vi.fn();
    const loop = followMedia(media as unknown as HTMLMediaElement, step, { playingMs: 100 });
    nextFrame();
    expect(step).toHaveBeenCalledTimes(1);
    expect(frames).toHaveLength(0);
    vi.advanceTimersByTime(1000);
    expect(step).toHaveBeenCalledTimes(1);
    // A seek wakes it; it follows every frame while seeking and once more when done.
    media.seeking = true;
    media.dispatchEvent(new Event('seeking'));
    nextFrame();
    nextFrame();
    expect(step).toHaveBeenCalledTimes(3);
    media.seeking = false;
    media.dispatchEvent(new Event('seeked'));
    nextFrame();
    expect(step).toHaveBeenCalledTimes(4);
    expect(frames).toHaveLength(0);
    loop.stop();
  });

  it('follows a playing media by timer, and again at once when something else changed', () => {
    const media = new FakeMedia();
    const step = vi.fn();
    const loop = followMedia(media as unknown as HTMLMediaElement, step, { playingMs: 100 });
    media.paused = false;
    media.dispatchEvent(new Event('play'));
    nextFrame();
    expect(step).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(350);
    expect(step).toHaveBeenCalledTimes(4);
    media.paused = true;
    media.dispatchEvent(new Event('pause'));
    nextFrame();
    expect(step).toHaveBeenCalledTimes(5);
    vi.advanceTimersByTime(1000);
    expect(step).toHaveBeenCalledTimes(5);
    loop.wake();
    nextFrame();
    expect(step).toHaveBeenCalledTimes(6);
    loop.stop();
    media.dispatchEvent(new Event('seeking'));
    expect(frames).toHaveLength(0);
  });

  it('keeps trying every frame while the step is not done (the waveform still loading)', () => {
    const media = new FakeMedia();
    let ready = false;
    const step = vi.fn(() => !ready);
    const loop = followMedia(media as unknown as HTMLMediaElement, step, { playingMs: 100 });
    nextFrame();
    nextFrame();
    expect(step).toHaveBeenCalledTimes(2);
    ready = true;
    nextFrame();
    expect(step).toHaveBeenCalledTimes(3);
    expect(frames).toHaveLength(0);
    loop.stop();
  });

  it('while playing, looks again when the step says what it shows changes next, and at most playingMs apart', () => {
    const media = new FakeMedia();
    const waits = [300, 5000];
    const step = vi.fn(() => waits.shift());
    const loop = followMedia(media as unknown as HTMLMediaElement, step, { playingMs: 1000 });
    media.paused = false;
    media.dispatchEvent(new Event('play'));
    nextFrame();
    expect(step).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(299);
    expect(step).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(step).toHaveBeenCalledTimes(2);
    // Asked for 5 s: looks again after 1 s all the same (a stalled video, a drifting glide).
    vi.advanceTimersByTime(1000);
    expect(step).toHaveBeenCalledTimes(3);
    loop.stop();
  });
});

describe('the moment a step names', () => {
  it('is the session time reached at the playback rate, a little past it so the look finds it changed', () => {
    expect(nextSecondMs(4999)).toBe(5000);
    expect(nextSecondMs(5000)).toBe(6000);
    const atOne = untilSessionMs(4500, 5000, 1);
    const atTwo = untilSessionMs(4500, 5000, 2);
    expect(atOne).toBeGreaterThan(500);
    expect(atOne).toBeLessThan(530);
    expect(atTwo).toBeGreaterThan(250);
    expect(atTwo).toBeLessThan(atOne - 240);
    expect(untilSessionMs(4500, Infinity, 1)).toBe(Infinity);
    expect(untilSessionMs(4500, 5000, 0)).toBe(Infinity);
  });
});
