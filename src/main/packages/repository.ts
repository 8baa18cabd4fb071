/**
 * Rating packages: the record of packages sent, opened, returned and imported, and a rater's
 * whole work on a session read and replaced at once (what a return carries). All SQL here.
 */
import type { Segment } from '../../shared/annotations';
import { prep, type Db } from '../db/open';

export type PackageKind = 'sent' | 'opened' | 'returned' | 'imported';

export interface PackageRecord {
  packageId: string;
  kind: PackageKind;
  studyId: string;
  sourcePackageId: string | null;
  raterId: number | null;
  /** sent: the sessions packed; opened: the sender's session id → this library's. */
  sessions: Record<string, number>;
  report: Record<string, unknown>;
  createdAt: string;
}

interface PackageRow {
  package_id: string;
  kind: PackageKind;
  study_id: string;
  source_package_id: string | null;
  rater_id: number | null;
  sessions_json: string;
  report_json: string;
  created_at: string;
}
const toRecord = (r: PackageRow): PackageRecord => ({
  packageId: r.package_id,
  kind: r.kind,
  studyId: r.study_id,
  sourcePackageId: r.source_package_id,
  raterId: r.rater_id,
  sessions: JSON.parse(r.sessions_json) as Record<string, number>,
  report: JSON.parse(r.report_json) as Record<string, unknown>,
  createdAt: r.created_at,
});

/** A grid as a return carries it: the session ratings and every cell, of any segment length. */
export interface PackedGrid {
  session: { segmentMs: number; therapistContribution: number | null; resolutionExtent: number | null } | null;
  cells: {
    segmentMs: number;
    index: number;
    codes: string[];
    withdrawalSignificance: number | null;
    confrontationSignificance: number | null;
  }[];
}

export class PackageRepo {
  constructor(private readonly db: Db) {}

  get(packageId: string): PackageRecord | undefined {
    const row = prep(this.db, 'SELECT * FROM packages WHERE package_id = ?').get(packageId) as PackageRow | undefined;
    return row && toRecord(row);
  }
  list(kind?: PackageKind): PackageRecord[] {
    const rows = (
      kind
        ? prep(this.db, 'SELECT * FROM packages WHERE kind = ? ORDER BY id').all(kind)
        : prep(this.db, 'SELECT * FROM packages ORDER BY id').all()
    ) as PackageRow[];
    return rows.map(toRecord);
  }
  insert(r: Omit<PackageRecord, 'createdAt'>): void {
    prep(
      this.db,
      `INSERT INTO packages (package_id, kind, study_id, source_package_id, rater_id, sessions_json, report_json, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      r.packageId,
      r.kind,
      r.studyId,
      r.sourcePackageId,
      r.raterId,
      JSON.stringify(r.sessions),
      JSON.stringify(r.report),
      new Date().toISOString(),
    );
  }

  /** A rater's grid on a session, every segment length. */
  grid(sessionId: number, raterId: number): PackedGrid {
    const s = prep(
      this.db,
      'SELECT segment_ms, therapist_contribution, resolution_extent FROM grid_sessions WHERE session_id = ? AND rater_id = ?',
    ).get(sessionId, raterId) as
      { segment_ms: number; therapist_contribution: number | null; resolution_extent: number | null } | undefined;
    const cells = prep(
      this.db,
      `SELECT segment_ms, idx, codes_json, withdrawal_significance, confrontation_significance FROM grid_cells
         WHERE session_id = ? AND rater_id = ? ORDER BY segment_ms, idx`,
    ).all(sessionId, raterId) as {
      segment_ms: number;
      idx: number;
      codes_json: string;
      withdrawal_significance: number | null;
      confrontation_significance: number | null;
    }[];
    return {
      session: s
        ? {
            segmentMs: s.segment_ms,
            therapistContribution: s.therapist_contribution,
            resolutionExtent: s.resolution_extent,
          }
        : null,
      cells: cells.map((c) => ({
        segmentMs: c.segment_ms,
        index: c.idx,
        codes: JSON.parse(c.codes_json) as string[],
        withdrawalSignificance: c.withdrawal_significance,
        confrontationSignificance: c.confrontation_significance,
      })),
    };
  }

  /** A rating's kept revisions with their snapshots. */
  revisions(sessionId: number, raterId: number) {
    return (
      prep(
        this.db,
        `SELECT rr.revision, rr.reason, rr.snapshot_json, rr.created_at FROM rating_revisions rr
           JOIN ratings r ON r.id = rr.rating_id WHERE r.session_id = ? AND r.rater_id = ? ORDER BY rr.revision`,
      ).all(sessionId, raterId) as { revision: number; reason: string; snapshot_json: string; created_at: string }[]
    ).map((r) => ({
      revision: r.revision,
      reason: r.reason,
      snapshot: JSON.parse(r.snapshot_json) as Segment[],
      createdAt: r.created_at,
    }));
  }

  /**
   * Takes away a rater's segments, grid and edit history on a session (before a return's work
   * takes their place; the caller keeps what was submitted as a revision first).
   */
  clearWork(sessionId: number, raterId: number): void {
    prep(this.db, 'DELETE FROM segments WHERE session_id = ? AND rater_id = ?').run(sessionId, raterId);
    prep(this.db, 'DELETE FROM grid_cells WHERE session_id = ? AND rater_id = ?').run(sessionId, raterId);
    prep(this.db, 'DELETE FROM grid_sessions WHERE session_id = ? AND rater_id = ?').run(sessionId, raterId);
    prep(this.db, 'DELETE FROM edits WHERE session_id = ? AND rater_id = ?').run(sessionId, raterId);
  }

  /** Writes a rating as a return carries it (status, revision, when submitted). */
  setRating(
    sessionId: number,
    raterId: number,
    r: { status: 'draft' | 'submitted'; revision: number; submittedAt: string | null },
  ): void {
    prep(
      this.db,
      `INSERT INTO ratings (session_id, rater_id, status, revision, submitted_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (session_id, rater_id) DO UPDATE SET status = excluded.status, revision = excluded.revision,
         submitted_at = excluded.submitted_at`,
    ).run(sessionId, raterId, r.status, r.revision, r.submittedAt);
  }

  /** Keeps a revision of a rating (its segments as they were), as a revise does. */
  keepRevision(sessionId: number, raterId: number, revision: number, reason: string, snapshot: unknown): void {
    const row = prep(this.db, 'SELECT id FROM ratings WHERE session_id = ? AND rater_id = ?').get(
      sessionId,
      raterId,
    ) as { id: number };
    prep(
      this.db,
      'INSERT INTO rating_revisions (rating_id, revision, reason, snapshot_json, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(row.id, revision, reason, JSON.stringify(snapshot), new Date().toISOString());
  }
}
