import { useEffect, useState } from 'react';
import type { TranscriptHit } from '../../../shared/transcript';
import { formatTime } from '../../../shared/time';
import { api, errorMessage } from '../api';
import { Marked } from './TranscriptPanel';

/** Searching every session's transcript from the library; a hit opens its session at that moment. */
export function LibrarySearch({ onOpen }: { onOpen: (sessionId: number) => void }) {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<TranscriptHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const q = query.trim();
    if (!q) return setHits(null);
    const t = setTimeout(() => {
      api
        .call('transcript:search', { query: q })
        .then((h) => {
          setHits(h);
          setError(null);
        })
        .catch((e: unknown) => setError(errorMessage(e)));
    }, 200);
    return () => clearTimeout(t);
  }, [query]);
  const open = async (h: TranscriptHit) => {
    // The player opens where the session was left: leave it at the hit.
    await api.call('sessions:savePosition', { id: h.sessionId, positionMs: h.startMs }).catch(() => undefined);
    onOpen(h.sessionId);
  };
  return (
    <section className="library-search" aria-label="Transcript search">
      <input
        type="search"
        aria-label="Search all transcripts"
        placeholder="Search all transcripts…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {hits && (
        <div role="status" className="muted small">
          {hits.length
            ? `${hits.length}${hits.length === 200 ? '+' : ''} utterances`
            : 'No transcript has these words.'}
        </div>
      )}
      {hits && hits.length > 0 && (
        <ul className="search-hits">
          {hits.map((h) => (
            <li key={h.utteranceId}>
              <button type="button" onClick={() => void open(h)}>
                <span className="muted tabular">
                  {h.caseCode} · Session {h.sessionNumber} · {formatTime(h.startMs, false)}
                </span>{' '}
                {h.speaker && <strong>{h.speaker}: </strong>}
                <Marked text={h.marked} />
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
