/**
 * The lanes' geometry, pure: what stretch is laid out (the frame), and where a dragged segment
 * lands under the shared segment rules (snapping, minimum length, the session's bounds).
 */
import type { Segment, SegmentKind } from '../../../shared/annotations';
import { minLengthMs } from '../../../shared/segment-rules';
import type { Win } from '../ui/view-window';
import { snap } from './layout';

export interface Drag {
  id: number | null;
  kind: SegmentKind;
  mode: 'move' | 'start' | 'end' | 'create';
  originX: number;
  startMs: number;
  endMs: number;
  moved: boolean;
}

/**
 * What the lanes have laid out: segments from `from` to `to` (the window in view and one window's
 * width either side), placed in pixels from `from` at `msPerPx`. Panning within that stretch only
 * slides the tracks (a compositor transform); zooming or leaving it lays the lanes out again.
 */
export interface Frame {
  from: number;
  to: number;
  msPerPx: number;
}

export function frameFor(w: Win, width: number): Frame {
  const span = Math.max(1, w.end - w.start);
  return { from: w.start - span, to: w.end + span, msPerPx: span / Math.max(1, width) };
}

export function fits(f: Frame, w: Win, width: number): boolean {
  const msPerPx = Math.max(1, w.end - w.start) / Math.max(1, width);
  return Math.abs(msPerPx - f.msPerPx) <= f.msPerPx * 1e-6 && w.start >= f.from && w.end <= f.to;
}

/**
 * Where a drag puts the segment: `dxMs` is how far the pointer moved (in ms on screen), `atMs`
 * where it is now; `free` (Alt) turns snapping off.
 */
export function draggedSpan(
  drag: Pick<Drag, 'mode' | 'startMs' | 'endMs'>,
  src: Pick<Segment, 'kind' | 'startMs' | 'endMs'> | null,
  o: { dxMs: number; atMs: number; free: boolean; durationMs: number },
): { startMs: number; endMs: number } {
  const { dxMs, atMs, free, durationMs } = o;
  let { startMs, endMs } = drag;
  if (drag.mode === 'create') {
    endMs = Math.min(durationMs, Math.max(0, snap(atMs, free)));
  } else if (src && drag.mode === 'move') {
    const len = src.endMs - src.startMs;
    startMs = Math.min(durationMs - len, Math.max(0, snap(src.startMs + dxMs, free)));
    endMs = startMs + len;
  } else if (src && drag.mode === 'start') {
    startMs = Math.min(src.endMs - minLengthMs(src.kind), Math.max(0, snap(src.startMs + dxMs, free)));
  } else if (src && drag.mode === 'end') {
    endMs = Math.max(src.startMs + minLengthMs(src.kind), Math.min(durationMs, snap(src.endMs + dxMs, free)));
  }
  return { startMs, endMs };
}
