/**
 * One place for the rules about who may see and change what. Every contract channel that takes
 * a rater, segment, session or grid id passes through here (see rpc/handlers.ts), and the services
 * call the same checks for the rules that hold for every caller (the submitted lock, the
 * consensus lane), so the command line obeys them too.
 *
 * The rules:
 * - ownership: the current rater writes only their own work (segments, grid, session ratings,
 *   questionnaire responses, undo history). A supervisor may also enter a patient's or a
 *   therapist's questionnaire from paper.
 * - the submitted lock: a submitted rating (its segments, grid, session ratings and responses)
 *   changes only through a revision with a reason.
 * - blind rating: while a rater's own rating of a session is a draft they see only their own work
 *   there; a supervisor, or a rater whose rating is submitted, sees the submitted work of others.
 *   Without a chosen rater nobody's work is shown. Hidden work is not counted either.
 * - the consensus lane: a rater row marked by a flag (never found by its name); only a supervisor
 *   writes it, and it is shown to whoever may see others' submitted work.
 *
 * - feedback: comments between supervisor and trainee are not ratings. Supervisors, trainees and
 *   therapists read and write them at once (no submit); observers and patients do not see them
 *   (an observer rating blind would learn another's view from them). Only its author edits or
 *   deletes an item; any participant acknowledges or resolves a thread. A comment about a segment
 *   shows that segment only to whoever may see it.
 * - holding feedback: while a trainee rates a session blind (their self-review is a draft), they
 *   see only what they wrote in its feedback until they submit, so feedback cannot steer the
 *   self-review. A supervisor releases it per session, or sets it per case (on: held from every
 *   trainee who has not submitted; off: never held).
 *
 * Blind rating is a workflow guard on a shared machine, not a security boundary: anyone at the
 * machine can switch rater, and the command line reads the files. The app's own contract,
 * though, cannot be used to step around it.
 */
import type { Rater, RatingState, Segment } from '../../shared/annotations';
import { FEEDBACK_ROLES } from '../../shared/feedback';
import { AppError } from '../../shared/errors';
import type { RaterRepo, RatingRepo, SegmentRepo } from '../coding/repositories';
import { aOrAn } from '../../shared/words';

export interface PolicyDeps {
  raters: RaterRepo;
  ratings: RatingRepo;
  segments: SegmentRepo;
  /** Throws NOT_FOUND when the session does not exist. */
  requireSession(sessionId: number): void;
}

/** Who is acting: a rater, or nobody chosen yet. The command line acts as `ALL` instead. */
export type Viewer = Rater | null;

export const forbidden = (message: string) => new AppError('FORBIDDEN', message);

const BLIND = "Blind rating: submit your own rating of this session before looking at other raters' work.";

export class Policy {
  constructor(private readonly deps: PolicyDeps) {}

  /** The rater row of the consensus lane, if a consensus has been started. */
  consensusRater(): Rater | undefined {
    return this.deps.raters.consensus();
  }

  isConsensus(raterId: number): boolean {
    return this.consensusRater()?.id === raterId;
  }

  requireViewer(viewer: Viewer | 'all'): Rater {
    if (viewer === 'all')
      throw new AppError(
        'INVALID_INPUT',
        'The command line acts as nobody in particular here: say who with --rater NAME.',
      );
    if (!viewer) throw new AppError('INVALID_INPUT', 'Choose who is rating (the current rater) first.');
    return viewer;
  }

  /**
   * Rater ids whose work `viewer` may see in a session; null means everything (the command line
   * and exports, which work on the files).
   */
  visibleRaters(sessionId: number, viewer: Viewer | 'all', ratings?: RatingState[]): Set<number> | null {
    if (viewer === 'all') return null;
    const out = new Set<number>();
    if (!viewer) return out;
    const list = ratings ?? this.deps.ratings.forSession(sessionId);
    const own = list.find((r) => r.raterId === viewer.id);
    const seesOthers = viewer.role === 'supervisor' || own?.status === 'submitted';
    out.add(viewer.id);
    if (seesOthers) {
      for (const r of list) if (r.status === 'submitted') out.add(r.raterId);
      const consensus = this.consensusRater();
      if (consensus) out.add(consensus.id);
    }
    return out;
  }

