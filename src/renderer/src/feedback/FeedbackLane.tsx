import { memo, useEffect, useState } from 'react';
import type { FeedbackThread } from '../../../shared/feedback';
import { formatTime } from '../../../shared/time';
import type { ViewWindow } from '../ui/view-window';
import { count } from '../../../shared/words';

/**
 * The feedback lane under the raters' lanes: each comment a marker (a moment) or a bar (a span)
 * on the same time scale; new ones stand out. A marker is a button: it opens its thread.
 */
export const FeedbackLane = memo(function FeedbackLane(props: {
  threads: FeedbackThread[];
  view: ViewWindow;
  activeId: number | null;
  onOpen: (t: FeedbackThread) => void;
}) {
  const { threads, view, activeId, onOpen } = props;
  const [win, setWin] = useState(view.get());
  useEffect(() => view.subscribe(setWin), [view]);
  const span = Math.max(1, win.end - win.start);
  const pct = (ms: number) => ((ms - win.start) / span) * 100;
  const inView = threads.filter((t) => t.endMs >= win.start && t.startMs <= win.end);
  return (
    <div className="lane-group feedback-lane">
      <div className="lane">
        <span className="lane-label">Feedback</span>
        <div className="lane-track" role="group" aria-label={`Feedback: ${count(threads.length, 'comment')}`}>
          {inView.map((t) => {
            const left = Math.max(0, pct(t.startMs));
            const width = t.endMs > t.startMs ? Math.max(0.4, Math.min(100, pct(t.endMs)) - left) : 0;
            const when =
              t.endMs > t.startMs ? `${formatTime(t.startMs)}–${formatTime(t.endMs)}` : formatTime(t.startMs);
            return (
              <button
                key={t.id}
                type="button"
                className={`fb-marker${width ? ' span' : ''}${t.unreadCount ? ' unread' : ''} ${t.state}${t.id === activeId ? ' active' : ''}`}
                style={{ left: `${left}%`, ...(width ? { width: `${width}%` } : {}) }}
                aria-label={`Comment at ${when} by ${t.authorName}${t.unreadCount ? ', new' : ''}${t.state === 'resolved' ? ', resolved' : ''}`}
                title={`${when} ${t.authorName}: ${t.text.slice(0, 120)}`}
                onClick={() => onOpen(t)}
              >
                <span aria-hidden="true">◆</span>
              </button>
            );
          })}
        </div>
      </div>
    </div>
  );
});
