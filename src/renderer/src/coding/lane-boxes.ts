/**
 * What the lanes show, pure: each rater's segments bucketed into lanes and stacked in rows, and
 * the boxes of a lane in the laid-out stretch. Both are kept between renders and worked out again
 * only where something changed: an edit of one segment of thousands touches one lane.
 */
import type { Rater, RuptureStatus, Segment, SegmentKind } from '../../../shared/annotations';
import type { Drag, Frame } from './lane-geometry';
import { stackRows } from './layout';

/** How one segment's box is drawn (SegmentBox). */
export interface BoxProps {
  segment: Segment;
  cls: string;
  left: number;
  width: number | undefined;
  top: number;
  labelW: number;
  label: string;
  point: boolean;
  /** The lane's one tab stop: its selected segment, or else its first in view. */
  tab: boolean;
}

export const ROW_PX = 20;
export const LANES: { kind: SegmentKind; label: string }[] = [
  { kind: 'rupture', label: 'Ruptures' },
  { kind: 'repair', label: 'Repairs' },
  { kind: 'comment', label: 'Comments' },
];
export const KIND_LANE: Record<SegmentKind, number> = { rupture: 0, repair: 1, comment: 2 };

/** One lane's segments and the row each is stacked in. */
export interface LaneRows {
  list: Segment[];
  rows: Map<number, number>;
  count: number;
}

/**
 * Every rater's three lanes (ruptures, repairs, comments), stacked. A lane whose segments are the
 * ones of `before` keeps its stacking (the same object).
 */
export function layoutLanes(
  segments: Segment[],
  raters: Rater[],
  before: Map<number, LaneRows[]>,
): Map<number, LaneRows[]> {
  const buckets = new Map<number, Segment[][]>();
  for (const r of raters)
    buckets.set(
      r.id,
      LANES.map(() => []),
    );
  for (const s of segments) buckets.get(s.raterId)?.[KIND_LANE[s.kind]]?.push(s);
  const out = new Map<number, LaneRows[]>();
  for (const [rater, lists] of buckets) {
    const old = before.get(rater);
    out.set(
      rater,
      lists.map((list, i) => {
        const prev = old?.[i];
        const same = prev && prev.list.length === list.length && prev.list.every((s, j) => s === list[j]);
        return same ? prev : { list, ...stackRows(list, 1500) };
      }),
    );
  }
  return out;
}

/** What a lane's boxes depend on besides the lane. */
export interface BoxContext {
  frame: Frame;
  selectedId: number | null;
  /** Several selected segments (the comparison's merge), instead of one. */
  selectedIds?: Set<number>;
  linked: Set<number>;
  drag: Drag | null;
  byId: Map<number, Segment>;
  statuses: Map<number, RuptureStatus>;
}

/** A segment's label on its lane: codes, rating, a rupture's repair mark, a repair's ruptures. */
export function boxLabel(s: Segment, c: Pick<BoxContext, 'byId' | 'statuses'>): string {
  if (s.kind === 'comment') return s.note.length > 60 ? `${s.note.slice(0, 57)}…` : s.note || 'comment';
  const rating = s.rating ? ` ●${s.rating}` : '';
  if (s.kind === 'repair') {
    const targets = s.linkedRuptureIds.map((id) => c.byId.get(id)?.codes.join('+') || 'rupture');
    return `${s.codes.join('+') || 'repair'}${rating}${targets.length ? ` → ${targets.join(', ')}` : ''}`;
  }
  const status = c.statuses.get(s.id)?.status;
  const mark = status === 'repaired' ? ' ✓' : status === 'partly' ? ' ◐' : '';
  return `${s.codes.join('+') || s.ruptureType || 'rupture'}${rating}${mark}`;
}

/** What each segment of a lane in the laid-out stretch looks like. */
export function laneBoxes(lane: LaneRows, c: BoxContext): BoxProps[] {
  const { frame, drag } = c;
  const x = (ms: number) => (ms - frame.from) / frame.msPerPx;
  const shown = lane.list.filter((s) => s.endMs >= frame.from - 2000 && s.startMs <= frame.to);
  // A label may run past a short segment into the free space up to the next one in its row.
  const nextInRow = new Map<number, number>();
  const room: number[] = new Array<number>(shown.length);
  for (let i = shown.length - 1; i >= 0; i--) {
    const s = shown[i]!;
    const row = lane.rows.get(s.id) ?? 0;
    const live = drag?.id === s.id ? drag : null;
    room[i] = ((nextInRow.get(row) ?? frame.to) - (live ? live.startMs : s.startMs)) / frame.msPerPx - 6;
    nextInRow.set(row, s.startMs);
  }
  const hasSelected = shown.some((s) => (c.selectedIds ? c.selectedIds.has(s.id) : s.id === c.selectedId));
  return shown.map((s, i) => {
    const live = drag?.id === s.id ? drag : null;
    const start = live ? live.startMs : s.startMs;
    const end = live ? live.endMs : s.endMs;
    const point = end - start < 1;
    const isSelected = c.selectedIds ? c.selectedIds.has(s.id) : s.id === c.selectedId;
    return {
      segment: s,
      cls: `seg seg-${s.kind}${isSelected ? ' selected' : ''}${c.linked.has(s.id) ? ' linked' : ''}${point ? ' point' : ''}${s.kind === 'comment' && s.resolved ? ' resolved' : ''}${s.kind !== 'comment' && s.codes.length === 0 ? ' uncoded' : ''}`,
      left: x(start),
      // At least 6 px: a 4-second rupture in a 60-minute view stays visible and clickable.
      width: point ? undefined : Math.max(6, x(end) - x(start)),
      top: (lane.rows.get(s.id) ?? 0) * ROW_PX + 2,
      labelW: Math.max(0, Math.round(room[i]!)),
      label: boxLabel(s, c),
      point,
      tab: hasSelected ? isSelected : i === 0,
    };
  });
}

/**
 * Lanes' boxes kept between renders: a lane's boxes are worked out again only when one of the
 * things they show changed (`deps`, compared one by one).
 */
export class BoxCache {
  private readonly kept = new Map<string, { deps: unknown[]; boxes: BoxProps[] }>();

  get(key: string, deps: unknown[], make: () => BoxProps[]): BoxProps[] {
    const hit = this.kept.get(key);
    if (hit && hit.deps.length === deps.length && hit.deps.every((d, i) => Object.is(d, deps[i]))) return hit.boxes;
    const boxes = make();
    this.kept.set(key, { deps, boxes });
    return boxes;
  }
}
