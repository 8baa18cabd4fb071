import { memo, useEffect, useRef, useState } from 'react';
import type { Rater } from '../../../shared/annotations';
import type { FeedbackHold, FeedbackThread, FeedbackView } from '../../../shared/feedback';
import { formatTime, parseTime } from '../../../shared/time';
import type { Playlist } from '../clips/usePlaylist';
import { InlineError } from '../ui/InlineError';
import { onEnterSave, ThreadItem } from './ThreadItem';
import type { FeedbackActions } from './useFeedback';
import { SupervisionLine } from '../supervision/SupervisionForms';

/** The newest request a panel has acted on (requests are numbered across the app). */
let handledRequest = 0;

/** What the player asks of the panel: a new comment over a span, or one thread opened. */
export type FeedbackRequest =
  | { kind: 'new'; startMs: number; endMs: number | null; nonce: number }
  | { kind: 'open'; threadId: number; nonce: number };

/**
 * Feedback on the session: comments at a moment or over a span, their replies, acknowledged or
 * resolved. Visible at once to supervisor and trainee; not part of anyone's rating.
 */
export const FeedbackPanel = memo(function FeedbackPanel(props: {
  me: Rater;
  view: FeedbackView | null;
  error: string | null;
  actions: FeedbackActions;
  request: FeedbackRequest | null;
  durationMs: number;
  onSeek: (ms: number) => void;
  onClip: (t: FeedbackThread) => void;
  /** The side panel's playlist (segments and comments). */
  playlist: Playlist;
  sessionId: number;
  /** A supervision file was received here: what the session holds may have changed. */
  onSupervisionReceived: () => void;
}) {
  const { me, view, error, actions, request, durationMs, onSeek, onClip, playlist } = props;
  const toggleInPlaylist = (id: number) => {
    const t = view?.threads.find((x) => x.id === id);
    if (t) playlist.toggle({ kind: 'thread', id: t.id, startMs: t.startMs, endMs: t.endMs });
  };
  const [composing, setComposing] = useState<{ start: string; end: string; nonce: number } | null>(null);
  const [text, setText] = useState('');
  const [label, setLabel] = useState('');
  const [showResolved, setShowResolved] = useState(true);
  const [activeId, setActiveId] = useState<number | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [labelsText, setLabelsText] = useState<string | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    // The panel is mounted again whenever its tab is shown: act on a request once, not on every return.
    if (!request || request.nonce <= handledRequest) return;
    handledRequest = request.nonce;
    if (request.kind === 'new') {
      setComposing({
        start: formatTime(request.startMs),
        end: request.endMs !== null && request.endMs > request.startMs ? formatTime(request.endMs) : '',
        nonce: request.nonce,
      });
      setFormError(null);
    } else {
      setActiveId(request.threadId);
      setShowResolved(true);
    }
  }, [request]);

  // The cursor goes to the comment box whenever a new comment is asked for (after it is shown).
  const composeNonce = composing?.nonce;
  useEffect(() => {
    if (composeNonce !== undefined) textRef.current?.focus();
  }, [composeNonce]);

  const save = async () => {
    if (!composing) return;
    const startMs = parseTime(composing.start);
    const endMs = composing.end.trim() ? parseTime(composing.end) : null;
    if (startMs === null || (composing.end.trim() && endMs === null))
      return setFormError('Type times like 00:12:31.480, 12:31 or 751.5.');
    if (!text.trim()) return setFormError('Write the comment first.');
    const t = await actions.add({ startMs, endMs, label: label || null, text });
    if (t) {
      setComposing(null);
      setText('');
      setFormError(null);
      setActiveId(t.id);
    }
  };
  const activate = (t: FeedbackThread) => {
    setActiveId(t.id);
    actions.markRead(t);
  };
  const threads = (view?.threads ?? []).filter((t) => showResolved || t.state !== 'resolved');
  const openCount = (view?.threads ?? []).filter((t) => t.state !== 'resolved').length;

  return (
    <section className="feedback-panel" aria-label="Feedback">
      <div className="fb-bar">
        <button
          type="button"
          onClick={() => {
            setComposing({ start: formatTime(0), end: '', nonce: -Date.now() });
          }}
          hidden={composing !== null}
        >
          + Comment
        </button>
        <span className="muted" role="status">
          {view ? `${openCount} open · ${view.unread} new` : 'Loading…'}
        </span>
        {me.role === 'supervisor' && labelsText === null && (
          <button type="button" className="link" onClick={() => setLabelsText((view?.labels ?? []).join('\n'))}>
            Labels…
          </button>
        )}
        <label className="check">
          <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} /> Show
          resolved
        </label>
      </div>
      <HoldLine me={me} hold={view?.hold} onSet={(h) => void actions.setHold(h)} />
      <SupervisionLine sessionId={props.sessionId} onReceived={props.onSupervisionReceived} />
      {labelsText !== null && (
        <form
          className="fb-compose"
          aria-label="Feedback labels"
          onSubmit={(e) => {
            e.preventDefault();
            void actions.setLabels(labelsText.split('\n')).then((ok) => ok && setLabelsText(null));
          }}
        >
          <label>
            Labels a comment can carry, one per line
            <textarea value={labelsText} rows={5} onChange={(e) => setLabelsText(e.target.value)} autoFocus />
          </label>
          <div className="fb-actions">
            <button type="submit">Save labels</button>
            <button type="button" onClick={() => setLabelsText(null)}>
              Cancel
            </button>
            <span className="muted">Comments keep the labels they have.</span>
          </div>
        </form>
      )}
      {composing && (
        <form
          className="fb-compose"
          aria-label="New comment"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <div className="fb-times">
            <label>
              At{' '}
              <input value={composing.start} onChange={(e) => setComposing({ ...composing, start: e.target.value })} />
            </label>
            <label>
              to{' '}
              <input
                value={composing.end}
                placeholder="(a moment)"
                onChange={(e) => setComposing({ ...composing, end: e.target.value })}
              />
            </label>
            <label>
              Label{' '}
              <select value={label} onChange={(e) => setLabel(e.target.value)}>
                <option value="">none</option>
                {(view?.labels ?? []).map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <textarea
            ref={textRef}
            aria-label="Comment"
            placeholder="What should the trainee notice? (Enter saves, Shift+Enter for a new line)"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={onEnterSave(() => void save())}
          />
          <div className="fb-actions">
            <button type="submit">Save comment</button>
            <button type="button" onClick={() => setComposing(null)}>
              Cancel
            </button>
            <span className="muted">Seen by the trainee at once · session {formatTime(durationMs, false)} long</span>
          </div>
          <InlineError message={formError} />
        </form>
      )}
      <InlineError message={error} onDismiss={actions.clearError} />
      {view && view.threads.length === 0 && !composing && !view.hold.held && (
        <p className="muted empty">
          {me.role === 'supervisor'
            ? `No feedback yet. Press C at a moment (or after marking a span with Shift+drag) to leave a comment; the trainee ${view.hold.on ? 'sees it at once, or once they submit when rating this session blind,' : 'sees it at once'} and can reply.`
            : 'No feedback yet. Press C at a moment to leave a comment or a question for supervision.'}
        </p>
      )}
      <div className="fb-threads">
        {threads.map((t) => (
          <ThreadItem
            key={t.id}
            thread={t}
            me={me}
            active={t.id === activeId}
            focusRequest={request?.kind === 'open' && request.threadId === t.id ? request.nonce : 0}
            actions={actions}
            onSeek={onSeek}
            onClip={onClip}
            inPlaylist={playlist.has('thread', t.id)}
            onTogglePlaylist={toggleInPlaylist}
            onActivate={activate}
          />
        ))}
      </div>
    </section>
  );
});

