import { useCallback, useMemo, useState } from 'react';
import type { Rater } from '../../../shared/annotations';
import type { FeedbackThread } from '../../../shared/feedback';
import type { FeedbackRequest } from './FeedbackPanel';
import { useFeedback } from './useFeedback';

/** Requests are numbered across the whole app, so a panel can tell a new one from one it handled. */
let lastNonce = 0;

/**
 * Feedback in the player: the panel's requests (a new comment over a span, a thread to open) and
 * the "next unread" key, on top of the session's feedback.
 */
export function usePlayerFeedback(
  sessionId: number,
  rater: Rater | null,
  seekMs: (ms: number) => void,
  ratingStatus?: string,
) {
  const fb = useFeedback(sessionId, rater, ratingStatus);
  const [request, setRequest] = useState<FeedbackRequest | null>(null);
  const threads = fb.view?.threads;

  const newComment = useCallback((startMs: number, endMs: number | null) => {
    setRequest({ kind: 'new', startMs, endMs, nonce: ++lastNonce });
  }, []);
  const open = useCallback(
    (t: FeedbackThread) => {
      seekMs(t.startMs);
      setRequest({ kind: 'open', threadId: t.id, nonce: ++lastNonce });
      fb.actions.markRead(t);
    },
    [seekMs, fb.actions],
  );
  /** The next thread with something new after `nowMs` (wrapping to the start); false when none. */
  const nextUnread = useCallback(
    (nowMs: number): boolean => {
      const list = (threads ?? []).filter((t) => t.unreadCount > 0);
      const next = list.find((t) => t.startMs > nowMs + 1) ?? list[0];
      if (!next) return false;
      open(next);
      return true;
    },
    [threads, open],
  );
  // One stable object: the side panel is memoised and must not re-render on every player render.
  const { takesPart, view, error, actions, reload } = fb;
  return useMemo(
    () => ({
      takesPart,
      view,
      error,
      actions,
      reload,
      request,
      newComment,
      open,
      nextUnread,
      activeId: request?.kind === 'open' ? request.threadId : null,
    }),
    [takesPart, view, error, actions, reload, request, newComment, open, nextUnread],
  );
}
