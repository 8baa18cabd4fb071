import { describe, expect, it, vi } from 'vitest';
import { createGlide } from './glide';

/** A mark as the glide sees it: its inline transform and the animations started on it. */
function fakeMark() {
  const started: { from: string; to: string; duration: number; cancel: ReturnType<typeof vi.fn> }[] = [];
  const mark = {
    style: { transform: '' },
    animate: (frames: { transform: string }[], opts: { duration: number }) => {
      const a = { from: frames[0]!.transform, to: frames[1]!.transform, duration: opts.duration, cancel: vi.fn() };
      started.push(a);
      return a;
    },
  };
  return { mark: mark as unknown as HTMLElement, started };
}

describe('a gliding mark', () => {
  it('glides once and is left alone while it stays within the tolerance; set again when it drifts', () => {
    const { mark, started } = fakeMark();
    const glide = createGlide(mark);
    // 0.01 px/ms from x=100 to the end at 1100: 100 s.
    glide.glide(100, 0, 0.01, 1100, 0.5);
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ from: 'translateX(100px)', to: 'translateX(1100px)', duration: 100_000 });
    expect(glide.gliding).toBe(true);
    // A second later the media says 110.3: within half a pixel of where it glided to.
    glide.glide(110.3, 1000, 0.01, 1100, 0.5);
    expect(started).toHaveLength(1);
    // The video stalled: 2 px behind. A new glide from where it is.
    glide.glide(118, 2000, 0.01, 1100, 0.5);
    expect(started).toHaveLength(2);
    expect(started[0]!.cancel).toHaveBeenCalled();
    // Another speed (1.5×) is a new glide even on the spot.
    glide.glide(128, 3000, 0.015, 1100, 0.5);
    expect(started).toHaveLength(3);
  });

  it('stands where it is placed, and a pause ends the glide', () => {
    const { mark, started } = fakeMark();
    const glide = createGlide(mark);
    glide.glide(0, 0, 0.01, 1000, 0.5);
    glide.place(42);
    expect(started[0]!.cancel).toHaveBeenCalled();
    expect(glide.gliding).toBe(false);
    expect(mark.style.transform).toBe('translateX(42px)');
  });
});
