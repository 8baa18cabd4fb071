import { memo, useLayoutEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { Rater, RuptureStatus, Segment, SegmentKind } from '../../../shared/annotations';
import type { Code } from '../../../shared/codebook';
import { formatTime } from '../../../shared/time';
import type { ViewWindow } from '../ui/view-window';
import { useSlidingFrame } from '../ui/useSlidingFrame';
import { draggedSpan, type Drag } from './lane-geometry';
import { snap, stackRows } from './layout';
import { SegmentBox, type BoxProps } from './SegmentBox';

const ROW_PX = 20;
const LANES: { kind: SegmentKind; label: string }[] = [
  { kind: 'rupture', label: 'Ruptures' },
  { kind: 'repair', label: 'Repairs' },
  { kind: 'comment', label: 'Comments' },
];

export interface Pending {
  kind: SegmentKind;
  startMs: number;
}

interface Props {
  segments: Segment[];
  raters: Rater[];
  currentRaterId: number | null;
  codes: Map<string, Code>;
  statuses: Map<number, RuptureStatus>;
  /** The stretch of the session in view; the lanes follow it without re-rendering. */
  view: ViewWindow;
  durationMs: number;
  selectedId: number | null;
  /** Several selected segments (the comparison's merge), instead of one. */
  selectedIds?: Set<number>;
  pending: Pending | null;
  playheadMs: number;
  onSelect: (id: number | null) => void;
  onOpen: (id: number) => void;
  onSeek: (ms: number) => void;
  onMove: (id: number, startMs: number, endMs: number) => void;
  onDrawn: (kind: SegmentKind, startMs: number, endMs: number) => void;
}

/**
 * Lanes under the waveform, like tiers in ELAN: ruptures, repairs and comments per rater, on
 * the waveform's time scale. Drag a segment's body to move it, its edges to resize (snapping to
 * 100 ms; hold Alt for free), or drag on an empty stretch of your own lane to draw a new one.
 */
export const Lanes = memo(function Lanes(props: Props) {
  const { segments, raters, currentRaterId, codes, statuses, view, durationMs, selectedId, pending } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const { frame, width, shiftRef } = useSlidingFrame(view, ref);
  // Tracks this render created (another rater's lanes) start where the others are.
  useLayoutEffect(() => {
    ref.current?.querySelectorAll<HTMLElement>('.lane-track').forEach((t) => {
      if (!t.style.transform) t.style.transform = shiftRef.current;
    });
  });
  const msPerPx = frame.msPerPx;

  const byId = useMemo(() => new Map(segments.map((s) => [s.id, s])), [segments]);
  // Stacking is kept per lane and redone only for lanes whose segments changed: an edit touches
  // one lane, and re-stacking thousands of segments on every edit costs frames.
  const laneCache = useRef(new Map<string, { list: Segment[]; rows: Map<number, number>; count: number }>());
  const lanes = useMemo(() => {
    const buckets = new Map<string, Segment[]>();
    for (const r of raters) for (const { kind } of LANES) buckets.set(`${r.id}:${kind}`, []);
    for (const s of segments) buckets.get(`${s.raterId}:${s.kind}`)?.push(s);
    const out = new Map<string, { list: Segment[]; rows: Map<number, number>; count: number }>();
    for (const [key, list] of buckets) {
      const prev = laneCache.current.get(key);
      const same = prev && prev.list.length === list.length && prev.list.every((s, i) => s === list[i]);
      out.set(key, same ? prev : { list, ...stackRows(list, 1500) });
    }
    laneCache.current = out;
    return out;
  }, [segments, raters]);

  const toMs = (clientX: number) => {
    const rect = ref.current!.getBoundingClientRect();
    const w = view.get();
    return w.start + ((clientX - rect.left) / rect.width) * (w.end - w.start);
  };

  const beginDrag = (e: ReactPointerEvent, d: Omit<Drag, 'originX' | 'moved'>) => {
    e.stopPropagation();
    (e.target as HTMLElement).setPointerCapture(e.pointerId);
    setDrag({ ...d, originX: e.clientX, moved: false });
  };
  const onMove = (e: ReactPointerEvent) => {
    if (!drag) return;
    // The scale on screen now (the window may be a zoom preview that the layout has not caught up with).
    const w = view.get();
    const dx = ((e.clientX - drag.originX) * Math.max(1, w.end - w.start)) / Math.max(1, width);
    if (!drag.moved && Math.abs(e.clientX - drag.originX) < 3) return;
    const src = drag.id !== null ? (byId.get(drag.id) ?? null) : null;
    const span = draggedSpan(drag, src, { dxMs: dx, atMs: toMs(e.clientX), free: e.altKey, durationMs });
    setDrag({ ...drag, ...span, moved: true });
  };
  const onUp = () => {
    if (!drag) return;
    setDrag(null);
    if (drag.mode === 'create') {
      const [a, b] = [Math.min(drag.startMs, drag.endMs), Math.max(drag.startMs, drag.endMs)];
      if (drag.moved && b - a >= 200) props.onDrawn(drag.kind, a, b);
      else props.onSeek(drag.startMs);
      return;
    }
    if (drag.id === null) return;
    if (!drag.moved) return props.onSelect(drag.id);
    const src = byId.get(drag.id);
    if (src && (src.startMs !== drag.startMs || src.endMs !== drag.endMs))
      props.onMove(drag.id, drag.startMs, drag.endMs);
  };

  const visible = (s: { startMs: number; endMs: number }) => s.endMs >= frame.from - 2000 && s.startMs <= frame.to;
  /** Pixels from the start of the laid-out stretch. */
  const x = (ms: number) => (ms - frame.from) / msPerPx;

  const label = (s: Segment) => {
    if (s.kind === 'comment') return s.note.length > 60 ? `${s.note.slice(0, 57)}…` : s.note || 'comment';
    const rating = s.rating ? ` ●${s.rating}` : '';
    if (s.kind === 'repair') {
      const targets = s.linkedRuptureIds.map((id) => byId.get(id)?.codes.join('+') || 'rupture');
      return `${s.codes.join('+') || 'repair'}${rating}${targets.length ? ` → ${targets.join(', ')}` : ''}`;
    }
    const status = statuses.get(s.id)?.status;
    const mark = status === 'repaired' ? ' ✓' : status === 'partly' ? ' ◐' : '';
    return `${s.codes.join('+') || s.ruptureType || 'rupture'}${rating}${mark}`;
  };
  const linkedToSelected = useMemo(() => {
    const sel = selectedId !== null ? byId.get(selectedId) : undefined;
    if (!sel) return new Set<number>();
    if (sel.kind === 'repair') return new Set(sel.linkedRuptureIds);
    return new Set(segments.filter((s) => s.linkedRuptureIds.includes(sel.id)).map((s) => s.id));
  }, [selectedId, byId, segments]);

  /** What each segment of a lane in the laid-out stretch looks like; unchanged boxes skip rendering. */
  const boxes = (lane: { list: Segment[]; rows: Map<number, number> }): BoxProps[] => {
    const shown = lane.list.filter(visible);
    // A label may run past a short segment into the free space up to the next one in its row.
    const nextInRow = new Map<number, number>();
    const room: number[] = new Array<number>(shown.length);
    for (let i = shown.length - 1; i >= 0; i--) {
      const s = shown[i]!;
      const row = lane.rows.get(s.id) ?? 0;
      const live = drag?.id === s.id ? drag : null;
      room[i] = ((nextInRow.get(row) ?? frame.to) - (live ? live.startMs : s.startMs)) / msPerPx - 6;
      nextInRow.set(row, s.startMs);
    }
    return shown.map((s, i) => {
      const live = drag?.id === s.id ? drag : null;
      const start = live ? live.startMs : s.startMs;
      const end = live ? live.endMs : s.endMs;
      const point = end - start < 1;
      const isSelected = props.selectedIds ? props.selectedIds.has(s.id) : s.id === selectedId;
      return {
        segment: s,
        cls: `seg seg-${s.kind}${isSelected ? ' selected' : ''}${linkedToSelected.has(s.id) ? ' linked' : ''}${point ? ' point' : ''}${s.kind === 'comment' && s.resolved ? ' resolved' : ''}`,
        left: x(start),
        // At least 6 px: a 4-second rupture in a 60-minute view stays visible and clickable.
        width: point ? undefined : Math.max(6, x(end) - x(start)),
        top: (lane.rows.get(s.id) ?? 0) * ROW_PX + 2,
        labelW: Math.max(0, Math.round(room[i]!)),
        label: label(s),
        point,
      };
    });
  };

  return (
    <div className="lanes" ref={ref} onPointerMove={onMove} onPointerUp={onUp} onPointerCancel={() => setDrag(null)}>
      {raters.length === 0 && (
        <div className="lanes-empty muted">Choose who is rating (top right) to start marking segments.</div>
      )}
      {raters.map((r) => (
        <div className="rater-group" key={r.id} aria-label={`Lanes of ${r.name}`}>
          <div className="rater-name">
            {r.name} · {r.role}
            {r.id === currentRaterId ? (r.consensus ? ' (you edit it as supervisor)' : ' (you)') : ''}
          </div>
          {LANES.map(({ kind, label: laneLabel }) => {
            const lane = lanes.get(`${r.id}:${kind}`)!;
            const mine = r.id === currentRaterId;
            return (
              <div
                key={kind}
                className={`lane lane-${kind}${mine ? ' mine' : ''}`}
                // A list needs items; an empty lane is a labelled group.
                role={lane.list.length ? 'list' : 'group'}
                aria-label={`${laneLabel} of ${r.name}`}
                style={{ height: lane.count * ROW_PX + 4 }}
                onPointerDown={(e) => {
                  if (e.button !== 0) return;
                  // One handler per lane: a press on a segment moves or resizes it (or selects
                  // another rater's), a press on free space of your own lane draws a new one.
                  const box = (e.target as HTMLElement).closest<HTMLElement>('.seg[data-id]');
                  const seg = box ? byId.get(Number(box.dataset.id)) : undefined;
                  if (box && seg) {
                    if (!mine) {
                      e.stopPropagation();
                      props.onSelect(seg.id);
                      return;
                    }
                    const rect = box.getBoundingClientRect();
                    const point = box.classList.contains('point');
                    const edge = point
                      ? 'move'
                      : e.clientX - rect.left < 6
                        ? 'start'
                        : rect.right - e.clientX < 6
                          ? 'end'
                          : 'move';
                    beginDrag(e, { id: seg.id, kind: seg.kind, mode: edge, startMs: seg.startMs, endMs: seg.endMs });
                    return;
                  }
                  if (!mine) return;
                  const at = Math.min(durationMs, Math.max(0, snap(toMs(e.clientX), e.altKey)));
                  props.onSelect(null);
                  beginDrag(e, { id: null, kind, mode: 'create', startMs: at, endMs: at });
                }}
                onDoubleClick={(e) => {
                  const box = (e.target as HTMLElement).closest<HTMLElement>('.seg[data-id]');
                  if (box) props.onOpen(Number(box.dataset.id));
                }}
              >
                <span className="lane-label">{laneLabel}</span>
                <div className="lane-track">
                  {boxes(lane).map((b) => (
                    <SegmentBox key={b.segment.id} {...b} codes={codes} />
                  ))}
                  {drag?.mode === 'create' && drag.kind === kind && mine && drag.moved && (
                    <div
                      className={`seg seg-${kind} drawing`}
                      style={{
                        left: x(Math.min(drag.startMs, drag.endMs)),
                        width: Math.abs(x(drag.endMs) - x(drag.startMs)),
                        top: 2,
                      }}
                    />
                  )}
                  {pending && pending.kind === kind && mine && (
                    <div
                      className={`seg seg-${kind} drawing`}
                      aria-label={`Open ${kind} from ${formatTime(pending.startMs)}`}
                      style={{
                        left: x(pending.startMs),
                        width: Math.max(2, x(Math.max(pending.startMs, props.playheadMs)) - x(pending.startMs)),
                        top: 2,
                      }}
                    >
                      <span className="seg-label">recording {kind}…</span>
                    </div>
                  )}
                </div>
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
});
