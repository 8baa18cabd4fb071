/**
 * The rules a segment obeys, in one place for the renderer (drawing, dragging, the form) and the
 * core (validation): the session's length, the minimum length, snapping and clamping. Pure.
 */
import type { SegmentKind } from './annotations';

/** Ruptures and repairs last at least this long; comments may be a point in time. */
export const MIN_SEGMENT_MS = 100;
/** Drags snap to this grid unless the user holds Alt. */
export const SNAP_MS = 100;
/** A rupture or repair closed almost at once (a double key press) gets this length instead. */
export const DEFAULT_SEGMENT_MS = 1000;

/**
 * The session's length on its own clock: where its last recording ends. A recording's offset
 * places it on that clock (a negative offset: it started before the session's zero).
 */
export function sessionDurationMs(recordings: readonly { offsetMs: number; durationMs: number }[]): number {
  let end = 0;
  for (const r of recordings) end = Math.max(end, r.offsetMs + r.durationMs);
  return Math.max(0, end);
}

/** The shortest a segment of `kind` may be. */
export function minLengthMs(kind: SegmentKind): number {
  return kind === 'comment' ? 0 : MIN_SEGMENT_MS;
}

export function snapMs(ms: number, free = false): number {
  return free ? Math.round(ms) : Math.round(ms / SNAP_MS) * SNAP_MS;
}

export function clampMs(ms: number, durationMs: number): number {
  return Math.min(durationMs, Math.max(0, Math.round(ms)));
}

/**
 * Why a span is not a valid segment of `kind` in a session of `durationMs`, or null when it is.
 * The wording is the one users see.
 */
export function spanProblem(kind: SegmentKind, startMs: number, endMs: number, durationMs: number): string | null {
  if (!Number.isInteger(startMs) || !Number.isInteger(endMs)) return 'Times are whole milliseconds.';
  if (startMs < 0) return 'A segment cannot start before the session does.';
  if (endMs < startMs) return 'The end must come after the start.';
  const min = minLengthMs(kind);
  if (endMs - startMs < min) return `A ${kind} lasts at least ${min / 1000} s.`;
  if (endMs > durationMs) return 'The segment ends after the end of the session.';
  return null;
}

/**
 * A span closed with two key presses, made valid: too short becomes DEFAULT_SEGMENT_MS (within
 * the session), a comment may stay a point.
 */
export function closeSpan(kind: SegmentKind, a: number, b: number, durationMs: number): [number, number] {
  let start = clampMs(Math.min(a, b), durationMs);
  let end = clampMs(Math.max(a, b), durationMs);
  if (kind !== 'comment' && end - start < MIN_SEGMENT_MS) {
    end = Math.min(durationMs, start + DEFAULT_SEGMENT_MS);
    if (end - start < MIN_SEGMENT_MS) start = Math.max(0, end - DEFAULT_SEGMENT_MS);
  }
  return [start, end];
}
