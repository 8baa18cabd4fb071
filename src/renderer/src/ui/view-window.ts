import { useMemo } from 'react';

/** A stretch of the session in ms. */
export interface Win {
  start: number;
  end: number;
  /** While a zoom gesture shows a scaled picture: followers may scale too instead of laying out. */
  preview?: boolean;
}

/**
 * The stretch of the session in view, as a small store outside React. The waveform moves it on
 * every scroll frame; the ruler, the overview and the lanes follow it themselves, so panning does
 * not re-render the player (which, with thousands of segments, cost most of each frame).
 */
export interface ViewWindow {
  get(): Win;
  subscribe(cb: (w: Win) => void): () => void;
}

export interface MutableViewWindow extends ViewWindow {
  set(w: Win): void;
}

export function createViewWindow(initial: Win): MutableViewWindow {
  let current = initial;
  const listeners = new Set<(w: Win) => void>();
  return {
    get: () => current,
    set(w) {
      if (w.start === current.start && w.end === current.end && !w.preview === !current.preview) return;
      current = w;
      listeners.forEach((cb) => cb(w));
    },
    subscribe(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}

/** A window that never moves (the comparison view zooms by re-rendering). */
export function useFixedWindow(w: Win): ViewWindow {
  return useMemo(() => createViewWindow({ start: w.start, end: w.end }), [w.start, w.end]);
}