  /**
   * Whose questionnaire answers `viewer` may see in a session; null means everyone's. Self-reports
   * are not ratings (patients and therapists submit no rating), so they follow the viewer: a
   * supervisor, or a rater whose own rating is submitted, sees all of them; a rater with a draft
   * sees only their own.
   */
  visibleResponders(sessionId: number, viewer: Viewer | 'all'): Set<number> | null {
    if (viewer === 'all') return null;
    if (!viewer) return new Set();
    if (viewer.role === 'supervisor') return null;
    const own = this.deps.ratings.get(sessionId, viewer.id);
    return own?.status === 'submitted' ? null : new Set([viewer.id]);
  }

  /** Refuses to show `raterId`'s work in a session to `viewer` (blind rating). */
  assertCanSee(sessionId: number, raterId: number, viewer: Viewer | 'all'): void {
    this.deps.requireSession(sessionId);
    const visible = this.visibleRaters(sessionId, viewer);
    if (visible && !visible.has(raterId)) throw forbidden(BLIND);
  }

  /**
   * Refuses a write by `viewer` to `ownerId`'s work in a session: someone else's work, the
   * consensus lane by a non-supervisor, or a submitted rating.
   */
  assertCanWrite(sessionId: number, ownerId: number, viewer: Viewer | 'all'): void {
    this.deps.requireSession(sessionId);
    const owner = this.deps.raters.get(ownerId);
    if (!owner) throw new AppError('NOT_FOUND', 'That rater no longer exists.');
    if (viewer !== 'all') {
      const me = this.requireViewer(viewer);
      if (owner.consensus) {
        if (me.role !== 'supervisor') throw forbidden('Only a supervisor changes the consensus lane.');
      } else if (owner.id !== me.id) {
        throw forbidden(`You are rating as ${me.name}: only ${owner.name} can change ${owner.name}'s work.`);
      }
    }
    this.assertUnlocked(sessionId, ownerId);
  }

  /** A submitted rating is locked: changing it needs a revision with a reason. */
  assertUnlocked(sessionId: number, raterId: number): void {
    if (this.deps.ratings.get(sessionId, raterId)?.status === 'submitted') {
      const r = this.deps.raters.get(raterId);
      throw new AppError(
        'LOCKED',
        `${r?.name ?? 'This'}'s rating of the session is submitted. Start a revision (with a reason) to change it.`,
      );
    }
  }

  /** A segment `viewer` may change (NOT_FOUND for one they may not even see). */
  segmentForWrite(id: number, viewer: Viewer | 'all'): Segment {
    const s = this.segmentForRead(id, viewer);
    this.assertCanWrite(s.sessionId, s.raterId, viewer);
    return s;
  }

  /** A segment `viewer` may see. Someone else's hidden segment answers as if it did not exist. */
  segmentForRead(id: number, viewer: Viewer | 'all'): Segment {
    const s = this.deps.segments.get(id);
    const visible = s && this.visibleRaters(s.sessionId, viewer);
    if (!s || (visible && !visible.has(s.raterId)))
      throw new AppError('NOT_FOUND', 'That segment no longer exists (it may have been undone).');
    return s;
  }

