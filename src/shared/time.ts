/** Time helpers. Every time in the app is an integer number of milliseconds. */

/** How far a recording may start before or after the session's clock: 24 hours either way. */
export const MAX_OFFSET_MS = 86_400_000;

/** What is wrong with an offset (ms), in a clinician's words, or null when it is one. */
export function offsetProblem(ms: number): string | null {
  if (!Number.isInteger(ms)) return 'Offsets are whole milliseconds.';
  if (Math.abs(ms) > MAX_OFFSET_MS) return 'An offset is at most 24 hours either way.';
  return null;
}

/**
 * True for a date written `YYYY-MM-DD` that is on the calendar: not 2026-13-45, and not
 * 2026-02-30 either (which `Date.parse` quietly rolls over into March).
 */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Formats ms as `hh:mm:ss.mmm` (or `hh:mm:ss` when `withMs` is false). */
export function formatTime(ms: number, withMs = true): string {
  const safe = Number.isFinite(ms) && ms > 0 ? Math.round(ms) : 0;
  const h = Math.floor(safe / 3_600_000);
  const m = Math.floor((safe % 3_600_000) / 60_000);
  const s = Math.floor((safe % 60_000) / 1000);
  const rest = safe % 1000;
  const base = `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}`;
  return withMs ? `${base}.${pad(rest, 3)}` : base;
}

/** Formats a duration compactly for lists: `58:12` or `1:02:05`. */
export function formatDuration(ms: number): string {
  const total = Math.round(Math.max(0, ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m, 2)}:${pad(s, 2)}` : `${m}:${pad(s, 2)}`;
}

/**
 * Parses what a person types into a time field: `hh:mm:ss.mmm`, `mm:ss`, `ss.mmm`, or plain
 * seconds. Returns null for anything else, so the caller can say what was wrong.
 */
export function parseTime(text: string): number | null {
  const trimmed = text.trim();
  const match = /^(?:(\d+):)?(?:(\d+):)?(\d+)(?:[.,](\d{1,3}))?$/.exec(trimmed);
  if (!match) return null;
  const [, a, b, sec, frac] = match;
  let hours = 0;
  let minutes = 0;
  if (a !== undefined && b !== undefined) {
    hours = Number(a);
    minutes = Number(b);
  } else if (a !== undefined) {
    minutes = Number(a);
  }
  const seconds = Number(sec);
  if ((a !== undefined && seconds >= 60) || (b !== undefined && minutes >= 60)) return null;
  const millis = frac ? Number(frac.padEnd(3, '0')) : 0;
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
