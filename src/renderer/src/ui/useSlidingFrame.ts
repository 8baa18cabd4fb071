import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { fits, frameFor, type Frame } from '../coding/lane-geometry';
import type { ViewWindow } from './view-window';

/**
 * Lanes under the waveform follow it without re-rendering: their content is laid out for a
 * stretch three windows wide (`frame`), and the `.lane-track` elements inside `ref` are slid with
 * a transform while the window stays inside that stretch at the same zoom; a new layout happens
 * only when it leaves or the zoom settles. Runs before paint, so a new layout never shows unslid.
 * During a zoom gesture the tracks scale like the waveform's picture. Returns the frame, the
 * container's width (px) and the current transform (for tracks a later render creates).
 */
export function useSlidingFrame(view: ViewWindow, ref: RefObject<HTMLElement | null>) {
  const [width, setWidth] = useState(1000);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth || 1000));
    ro.observe(el);
    setWidth(el.clientWidth || 1000);
    return () => ro.disconnect();
  }, [ref]);
  const [frame, setFrame] = useState<Frame>(() => frameFor(view.get(), width));
  const frameRef = useRef(frame);
  frameRef.current = frame;
  const shiftRef = useRef('');
  useLayoutEffect(() => {
    const slide = (w: ReturnType<ViewWindow['get']>) => {
      const msPerPx = Math.max(1, w.end - w.start) / Math.max(1, width);
      // During a zoom gesture the lanes scale like the waveform's picture (labels stretch for a
      // moment; zooming far out may show an empty edge); they are laid out when it settles.
      const scale = w.preview ? frameRef.current.msPerPx / msPerPx : 1;
      if (scale === 1 && !fits(frameRef.current, w, width)) {
        const next = frameFor(w, width);
        frameRef.current = next;
        setFrame(next);
      }
      const f = frameRef.current;
      shiftRef.current = `translateX(${(f.from - w.start) / (f.msPerPx / scale)}px)${scale === 1 ? '' : ` scaleX(${scale})`}`;
      ref.current?.querySelectorAll<HTMLElement>('.lane-track').forEach((t) => (t.style.transform = shiftRef.current));
    };
    slide(view.get());
    return view.subscribe(slide);
  }, [view, width, frame, ref]);
  return { frame, width, shiftRef };
}
