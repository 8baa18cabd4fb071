/** All SQL of feedback: threads, replies, read marks and the label list. */
import type { Role } from '../../shared/annotations';
import type { FeedbackState } from '../../shared/feedback';
import { prep, type Db } from '../db/open';

const now = () => new Date().toISOString();

export interface FeedbackRow {
  id: number;
  sessionId: number;
  parentId: number | null;
  authorId: number;
  authorName: string;
  authorRole: Role;
  startMs: number | null;
  endMs: number | null;
  segmentId: number | null;
  label: string | null;
  text: string;
  state: FeedbackState;
  stateBy: string | null;
  createdAt: string;
  editedAt: string | null;
  /** Whether the rater the rows were read for has read it (always true for their own). */
  read: boolean;
}

interface Raw {
  id: number;
  session_id: number;
  parent_id: number | null;
  author_id: number;
  author_name: string;
  author_role: Role;
  start_ms: number | null;
  end_ms: number | null;
  segment_id: number | null;
  label: string | null;
  text: string;
  state: FeedbackState;
  state_by: string | null;
  created_at: string;
  edited_at: string | null;
  read: number;
}

const SELECT = `SELECT f.id, f.session_id, f.parent_id, f.author_id, a.name AS author_name, a.role AS author_role,
    f.start_ms, f.end_ms, f.segment_id, f.label, f.text, f.state, s.name AS state_by, f.created_at, f.edited_at,
    (f.author_id = @reader OR EXISTS (SELECT 1 FROM feedback_reads r WHERE r.feedback_id = f.id AND r.rater_id = @reader)) AS read
  FROM feedback f JOIN raters a ON a.id = f.author_id LEFT JOIN raters s ON s.id = f.state_by`;

const toRow = (r: Raw): FeedbackRow => ({
  id: r.id,
  sessionId: r.session_id,
  parentId: r.parent_id,
  authorId: r.author_id,
  authorName: r.author_name,
  authorRole: r.author_role,
  startMs: r.start_ms,
  endMs: r.end_ms,
  segmentId: r.segment_id,
  label: r.label,
  text: r.text,
  state: r.state,
  stateBy: r.state_by,
  createdAt: r.created_at,
  editedAt: r.edited_at,
  read: r.read === 1,
});

/** One feedback item with the identities a supervision file needs. */
export interface FeedbackSyncRow {
  id: number;
  parentId: number | null;
  uid: string;
  parentUid: string | null;
  authorId: number;
  authorUid: string;
  /** Where the author writes (null: this library). */
  authorHome: string | null;
  startMs: number | null;
  endMs: number | null;
  segmentUid: string | null;
  label: string | null;
  text: string;
  createdAt: string;
  editedAt: string | null;
  state: FeedbackState;
  stateBy: number | null;
  stateByUid: string | null;
  stateByHome: string | null;
  stateAt: string | null;
}

export class FeedbackRepo {
  constructor(private readonly db: Db) {}

  /** Every comment and reply of a session, roots in time order, replies after in the order written. */
  forSession(sessionId: number, readerId: number | null): FeedbackRow[] {
    return (
      prep(
        this.db,
        `${SELECT} WHERE f.session_id = @session ORDER BY f.parent_id IS NOT NULL, f.start_ms, f.end_ms, f.id`,
      ).all({ session: sessionId, reader: readerId ?? -1 }) as Raw[]
    ).map(toRow);
  }

  get(id: number, readerId: number | null = null): FeedbackRow | undefined {
    const raw = prep(this.db, `${SELECT} WHERE f.id = @id`).get({ id, reader: readerId ?? -1 }) as Raw | undefined;
    return raw && toRow(raw);
  }

  insert(f: {
    sessionId: number;
    parentId: number | null;
    authorId: number;
    startMs: number | null;
    endMs: number | null;
    segmentId: number | null;
    label: string | null;
    text: string;
  }): number {
    // A new item: its identity is made by the table's trigger.
    return this.insertSynced({
      ...f,
      uid: null,
      createdAt: now(),
      editedAt: null,
      state: 'open',
      stateBy: null,
      stateAt: null,
    });
  }

  edit(id: number, text: string, label: string | null): void {
    prep(this.db, 'UPDATE feedback SET text = ?, label = ?, edited_at = ? WHERE id = ?').run(text, label, now(), id);
  }

  setState(id: number, state: FeedbackState, byId: number): void {
    prep(this.db, 'UPDATE feedback SET state = ?, state_by = ?, state_at = ? WHERE id = ?').run(state, byId, now(), id);
  }

  /**
   * A session's items as a supervision file carries them: with the stable identities of the item,
   * its thread, its author, its segment and whoever set its state (and where they write).
   */
  syncRows(sessionId: number): FeedbackSyncRow[] {
    return prep(
      this.db,
      `SELECT f.id, f.parent_id AS parentId, f.uid, p.uid AS parentUid, f.author_id AS authorId, a.uid AS authorUid,
              a.home AS authorHome, f.start_ms AS startMs, f.end_ms AS endMs, sg.uid AS segmentUid, f.label, f.text,
              f.created_at AS createdAt, f.edited_at AS editedAt, f.state, f.state_by AS stateBy, sb.uid AS stateByUid,
              sb.home AS stateByHome, f.state_at AS stateAt
         FROM feedback f JOIN raters a ON a.id = f.author_id LEFT JOIN feedback p ON p.id = f.parent_id
         LEFT JOIN segments sg ON sg.id = f.segment_id LEFT JOIN raters sb ON sb.id = f.state_by
         WHERE f.session_id = ? ORDER BY f.parent_id IS NOT NULL, f.id`,
    ).all(sessionId) as FeedbackSyncRow[];
  }

