import { useEffect, useRef, type PointerEvent } from 'react';
import { followWindow, prepareCanvas } from '../ui/canvas';
import type { ViewWindow } from '../ui/view-window';
import { createGlide } from './glide';
import type { Playhead } from './playhead';

interface Props {
  /** Overview peaks as [top, bottom] magnitudes, whole recording. */
  channels: [Float32Array, Float32Array] | null;
  durationMs: number;
  /** The part of the session visible in the zoomed waveform. */
  view: ViewWindow;
  /** The playhead: its mark glides over the strip while playing. */
  playhead: Playhead;
  onSeek: (ms: number) => void;
}

/**
 * The whole session in one strip, with the zoomed window marked and the playhead. Click or drag
 * to move there. The waveform is drawn once per size into a cached bitmap from ~2,000 stored
 * pairs; following the window (once per animation frame) only copies it and draws the window.
 */
export function Overview({ channels, durationMs, view, playhead, onSeek }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const markRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let prepared: ReturnType<typeof prepareCanvas> = null;
    let base: HTMLCanvasElement | null = null;
    let colors = { window: '', accent: '' };
    /** Draws the waveform into an offscreen canvas of the visible canvas's pixel size. */
    const measure = () => {
      prepared = prepareCanvas(canvas);
      if (!prepared) return;
      const { w, h, css } = prepared;
      const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
      colors = {
        window: v('--window', 'rgba(0,114,178,0.18)'),
        accent: v('--accent', '#0072b2'),
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
    };
    // The playhead's mark: an element over the strip that glides while playing (see createGlide),
    // so that the strip is drawn again only when the window moves.
    const glide = createGlide(markRef.current!);
    let second = -1;
    const place = () => {
      const w = prepared?.w ?? canvas.clientWidth;
      if (durationMs <= 0 || w <= 0) return;
      const motion = playhead.motion.get();
      const now = performance.now();
      const ms = motion ? motion.ms + (now - motion.at) * motion.rate : playhead.get();
      const x = (ms / durationMs) * w - 1;
      if (motion) glide.glide(x, now, (w / durationMs) * motion.rate, w - 1, 0.5);
      else glide.place(x);
      // Its value in whole seconds: as the playhead's (set at the player loop's looks while playing).
      const s = Math.round(playhead.get() / 1000);
      if (s !== second) {
        second = s;
        canvas.setAttribute('aria-valuenow', String(second));
      }
    };
    // A new width: the glide's speed and end change with it.
    const stop = followWindow(
      canvas,
      view,
      () => {
        measure();
        glide.stop();
        place();
      },
      draw,
    );
    place();
    const offs = [playhead.subscribe(place), playhead.motion.subscribe(place)];
    return () => {
      stop();
      glide.stop();
      offs.forEach((off) => off());
    };
  }, [channels, durationMs, view, playhead]);

  const seekAt = (e: PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (e.clientX - rect.left) / rect.width));
    onSeek(Math.round(f * durationMs));
  };

  return (
    <div className="overview-strip">
      <canvas
        ref={canvasRef}
        className="overview"
        role="slider"
        aria-label="Session overview: the playhead, in seconds (← → seek, Home and End)"
        aria-valuemin={0}
        aria-valuemax={Math.round(durationMs / 1000)}
        tabIndex={0}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          seekAt(e);
        }}
        onPointerMove={(e) => {
          if (e.buttons === 1) seekAt(e);
        }}
      />
      <div className="overview-mark" ref={markRef} aria-hidden="true" />
    </div>
  );
}
