import { useEffect, useState } from 'react';
import type { ScrubStatus } from '../../../shared/domain';
import { api } from '../api';

/** The scrub aids of a session's recordings, kept current by `scrub:progress` events. */
export function useScrub(sessionId: number): Map<number, ScrubStatus> {
  const [statuses, setStatuses] = useState<Map<number, ScrubStatus>>(new Map());
  useEffect(() => {
    let live = true;
    api.call('scrub:status', { sessionId }).then(
      (list) => live && setStatuses(new Map(list.map((s) => [s.recordingId, s]))),
      () => undefined,
    );
    const off = api.on('scrub:progress', (s) =>
      setStatuses((prev) =>
        prev.get(s.recordingId)?.percent === s.percent && prev.get(s.recordingId)?.state === s.state
          ? prev
          : new Map(prev).set(s.recordingId, s),
      ),
    );
    return () => {
      live = false;
      off();
    };
  }, [sessionId]);
  return statuses;
}