/**
 * The hold on feedback: a trainee reads why the supervisor's comments are not shown yet; a
 * supervisor holds or releases them for this session.
 */
function HoldLine(props: { me: Rater; hold: FeedbackHold | undefined; onSet: (hold: boolean | null) => void }) {
  const { me, hold, onSet } = props;
  // Shown as chosen at once; the store's answer follows.
  const [chosen, setChosen] = useState<boolean | null>(null);
  useEffect(() => setChosen(null), [hold?.on, hold?.source]);
  if (!hold) return null;
  if (me.role === 'supervisor')
    return (
      <div className="fb-hold small">
        <label className="check">
          <input
            type="checkbox"
            checked={chosen ?? hold.on}
            onChange={(e) => {
              setChosen(e.target.checked);
              onSet(e.target.checked);
            }}
          />{' '}
          Hold feedback from a trainee rating this session blind, until they submit
        </label>{' '}
        <span className="muted">
          {hold.source === 'default'
            ? '(the default)'
            : hold.source === 'case'
              ? '(as the case is set)'
              : hold.on
                ? '(held for this session)'
                : '(released for this session)'}
        </span>
        {hold.source === 'session' && (
          <button type="button" className="link" onClick={() => onSet(null)}>
            Back to the default
          </button>
        )}
      </div>
    );
  if (!hold.held) return null;
  return (
    <p className="fb-hold notice" role="status">
      Your supervisor&rsquo;s feedback on this session ({hold.held} {hold.held === 1 ? 'item' : 'items'}) is held until
      you submit your own rating, so it cannot steer your self-review.
    </p>
  );
}
