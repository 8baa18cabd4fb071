import { memo, useEffect, useRef } from 'react';
import { rulerLabel } from './ruler-label';
import { followWindow, prepareCanvas } from '../ui/canvas';
import type { ViewWindow, Win } from '../ui/view-window';

/** Label spacings in seconds; the smallest that leaves ~90 px between labels is used. */
const STEPS = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/**
 * The time ruler under the waveform, drawn on one canvas for the visible window only. (The
 * wavesurfer timeline plugin builds an element for every tick of the whole session on each zoom
 * step, which is what made zooming an hour-long session drop frames.) It follows the window
 * itself, once per animation frame, without React.
 */
export const Ruler = memo(function Ruler({ view }: { view: ViewWindow }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    let prepared: { ctx: CanvasRenderingContext2D; w: number; h: number; muted: string; font: string } | null = null;
    const draw = (win: Win) => {
      if (!prepared || win.end <= win.start) return;
      const { ctx, w, h } = prepared;
      ctx.clearRect(0, 0, w, h);
      const pxPerSec = (w / (win.end - win.start)) * 1000;
      const step = STEPS.find((s) => s * pxPerSec >= 90) ?? STEPS[STEPS.length - 1]!;
      const minor = step / 5;
      ctx.fillStyle = prepared.muted;
      ctx.font = prepared.font;
      ctx.textBaseline = 'top';
      const first = Math.floor(win.start / 1000 / minor) * minor;
      for (let t = first; t * 1000 <= win.end; t += minor) {
        const x = Math.round(((t * 1000 - win.start) / (win.end - win.start)) * w) + 0.5;
        if (x < 0) continue;
        const major = Math.abs(t / step - Math.round(t / step)) < 1e-6;
        ctx.fillRect(x, 0, 1, major ? 7 : 3);
        if (major) ctx.fillText(rulerLabel(t, step), x + 3, 6);
      }
    };
    const measure = () => {
      const p = prepareCanvas(canvas);
      prepared = p && {
        ctx: p.ctx,
        w: p.w,
        h: p.h,
        muted: p.css.getPropertyValue('--muted').trim() || '#666',
        font: `11px ${p.css.fontFamily}`,
      };
      draw(view.get());
    };
    return followWindow(canvas, view, measure, () => draw(view.get()));
  }, [view]);
  return <canvas ref={ref} className="ruler" aria-hidden="true" />;
});
