import { useEffect, useState, useSyncExternalStore } from 'react';
import type { SaveTracker } from './useAnnotations';

/**
 * "All changes saved", or "Saving…" when the store takes longer than a moment (a quick edit does
 * not flicker the line). `data-state` follows the store exactly: saving, saved or failed.
 */
export function SaveStatus({ saving }: { saving: SaveTracker }) {
  const state = useSyncExternalStore(saving.subscribe, saving.get);
  const busy = state.pending > 0;
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!busy) return setSlow(false);
    const t = setTimeout(() => setSlow(true), 400);
    return () => clearTimeout(t);
  }, [busy]);
  const dataState = busy ? 'saving' : state.failed ? 'failed' : 'saved';
  return (
    <span className="save-status muted small" role="status" data-state={dataState}>
      {busy && slow ? 'Saving…' : state.failed ? 'Last change not kept' : 'All changes saved'}
    </span>
  );
}
