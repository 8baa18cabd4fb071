import {
  memo,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import type { Rater, RuptureStatus, Segment, SegmentKind } from '../../../shared/annotations';
import type { Code } from '../../../shared/codebook';
import { formatTime } from '../../../shared/time';
import type { ViewWindow } from '../ui/view-window';
import { useSlidingFrame } from '../ui/useSlidingFrame';
import { draggedSpan, type Drag } from './lane-geometry';
import { snap } from './layout';
import {
  BoxCache,
  KIND_LANE,
  LANES,
  ROW_PX,
  laneBoxes,
  layoutLanes,
  type BoxContext,
  type LaneRows,
} from './lane-boxes';
import { SegmentBox, type BoxProps } from './SegmentBox';
import { LaneCanvas } from './LaneCanvas';
import { DENSE_SEGMENTS, segmentAt, segmentsInFrame } from './lane-density';
import { segmentIndex } from './segment-index';
import { usePlayhead, type Playhead } from '../player/playhead';

export interface Pending {
  kind: SegmentKind;
  startMs: number;
  /** A quick key's code: the segment is stored with it when closed. */
  code?: string;
  /** The key that closes it, as the toolbar shows it (a quick key's). */
  key?: string;
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
  /** The playhead: an open segment's box grows with it. */
  playhead: Playhead;
  onSelect: (id: number | null) => void;
  onOpen: (id: number) => void;
  onSeek: (ms: number) => void;
  onMove: (id: number, startMs: number, endMs: number) => void;
  onDrawn: (kind: SegmentKind, startMs: number, endMs: number) => void;
  /** Kinds whose lane is left out when a rater has none of them (the comparison's comments). */
  hideEmpty?: SegmentKind[];
}

/**
 * Lanes under the waveform, like tiers in ELAN: ruptures, repairs and comments per rater, on
 * the waveform's time scale. Drag a segment's body to move it, its edges to resize (snapping to
 * 100 ms; hold Alt for free), or drag on an empty stretch of your own lane to draw a new one.
 * Each lane is one tab stop; a focused segment answers the keys (see laneKey).
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

  const byId = segmentIndex(segments);
  // Stacking is kept per lane and redone only for lanes whose segments changed: an edit touches
  // one lane, and re-stacking thousands of segments on every edit costs frames.
  const laneCache = useRef(new Map<number, LaneRows[]>());
  const lanes = useMemo(
    () => (laneCache.current = layoutLanes(segments, raters, laneCache.current)),
    [segments, raters],
  );

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
  // Near a segment's edge on your own lane the pointer shows that a press resizes (the press
  // decides the same way, by distance): no element per edge, which cost every frame's
  // compositing two paint chunks more per box.
  const edgeBox = useRef<HTMLElement | null>(null);
  const showEdge = (e: ReactPointerEvent) => {
    const box = (e.target as HTMLElement).closest<HTMLElement>('.lane.mine .seg[data-id]:not(.point)');
    if (edgeBox.current && edgeBox.current !== box) delete edgeBox.current.dataset.edge;
    edgeBox.current = box;
    if (!box) return;
    const r = box.getBoundingClientRect();
    const near = e.clientX - r.left < EDGE_PX || r.right - e.clientX < EDGE_PX;
    if (near !== 'edge' in box.dataset) {
      if (near) box.dataset.edge = '';
      else delete box.dataset.edge;
    }
  };
  const onMove = (e: ReactPointerEvent) => {
    if (!drag) return showEdge(e);
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

  // A segment reached from the keyboard gets the focus once it is drawn (it may have been out of view).
  const focusNext = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (focusNext.current === null) return;
    const box = ref.current?.querySelector<HTMLElement>(`.seg[data-id="${focusNext.current}"]`);
    if (box) {
      focusNext.current = null;
      box.focus();
    }
  });
  /**
   * Keys on a focused segment: ↑/↓ the previous / next one on its lane; ←/→ move one of your own
   * by 100 ms (Shift: 1 s); Enter edits and Delete deletes (the player's keys, on the selection).
   */
  const laneKey = (e: ReactKeyboardEvent, list: Segment[], mine: boolean) => {
    const box = (e.target as HTMLElement).closest<HTMLElement>('.seg[data-id]');
    const seg = box ? byId.get(Number(box.dataset.id)) : undefined;
    if (!seg || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      const i = list.findIndex((x) => x.id === seg.id);
      const next = list[i + (e.key === 'ArrowDown' ? 1 : -1)];
      if (!next) return;
      focusNext.current = next.id;
      props.onSelect(next.id);
      props.onSeek(next.startMs);
    } else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && mine) {
      e.preventDefault();
      const step = (e.key === 'ArrowRight' ? 1 : -1) * (e.shiftKey ? 1000 : 100);
      const d = Math.min(durationMs - seg.endMs, Math.max(-seg.startMs, step));
      if (d !== 0) props.onMove(seg.id, seg.startMs + d, seg.endMs + d);
    }
  };

  /** Whether a lane has too many segments in the laid-out stretch to build them as boxes. */
  const denseLane = (lane: LaneRows) =>
    lane.list.length > DENSE_SEGMENTS && segmentsInFrame(lane.list, frame) > DENSE_SEGMENTS;

  /** Pixels from the start of the laid-out stretch. */
  const x = (ms: number) => (ms - frame.from) / msPerPx;

  const linkedToSelected = useMemo(() => {
    const sel = selectedId !== null ? byId.get(selectedId) : undefined;
    if (!sel) return new Set<number>();
    if (sel.kind === 'repair') return new Set(sel.linkedRuptureIds);
    // A rupture's repairs are in its status; nothing links to a comment.
    return new Set(sel.kind === 'rupture' ? (statuses.get(sel.id)?.repairIds ?? []) : []);
  }, [selectedId, byId, statuses]);

  const linkedKey = [...linkedToSelected].join(',');
  const selected = selectedId !== null ? byId.get(selectedId) : undefined;
  const selectedLane = selected ? `${selected.raterId}:${selected.kind}` : null;

  // Each lane's boxes, worked out again only when something they show changed: an edit renders
  // one lane's boxes, not all.
  const boxCache = useRef(new BoxCache());
  const ruptureLanes = raters.map((r) => lanes.get(r.id)![0]);
  const context: BoxContext = {
    frame,
    selectedId,
    selectedIds: props.selectedIds,
    linked: linkedToSelected,
    drag,
    byId,
    statuses,
  };
  const boxesOf = (raterId: number, kind: SegmentKind, lane: LaneRows): BoxProps[] =>
    boxCache.current.get(
      `${raterId}:${kind}`,
      [
        lane,
        frame.from,
        frame.to,
        msPerPx,
        // A selection shows on its own lane: selecting another segment renders two lanes.
        selectedLane === `${raterId}:${kind}` ? selectedId : null,
        props.selectedIds,
        linkedKey,
        drag && drag.kind === kind && raterId === currentRaterId ? drag : null,
        // A rupture's label shows its status; a repair's the codes of the ruptures it repairs.
        kind === 'rupture' ? statuses : null,
        ...(kind === 'repair' ? ruptureLanes : []),
      ],
      () => laneBoxes(lane, context),
    );

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
            const lane = lanes.get(r.id)![KIND_LANE[kind]]!;
            if (!lane.list.length && props.hideEmpty?.includes(kind)) return null;
            const mine = r.id === currentRaterId;
            const dense = denseLane(lane);
            return (
              <div
                key={kind}
                className={`lane lane-${kind}${mine ? ' mine' : ''}`}
                // A list needs items; an empty lane, or one drawn zoomed out, is a labelled group.
                role={lane.list.length && !dense ? 'list' : 'group'}
                aria-label={`${laneLabel} of ${r.name}`}
                aria-description={
                  dense
                    ? `${lane.list.length} segments, drawn zoomed out: zoom in to reach them one by one, or use the segment list`
                    : undefined
                }
                style={{ height: lane.count * ROW_PX + 4 }}
                onPointerDown={(e) => {
                  if (e.button !== 0) return;
                  // One handler per lane: a press on a segment moves or resizes it (or selects
                  // another rater's), a press on free space of your own lane draws a new one.
                  if (dense) {
                    // Zoomed out: a press picks the segment under it and goes there (no drawing
                    // or dragging at this scale).
                    const rect = e.currentTarget.getBoundingClientRect();
                    const row = Math.floor((e.clientY - rect.top - 2) / ROW_PX);
                    const hit = segmentAt(lane.list, lane.rows, toMs(e.clientX), row, 3 * msPerPx);
                    if (hit) {
                      props.onSelect(hit.id);
                      props.onSeek(hit.startMs);
                    } else props.onSeek(toMs(e.clientX));
                    return;
                  }
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
                      : e.clientX - rect.left < EDGE_PX
                        ? 'start'
                        : rect.right - e.clientX < EDGE_PX
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
                onKeyDown={(e) => laneKey(e, lane.list, mine)}
                onFocus={(e) => {
                  // Reached from the keyboard: it becomes the selection (a click selects on its own).
                  const el = e.target as HTMLElement;
                  const id = Number(el.dataset.id);
                  if (Number.isFinite(id) && id !== selectedId && el.matches(':focus-visible')) props.onSelect(id);
                }}
                onDoubleClick={(e) => {
                  const box = (e.target as HTMLElement).closest<HTMLElement>('.seg[data-id]');
                  if (box) props.onOpen(Number(box.dataset.id));
                }}
              >
                <span className="lane-label">{laneLabel}</span>
                <div className="lane-track">
                  {dense ? (
                    <LaneCanvas
                      list={lane.list}
                      rows={lane.rows}
                      frame={frame}
                      height={lane.count * ROW_PX + 4}
                      codes={codes}
                      selectedId={selectedLane === `${r.id}:${kind}` ? selectedId : null}
                    />
                  ) : (
                    <LaneBoxes boxes={boxesOf(r.id, kind, lane)} codes={codes} />
                  )}
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
                    <OpenBox pending={pending} playhead={props.playhead} fromMs={frame.from} msPerPx={msPerPx} />
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

/** A lane's boxes: skipped as a whole when the lane's boxes are the ones it showed. */
const LaneBoxes = memo(function LaneBoxes({ boxes, codes }: { boxes: BoxProps[]; codes: Map<string, Code> }) {
  return (
    <>
      {boxes.map((b) => (
        <SegmentBox key={b.segment.id} {...b} codes={codes} />
      ))}
    </>
  );
});

/** A segment being recorded (R, P or C pressed once): it grows with the playhead. */
function OpenBox(props: { pending: Pending; playhead: Playhead; fromMs: number; msPerPx: number }) {
  const { pending, fromMs, msPerPx } = props;
  const x = (ms: number) => (ms - fromMs) / msPerPx;
  const nowMs = usePlayhead(props.playhead, identity, growing);
  return (
    <div
      className={`seg seg-${pending.kind} drawing`}
      aria-label={`Open ${pending.kind} from ${formatTime(pending.startMs)}`}
      style={{
        left: x(pending.startMs),
        width: Math.max(2, x(Math.max(pending.startMs, nowMs)) - x(pending.startMs)),
        top: 2,
      }}
    >
      <span className="seg-label">recording {pending.code ?? pending.kind}…</span>
    </div>
  );
}
const identity = (ms: number) => ms;
/** How near a segment's edge (px) a press resizes it instead of moving it. */
const EDGE_PX = 6;
/** While playing, the open box grows four times a second. */
const growing = (ms: number) => ms + 250;
