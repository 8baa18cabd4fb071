import { memo, useEffect, useRef, useState } from 'react';
import type { Rater } from '../../../shared/annotations';
import type { FeedbackItem, FeedbackThread } from '../../../shared/feedback';
import { formatTime } from '../../../shared/time';
import type { FeedbackActions } from './useFeedback';

const STATE_LABEL = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' } as const;

/** Enter saves, Shift+Enter starts a new line (as the README says). */
export function onEnterSave(save: () => void) {
  return (e: React.KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      save();
    }
  };
}

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** One comment with its replies, its state and what the viewer may do with it. */
export const ThreadItem = memo(function ThreadItem(props: {
  thread: FeedbackThread;
  me: Rater;
  active: boolean;
  /** Changes when the player asks to open this thread (N, or its marker on the lane): focus the reply box. */
  focusRequest: number;
  actions: FeedbackActions;
  onSeek: (ms: number) => void;
  onClip: (t: FeedbackThread) => void;
  inPlaylist: boolean;
  onTogglePlaylist: (id: number) => void;
  onActivate: (t: FeedbackThread) => void;
}) {
  const { thread: t, me, active, focusRequest, actions, onSeek, onClip, onActivate } = props;
  const { inPlaylist, onTogglePlaylist } = props;
  const [reply, setReply] = useState('');
  const [editing, setEditing] = useState<FeedbackItem | null>(null);
  const [editText, setEditText] = useState('');
  const replyRef = useRef<HTMLTextAreaElement>(null);
  const rootRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (focusRequest > 0) {
      rootRef.current?.scrollIntoView({ block: 'nearest' });
      replyRef.current?.focus();
    }
  }, [focusRequest]);
  const span = t.endMs > t.startMs ? `${formatTime(t.startMs)}–${formatTime(t.endMs)}` : formatTime(t.startMs);
  const length = t.endMs > t.startMs ? ` · ${((t.endMs - t.startMs) / 1000).toFixed(1)} s` : '';
  const sendReply = async () => {
    if (!reply.trim()) return;
    if (await actions.reply(t.id, reply)) {
      setReply('');
      // Sent: the focus leaves the text box for the thread itself, so the player's keys (N for the
      // next comment, Space to play) work again and nothing typed next lands in this thread.
      rootRef.current?.focus();
    } else replyRef.current?.focus();
  };
  const saveEdit = async () => {
    if (editing && (await actions.edit(editing.id, editText))) setEditing(null);
  };
  const item = (x: FeedbackItem, isRoot: boolean) => (
    <div className={`fb-item${x.unread ? ' unread' : ''}`} key={x.id}>
      <div className="fb-meta">
        <span className="fb-author">
          {x.authorName} <span className="muted">({x.authorRole})</span>
        </span>
        {x.unread && <span className="badge">new</span>}
        <span className="muted">
          {when(x.createdAt)}
          {x.editedAt ? ' · edited' : ''}
        </span>
      </div>
      {editing?.id === x.id ? (
        <div className="fb-edit">
          <textarea
            aria-label="Edit the text"
            value={editText}
            onChange={(e) => setEditText(e.target.value)}
            onKeyDown={onEnterSave(() => void saveEdit())}
            autoFocus
          />
          <button type="button" onClick={() => void saveEdit()}>
            Save
          </button>
          <button type="button" onClick={() => setEditing(null)}>
            Cancel
          </button>
        </div>
      ) : (
        <p className="fb-text">{x.text}</p>
      )}
      {x.authorId === me.id && editing?.id !== x.id && (
        <div className="fb-own">
          <button
            type="button"
            className="link"
            onClick={() => {
              setEditing(x);
              setEditText(x.text);
            }}
          >
            Edit{isRoot ? ' comment' : ' reply'}
          </button>
          <button type="button" className="link" onClick={() => void actions.remove(x.id)}>
            Delete{isRoot ? ' comment' : ' reply'}
          </button>
        </div>
      )}
    </div>
  );
  return (
    <article
      ref={rootRef}
      tabIndex={-1}
      className={`fb-thread state-${t.state}${active ? ' active' : ''}`}
      aria-label={`Comment at ${span} by ${t.authorName}, ${STATE_LABEL[t.state].toLowerCase()}${t.unreadCount ? `, ${t.unreadCount} new` : ''}`}
      // Reached from the keyboard (N, Tab): the thread itself. A press on one of its buttons
      // activates it on the click, after the press, so nothing moves under the pointer meanwhile.
      onFocus={(e) => e.target === e.currentTarget && onActivate(t)}
      onClick={() => onActivate(t)}
    >
      <header className="fb-head">
        <button type="button" className="fb-time" onClick={() => onSeek(t.startMs)} title={`Go to ${span}`}>
          {formatTime(t.startMs)}
          <span className="muted">{length}</span>
        </button>
        {t.label && <span className="fb-label">{t.label}</span>}
        <span className={`fb-state ${t.state}`}>
          {STATE_LABEL[t.state]}
          {t.stateBy && t.state !== 'open' ? ` by ${t.stateBy}` : ''}
        </span>
      </header>
      {t.segment && (
        <p className="fb-about muted">
          About {t.segment.raterName}’s {t.segment.kind} {t.segment.codes.join(' ')} at {formatTime(t.segment.startMs)}
        </p>
      )}
      {item(t, true)}
      {t.replies.length > 0 && <div className="fb-replies">{t.replies.map((r) => item(r, false))}</div>}
      <div className="fb-reply">
        <textarea
          ref={replyRef}
          aria-label={`Reply to ${t.authorName}’s comment at ${span}`}
          placeholder="Reply (Enter sends)"
          value={reply}
          rows={1}
          onChange={(e) => setReply(e.target.value)}
          onKeyDown={onEnterSave(() => void sendReply())}
        />
        <div className="fb-actions">
          <button type="button" onClick={() => void sendReply()} disabled={!reply.trim()}>
            Reply
          </button>
          {t.state === 'open' && (
            <button type="button" onClick={() => void actions.setState(t.id, 'acknowledged')}>
              Acknowledge
            </button>
          )}
          {t.state !== 'resolved' ? (
            <button type="button" onClick={() => void actions.setState(t.id, 'resolved')}>
              Resolve
            </button>
          ) : (
            <button type="button" onClick={() => void actions.setState(t.id, 'open')}>
              Reopen
            </button>
          )}
          <button type="button" onClick={() => onClip(t)} title="Cut a teaching clip of this moment">
            Clip…
          </button>
          <label className="checkbox small">
            <input type="checkbox" checked={inPlaylist} onChange={() => onTogglePlaylist(t.id)} /> Playlist
          </label>
        </div>
      </div>
    </article>
  );
});
