import { useEffect, useRef, type PointerEvent } from 'react';
import { prepareCanvas } from '../ui/canvas';

interface Props {
  /** Overview peaks as [top, bottom] magnitudes, whole recording. */
  channels: [Float32Array, Float32Array] | null;
  durationMs: number;
  /** The part of the session visible in the zoomed waveform, in ms. */
  window: { start: number; end: number };
  currentMs: number;
  onSeek: (ms: number) => void;
}

/**
 * The whole session in one strip, with the zoomed window marked and the playhead. Click or drag
 * to move there. Drawn on one canvas from ~2,000 stored pairs, so it costs nothing per frame.
 */
export function Overview({ channels, durationMs, window: win, currentMs, onSeek }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const draw = () => {
      const prepared = prepareCanvas(canvas);
      if (!prepared) return;
      const { ctx, w, h, css } = prepared;
      const mid = h / 2;
      if (channels) {
        const [top, bottom] = channels;
        const n = top.length;
        let max = 0.01;
        for (let i = 0; i < n; i++) max = Math.max(max, top[i]!, bottom[i]!);
        ctx.fillStyle = css.getPropertyValue('--wave').trim() || '#888';
        for (let x = 0; x < w; x++) {
          const a = Math.floor((x / w) * n);
          const b = Math.max(a + 1, Math.floor(((x + 1) / w) * n));
          let t = 0;
          let u = 0;
          for (let i = a; i < b && i < n; i++) {
            if (top[i]! > t) t = top[i]!;
            if (bottom[i]! > u) u = bottom[i]!;
          }
          const th = (t / max) * (mid - 1);
          const bh = (u / max) * (mid - 1);
          ctx.fillRect(x, mid - th, 1, th + bh || 1);
        }
      } else {
        ctx.fillStyle = css.getPropertyValue('--line').trim() || '#888';
        ctx.fillRect(0, mid, w, 1);
      }
      if (durationMs > 0) {
        const x0 = (win.start / durationMs) * w;
        const x1 = Math.max(x0 + 2, (win.end / durationMs) * w);
        ctx.fillStyle = css.getPropertyValue('--window').trim() || 'rgba(0,114,178,0.18)';
        ctx.fillRect(x0, 0, x1 - x0, h);
        ctx.strokeStyle = css.getPropertyValue('--accent').trim() || '#0072b2';
        ctx.lineWidth = 1;
        ctx.strokeRect(x0 + 0.5, 0.5, x1 - x0 - 1, h - 1);
        const px = (currentMs / durationMs) * w;
        ctx.fillStyle = css.getPropertyValue('--playhead').trim() || '#d55e00';
        ctx.fillRect(Math.round(px) - 1, 0, 2, h);
      }
    };
    draw();
    const ro = new ResizeObserver(draw);
    ro.observe(canvas);
    return () => ro.disconnect();
  }, [channels, durationMs, win.start, win.end, currentMs]);

  const seekAt = (e: PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (e.clientX - rect.left) / rect.width));
    onSeek(Math.round(f * durationMs));
  };

  return (
    <canvas
      ref={canvasRef}
      className="overview"
      role="slider"
      aria-label="Session overview"
      aria-valuemin={0}
      aria-valuemax={Math.round(durationMs / 1000)}
      aria-valuenow={Math.round(currentMs / 1000)}
      tabIndex={-1}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        seekAt(e);
      }}
      onPointerMove={(e) => {
        if (e.buttons === 1) seekAt(e);
      }}
    />
  );
}
