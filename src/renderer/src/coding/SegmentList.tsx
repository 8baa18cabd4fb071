import { originText } from '../interop/origin';
import type { TalkActivity } from '../../../shared/talk';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { Rater, RuptureStatus, Segment, SegmentKind } from '../../../shared/annotations';
import type { Code } from '../../../shared/codebook';
import { formatTime } from '../../../shared/time';
import { segmentIndex } from './segment-index';

type SortKey = 'start' | 'kind' | 'code' | 'rater';

/** Rows have a fixed height so that only those in view are rendered (sessions run to thousands). */
const ROW_H = 40;

/**
 * Every segment of the session: sortable, filterable; a click (or Space) goes to a segment, Enter
 * edits one of your own, ⟲ loops a segment.
 */
export const SegmentList = memo(function SegmentList(props: {
  segments: Segment[];
  raters: Rater[];
  codes: Map<string, Code>;
  statuses: Map<number, RuptureStatus>;
  selectedId: number | null;
  loopingId: number | null;
  onPick: (s: Segment) => void;
  onLoop: (s: Segment | null) => void;
  /** Enter on a row: edit the segment (the rater's own), instead of going to it. */
  onEdit?: (s: Segment) => void;
  /** Cuts a teaching clip of a segment. */
  onClip?: (s: Segment) => void;
  /** The playlist: whether a segment is in it, and adding or taking it out. */
  inPlaylist?: (kind: 'segment', id: number) => boolean;
  onTogglePlaylist?: (s: Segment) => void;
  /** Who speaks when: lets the list show the segments at a long silence or at overlapping talk. */
  talk?: TalkActivity | null;
}) {
  const { segments, raters, codes, statuses, selectedId, loopingId, talk } = props;
  const [near, setNear] = useState<'' | 'silence' | 'overlap'>('');
  const [kind, setKind] = useState<SegmentKind | ''>('');
  const [code, setCode] = useState('');
  const [rater, setRater] = useState<number | ''>('');
  const [sort, setSort] = useState<SortKey>('start');
  const scrollRef = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setView({ top: el.scrollTop, height: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const names = useMemo(() => new Map(raters.map((r) => [r.id, r.name])), [raters]);
  const byId = segmentIndex(segments);
  const shown = useMemo(() => {
    const q = code.trim().toUpperCase();
    // No filter, in time order: the list as it is kept (by start, then id), with no copy.
    if (!q && !kind && rater === '' && !near && sort === 'start') return segments;
    // At a long silence: overlapping it or within 2 s of it (a withdrawal often starts or ends
    // in one); at overlapping talk: overlapping it.
    const spans = near === 'silence' ? (talk?.silences ?? []) : near === 'overlap' ? (talk?.overlaps ?? []) : null;
    const pad = near === 'silence' ? 2000 : 0;
    const list = segments.filter(
      (s) =>
        (!spans || spans.some(([a, b]) => s.startMs < b + pad && s.endMs + pad > a)) &&
        (!kind || s.kind === kind) &&
        (rater === '' || s.raterId === rater) &&
        (!q || s.codes.some((c) => c.startsWith(q)) || (s.kind === 'comment' && s.note.toUpperCase().includes(q))),
    );
    const key = (s: Segment): string | number =>
      sort === 'start'
        ? s.startMs
        : sort === 'kind'
          ? s.kind
          : sort === 'code'
            ? (s.codes[0] ?? '~')
            : (names.get(s.raterId) ?? '');
    return [...list].sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return (
        (typeof ka === 'number'
          ? ka - (kb as number)
          : String(ka).localeCompare(String(kb), 'en', { numeric: true })) || a.startMs - b.startMs
      );
    });
  }, [segments, kind, code, rater, sort, names, near, talk]);

  const first = Math.max(0, Math.floor(view.top / ROW_H) - 5);
  const last = Math.min(shown.length, Math.ceil((view.top + view.height) / ROW_H) + 5);
  // Keep the selected segment in view when it changes from elsewhere (a click on a lane).
  useEffect(() => {
    const el = scrollRef.current;
    const index = shown.findIndex((x) => x.id === selectedId);
    if (!el || index < 0) return;
    const y = index * ROW_H;
    if (y < el.scrollTop || y + ROW_H > el.scrollTop + el.clientHeight)
      el.scrollTop = Math.max(0, y - el.clientHeight / 2);
  }, [selectedId]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div className="segment-list">
      <div className="filters">
        <select aria-label="Filter by type" value={kind} onChange={(e) => setKind(e.target.value as SegmentKind | '')}>
          <option value="">all types</option>
          <option value="rupture">ruptures</option>
          <option value="repair">repairs</option>
          <option value="comment">comments</option>
        </select>
        <input
          aria-label="Filter by code"
          placeholder="code…"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          size={6}
        />
        <select
          aria-label="Filter by rater"
          value={rater}
          onChange={(e) => setRater(e.target.value ? Number(e.target.value) : '')}
        >
          <option value="">all raters</option>
          {raters.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
        {talk && (
          <select
            aria-label="Filter by talk"
            value={near}
            onChange={(e) => setNear(e.target.value as '' | 'silence' | 'overlap')}
          >
            <option value="">any talk</option>
            <option value="silence">at a long silence</option>
            {talk.mode !== 'voice' && <option value="overlap">at overlapping talk</option>}
          </select>
        )}
        <select aria-label="Sort by" value={sort} onChange={(e) => setSort(e.target.value as SortKey)}>
          <option value="start">by time</option>
          <option value="kind">by type</option>
          <option value="code">by code</option>
          <option value="rater">by rater</option>
        </select>
      </div>
      <p className="muted small count">
        {shown.length} of {segments.length}
      </p>
      {segments.length === 0 && (
        <p className="muted small">
          No segments yet. While the video plays, press <kbd>R</kbd> to open a rupture and <kbd>R</kbd> again to close
          it; <kbd>P</kbd> for a repair, <kbd>C</kbd> for a comment. Or drag on your lane.
        </p>
      )}
      <div
        className="rows"
        ref={scrollRef}
        onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
      >
        <ul aria-label="Segments" style={{ height: shown.length * ROW_H, position: 'relative' }}>
          {shown.slice(first, last).map((s, i) => {
            const st = s.kind === 'rupture' ? statuses.get(s.id) : undefined;
            return (
              <li
                key={s.id}
                className={`${s.id === selectedId ? 'selected' : ''}`}
                style={{ position: 'absolute', top: (first + i) * ROW_H, height: ROW_H, left: 0, right: 0 }}
              >
                <button
                  type="button"
                  className="row"
                  onClick={() => props.onPick(s)}
                  onKeyDown={(e) => {
                    if (e.key !== 'Enter' || !props.onEdit) return;
                    e.preventDefault();
                    e.stopPropagation();
                    props.onPick(s);
                    props.onEdit(s);
                  }}
                  title={`Go to ${s.kind} at ${formatTime(s.startMs)}${s.origin ? `\n${originText(s.origin)}` : ''}`}
                >
                  <span className="tabular time-range">
                    {formatTime(s.startMs, false)}
                    {s.endMs > s.startMs ? `–${formatTime(s.endMs, false).slice(3)}` : ''}
                  </span>
                  <span
                    className={`kind-dot kind-${s.kind}`}
                    style={{ ['--seg' as string]: codes.get(s.codes[0] ?? '')?.color }}
                  />
                  <span className="what">
                    {s.kind === 'comment' ? (
                      <>
                        {s.resolved ? '✓ ' : ''}comment: “{s.note}”
                      </>
                    ) : (
                      <>
                        <strong>{s.codes.join('+') || s.kind}</strong>{' '}
                        {s.codes.length === 1 ? codes.get(s.codes[0]!)?.label : ''}
                        {s.rating ? <span className="rating-num"> ●{s.rating}</span> : null}
                        {s.codes.length === 0 && <span className="to-code"> not coded yet</span>}
                        {s.kind === 'repair' && s.linkedRuptureIds.length > 0 && (
                          <span className="muted">
                            {' '}
                            → {s.linkedRuptureIds.map((id) => byId.get(id)?.codes.join('+') || 'rupture').join(', ')}
                          </span>
                        )}
                        {st && (
                          <span className={`status ${st.status}`}>
                            {' '}
                            {st.status === 'unrepaired' ? 'not repaired' : st.status}
                          </span>
                        )}
                      </>
                    )}
                  </span>
                  <span className="muted small who">
                    {s.origin && (
                      <span aria-hidden="true" title={originText(s.origin)}>
                        ⇩{' '}
                      </span>
                    )}
                    {names.get(s.raterId)}
                  </span>
                  {s.origin && <span className="sr-only"> (imported from {s.origin.file})</span>}
                  {/* The kind, for screen readers, after the visible text (the name starts with what is seen). */}
                  {s.kind !== 'comment' && <span className="sr-only"> ({s.kind})</span>}
                </button>
                <button
                  type="button"
                  className={`loop${loopingId === s.id ? ' on' : ''}`}
                  aria-pressed={loopingId === s.id}
                  aria-label={`Loop ${s.kind} at ${formatTime(s.startMs)}`}
                  title="Loop this segment"
                  onClick={() => props.onLoop(loopingId === s.id ? null : s)}
                  disabled={s.endMs <= s.startMs}
                >
                  ⟲
                </button>
                {props.onTogglePlaylist && (
                  <button
                    type="button"
                    className={`loop${props.inPlaylist?.('segment', s.id) ? ' on' : ''}`}
                    aria-pressed={props.inPlaylist?.('segment', s.id) ?? false}
                    aria-label={`Playlist: ${s.kind} at ${formatTime(s.startMs)}`}
                    title="Add to the playlist (or take it out)"
                    onClick={() => props.onTogglePlaylist!(s)}
                  >
                    ≡
                  </button>
                )}
                {props.onClip && (
                  <button
                    type="button"
                    className="loop"
                    aria-label={`Clip of ${s.kind} at ${formatTime(s.startMs)}`}
                    title="Cut a teaching clip of this segment"
                    onClick={() => props.onClip!(s)}
                  >
                    ✂
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
});
