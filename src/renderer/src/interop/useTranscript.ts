import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Utterance } from '../../../shared/transcript';
import { api, errorMessage } from '../api';

/** A session's transcript, reloaded when `nonce` changes (after an import). */
export function useTranscript(sessionId: number, nonce: number) {
  const [utterances, setUtterances] = useState<Utterance[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api
      .call('transcript:list', { sessionId })
      .then((u) => {
        setUtterances(u);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [sessionId]);
  useEffect(() => load(), [load, nonce]);
  // The same object until something changed: the side panel it goes to is memoised.
  return useMemo(() => ({ utterances, error }), [utterances, error]);
}

/**
 * A stable colour class per speaker (`spk-0` … `spk-5` in styles.css: Okabe–Ito hues, darkened
 * for text on light panels and lightened on dark ones, so names keep a 4.5:1 contrast).
 */
export function speakerClass(speakers: string[], speaker: string): string {
  const i = speakers.indexOf(speaker);
  return `spk-${(i < 0 ? 0 : i) % 6}`;
}
