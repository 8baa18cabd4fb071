/** Ratings: a rater's work on a session, submitted (locked, visible to others) or a draft, with revisions. */
import type { SessionAnnotations } from '../../shared/annotations';
import { AppError } from '../../shared/errors';
import type { AnnotationRepos } from './repositories';
import { write, type Db } from '../db/open';
import type { LibraryService } from '../library/library';
import type { Policy, Viewer } from '../rpc/policy';
import type { SegmentService } from './segments';

export class RatingService {
  constructor(
    private readonly db: Db,
    private readonly repos: Pick<AnnotationRepos, 'ratings' | 'raters' | 'segments'>,
    private readonly library: LibraryService,
    private readonly segments: SegmentService,
    private readonly policy: Policy,
  ) {}

  /** Locks `raterId`'s rating of the session; others may now see it. */
  submit(sessionId: number, raterId: number, viewer: Viewer | 'all' = 'all'): SessionAnnotations {
    this.library.getSession(sessionId);
    const rater = this.policy.assertCanActAs(raterId);
    if (viewer !== 'all' && this.policy.requireViewer(viewer).id !== raterId)
      throw new AppError('FORBIDDEN', 'Only the rater can submit their own rating.');
    write(this.db, () => this.repos.ratings.submit(sessionId, raterId));
    return this.segments.list(sessionId, viewer === 'all' ? rater : viewer);
  }

  /** Opens a new revision of a submitted rating, keeping the submitted one with the reason. */
  revise(sessionId: number, raterId: number, reason: string, viewer: Viewer | 'all' = 'all'): SessionAnnotations {
    this.library.getSession(sessionId);
    const rater = this.policy.assertCanActAs(raterId);
    if (viewer !== 'all' && this.policy.requireViewer(viewer).id !== raterId)
      throw new AppError('FORBIDDEN', 'Only the rater can revise their own rating.');
    const rating = this.repos.ratings.get(sessionId, raterId);
    if (rating?.status !== 'submitted')
      throw new AppError('INVALID_INPUT', 'Only a submitted rating can be revised; this one is still a draft.');
    if (!reason.trim()) throw new AppError('INVALID_INPUT', 'Say why the submitted rating is being changed.');
    write(this.db, () => {
      const snapshot = this.repos.segments.listBySession(sessionId).filter((s) => s.raterId === raterId);
      this.repos.ratings.revise(sessionId, raterId, reason.trim(), snapshot);
    });
    return this.segments.list(sessionId, viewer === 'all' ? rater : viewer);
  }

  revisions(sessionId: number, raterId: number) {
    return this.repos.ratings.revisions(sessionId, raterId);
  }
}
