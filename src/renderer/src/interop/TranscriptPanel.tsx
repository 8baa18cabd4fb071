import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SegmentKind } from '../../../shared/annotations';
import type { TranscriptHit, Utterance } from '../../../shared/transcript';
import { formatTime } from '../../../shared/time';
import { api, errorMessage } from '../api';
import { speakerClass } from './useTranscript';
import { usePlayhead, type Playhead } from '../player/playhead';
import { count } from '../../../shared/words';
import { TranscribeBox } from './TranscribeBox';

/** Text with the search's matches (between \u0001 and \u0002) marked. */
export function Marked({ text }: { text: string }) {
  const parts = text.split(String.fromCharCode(1)).flatMap((p, i) => (i === 0 ? [p] : p.split(String.fromCharCode(2))));
  return <>{parts.map((p, i) => (i % 2 ? <mark key={i}>{p}</mark> : <span key={i}>{p}</span>))}</>;
}

/**
 * The transcript beside the video: the utterance being spoken highlighted and followed, a click
 * (or Enter) seeks to it, speakers coloured, search with hits to step through, and a selected
 * range of utterances marked as a segment.
 */
export const TranscriptPanel = memo(function TranscriptPanel(props: {
  sessionId: number;
  utterances: Utterance[] | null;
  error: string | null;
  /** The playhead: the panel renders again only when the current utterance changes. */
  playhead: Playhead;
  onSeek: (ms: number) => void;
  /** Opens the segment form over a span; null when nobody is rating. */
  onMark: ((kind: SegmentKind, startMs: number, endMs: number) => void) | null;
  /** New utterances were stored here (a transcription): the list is read again. */
  onTranscribed: () => void;
}) {
  const { sessionId, utterances, error, playhead, onSeek, onMark } = props;
  const transcribe = <TranscribeBox sessionId={sessionId} onChanged={props.onTranscribed} />;
  const [follow, setFollow] = useState(true);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<TranscriptHit[] | null>(null);
  const [hitIndex, setHitIndex] = useState(0);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [range, setRange] = useState<[number, number] | null>(null);
  const [editing, setEditing] = useState<{ id: number; text: string; speaker: string } | null>(null);
  const [editError, setEditError] = useState<string | null>(null);
  const saveEdit = async () => {
    if (!editing) return;
    try {
      await api.call('transcript:edit', { id: editing.id, text: editing.text, speaker: editing.speaker });
      const id = editing.id;
      setEditing(null);
      setEditError(null);
      props.onTranscribed();
      requestAnimationFrame(() =>
        listRef.current?.querySelector<HTMLElement>(`[data-id="${id}"] button.utterance`)?.focus(),
      );
    } catch (e) {
      setEditError(errorMessage(e));
    }
  };
  const listRef = useRef<HTMLOListElement>(null);
  const speakers = useMemo(() => [...new Set((utterances ?? []).map((u) => u.speaker))], [utterances]);
  // The first utterance that has not begun at `ms` (they are in time order): a binary search.
  const firstAfter = useCallback(
    (ms: number) => {
      if (!utterances) return 0;
      let lo = 0;
      let hi = utterances.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (utterances[mid]!.startMs <= ms) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
    [utterances],
  );
  // The current utterance is the last that has begun; it changes when the next one begins.
  const currentOf = useCallback((ms: number) => (utterances ? firstAfter(ms) - 1 : -1), [utterances, firstAfter]);
  const nextChange = useCallback(
    (ms: number) => utterances?.[firstAfter(ms)]?.startMs ?? Infinity,
    [utterances, firstAfter],
  );
  const current = usePlayhead(playhead, currentOf, nextChange);
  useEffect(() => {
    if (!follow || current < 0) return;
    const el = listRef.current?.querySelector<HTMLElement>(`[data-index="${current}"]`);
    el?.scrollIntoView({ block: 'nearest' });
  }, [current, follow]);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setHits(null);
      return;
    }
    const t = setTimeout(() => {
      api
        .call('transcript:search', { query: q, sessionId })
        .then((h) => {
          setHits(h);
          setHitIndex(0);
          setSearchError(null);
        })
        .catch((e: unknown) => setSearchError(errorMessage(e)));
    }, 150);
    return () => clearTimeout(t);
  }, [query, sessionId]);

  const goHit = (i: number) => {
    if (!hits?.length) return;
    const n = (i + hits.length) % hits.length;
    setHitIndex(n);
    setFollow(false);
    onSeek(hits[n]!.startMs);
    const at = utterances?.findIndex((u) => u.id === hits[n]!.utteranceId) ?? -1;
    listRef.current?.querySelector<HTMLElement>(`[data-index="${at}"]`)?.scrollIntoView({ block: 'center' });
  };
  const hitIds = useMemo(() => new Set(hits?.map((h) => h.utteranceId)), [hits]);
  const marked = useMemo(() => new Map(hits?.map((h) => [h.utteranceId, h.marked])), [hits]);
  const picked = (i: number) => range !== null && i >= Math.min(...range) && i <= Math.max(...range);

  if (error)
    return (
      <p className="inline-error" role="alert">
        {error}
      </p>
    );
  if (!utterances) return <p className="muted">Loading the transcript…</p>;
  if (!utterances.length)
    return (
      <>
        {transcribe}
        <p className="muted">
          No transcript yet. Transcribe the session here, or import one (WebVTT, SRT, timed text, or ELAN transcript
          tiers) with “Import / export…” above the lanes.
        </p>
      </>
    );
  const span: [Utterance, Utterance] | null =
    range && utterances ? [utterances[Math.min(...range)]!, utterances[Math.max(...range)]!] : null;
  const hit = hits?.[hitIndex];
  return (
    <div className="transcript-panel">
      {transcribe}
      <form
        className="transcript-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          goHit(hitIndex + 1);
        }}
      >
        <label className="grow">
          <span className="sr-only">Search the transcript</span>
          <input
            type="search"
            value={query}
            placeholder="Search the transcript"
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && e.shiftKey) {
                e.preventDefault();
                goHit(hitIndex - 1);
              }
            }}
          />
        </label>
        <button type="button" onClick={() => goHit(hitIndex - 1)} disabled={!hits?.length} aria-label="Previous hit">
          ↑
        </button>
        <button type="submit" disabled={!hits?.length} aria-label="Next hit">
          ↓
        </button>
      </form>
      <div className="transcript-actions">
        <span className="muted transcript-status grow" role="status">
          {searchError ??
            (hits
              ? hits.length
                ? `Hit ${hitIndex + 1} of ${hits.length}${hit ? ` · ${formatTime(hit.startMs, false)}` : ''}`
                : 'No utterance has these words.'
              : `${count(utterances.length, 'utterance')} · ${speakers.filter(Boolean).join(', ') || 'no speakers named'}`)}
        </span>
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow playback
        </label>
        {span && range && range[0] === range[1] && !editing && (
          <button
            type="button"
            onClick={() => setEditing({ id: span[0].id, text: span[0].text, speaker: span[0].speaker })}
            title="Correct the words or the speaker of this utterance"
          >
            Edit…
          </button>
        )}
        {span && onMark && (
          <>
            <span className="muted">
              {formatTime(span[0].startMs, false)}–{formatTime(span[1].endMs, false)}
            </span>
            <button type="button" onClick={() => onMark('rupture', span[0].startMs, span[1].endMs)}>
              Mark as rupture…
            </button>
            <button type="button" onClick={() => onMark('repair', span[0].startMs, span[1].endMs)}>
              Mark as repair…
            </button>
            <button type="button" onClick={() => setRange(null)}>
              Clear
            </button>
          </>
        )}
      </div>
      <ol className="transcript-list" ref={listRef} aria-label="Transcript">
        {utterances.map((u, i) => (
          <li
            key={u.id}
            data-index={i}
            data-id={u.id}
            className={`${i === current ? 'current' : ''}${hitIds.has(u.id) ? ' hit' : ''}${picked(i) ? ' picked' : ''}`}
            aria-current={i === current ? 'true' : undefined}
          >
            {editing?.id === u.id ? (
              <form
                className="utterance-edit"
                aria-label={`Edit the utterance at ${formatTime(u.startMs, false)}`}
                onSubmit={(e) => {
                  e.preventDefault();
                  void saveEdit();
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') {
                    setEditing(null);
                    setEditError(null);
                  }
                }}
              >
                <label>
                  Speaker
                  <input
                    value={editing.speaker}
                    onChange={(e) => setEditing({ ...editing, speaker: e.target.value })}
                  />
                </label>
                <label className="grow">
                  Words
                  <textarea
                    autoFocus
                    rows={3}
                    value={editing.text}
                    onChange={(e) => setEditing({ ...editing, text: e.target.value })}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' && !e.shiftKey) {
                        e.preventDefault();
                        void saveEdit();
                      }
                    }}
                  />
                </label>
                {editError && (
                  <span className="field-error small" role="alert">
                    {editError}
                  </span>
                )}
                <div className="form-actions">
                  <button type="submit">Save</button>
                  <button type="button" onClick={() => setEditing(null)}>
                    Cancel
                  </button>
                </div>
              </form>
            ) : (
              <button
                type="button"
                className="utterance"
                onClick={(e) => {
                  if (e.shiftKey && range) setRange([range[0], i]);
                  else if (e.shiftKey) setRange([i, i]);
                  else {
                    onSeek(u.startMs);
                    setRange([i, i]);
                  }
                }}
                title="Click: play from here · Shift+click: extend the selection to mark it as a segment"
              >
                <span className="time">{formatTime(u.startMs, false)}</span>
                {u.speaker && <span className={`speaker ${speakerClass(speakers, u.speaker)}`}>{u.speaker}</span>}
                <span className="text">{marked.has(u.id) ? <Marked text={marked.get(u.id)!} /> : u.text}</span>
              </button>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
});