  /**
   * Questionnaire responses: a rater enters their own; a supervisor may also enter a patient's
   * or therapist's self-report from paper. The perspective is the rater's role.
   */
  assertCanAnswer(sessionId: number, raterId: number, perspective: Rater['role'], viewer: Viewer | 'all'): void {
    this.deps.requireSession(sessionId);
    const owner = this.deps.raters.get(raterId);
    if (!owner || owner.consensus) throw new AppError('NOT_FOUND', 'That rater no longer exists.');
    if (viewer !== 'all') {
      const me = this.requireViewer(viewer);
      const onPaper = me.role === 'supervisor' && (owner.role === 'patient' || owner.role === 'therapist');
      if (owner.id !== me.id && !onPaper)
        throw forbidden(
          `You are rating as ${me.name}: questionnaires are entered by the person who answered them (a supervisor may enter a patient's or therapist's paper form).`,
        );
      if (perspective !== owner.role)
        throw new AppError(
          'INVALID_INPUT',
          `${owner.name} answers as ${aOrAn(owner.role)}, not as ${aOrAn(perspective)}.`,
        );
    }
    this.assertUnlocked(sessionId, raterId);
  }

  /** Only a supervisor assigns raters and builds the consensus. */
  assertSupervisor(viewer: Viewer | 'all', what: string): void {
    if (viewer === 'all') return;
    const me = this.requireViewer(viewer);
    if (me.role !== 'supervisor') throw forbidden(`Only a supervisor ${what}.`);
  }

  /** The consensus lane is not a person: nobody rates as it. */
  assertCanActAs(raterId: number): Rater {
    const r = this.deps.raters.get(raterId);
    if (!r) throw new AppError('NOT_FOUND', 'That rater no longer exists.');
    if (r.consensus)
      throw forbidden('The consensus lane is not a rater. Choose a person; a supervisor edits the consensus lane.');
    return r;
  }

  /** Whether `viewer` takes part in feedback (reads and writes comments and replies). */
  canUseFeedback(viewer: Viewer | 'all'): boolean {
    return viewer === 'all' || (viewer !== null && FEEDBACK_ROLES.includes(viewer.role));
  }

  /** Refuses feedback to someone outside supervision (observers rate blind; patients are not its audience). */
  assertFeedback(viewer: Viewer | 'all'): void {
    if (viewer === 'all') return;
    const me = this.requireViewer(viewer);
    if (!FEEDBACK_ROLES.includes(me.role))
      throw forbidden(
        `Feedback is between supervisors, trainees and therapists; ${me.name} rates as ${aOrAn(me.role)} and does not see it.`,
      );
  }

  /**
   * Whether feedback by others is held from `viewer` in a session: a trainee whose own rating of
   * it is not submitted, while the hold is on. By default it is on for a trainee rating the
   * session blind (a self-review begun, as a draft); a session's or case's own setting holds
   * from every trainee who has not submitted (on) or from none (off).
   */
  feedbackHeldFrom(
    sessionId: number,
    viewer: Viewer | 'all',
    hold: { on: boolean; source: 'session' | 'case' | 'default' },
  ): boolean {
    if (viewer === 'all' || !viewer || viewer.role !== 'trainee' || !hold.on) return false;
    const own = this.deps.ratings.get(sessionId, viewer.id);
    if (own?.status === 'submitted') return false;
    // The default: held once the trainee's self-review has begun (a draft, or anything marked).
    return hold.source !== 'default' || own !== undefined || this.deps.segments.hasWork(sessionId, viewer.id);
  }

  /** Only a supervisor holds or releases feedback (the command line acts for one). */
  assertCanHoldFeedback(viewer: Viewer | 'all'): void {
    if (viewer === 'all') return;
    const me = this.requireViewer(viewer);
    if (me.role !== 'supervisor')
      throw forbidden(`Only a supervisor holds or releases feedback; ${me.name} rates as ${aOrAn(me.role)}.`);
  }

  /** Only the author changes or deletes what they wrote. */
  assertFeedbackAuthor(authorId: number, authorName: string, viewer: Viewer | 'all'): void {
    this.assertFeedback(viewer);
    if (viewer !== 'all' && viewer!.id !== authorId)
      throw forbidden(`Only ${authorName} can change or delete what ${authorName} wrote; reply instead.`);
  }
}
