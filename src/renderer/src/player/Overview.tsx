import { useEffect, useRef, type PointerEvent } from 'react';
import { followWindow, prepareCanvas } from '../ui/canvas';
import type { ViewWindow } from '../ui/view-window';
import type { Playhead } from './playhead';

interface Props {
  /** Overview peaks as [top, bottom] magnitudes, whole recording. */
  channels: [Float32Array, Float32Array] | null;
  durationMs: number;
  /** The part of the session visible in the zoomed waveform. */
  view: ViewWindow;
  /** The playhead: its mark is drawn again when it moves by a pixel (not four times a second). */
  playhead: Playhead;
  onSeek: (ms: number) => void;
}

/**
 * The whole session in one strip, with the zoomed window marked and the playhead. Click or drag
 * to move there. The waveform is drawn once per size into a cached bitmap from ~2,000 stored
 * pairs; following the window (once per animation frame) only copies it and draws the marks.
 */
export function Overview({ channels, durationMs, view, playhead, onSeek }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let prepared: ReturnType<typeof prepareCanvas> = null;
    let base: HTMLCanvasElement | null = null;
    let colors = { window: '', accent: '', playhead: '' };
    /** The pixel the playhead's mark was drawn at. */
    let drawnAt = -1;
    /** Draws the waveform into an offscreen canvas of the visible canvas's pixel size. */
    const measure = () => {
      prepared = prepareCanvas(canvas);
      if (!prepared) return;
      const { w, h, css } = prepared;
      const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
      colors = {
        window: v('--window', 'rgba(0,114,178,0.18)'),
        accent: v('--accent', '#0072b2'),
        playhead: v('--playhead', '#d55e00'),
      };
      base = document.createElement('canvas');
      base.width = canvas.width;
      base.height = canvas.height;
      const ctx = base.getContext('2d');
      if (!ctx) return;
      ctx.scale(canvas.width / Math.max(1, w), canvas.height / Math.max(1, h));
      const mid = h / 2;
      if (channels) {
        const [top, bottom] = channels;
        const n = top.length;
        let max = 0.01;
        for (let i = 0; i < n; i++) max = Math.max(max, top[i]!, bottom[i]!);
        ctx.fillStyle = v('--wave', '#888');
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
        ctx.fillStyle = v('--line', '#888');
        ctx.fillRect(0, mid, w, 1);
      }
      draw();
    };
    const draw = () => {
      if (!prepared || !base) return;
      const { ctx, w, h } = prepared;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(base, 0, 0);
      ctx.setTransform(canvas.width / Math.max(1, w), 0, 0, canvas.height / Math.max(1, h), 0, 0);
      if (durationMs <= 0) return;
      const win = view.get();
      const x0 = (win.start / durationMs) * w;
      const x1 = Math.max(x0 + 2, (win.end / durationMs) * w);
      ctx.fillStyle = colors.window;
      ctx.fillRect(x0, 0, x1 - x0, h);
      ctx.strokeStyle = colors.accent;
      ctx.lineWidth = 1;
      ctx.strokeRect(x0 + 0.5, 0.5, x1 - x0 - 1, h - 1);
      drawnAt = Math.round((playhead.get() / durationMs) * w);
      ctx.fillStyle = colors.playhead;
      ctx.fillRect(drawnAt - 1, 0, 2, h);
    };
    const stop = followWindow(canvas, view, measure, draw);
    let second = -1;
    const onPlayhead = () => {
      const now = playhead.get();
      const moved = prepared !== null && durationMs > 0 && Math.round((now / durationMs) * prepared.w) !== drawnAt;
      if (moved) draw();
      // Its value (whole seconds) with the mark, or at once after a jump: while playing it would
      // otherwise cost the page a frame of its own every second.
      const s = Math.round(now / 1000);
      if (s !== second && (moved || second < 0 || Math.abs(s - second) > 2)) {
        second = s;
        canvas.setAttribute('aria-valuenow', String(second));
      }
    };
    onPlayhead();
    const unsubscribe = playhead.subscribe(onPlayhead);
    // While playing, the playhead is set when its mark would move next: half a pixel on.
    const undue = playhead.dueAt(() =>
      prepared && durationMs > 0 ? ((drawnAt + 0.5) / Math.max(1, prepared.w)) * durationMs : Infinity,
    );
    return () => {
      stop();
      unsubscribe();
      undue();
    };
  }, [channels, durationMs, view, playhead]);

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
