/**
 * Feedback: comments a supervisor (or a peer) leaves on a trainee's session, and the trainee's
 * replies. Not a rating: visible at once, never counted in agreement, never unblinding anyone.
 */
import type { Role, SegmentKind } from './annotations';

export const FEEDBACK_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type FeedbackState = (typeof FEEDBACK_STATES)[number];

/** The roles that take part in supervision: they read and write feedback. */
export const FEEDBACK_ROLES: readonly Role[] = ['supervisor', 'trainee', 'therapist'];

export interface FeedbackItem {
  id: number;
  authorId: number;
  authorName: string;
  authorRole: Role;
  text: string;
  createdAt: string;
  editedAt: string | null;
  /** New to the viewer: written by someone else and not yet read by them. */
  unread: boolean;
}

export interface FeedbackThread extends FeedbackItem {
  sessionId: number;
  startMs: number;
  endMs: number;
  label: string | null;
  state: FeedbackState;
  /** Who last acknowledged or resolved it. */
  stateBy: string | null;
  /** The segment the comment is about, when the viewer may see it (blind rating). */
  segment: { id: number; kind: SegmentKind; startMs: number; endMs: number; codes: string[]; raterName: string } | null;
  replies: FeedbackItem[];
  /** Items in the thread (the comment and its replies) new to the viewer. */
  unreadCount: number;
}

export interface FeedbackView {
  threads: FeedbackThread[];
  labels: string[];
  unread: number;
  /** Whether feedback is held from a trainee until they submit, and how many items it holds from this viewer. */
  hold: FeedbackHold;
}

/** The session's hold: on or off, where that comes from, and what it holds from the viewer now. */
export interface FeedbackHold {
  on: boolean;
  /** The session's own setting, its case's, or the default (on). */
  source: 'session' | 'case' | 'default';
  /** Comments and replies by others this viewer does not see yet (0 for a supervisor). */
  held: number;
}

/** Per session: how many threads, how many open, how many items new to the viewer. */
export interface FeedbackCount {
  sessionId: number;
  threads: number;
  open: number;
  unread: number;
}
