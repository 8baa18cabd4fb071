import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Rater } from '../../../shared/annotations';
import { FEEDBACK_ROLES, type FeedbackState, type FeedbackThread, type FeedbackView } from '../../../shared/feedback';
import { api, errorMessage } from '../api';

export interface FeedbackActions {
  add(c: {
    startMs: number;
    endMs: number | null;
    label: string | null;
    text: string;
    segmentId?: number | null;
  }): Promise<FeedbackThread | null>;
  reply(threadId: number, text: string): Promise<boolean>;
  setState(threadId: number, state: FeedbackState): Promise<void>;
  edit(id: number, text: string, label?: string | null): Promise<boolean>;
  remove(id: number): Promise<void>;
  markRead(thread: FeedbackThread): void;
  /** Replaces the label list (supervisors). */
  setLabels(labels: string[]): Promise<boolean>;
  /** Holds the session's feedback from a trainee rating it blind, or releases it (supervisors). */
  setHold(hold: boolean | null): Promise<void>;
  clearError(): void;
}

/**
 * The session's feedback for the current rater: threads, labels, what is new, and the actions.
 * Nothing for raters outside supervision (observers rate blind; patients are not its audience).
 */
export function useFeedback(
  sessionId: number,
  rater: Rater | null,
  /** The rater's own rating status: a submit lifts a hold, so the feedback is read again. */
  ratingStatus?: string,
) {
  const takesPart = rater !== null && FEEDBACK_ROLES.includes(rater.role);
  const [view, setView] = useState<FeedbackView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    if (!takesPart) return setView(null);
    api.call('feedback:list', { sessionId }).then(setView, (e: unknown) => setError(errorMessage(e)));
  }, [sessionId, takesPart]);
  useEffect(() => {
    load();
    // Comments come from the command line or another window too: look again when coming back.
    window.addEventListener('focus', load);
    return () => window.removeEventListener('focus', load);
  }, [load, rater?.id, ratingStatus]);

  const put = useCallback((t: FeedbackThread) => {
    setView((v) => {
      if (!v) return v;
      const threads = v.threads.some((x) => x.id === t.id)
        ? v.threads.map((x) => (x.id === t.id ? t : x))
        : [...v.threads, t].sort((a, b) => a.startMs - b.startMs || a.id - b.id);
      return { ...v, threads, unread: threads.reduce((n, x) => n + x.unreadCount, 0) };
    });
  }, []);

  const actions = useMemo<FeedbackActions>(
    () => ({
      async add(c) {
        try {
          const t = await api.call('feedback:add', { sessionId, ...c });
          put(t);
          setError(null);
          return t;
        } catch (e) {
          setError(errorMessage(e));
          return null;
        }
      },
      async reply(threadId, text) {
        try {
          put(await api.call('feedback:reply', { threadId, text }));
          setError(null);
          return true;
        } catch (e) {
          setError(errorMessage(e));
          return false;
        }
      },
      async setState(threadId, state) {
        try {
          put(await api.call('feedback:setState', { threadId, state }));
        } catch (e) {
          setError(errorMessage(e));
        }
      },
      async edit(id, text, label) {
        try {
          put(await api.call('feedback:edit', { id, text, label }));
          return true;
        } catch (e) {
          setError(errorMessage(e));
          return false;
        }
      },
      async remove(id) {
        try {
          await api.call('feedback:delete', { id });
          load();
        } catch (e) {
          setError(errorMessage(e));
        }
      },
      markRead(thread) {
        const ids = [thread, ...thread.replies].filter((x) => x.unread).map((x) => x.id);
        if (!ids.length) return;
        // Shown as read at once; the store keeps it.
        put({
          ...thread,
          unread: false,
          unreadCount: 0,
          replies: thread.replies.map((r) => ({ ...r, unread: false })),
        });
        api.call('feedback:markRead', { ids }).catch((e: unknown) => setError(errorMessage(e)));
      },
      async setLabels(labels) {
        try {
          const saved = await api.call('feedback:setLabels', { labels });
          setView((v) => (v ? { ...v, labels: saved } : v));
          setError(null);
          return true;
        } catch (e) {
          setError(errorMessage(e));
          return false;
        }
      },
      async setHold(hold) {
        try {
          await api.call('feedback:setHold', { sessionId, hold });
          setError(null);
          load();
        } catch (e) {
          setError(errorMessage(e));
        }
      },
      clearError: () => setError(null),
    }),
    [sessionId, put, load],
  );
  return { takesPart, view, error, actions, reload: load };
}
