import { startTransition, useEffect, useState } from 'react';

/**
 * A value that trails `value` by `ms` of quiet: while it keeps changing (a key held to nudge a
 * segment, thirty changes a second) what trails it renders once, after the last change, at low
 * priority. When `atOnce(shown)` says so (nothing loaded yet) the new value is taken at once.
 */
export function useTrailing<T>(value: T, ms: number, atOnce: (shown: T) => boolean = () => false): T {
  const [shown, setShown] = useState(value);
  const now = atOnce(shown);
  useEffect(() => {
    if (Object.is(value, shown) || now) return;
    const t = setTimeout(() => startTransition(() => setShown(value)), ms);
    return () => clearTimeout(t);
  }, [value, shown, now, ms]);
  // Taken at once: shown now, and kept (so the next change trails it).
  useEffect(() => {
    if (now && !Object.is(value, shown)) setShown(value);
  }, [now, value, shown]);
  return now ? value : shown;
}
