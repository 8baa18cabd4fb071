/**
 * Feedback: time-stamped comments on a session and their threads of replies. Separate from
 * rating on purpose: no submit, no lock, never in agreement, calibration, perspectives or the case
 * overview, and it never unblinds a rating (a comment about a segment shows that segment only to
 * whoever may see it). Every rule about who may do what is in the policy.
 */
import type { Rater } from '../../shared/annotations';
import { AppError } from '../../shared/errors';
import { formatTime } from '../../shared/time';
import type { FeedbackCount, FeedbackItem, FeedbackState, FeedbackThread, FeedbackView } from '../../shared/feedback';
import type { RaterRepo, SegmentRepo } from '../coding/repositories';
import type { FeedbackRepo, FeedbackRow } from './repository';
import { write, type Db } from '../db/open';
import type { Policy, Viewer } from '../rpc/policy';

export interface FeedbackDeps {
  db: Db;
  repo: FeedbackRepo;
  segments: SegmentRepo;
  raters: RaterRepo;
  policy: Policy;
  /** The session's length on its own clock (NOT_FOUND for a session that does not exist). */
  sessionDurationMs(sessionId: number): number;
  /** Throws NOT_FOUND for a case that does not exist. */
  requireCase(caseId: number): void;
}

export interface NewComment {
  sessionId: number;
  startMs: number;
  /** Omitted or equal to startMs: a moment rather than a span. */
  endMs?: number | null;
  segmentId?: number | null;
  label?: string | null;
  text: string;
}

const notFound = () => new AppError('NOT_FOUND', 'That comment no longer exists (it may have been deleted).');

export class FeedbackService {
  constructor(private readonly deps: FeedbackDeps) {}

  /** The session's threads as `viewer` sees them, with what is new to them. */
  list(sessionId: number, viewer: Viewer | 'all'): FeedbackView {
    this.deps.sessionDurationMs(sessionId);
    this.deps.policy.assertFeedback(viewer);
    const readerId = viewer === 'all' ? null : viewer!.id;
    const rows = this.deps.repo.forSession(sessionId, readerId);
    const visible = this.deps.policy.visibleRaters(sessionId, viewer);
    const hold = this.hold(sessionId);
    // Held from a trainee who has not submitted: everything others wrote (see the policy).
    const heldFrom = this.deps.policy.feedbackHeldFrom(sessionId, viewer, hold);
    const threads = new Map<number, FeedbackThread>();
    let held = 0;
    for (const r of rows) {
      if (heldFrom && r.authorId !== readerId) {
        held++;
        continue;
      }
      if (r.parentId === null) threads.set(r.id, this.thread(r, visible, readerId));
      else {
        const t = threads.get(r.parentId);
        if (!t) continue;
        const item = toItem(r, readerId);
        t.replies.push(item);
        if (item.unread) t.unreadCount++;
      }
    }
    const list = [...threads.values()];
    return {
      threads: list,
      labels: this.deps.repo.labels(),
      unread: list.reduce((n, t) => n + t.unreadCount, 0),
      hold: { ...hold, held },
    };
  }

  /** Whether the session's feedback is held from trainees until they submit, and by which setting. */
  hold(sessionId: number): { on: boolean; source: 'session' | 'case' | 'default' } {
    const s = this.deps.repo.holdSettings(sessionId);
    if (s.session !== null) return { on: s.session, source: 'session' };
    if (s.case !== null) return { on: s.case, source: 'case' };
    // The default holds from a trainee rating the session blind (see the policy).
    return { on: true, source: 'default' };
  }

  /**
   * Holds or releases a session's feedback (`hold` null: as its case says), or sets it for a
   * case's sessions. Supervisors only.
   */
  setHold(
    target: { sessionId: number } | { caseId: number },
    hold: boolean | null,
    viewer: Viewer | 'all',
  ): { on: boolean; source: 'session' | 'case' | 'default' } | { caseId: number; hold: boolean | null } {
    this.deps.policy.assertCanHoldFeedback(viewer);
    if ('sessionId' in target) {
      this.deps.sessionDurationMs(target.sessionId);
      write(this.deps.db, () => this.deps.repo.setSessionHold(target.sessionId, hold));
      return this.hold(target.sessionId);
    }
    this.deps.requireCase(target.caseId);
    write(this.deps.db, () => this.deps.repo.setCaseHold(target.caseId, hold));
    return { caseId: target.caseId, hold };
  }

