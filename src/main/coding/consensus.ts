/**
 * The consensus lane: a supervisor accepts a rater's segment, or merges several, into one agreed
 * version. The lane is a rater row marked by a flag; its segments record where they came from.
 */
import type { Segment } from '../../shared/annotations';
import { AppError } from '../../shared/errors';
import type { RatingRepo, SegmentRepo } from './repositories';
import type { Policy, Viewer } from '../rpc/policy';
import type { RaterService } from './raters';
import type { SegmentService } from './segments';

export class ConsensusService {
  constructor(
    private readonly segmentRepo: SegmentRepo,
    private readonly ratings: RatingRepo,
    private readonly segments: SegmentService,
    private readonly raters: RaterService,
    private readonly policy: Policy,
  ) {}

  /**
   * Builds a consensus segment from raters' submitted segments: one source is accepted as it is,
   * several are merged (their span, the union of their codes, the highest rating). Undoable.
   */
  accept(sourceIds: number[], viewer: Viewer | 'all'): Segment {
    this.policy.assertSupervisor(viewer, 'builds the consensus lane');
    const sources = [...new Set(sourceIds)].map((id) => {
      const s = this.segmentRepo.get(id);
      if (!s) throw new AppError('NOT_FOUND', 'That segment no longer exists (it may have been undone).');
      return s;
    });
    if (sources.length === 0) throw new AppError('INVALID_INPUT', 'Choose at least one segment to accept.');
    const kind = sources[0]!.kind;
    const sessionId = sources[0]!.sessionId;
    if (sources.some((s) => s.kind !== kind || s.sessionId !== sessionId)) {
      throw new AppError(
        'INVALID_INPUT',
        'Merge segments of one kind from one session (ruptures with ruptures, repairs with repairs).',
      );
    }
    if (sources.some((s) => this.policy.isConsensus(s.raterId)))
      throw new AppError('INVALID_INPUT', 'That segment is already in the consensus lane.');
    const visible = this.policy.visibleRaters(sessionId, viewer);
    const submitted = new Set(
      this.ratings
        .forSession(sessionId)
        .filter((r) => r.status === 'submitted')
        .map((r) => r.raterId),
    );
    if (sources.some((s) => !submitted.has(s.raterId) || (visible && !visible.has(s.raterId))))
      throw new AppError('INVALID_INPUT', 'Only submitted ratings can go into the consensus.');
    // The lane's row is made in the same transaction as its first segment: a refused merge leaves nothing.
    return this.segments.inTransaction(() => {
      const lane = this.raters.consensusLane();
      this.policy.assertCanWrite(sessionId, lane.id, viewer);
      const ratings = sources.map((s) => s.rating).filter((r): r is number => r !== null);
      const { fields } = this.segments.prepare({
        sessionId,
        raterId: lane.id,
        kind,
        startMs: Math.min(...sources.map((s) => s.startMs)),
        endMs: Math.max(...sources.map((s) => s.endMs)),
        codes: [...new Set(sources.flatMap((s) => s.codes))],
        rating: ratings.length ? Math.max(...ratings) : null,
        stage: kind === 'repair' ? (sources.find((s) => s.stage)?.stage ?? null) : null,
        tags: [...new Set(sources.flatMap((s) => s.tags))],
        note: [...new Set(sources.map((s) => s.note).filter(Boolean))].join(' / '),
      });
      // Who accepted it is kept with its sources (the command line, acting as no one, leaves it out).
      const by = viewer !== 'all' && viewer ? { acceptedBy: viewer.id } : {};
      fields.sources = sources.map((s) => ({ segmentId: s.id, raterId: s.raterId, ...by }));
      return this.segments.insertPrepared(fields, 'consensus');
    });
  }
}
