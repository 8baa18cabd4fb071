import { memo, useEffect, useRef } from 'react';
import { formatDuration } from '../../../shared/time';
import { prepareCanvas } from '../ui/canvas';

/** Label spacings in seconds; the smallest that leaves ~90 px between labels is used. */
const STEPS = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/**
 * The time ruler under the waveform, drawn on one canvas for the visible window only. (The
 * wavesurfer timeline plugin builds an element for every tick of the whole session on each zoom
 * step, which is what made zooming an hour-long session drop frames.)
 */
export const Ruler = memo(function Ruler({ window: win }: { window: { start: number; end: number } }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || win.end <= win.start) return;
    const prepared = prepareCanvas(canvas);
    if (!prepared) return;
    const { ctx, w, css } = prepared;
    const pxPerSec = (w / (win.end - win.start)) * 1000;
    const step = STEPS.find((s) => s * pxPerSec >= 90) ?? STEPS[STEPS.length - 1]!;
    const minor = step / 5;
    ctx.fillStyle = css.getPropertyValue('--muted').trim() || '#666';
    ctx.font = `11px ${css.fontFamily}`;
    ctx.textBaseline = 'top';
    const first = Math.floor(win.start / 1000 / minor) * minor;
    for (let t = first; t * 1000 <= win.end; t += minor) {
      const x = Math.round(((t * 1000 - win.start) / (win.end - win.start)) * w) + 0.5;
      if (x < 0) continue;
      const major = Math.abs(t / step - Math.round(t / step)) < 1e-6;
      ctx.fillRect(x, 0, 1, major ? 7 : 3);
      if (major)
        ctx.fillText(
          step < 1 ? `${formatDuration(t * 1000)}.${Math.round((t % 1) * 10)}` : formatDuration(t * 1000),
          x + 3,
          6,
        );
    }
  }, [win.start, win.end]);
  return <canvas ref={ref} className="ruler" aria-hidden="true" />;
});
