/**
 * The player's and comparison's layout, remembered per view on this computer: the side column's
 * width, the video's height and compact mode (which shrinks the video so the lanes get the room).
 * Plain functions (no React) so the bounds are tested; kept in the renderer's local storage,
 * which is this computer's, like a window's size.
 */
export interface LayoutPrefs {
  /** Side column width, px. */
  sideW: number;
  /** Video height, px (when not compact). */
  stageH: number;
  compact: boolean;
}

export const SIDE_MIN = 260;
export const STAGE_MIN = 120;
/** The video's height in compact mode: a strip to keep an eye on faces, the lanes get the room. */
export const COMPACT_STAGE_H = 90;

/** The room each part keeps, whatever is stored: the lanes and the timeline always keep some. */
export function clampLayout(p: LayoutPrefs, viewport: { width: number; height: number }): LayoutPrefs {
  const sideMax = Math.max(SIDE_MIN, Math.floor(viewport.width / 2));
  // The header, transport, overview, waveform and ruler need about 260 px under the video, and
  // the lanes at least 120 more.
  const stageMax = Math.max(STAGE_MIN, viewport.height - 380);
  return {
    sideW: Math.round(Math.min(sideMax, Math.max(SIDE_MIN, p.sideW))),
    stageH: Math.round(Math.min(stageMax, Math.max(STAGE_MIN, p.stageH))),
    compact: p.compact,
  };
}

/** Defaults: the side column a quarter of the width, the video 38 % of the height (less in the comparison). */
export function defaultLayout(view: string, viewport: { width: number; height: number }): LayoutPrefs {
  const share = view === 'compare' ? 0.28 : 0.38;
  return clampLayout(
    { sideW: Math.round(viewport.width * 0.25), stageH: Math.round(viewport.height * share), compact: false },
    viewport,
  );
}

const keyOf = (view: string) => `alliance-review.layout.${view}`;

export function loadLayout(view: string, viewport: { width: number; height: number }): LayoutPrefs {
  const fallback = defaultLayout(view, viewport);
  try {
    const raw = JSON.parse(globalThis.localStorage?.getItem(keyOf(view)) ?? 'null') as Partial<LayoutPrefs> | null;
    if (!raw || typeof raw !== 'object') return fallback;
    return clampLayout(
      {
        sideW: Number.isFinite(raw.sideW) ? Number(raw.sideW) : fallback.sideW,
        stageH: Number.isFinite(raw.stageH) ? Number(raw.stageH) : fallback.stageH,
        compact: raw.compact === true,
      },
      viewport,
    );
  } catch {
    return fallback;
  }
}

export function saveLayout(view: string, p: LayoutPrefs): void {
  try {
    globalThis.localStorage?.setItem(keyOf(view), JSON.stringify(p));
  } catch {
    // Storage refused (a private window): the layout holds for this visit.
  }
}
