/**
 * The annotation services as one object for the command line, exports and scripts, which work on
 * the files and see everything (the policy's 'all' viewer; the submitted lock and the consensus
 * rules still hold). The contract's handlers use the domain services directly, as the person at
 * the machine (see rpc/handlers.ts).
 */
import type { Grid, Rater, Role, Segment, SessionAnnotations, SessionSummary } from '../../shared/annotations';
import type { Codebook, CodebookDefinition } from '../../shared/codebook';
import type { AnnotationRepos } from './repositories';
import type { CodebookService } from './codebook';
import type { ConsensusService } from './consensus';
import type { CellInput, GridService, SessionRatingsInput } from './grid';
import type { Policy, Viewer } from '../rpc/policy';
import type { RaterService } from './raters';
import type { RatingService } from './ratings';
import type { SegmentInput, SegmentPatch, SegmentService } from './segments';
import { summarize } from './summary';

export { normalizeCodes, type SegmentInput, type SegmentPatch } from './segments';

export interface AnnotationParts {
  repos: AnnotationRepos;
  policy: Policy;
  codebook: CodebookService;
  raters: RaterService;
  segments: SegmentService;
  ratings: RatingService;
  grid: GridService;
  consensus: ConsensusService;
}

export class AnnotationService {
  constructor(private readonly p: AnnotationParts) {}

  ensureCodebook(): Codebook {
    return this.p.codebook.ensure();
  }
  codebook(): Codebook {
    return this.p.codebook.current();
  }
  saveCodebook(definition: CodebookDefinition): Codebook {
    return this.p.codebook.save(definition);
  }

  raters(): Rater[] {
    return this.p.raters.list();
  }
  createRater(name: string, role: Role): Rater {
    return this.p.raters.create(name, role);
  }
  ensureRater(name: string, role: Role): Rater {
    return this.p.raters.ensure(name, role);
  }
  currentRater(): Rater | null {
    return this.p.raters.current();
  }
  setCurrentRater(id: number): Rater {
    return this.p.raters.setCurrent(id);
  }
  preferences(): { pauseWhileCoding: boolean } {
    return this.p.raters.preferences();
  }
  setPreferences(p: { pauseWhileCoding: boolean }): { pauseWhileCoding: boolean } {
    return this.p.raters.setPreferences(p);
  }
  consensusRater(): Rater {
    return this.p.raters.consensusLane();
  }

  /** As `viewerId` would see the session (0: nobody chosen); null: everything. */
  list(sessionId: number, viewerId: number | null = null): SessionAnnotations {
    return this.p.segments.list(sessionId, this.viewer(viewerId));
  }
  visibleRaters(sessionId: number, viewerId: number | null): Set<number> | null {
    return this.p.policy.visibleRaters(sessionId, this.viewer(viewerId));
  }
  history(sessionId: number, raterId: number | null) {
    return this.p.segments.history(sessionId, raterId);
  }
  /** Creates a segment for `input.raterId`, or for the current rater. */
  create(input: SegmentInput): Segment {
    return this.p.segments.create(
      { ...input, raterId: input.raterId ?? this.p.policy.requireViewer(this.p.raters.current()).id },
      'all',
    );
  }
  importSegments(rows: { line: number; input: SegmentInput }[], skipInvalid: boolean) {
    return this.p.segments.importSegments(rows, skipInvalid);
  }
  update(patch: SegmentPatch): Segment {
    return this.p.segments.update(patch, 'all');
  }
  delete(id: number): { deleted: true } {
    this.p.segments.delete(id, 'all');
    return { deleted: true };
  }
  link(repairId: number, ruptureId: number): Segment {
    return this.p.segments.link(repairId, ruptureId, 'all');
  }
  unlink(repairId: number, ruptureId: number): Segment {
    return this.p.segments.unlink(repairId, ruptureId, 'all');
  }
  undo(sessionId: number, raterId: number, viewerId: number | null = raterId): SessionAnnotations {
    this.p.segments.undo(sessionId, raterId, 'all');
    return this.list(sessionId, viewerId);
  }
  redo(sessionId: number, raterId: number, viewerId: number | null = raterId): SessionAnnotations {
    this.p.segments.redo(sessionId, raterId, 'all');
    return this.list(sessionId, viewerId);
  }
  sessionDurationMs(sessionId: number): number {
    return this.p.segments.sessionDurationMs(sessionId);
  }

  submit(sessionId: number, raterId: number): SessionAnnotations {
    return this.p.ratings.submit(sessionId, raterId);
  }
  revise(sessionId: number, raterId: number, reason: string): SessionAnnotations {
    return this.p.ratings.revise(sessionId, raterId, reason);
  }
  revisions(sessionId: number, raterId: number) {
    return this.p.ratings.revisions(sessionId, raterId);
  }

  /** A supervisor's merge into the consensus lane. */
  acceptIntoConsensus(sourceIds: number[], supervisorId: number): Segment {
    return this.p.consensus.accept(sourceIds, this.p.raters.get(supervisorId));
  }

  summary(sessionId: number, raterId: number | null): SessionSummary {
    return summarize(sessionId, raterId, this.p.repos.segments.listBySession(sessionId));
  }

  grid(sessionId: number, raterId: number, segmentMs?: number): Grid {
    return this.p.grid.grid(sessionId, raterId, segmentMs);
  }
  setGridCell(input: CellInput): Grid {
    return this.p.grid.setCell(input);
  }
  setGridSession(input: SessionRatingsInput): Grid {
    return this.p.grid.setSession(input);
  }
  prefillGrid(sessionId: number, raterId: number, segmentMs: number): Grid {
    return this.p.grid.prefill(sessionId, raterId, segmentMs);
  }

  /** Rupture and repair spans and rating states of every session at once (agreement over a study). */
  allCodedSpans() {
    return { spans: this.p.repos.segments.codedSpans(), ratings: this.p.repos.ratings.bySession() };
  }
  /** Rupture and repair spans and rating states of a session, lean (agreement). */
  codedSpans(sessionId: number) {
    return {
      spans: this.p.repos.segments.codedSpans(sessionId).get(sessionId) ?? [],
      ratings: this.p.repos.ratings.forSession(sessionId),
    };
  }

  private viewer(viewerId: number | null): Viewer | 'all' {
    if (viewerId === null) return 'all';
    return this.p.repos.raters.get(viewerId) ?? null;
  }
}