  /** One thread (after a change), as `viewer` sees it. */
  getThread(threadId: number, viewer: Viewer | 'all'): FeedbackThread {
    const row = this.deps.repo.get(threadId);
    if (!row) throw notFound();
    const rootId = row.parentId ?? row.id;
    const view = this.list(row.sessionId, viewer);
    const t = view.threads.find((x) => x.id === rootId);
    if (!t) throw notFound();
    return t;
  }

  /** Leaves a comment at a moment or over a span, optionally about a segment, with a label. */
  add(input: NewComment, author: Viewer | Rater): FeedbackThread {
    const me = this.author(author);
    const duration = this.deps.sessionDurationMs(input.sessionId);
    const startMs = input.startMs;
    const endMs = input.endMs ?? startMs;
    if (endMs < startMs) throw new AppError('INVALID_INPUT', 'The end of the comment must come after its start.');
    if (endMs > duration)
      throw new AppError(
        'INVALID_INPUT',
        `The comment ends at ${formatTime(endMs)}, after the end of the session (${formatTime(duration)}).`,
      );
    let segmentId: number | null = null;
    if (input.segmentId != null) {
      const seg = this.deps.policy.segmentForRead(input.segmentId, me);
      if (seg.sessionId !== input.sessionId)
        throw new AppError('INVALID_INPUT', 'That segment belongs to another session.');
      segmentId = seg.id;
    }
    const label = this.label(input.label);
    const text = clean(input.text);
    const id = write(this.deps.db, () =>
      this.deps.repo.insert({
        sessionId: input.sessionId,
        parentId: null,
        authorId: me.id,
        startMs,
        endMs,
        segmentId,
        label,
        text,
      }),
    );
    return this.getThread(id, me);
  }

  /** Replies in a thread (a reply to a reply joins the same thread). */
  reply(threadId: number, text: string, viewer: Viewer): FeedbackThread {
    const me = this.author(viewer);
    const row = this.deps.repo.get(threadId);
    if (!row) throw notFound();
    const rootId = row.parentId ?? row.id;
    write(this.deps.db, () => {
      this.deps.repo.insert({
        sessionId: row.sessionId,
        parentId: rootId,
        authorId: me.id,
        startMs: null,
        endMs: null,
        segmentId: null,
        label: null,
        text: clean(text),
      });
      // Replying answers what one has read.
      this.markThreadRead(rootId, me.id);
    });
    return this.getThread(rootId, me);
  }

  /** Marks a thread open, acknowledged or resolved (anyone taking part in feedback). */
  setState(threadId: number, state: FeedbackState, viewer: Viewer): FeedbackThread {
    const me = this.author(viewer);
    const row = this.deps.repo.get(threadId);
    if (!row) throw notFound();
    const rootId = row.parentId ?? row.id;
    write(this.deps.db, () => {
      this.deps.repo.setState(rootId, state, me.id);
      this.markThreadRead(rootId, me.id);
    });
    return this.getThread(rootId, me);
  }

  /** Changes the text (and, on a comment, the label) of one's own comment or reply. */
  edit(id: number, text: string, label: string | null | undefined, viewer: Viewer): FeedbackThread {
    const row = this.deps.repo.get(id);
    if (!row) throw notFound();
    this.deps.policy.assertFeedbackAuthor(row.authorId, row.authorName, viewer);
    const newLabel = row.parentId === null ? (label === undefined ? row.label : this.label(label)) : null;
    write(this.deps.db, () => this.deps.repo.edit(id, clean(text), newLabel));
    return this.getThread(row.parentId ?? row.id, viewer);
  }

  /**
   * Deletes one's own reply, or one's own comment with its thread. A comment that others have
   * answered is not deleted (their replies would go with it): resolve it instead.
   */
  remove(id: number, viewer: Viewer): { deleted: number } {
    const row = this.deps.repo.get(id);
    if (!row) throw notFound();
    this.deps.policy.assertFeedbackAuthor(row.authorId, row.authorName, viewer);
    if (row.parentId === null && this.deps.repo.otherRepliers(row.id, row.authorId) > 0)
      throw new AppError(
        'INVALID_INPUT',
        'Others have replied to this comment, so deleting it would delete their replies too. Mark it resolved instead.',
      );
    write(this.deps.db, () => this.deps.repo.remove(id));
    return { deleted: id };
  }

  /** Marks comments and replies as read by the viewer (opening a thread). */
  markRead(ids: readonly number[], viewer: Viewer): { unread: number } {
    const me = this.author(viewer);
    let sessionId: number | null = null;
    const mine: number[] = [];
    for (const id of ids) {
      const row = this.deps.repo.get(id);
      if (!row) continue; // deleted meanwhile: nothing to mark
      sessionId ??= row.sessionId;
      if (row.sessionId !== sessionId)
        throw new AppError('INVALID_INPUT', 'Mark the comments of one session at a time.');
      mine.push(id);
    }
    if (mine.length) write(this.deps.db, () => this.deps.repo.markRead(mine, me.id));
    return { unread: sessionId === null ? 0 : this.list(sessionId, me).unread };
  }

