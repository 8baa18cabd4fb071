import { useCallback, useEffect, useState, type RefObject } from 'react';

/** The narrowest window the waveform zooms to, in seconds. */
const MIN_WINDOW_S = 10;

/**
 * The waveform's zoom, in pixels per second: from the whole session to a 10-second window, set by
 * the width of the waveform area (measured whenever it changes).
 */
export function useZoom(areaRef: RefObject<HTMLDivElement | null>, durationMs: number, layoutKey: unknown) {
  const [areaWidth, setAreaWidth] = useState(0);
  const [pxPerSec, setPxPerSec] = useState<number | null>(null);
  useEffect(() => {
    const el = areaRef.current;
    if (!el) return;
    // The waveform's own width: the area's minus its padding and the waveform's 1px borders.
    const measure = () => {
      const css = getComputedStyle(el);
      setAreaWidth(el.clientWidth - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight) - 2);
    };
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    measure();
    return () => ro.disconnect();
  }, [areaRef, layoutKey]);
  const fitPx = durationMs > 0 && areaWidth > 0 ? areaWidth / (durationMs / 1000) : 1;
  const maxPx = areaWidth > 0 ? areaWidth / MIN_WINDOW_S : 100;
  const zoom = pxPerSec ?? Math.min(maxPx, Math.max(fitPx, areaWidth / 120)); // start at a 2-minute window
  const setZoom = useCallback((next: number) => setPxPerSec(Math.min(maxPx, Math.max(fitPx, next))), [fitPx, maxPx]);

  return { areaWidth, fitPx, maxPx, zoom, setZoom };
}
