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
    glide(x: number, now: number, pxPerMs: number, end: number, tolerancePx: number) {
      if (anim && from.pxPerMs === pxPerMs && from.end === end) {
        if (Math.abs(from.x + (now - from.at) * pxPerMs - x) <= tolerancePx) return;
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