  /** Per session: threads, open threads, and what is new to the viewer (nothing for non-participants). */
  counts(viewer: Viewer | 'all'): FeedbackCount[] {
    if (!this.deps.policy.canUseFeedback(viewer)) return [];
    const all = this.deps.repo.counts(viewer === 'all' ? null : viewer!.id);
    // A trainee's counts leave out what is held from them (they would tell of it).
    return all
      .map((c) => {
        if (!this.deps.policy.feedbackHeldFrom(c.sessionId, viewer, this.hold(c.sessionId))) return c;
        const v = this.list(c.sessionId, viewer);
        const open = v.threads.filter((t) => t.state !== 'resolved').length;
        return { sessionId: c.sessionId, threads: v.threads.length, open, unread: v.unread };
      })
      .filter((c) => c.threads > 0);
  }

  labels(): string[] {
    return this.deps.repo.labels();
  }

  /** Replaces the label list (supervisors). Names are trimmed, unique regardless of case. */
  setLabels(names: readonly string[], viewer: Viewer | 'all'): string[] {
    this.deps.policy.assertSupervisor(viewer, 'edits the list of feedback labels');
    const seen = new Set<string>();
    const out: string[] = [];
    for (const raw of names) {
      const n = raw.trim().replace(/\s+/g, ' ');
      if (!n) continue;
      if (n.length > 40)
        throw new AppError('INVALID_INPUT', `The label "${n.slice(0, 40)}…" is longer than 40 characters.`);
      if (seen.has(n.toLowerCase())) continue;
      seen.add(n.toLowerCase());
      out.push(n);
    }
    write(this.deps.db, () => this.deps.repo.setLabels(out));
    return this.labels();
  }

  private thread(r: FeedbackRow, visible: Set<number> | null, readerId: number | null): FeedbackThread {
    const item = toItem(r, readerId);
    const seg = r.segmentId === null ? undefined : this.deps.segments.get(r.segmentId);
    return {
      ...item,
      sessionId: r.sessionId,
      startMs: r.startMs ?? 0,
      endMs: r.endMs ?? r.startMs ?? 0,
      label: r.label,
      state: r.state,
      stateBy: r.stateBy,
      segment:
        seg && (!visible || visible.has(seg.raterId))
          ? {
              id: seg.id,
              kind: seg.kind,
              startMs: seg.startMs,
              endMs: seg.endMs,
              codes: seg.codes,
              raterName: this.deps.raters.get(seg.raterId)?.name ?? '',
            }
          : null,
      replies: [],
      unreadCount: item.unread ? 1 : 0,
    };
  }

  private author(viewer: Viewer | Rater | 'all'): Rater {
    if (viewer === 'all')
      throw new AppError('INVALID_INPUT', 'Say who writes the comment (--author NAME): feedback always has an author.');
    this.deps.policy.assertFeedback(viewer);
    return viewer!;
  }

  private label(label: string | null | undefined): string | null {
    if (label == null || label.trim() === '') return null;
    const known = this.deps.repo.labels();
    const found = known.find((l) => l.toLowerCase() === label.trim().toLowerCase());
    if (!found)
      throw new AppError(
        'INVALID_INPUT',
        `"${label}" is not one of the feedback labels (${known.join(', ') || 'none yet'}). A supervisor can add it to the list.`,
      );
    return found;
  }

  private markThreadRead(rootId: number, raterId: number): void {
    const ids = [
      rootId,
      ...this.deps.repo
        .forSession(this.deps.repo.get(rootId)!.sessionId, raterId)
        .filter((r) => r.parentId === rootId)
        .map((r) => r.id),
    ];
    this.deps.repo.markRead(ids, raterId);
  }
}

function toItem(r: FeedbackRow, readerId: number | null): FeedbackItem {
  return {
    id: r.id,
    authorId: r.authorId,
    authorName: r.authorName,
    authorRole: r.authorRole,
    text: r.text,
    createdAt: r.createdAt,
    editedAt: r.editedAt,
    unread: readerId !== null && !r.read,
  };
}

function clean(text: string): string {
  const t = text.replace(/\r\n?/g, '\n').trim();
  if (!t) throw new AppError('INVALID_INPUT', 'Write something first: the comment is empty.');
  if (t.length > 20_000) throw new AppError('INVALID_INPUT', 'A comment holds at most 20,000 characters.');
  return t;
}
