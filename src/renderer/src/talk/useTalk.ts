import { useCallback, useEffect, useMemo, useState } from 'react';
import { DEFAULT_SILENCE_MS, type SessionTalk } from '../../../shared/talk';
import { api, errorMessage } from '../api';

/**
 * Who speaks when in a session: the speaker lanes, silences, overlaps and talk figures, with the
 * actions on them (analyse older recordings, name a lane for the case, the silence length).
 */
export function useTalk(sessionId: number, nonce: unknown) {
  const [talk, setTalk] = useState<SessionTalk | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [silenceMs, setSilenceMs] = useState(DEFAULT_SILENCE_MS);
  const load = useCallback(() => {
    api
      .call('talk:session', { sessionId, silenceMs })
      .then((t) => {
        setTalk(t);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [sessionId, silenceMs]);
  useEffect(() => load(), [load, nonce]);
  const analyze = useCallback(async () => {
    setBusy(true);
    try {
      await api.call('talk:analyze', { sessionId });
      load();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }, [sessionId, load]);
  const nameLane = useCallback(
    async (caseId: number, laneKey: string, name: string) => {
      try {
        await api.call('talk:nameLane', { caseId, laneKey, name });
        load();
      } catch (e) {
        setError(errorMessage(e));
      }
    },
    [load],
  );
  // The same object until something changed: the side panel it goes to is memoised.
  const clearError = useCallback(() => setError(null), []);
  return useMemo(
    () => ({ talk, error, busy, silenceMs, setSilenceMs, analyze, nameLane, clearError }),
    [talk, error, busy, silenceMs, analyze, nameLane, clearError],
  );
}

export type TalkState = ReturnType<typeof useTalk>;
