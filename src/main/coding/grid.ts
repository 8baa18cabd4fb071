/**
 * The 3RS grid: the session in fixed segments with the markers and strategies that occurred and
 * the significance of withdrawal and confrontation, plus the session-level ratings. Reading never
 * writes; a change is checked whole before anything is stored.
 */
import type { Grid, GridCell } from '../../shared/annotations';
import { AppError } from '../../shared/errors';
import type { AnnotationRepos } from './repositories';
import { write, type Db } from '../db/open';
import type { CodebookService } from './codebook';
import type { Policy, Viewer } from '../rpc/policy';
import { normalizeCodes, type SegmentService } from './segments';

export const DEFAULT_GRID_MS = 300_000;

export interface CellInput {
  sessionId: number;
  raterId: number;
  segmentMs: number;
  index: number;
  codes: string[];
  withdrawalSignificance: number | null;
  confrontationSignificance: number | null;
}

export interface SessionRatingsInput {
  sessionId: number;
  raterId: number;
  segmentMs: number;
  therapistContribution: number | null;
  resolutionExtent: number | null;
}

export class GridService {
  constructor(
    private readonly db: Db,
    private readonly repos: Pick<AnnotationRepos, 'grid' | 'segments' | 'raters'>,
    private readonly segments: SegmentService,
    private readonly codebook: CodebookService,
    private readonly policy: Policy,
  ) {}

  /** The grid as stored, at `segmentMs` (default: the size last saved, else 5 minutes). Reads only. */
  grid(sessionId: number, raterId: number, segmentMs?: number, viewer: Viewer | 'all' = 'all'): Grid {
    this.policy.assertCanSee(sessionId, raterId, viewer);
    if (!this.repos.raters.get(raterId)) throw new AppError('NOT_FOUND', 'That rater no longer exists.');
    const stored = this.repos.grid.session(sessionId, raterId);
    const size = segmentMs ?? stored?.segment_ms ?? DEFAULT_GRID_MS;
    const duration = this.segments.sessionDurationMs(sessionId);
    const count = Math.max(1, Math.ceil(duration / size));
    const saved = this.repos.grid.cells(sessionId, raterId, size);
    const cells: GridCell[] = Array.from({ length: count }, (_, i) => {
      const c = saved.get(i);
      return {
        index: i,
        startMs: i * size,
        endMs: Math.min(duration, (i + 1) * size),
        codes: c?.codes ?? [],
        withdrawalSignificance: c?.withdrawalSignificance ?? null,
        confrontationSignificance: c?.confrontationSignificance ?? null,
      };
    });
    return {
      sessionId,
      raterId,
      segmentMs: size,
      cells,
      therapistContribution: stored?.therapist_contribution ?? null,
      resolutionExtent: stored?.resolution_extent ?? null,
    };
  }

  setCell(input: CellInput, viewer: Viewer | 'all' = 'all'): Grid {
    this.policy.assertCanWrite(input.sessionId, input.raterId, viewer);
    const grid = this.grid(input.sessionId, input.raterId, input.segmentMs);
    if (input.index >= grid.cells.length)
      throw new AppError(
        'INVALID_INPUT',
        `The session has ${grid.cells.length} grid segments; there is no segment ${input.index + 1}.`,
      );
    const codes = normalizeCodes(input.codes);
    const defs = this.codebook.current().definition.codes;
    for (const k of codes) {
      const code = defs.find((c) => c.key.toUpperCase() === k);
      if (!code || code.category === 'intervention')
        throw new AppError('INVALID_INPUT', `${k} is not a marker or strategy in the codebook.`);
    }
    write(this.db, () => {
      this.keepSize(input.sessionId, input.raterId, input.segmentMs);
      this.repos.grid.setCell(input.sessionId, input.raterId, input.segmentMs, {
        index: input.index,
        codes,
        withdrawalSignificance: input.withdrawalSignificance,
        confrontationSignificance: input.confrontationSignificance,
      });
    });
    return this.grid(input.sessionId, input.raterId, input.segmentMs);
  }

  setSession(input: SessionRatingsInput, viewer: Viewer | 'all' = 'all'): Grid {
    this.policy.assertCanWrite(input.sessionId, input.raterId, viewer);
    write(this.db, () =>
      this.repos.grid.setSession(
        input.sessionId,
        input.raterId,
        input.segmentMs,
        input.therapistContribution,
        input.resolutionExtent,
      ),
    );
    return this.grid(input.sessionId, input.raterId, input.segmentMs);
  }

  /** Fills each grid segment with the markers and strategies of the rater's event segments in it. */
  prefill(sessionId: number, raterId: number, segmentMs: number, viewer: Viewer | 'all' = 'all'): Grid {
    this.policy.assertCanWrite(sessionId, raterId, viewer);
    const grid = this.grid(sessionId, raterId, segmentMs);
    const segs = this.repos.segments
      .listBySession(sessionId)
      .filter((s) => s.raterId === raterId && s.kind !== 'comment');
    const category = new Map(this.codebook.current().definition.codes.map((c) => [c.key.toUpperCase(), c.category]));
    write(this.db, () => {
      this.keepSize(sessionId, raterId, segmentMs);
      for (const cell of grid.cells) {
        const inside = segs.filter((s) => s.startMs < cell.endMs && s.endMs > cell.startMs);
        const codes = [...new Set([...cell.codes, ...inside.flatMap((s) => s.codes)])].sort(codeOrder);
        const maxSig = (cat: 'withdrawal' | 'confrontation', prev: number | null) => {
          const ratings = inside
            .filter((s) => s.kind === 'rupture' && s.rating !== null && s.codes.some((c) => category.get(c) === cat))
            .map((s) => s.rating!);
          return ratings.length ? Math.max(prev ?? 1, ...ratings) : prev;
        };
        this.repos.grid.setCell(sessionId, raterId, segmentMs, {
          index: cell.index,
          codes,
          withdrawalSignificance: maxSig('withdrawal', cell.withdrawalSignificance),
          confrontationSignificance: maxSig('confrontation', cell.confrontationSignificance),
        });
      }
    });
    return this.grid(sessionId, raterId, segmentMs);
  }

  /** Remembers the segment size a rater works with (inside a write that changes their grid). */
  private keepSize(sessionId: number, raterId: number, segmentMs: number): void {
    const stored = this.repos.grid.session(sessionId, raterId);
    if (stored?.segment_ms === segmentMs) return;
    this.repos.grid.setSession(
      sessionId,
      raterId,
      segmentMs,
      stored?.therapist_contribution ?? null,
      stored?.resolution_extent ?? null,
    );
  }
}

const collator = new Intl.Collator('en', { numeric: true });
function codeOrder(a: string, b: string): number {
  return collator.compare(a, b);
}
