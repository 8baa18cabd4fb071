import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { followMedia } from './playback-loop';

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
});
