import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import {
  clampLayout,
  COMPACT_STAGE_H,
  loadLayout,
  saveLayout,
  STAGE_MIN,
  SIDE_MIN,
  type LayoutPrefs,
} from './layout-prefs';

const viewport = () => ({ width: window.innerWidth, height: window.innerHeight });

/** The view's layout, remembered, and how to change it. */
export function useLayoutPrefs(view: string) {
  const [prefs, setPrefs] = useState<LayoutPrefs>(() => loadLayout(view, viewport()));
  const change = useCallback(
    (p: Partial<LayoutPrefs>) =>
      setPrefs((old) => {
        const next = clampLayout({ ...old, ...p }, viewport());
        saveLayout(view, next);
        return next;
      }),
    [view],
  );
  // A smaller window keeps every part in view.
  useEffect(() => {
    const onResize = () => setPrefs((old) => clampLayout(old, viewport()));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return { prefs, change };
}
export type LayoutControl = ReturnType<typeof useLayoutPrefs>;

/** The header's toggle of compact mode (a small video, the lanes get the room). */
export function CompactToggle({ layout }: { layout: LayoutControl }) {
  const on = layout.prefs.compact;
  return (
    <button
      type="button"
      aria-pressed={on}
      onClick={() => layout.change({ compact: !on })}
      title="A small video, so the lanes and lists get the room"
    >
      {on ? '▣ Compact' : '▢ Compact'}
    </button>
  );
}

/**
 * The player's and comparison's frame: the video over the timeline on the left, the side column
 * (the segment form, the side panel) on the right, the whole height. Both splits are resizable
 * with the mouse and the keyboard (arrow keys; Shift for bigger steps) and remembered.
 */
export function Workspace(props: {
  layout: LayoutControl;
  stage: ReactNode;
  /** Transport, timeline and lanes. */
  children: ReactNode;
  side: ReactNode;
  sideLabel: string;
}) {
  const { layout, stage, children, side, sideLabel } = props;
  const { prefs, change } = layout;
  const stageH = prefs.compact ? Math.min(prefs.stageH, COMPACT_STAGE_H) : prefs.stageH;
  return (
    <div
      className={`workspace${prefs.compact ? ' compact' : ''}`}
      style={{ ['--side-w' as string]: `${prefs.sideW}px`, ['--stage-h' as string]: `${stageH}px` }}
    >
      <div className="main-column">
        <div className="stage-box">{stage}</div>
        <Splitter
          orientation="horizontal"
          label="Video height"
          value={stageH}
          min={STAGE_MIN}
          max={Math.max(STAGE_MIN, window.innerHeight - 380)}
          onChange={(v) => change({ stageH: v, compact: false })}
        />
        {children}
      </div>
      <Splitter
        orientation="vertical"
        label={`${sideLabel} width`}
        value={prefs.sideW}
        min={SIDE_MIN}
        max={Math.max(SIDE_MIN, Math.floor(window.innerWidth / 2))}
        // The bar is left of the column: moving it left widens the column.
        invert
        onChange={(v) => change({ sideW: v })}
      />
      <div className="side-column">{side}</div>
    </div>
  );
}

/** A WAI-ARIA window splitter: drag it, or focus it and use the arrow keys, Home and End. */
function Splitter(props: {
  orientation: 'horizontal' | 'vertical';
  label: string;
  value: number;
  min: number;
  max: number;
  invert?: boolean;
  onChange: (v: number) => void;
}) {
  const { orientation, label, value, min, max, invert, onChange } = props;
  const drag = useRef<{ origin: number; start: number } | null>(null);
  const pos = (e: PointerEvent) => (orientation === 'horizontal' ? e.clientY : e.clientX);
  const onKey = (e: KeyboardEvent) => {
    const step = e.shiftKey ? 64 : 16;
    const grow = orientation === 'horizontal' ? 'ArrowDown' : invert ? 'ArrowLeft' : 'ArrowRight';
    const shrink = orientation === 'horizontal' ? 'ArrowUp' : invert ? 'ArrowRight' : 'ArrowLeft';
    let next: number | null = null;
    if (e.key === grow) next = value + step;
    else if (e.key === shrink) next = value - step;
    else if (e.key === 'Home') next = min;
    else if (e.key === 'End') next = max;
    if (next === null) return;
    e.preventDefault();
    e.stopPropagation();
    onChange(Math.min(max, Math.max(min, next)));
  };
  return (
    <div
      className={`splitter splitter-${orientation}`}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onKeyDown={onKey}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        (e.target as HTMLElement).setPointerCapture(e.pointerId);
        drag.current = { origin: pos(e), start: value };
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!d) return;
        const delta = (pos(e) - d.origin) * (invert ? -1 : 1);
        onChange(Math.min(max, Math.max(min, d.start + delta)));
      }}
      onPointerUp={() => (drag.current = null)}
      onPointerCancel={() => (drag.current = null)}
    />
  );
}
