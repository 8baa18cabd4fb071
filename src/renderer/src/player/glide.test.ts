import { describe, expect, it, vi } from 'vitest';
import { createGlide, createReveal } from './glide';

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

describe('a played part that grows by itself', () => {
  /** An element as the reveal sees it: the slides started on it. */
  const fakeEl = () => {
    const { mark, started } = fakeMark();
    return { el: mark, slides: started };
  };

  it('slides the clip in and its content back by as much, together, so that only the edge moves', () => {
    const clip = fakeEl();
    const kid = fakeEl();
    const reveal = createReveal(clip.el, () => [kid.el]);
    // Edge at 300 of 1000 px, 0.01 px/ms: 70 s to the end.
    expect(reveal.glide(300, 0, 0.01, 1000, 1.5)).toBe(true);
    expect(clip.slides[0]).toMatchObject({ from: 'translateX(-700px)', to: 'translateX(0px)', duration: 70_000 });
    expect(kid.slides[0]).toMatchObject({ from: 'translateX(700px)', to: 'translateX(0px)', duration: 70_000 });
    // A second later the playhead is at 310.4: kept.
    expect(reveal.glide(310.4, 1000, 0.01, 1000, 1.5)).toBe(false);
    expect(clip.slides).toHaveLength(1);
    // A stall: 5 px behind. Both set again from there.
    expect(reveal.glide(315, 2000, 0.01, 1000, 1.5)).toBe(true);
    expect(clip.slides[0]!.cancel).toHaveBeenCalled();
    expect(kid.slides[0]!.cancel).toHaveBeenCalled();
    expect(clip.slides[1]).toMatchObject({ from: 'translateX(-685px)' });
    expect(kid.slides[1]).toMatchObject({ from: 'translateX(685px)' });
    reveal.stop();
    expect(reveal.gliding).toBe(false);
  });

  it('starts again when the content is redrawn (new children) even on time', () => {
    const clip = fakeEl();
    let kids = [fakeEl()];
    const reveal = createReveal(clip.el, () => kids.map((k) => k.el));
    reveal.glide(0, 0, 0.01, 1000, 1.5);
    kids = [fakeEl(), fakeEl()];
    expect(reveal.glide(10, 1000, 0.01, 1000, 1.5)).toBe(true);
    expect(kids[0]!.slides).toHaveLength(1);
    expect(kids[1]!.slides).toHaveLength(1);
  });
});
