import { memo, useLayoutEffect, useRef } from 'react';
import type { Segment } from '../../../shared/annotations';
import type { Code } from '../../../shared/codebook';
import type { Frame } from './lane-geometry';
import { ROW_PX } from './lane-boxes';

/**
 * A lane zoomed out over thousands of segments: drawn on one canvas (one element instead of
 * thousands, so opening, zooming and panning never lay out thousands of boxes). Zoomed in to
 * fewer than DENSE_SEGMENTS (lane-density.ts), the lane shows its boxes again, each focusable and editable.
 */
export const LaneCanvas = memo(function LaneCanvas(props: {
  list: readonly Segment[];
  rows: Map<number, number>;
  frame: Frame;
  height: number;
  codes: Map<string, Code>;
  selectedId: number | null;
}) {
  const { list, rows, frame, height, codes, selectedId } = props;
  const ref = useRef<HTMLCanvasElement>(null);
  const widthPx = Math.max(1, Math.round((frame.to - frame.from) / frame.msPerPx));
  useLayoutEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const dpr = globalThis.devicePixelRatio || 1;
    // Canvases have a size limit (and memory): past it, draw at a lower resolution.
    const scale = Math.min(dpr, 16_000 / widthPx);
    // A size set again, even to the same value, reallocates the canvas: set only what changed.
    const w = Math.max(1, Math.round(widthPx * scale));
    const h = Math.max(1, Math.round(height * scale));
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    ctx.clearRect(0, 0, widthPx, height);
    const byColor = new Map<string, Segment[]>();
    let selected: Segment | null = null;
    for (const s of list) {
      if (s.endMs < frame.from - 2000 || s.startMs > frame.to) continue;
      if (s.id === selectedId) selected = s;
      const color =
        s.kind === 'comment'
          ? '#6b7280'
          : (codes.get(s.codes[0] ?? '')?.color ?? (s.kind === 'repair' ? '#009E73' : '#0072B2'));
      const group = byColor.get(color);
      if (group) group.push(s);
      else byColor.set(color, [s]);
    }
    const box = (s: Segment) => {
      const x = (s.startMs - frame.from) / frame.msPerPx;
      const w = Math.max(2, (s.endMs - s.startMs) / frame.msPerPx);
      return { x, w, y: (rows.get(s.id) ?? 0) * ROW_PX + 2 };
    };
    // One path per colour: thousands of rectangles in a few fills.
    for (const [color, group] of byColor) {
      ctx.fillStyle = color;
      ctx.globalAlpha = 0.55;
      ctx.beginPath();
      for (const s of group) {
        const b = box(s);
        ctx.rect(b.x, b.y, b.w, ROW_PX - 4);
      }
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    if (selected) {
      const b = box(selected);
      ctx.strokeStyle = '#e69f00';
      ctx.lineWidth = 2;
      ctx.strokeRect(b.x - 1, b.y - 1, b.w + 2, ROW_PX - 2);
    }
  }, [list, rows, frame, height, codes, selectedId, widthPx]);
  return (
    <canvas
      ref={ref}
      className="lane-canvas"
      aria-hidden="true"
      style={{ width: widthPx, height }}
      data-segments={list.length}
    />
  );
});
