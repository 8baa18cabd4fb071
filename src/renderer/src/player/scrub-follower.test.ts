import { describe, expect, it, vi } from 'vitest';
import { followSeeks, type Seekable } from './scrub-follower';

/** A media element stand-in: setting currentTime starts a seek that the test finishes. */
class FakeMedia implements Seekable {
  seeking = false;
  paused = true;
  private t = 0;
  readonly seeks: number[] = [];
  private readonly listeners = new Map<string, Set<() => void>>();
  frameCallbacks: (() => void)[] = [];
  get currentTime() {
    return this.t;
  }
  set currentTime(v: number) {
    this.t = v;
    this.seeks.push(v);
    this.seeking = true;
    this.fire('seeking');
  }
  finishSeek() {
    this.seeking = false;
    this.fire('seeked');
  }
  fire(type: string) {
    this.listeners.get(type)?.forEach((l) => l());
  }
  addEventListener(type: string, l: () => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(l);
  }
  removeEventListener(type: string, l: () => void) {
    this.listeners.get(type)?.delete(l);
  }
  requestVideoFrameCallback = (cb: () => void) => this.frameCallbacks.push(cb);
}

describe('the scrub aid follows the main video’s seeks', () => {
  it('shows the proxy’s frame while the main video seeks, and hands back once the main frame is painted', () => {
    const master = new FakeMedia();
    const proxy = new FakeMedia();
    const shown: boolean[] = [];
    followSeeks(master, proxy, (on) => shown.push(on));
    master.currentTime = 12.5;
    expect(proxy.seeks).toEqual([12.5]);
    proxy.finishSeek(); // the proxy is quick: its frame shows while the main video still seeks
    expect(shown).toEqual([true]);
    master.finishSeek();
    expect(shown).toEqual([true]); // not before the main video has painted
    master.frameCallbacks.shift()!();
    expect(shown).toEqual([true, false]);
  });

  it('coalesces a drag: while the proxy seeks, only the latest target waits', () => {
    const master = new FakeMedia();
    const proxy = new FakeMedia();
    followSeeks(master, proxy, () => undefined);
    for (const t of [1, 2, 3, 4, 5]) master.currentTime = t;
    expect(proxy.seeks).toEqual([1]);
    proxy.finishSeek();
    expect(proxy.seeks).toEqual([1, 5]);
    proxy.finishSeek();
    expect(proxy.seeks).toEqual([1, 5]);
  });

  it('steps backwards as forwards, hides on play, and stops following when disposed', () => {
    vi.useFakeTimers();
    try {
      const master = new FakeMedia();
      const proxy = new FakeMedia();
      const shown: boolean[] = [];
      const stop = followSeeks(master, proxy, (on) => shown.push(on));
      master.currentTime = 10;
      proxy.finishSeek();
      master.currentTime = 9.96; // one frame back
      expect(proxy.seeks).toEqual([10, 9.96]);
      master.fire('play');
      expect(shown[shown.length - 1]).toBe(false);
      // Without a painted frame to wait for, a short timeout hands back.
      master.finishSeek();
      master.frameCallbacks = [];
      shown.length = 0;
      vi.advanceTimersByTime(150);
      expect(shown).toEqual([false]);
      stop();
      master.currentTime = 3;
      expect(proxy.seeks).toEqual([10, 9.96]);
    } finally {
      vi.useRealTimers();
    }
  });
});