  /** Adds an item received from another library, as it was written there (its identity, times and state). */
  insertSynced(f: {
    uid: string | null;
    sessionId: number;
    parentId: number | null;
    authorId: number;
    startMs: number | null;
    endMs: number | null;
    segmentId: number | null;
    label: string | null;
    text: string;
    createdAt: string;
    editedAt: string | null;
    state: FeedbackState;
    stateBy: number | null;
    stateAt: string | null;
  }): number {
    const res = prep(
      this.db,
      `INSERT INTO feedback (uid, session_id, parent_id, author_id, start_ms, end_ms, segment_id, label, text, created_at,
           edited_at, state, state_by, state_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      f.uid,
      f.sessionId,
      f.parentId,
      f.authorId,
      f.startMs,
      f.endMs,
      f.segmentId,
      f.label,
      f.text,
      f.createdAt,
      f.editedAt,
      f.state,
      f.stateBy,
      f.stateAt,
    );
    return Number(res.lastInsertRowid);
  }

  /** An edit made in another library by the item's author: new to everyone here again. */
  applyEdit(id: number, text: string, label: string | null, editedAt: string | null): void {
    prep(this.db, 'UPDATE feedback SET text = ?, label = ?, edited_at = ? WHERE id = ?').run(text, label, editedAt, id);
    prep(this.db, 'DELETE FROM feedback_reads WHERE feedback_id = ?').run(id);
  }

  /** A thread's state as it was set in another library. */
  applyState(id: number, state: FeedbackState, byId: number | null, at: string | null): void {
    prep(this.db, 'UPDATE feedback SET state = ?, state_by = ?, state_at = ? WHERE id = ?').run(state, byId, at, id);
  }

  /** Points comments about a segment at it again (after a lane was replaced, by the segments' identities). */
  relinkSegment(feedbackId: number, segmentId: number | null): void {
    prep(this.db, 'UPDATE feedback SET segment_id = ? WHERE id = ?').run(segmentId, feedbackId);
  }

  /** Comments about a rater's segments on a session, with the segment's identity. */
  aboutSegmentsOf(sessionId: number, raterId: number): { id: number; segmentUid: string }[] {
    return prep(
      this.db,
      `SELECT f.id, s.uid AS segmentUid FROM feedback f JOIN segments s ON s.id = f.segment_id
         WHERE s.session_id = ? AND s.rater_id = ?`,
    ).all(sessionId, raterId) as { id: number; segmentUid: string }[];
  }

  remove(id: number): void {
    prep(this.db, 'DELETE FROM feedback WHERE id = ?').run(id);
  }

  /** Authors other than `authorId` who replied in a thread. */
  otherRepliers(threadId: number, authorId: number): number {
    return (
      prep(this.db, 'SELECT count(*) AS n FROM feedback WHERE parent_id = ? AND author_id != ?').get(
        threadId,
        authorId,
      ) as {
        n: number;
      }
    ).n;
  }

  markRead(ids: readonly number[], raterId: number): void {
    const ins = prep(this.db, 'INSERT OR IGNORE INTO feedback_reads (feedback_id, rater_id) VALUES (?, ?)');
    for (const id of ids) ins.run(id, raterId);
  }

  /** Per session with feedback: threads, open threads, and items new to `readerId`. */
  counts(readerId: number | null): { sessionId: number; threads: number; open: number; unread: number }[] {
    return prep(
      this.db,
      `SELECT f.session_id AS sessionId,
            sum(f.parent_id IS NULL) AS threads,
            sum(f.parent_id IS NULL AND f.state != 'resolved') AS open,
            sum(f.author_id != @reader AND NOT EXISTS (
              SELECT 1 FROM feedback_reads r WHERE r.feedback_id = f.id AND r.rater_id = @reader)) AS unread
          FROM feedback f GROUP BY f.session_id ORDER BY f.session_id`,
    ).all({ reader: readerId ?? -1 }) as { sessionId: number; threads: number; open: number; unread: number }[];
  }

  /** The hold setting of a session and of its case (null: not set there). */
  holdSettings(sessionId: number): { session: boolean | null; case: boolean | null } {
    const row = prep(
      this.db,
      'SELECT s.feedback_hold AS s, c.feedback_hold AS c FROM sessions s JOIN cases c ON c.id = s.case_id WHERE s.id = ?',
    ).get(sessionId) as { s: number | null; c: number | null } | undefined;
    const flag = (v: number | null | undefined) => (v === null || v === undefined ? null : v === 1);
    return { session: flag(row?.s), case: flag(row?.c) };
  }

  setSessionHold(sessionId: number, hold: boolean | null): void {
    prep(this.db, 'UPDATE sessions SET feedback_hold = ? WHERE id = ?').run(
      hold === null ? null : hold ? 1 : 0,
      sessionId,
    );
  }

  setCaseHold(caseId: number, hold: boolean | null): void {
    prep(this.db, 'UPDATE cases SET feedback_hold = ? WHERE id = ?').run(hold === null ? null : hold ? 1 : 0, caseId);
  }

  labels(): string[] {
    return (prep(this.db, 'SELECT name FROM feedback_labels ORDER BY position, id').all() as { name: string }[]).map(
      (r) => r.name,
    );
  }

  /** Replaces the label list (comments keep the labels they were given). */
  setLabels(names: readonly string[]): void {
    prep(this.db, 'DELETE FROM feedback_labels').run();
    const ins = prep(this.db, 'INSERT INTO feedback_labels (name, position) VALUES (?, ?)');
    names.forEach((n, i) => ins.run(n, i + 1));
  }
}
