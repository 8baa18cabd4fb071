import { startTransition, useEffect, useState } from 'react';

/**
 * `value`, but taken up only when the browser is idle (at the latest after `timeoutMs`): for
 * views that may trail a frame or more behind (the segment list beside the lanes), so that
 * rendering them never competes with the change the user is looking at, or with the store's
 * answer to it.
 */
export function useIdleValue<T>(value: T, timeoutMs = 300): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    if (shown === value) return;
    const idle = window.requestIdleCallback ?? ((cb: () => void) => window.setTimeout(cb, 50));
    const cancel = window.cancelIdleCallback ?? window.clearTimeout;
    // A transition: the render is sliced and yields to anything more urgent (the store's answer).
    const handle = idle(() => startTransition(() => setShown(value)), { timeout: timeoutMs });
    return () => cancel(handle);
  }, [value, shown, timeoutMs]);
  return shown;
}
