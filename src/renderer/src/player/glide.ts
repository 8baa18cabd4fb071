/**
 * A mark moved along x by a transform (no layout, no paint). While its time runs it glides by an
 * animation the compositor plays (Web Animations: no main-thread work per frame), and it is set
 * again only when it drifts from where it should be by more than a tolerance, or its speed or
 * end changes. The waveform's playhead and the overview's mark move this way.
 */
export function createGlide(mark: HTMLElement) {
  let anim: Animation | null = null;
  let from = { x: 0, at: 0, pxPerMs: 0, end: 0 };
  let placed = NaN;
  const put = (x: number) => {
    if (x === placed) return;
    placed = x;
    mark.style.transform = `translateX(${x}px)`;
  };
  return {
    /** Stands at `x` (paused, seeking, after a jump). */
    place(x: number) {
      anim?.cancel();
      anim = null;
      put(x);
    },
    /**
     * Glides from `x` (where it should be at page time `now`) at `pxPerMs` towards `end`; a glide
     * under way is kept when it is within `tolerancePx` of `x` at the same speed and end.
     */
    glide(x: number, now: number, pxPerMs: number, end: number, tolerancePx: number): boolean {
      if (anim && from.pxPerMs === pxPerMs && from.end === end) {
        if (Math.abs(from.x + (now - from.at) * pxPerMs - x) <= tolerancePx) return false;
      }
      anim?.cancel();
      placed = NaN;
      put(x);
      anim = mark.animate([{ transform: `translateX(${x}px)` }, { transform: `translateX(${end}px)` }], {
        duration: pxPerMs > 0 ? Math.max(1, (end - x) / pxPerMs) : 1,
        easing: 'linear',
        fill: 'forwards',
      });
      from = { x, at: now, pxPerMs, end };
      return true;
    },
    get gliding() {
      return anim !== null;
    },
    stop() {
      anim?.cancel();
      anim = null;
    },
  };
}

/**
 * A played part that grows from the left without a repaint: `clip` (which clips its content) is
 * slid in from the left by a transform while its content (`contents`, the clip's children) is
 * slid back by the opposite one, so that the content stands still and only the clip's right edge
 * moves. Both glides are animations the compositor plays, started together; the edge is set
 * again, as a whole, only when it drifts by more than a tolerance or its speed or width changes.
 * Used for the waveform's played colour, which otherwise had to be laid out and painted anew as
 * the playhead moved.
 */
export function createReveal(clip: HTMLElement, contents: () => HTMLElement[]) {
  let anims: Animation[] = [];
  let from: { x: number; at: number; pxPerMs: number; width: number; kids: HTMLElement[] } | null = null;
  const clear = () => {
    for (const a of anims) a.cancel();
    anims = [];
    from = null;
  };
  const slide = (el: HTMLElement, a: number, b: number, duration: number) =>
    el.animate([{ transform: `translateX(${a}px)` }, { transform: `translateX(${b}px)` }], {
      duration,
      easing: 'linear',
      fill: 'forwards',
    });
  return {
    /**
     * The edge at `x` (of `width`) at page time `now`, moving right at `pxPerMs` until it reaches
     * `width`. The caller sizes the clip to the whole width while it glides. Whether it was
     * (re)started.
     */
    glide(x: number, now: number, pxPerMs: number, width: number, tolerancePx: number): boolean {
      const kids = contents();
      if (
        from &&
        from.pxPerMs === pxPerMs &&
        from.width === width &&
        from.kids.length === kids.length &&
        from.kids.every((k, i) => k === kids[i]) &&
        Math.abs(from.x + (now - from.at) * pxPerMs - x) <= tolerancePx
      )
        return false;
      clear();
      const duration = pxPerMs > 0 ? Math.max(1, (width - x) / pxPerMs) : 1;
      anims = [slide(clip, x - width, 0, duration), ...kids.map((k) => slide(k, width - x, 0, duration))];
      from = { x, at: now, pxPerMs, width, kids };
      return true;
    },
    get gliding() {
      return from !== null;
    },
    /** Stands: the transforms are gone, and the caller shows the played part its own way. */
    stop: clear,
  };
}
