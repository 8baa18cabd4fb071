/**
 * Repositories for raters, settings, codebooks, segments, links, the edit log and the 3RS grid.
 * Row types stay here; services see domain types.
 */
import type {
  GridCell,
  Rater,
  RatingState,
  Role,
  RuptureType,
  Segment,
  SegmentKind,
  SegmentOrigin,
} from '../../shared/annotations';
import type { Codebook, CodebookDefinition } from '../../shared/codebook';
import { prep, write, type Db } from '../db/open';

const now = () => new Date().toISOString();

interface SegmentRow {
  id: number;
  session_id: number;
  rater_id: number;
  kind: SegmentKind;
  start_ms: number;
  end_ms: number;
  codebook_version_id: number;
  rupture_type: RuptureType | null;
  codes_json: string;
  rating: number | null;
  stage: string | null;
  tags_json: string;
  note: string;
  resolved: number;
  created_at: string;
  updated_at: string;
  sources_json: string;
  origin_json?: string | null;
}

/** Everything needed to put segments and their links back exactly as they were. */
export interface SegmentSnapshot {
  segments: SegmentRow[];
  links: [repairId: number, ruptureId: number][];
}

export type SegmentFields = Omit<Segment, 'id' | 'linkedRuptureIds' | 'sources'> & { sources?: Segment['sources'] };

interface RaterRow {
  id: number;
  name: string;
  role: Role;
  consensus: number;
}
const toRater = (r: RaterRow): Rater => ({ id: r.id, name: r.name, role: r.role, consensus: r.consensus === 1 });

/** A rupture or repair as agreement needs it. */
export interface CodedSpan {
  id: number;
  raterId: number;
  kind: 'rupture' | 'repair';
  startMs: number;
  endMs: number;
  codes: string[];
  ruptureType: RuptureType | null;
  rating: number | null;
  linkedRuptureIds: number[];
}

export class RaterRepo {
  constructor(private readonly db: Db) {}
  list(): Rater[] {
    return (
      prep(
        this.db,
        'SELECT id, name, role, consensus FROM raters ORDER BY consensus, name COLLATE NOCASE',
      ).all() as RaterRow[]
    ).map(toRater);
  }
  get(id: number): Rater | undefined {
    const row = prep(this.db, 'SELECT id, name, role, consensus FROM raters WHERE id = ?').get(id) as
      RaterRow | undefined;
    return row && toRater(row);
  }
  byName(name: string): Rater | undefined {
    const row = prep(this.db, 'SELECT id, name, role, consensus FROM raters WHERE name = ?').get(name) as
      RaterRow | undefined;
    return row && toRater(row);
  }
  /** The consensus lane's row, found by its flag. */
  consensus(): Rater | undefined {
    const row = prep(this.db, 'SELECT id, name, role, consensus FROM raters WHERE consensus = 1').get() as
      RaterRow | undefined;
    return row && toRater(row);
  }
  insert(name: string, role: Role, consensus = false): Rater {
    const info = prep(this.db, 'INSERT INTO raters (name, role, consensus, created_at) VALUES (?, ?, ?, ?)').run(
      name,
      role,
      consensus ? 1 : 0,
      now(),
    );
    return this.get(Number(info.lastInsertRowid))!;
  }
}

/** What erasing a rater takes with them (said before anyone confirms). */
export interface RaterImpact {
  segments: number;
  sessions: number;
  submittedRatings: number;
  revisions: number;
  responses: number;
  feedback: number;
}

/**
 * Erasing a rater: every row of their work, in every session, then the rater. Comments they
 * wrote go with the replies to them; consensus segments stay, without the rater among their
 * sources. One transaction (the caller's).
 */
export function raterImpact(db: Db, raterId: number): RaterImpact {
  return prep(
    db,
    `SELECT
       (SELECT count(*) FROM segments WHERE rater_id = @id) AS segments,
       (SELECT count(DISTINCT session_id) FROM (
          SELECT session_id FROM segments WHERE rater_id = @id UNION SELECT session_id FROM ratings WHERE rater_id = @id
          UNION SELECT session_id FROM responses WHERE rater_id = @id)) AS sessions,
       (SELECT count(*) FROM ratings WHERE rater_id = @id AND status = 'submitted') AS submittedRatings,
       (SELECT count(*) FROM rating_revisions v JOIN ratings r ON r.id = v.rating_id WHERE r.rater_id = @id) AS revisions,
       (SELECT count(*) FROM responses WHERE rater_id = @id) AS responses,
       (SELECT count(*) FROM feedback WHERE author_id = @id) AS feedback`,
  ).get({ id: raterId }) as RaterImpact;
}

export function eraseRater(db: Db, raterId: number): void {
  const run = (sql: string) => prep(db, sql).run({ id: raterId });
  run('DELETE FROM feedback WHERE author_id = @id');
  run('DELETE FROM segments WHERE rater_id = @id');
  run(
    `UPDATE segments SET sources_json = (
       SELECT json_group_array(json(value)) FROM json_each(segments.sources_json)
        WHERE json_extract(value, '$.raterId') IS NOT @id AND json_extract(value, '$.acceptedBy') IS NOT @id)
     WHERE EXISTS (SELECT 1 FROM json_each(segments.sources_json)
        WHERE json_extract(value, '$.raterId') = @id OR json_extract(value, '$.acceptedBy') = @id)`,
  );
  for (const table of ['grid_cells', 'grid_sessions', 'responses', 'assignments', 'ratings', 'edits'])
    run(`DELETE FROM ${table} WHERE rater_id = @id`);
  run("DELETE FROM settings WHERE key = 'currentRaterId' AND value = CAST(@id AS TEXT)");
  run('DELETE FROM raters WHERE id = @id');
}

export class SettingsRepo {
  constructor(private readonly db: Db) {}
  get(key: string): string | undefined {
    return (prep(this.db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }
  set(key: string, value: string): void {
    prep(
      this.db,
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
  }
}

interface VersionRow {
  id: number;
  codebook_id: number;
  version: number;
  definition_json: string;
}
const toCodebook = (r: VersionRow): Codebook => ({
  id: r.codebook_id,
  versionId: r.id,
  version: r.version,
  definition: JSON.parse(r.definition_json) as CodebookDefinition,
});

export class CodebookRepo {
  constructor(private readonly db: Db) {}
  /** The newest version of the first codebook (one active codebook per library for now). */
  current(): Codebook | undefined {
    const row = prep(
      this.db,
      `SELECT v.* FROM codebook_versions v
         WHERE v.codebook_id = (SELECT min(id) FROM codebooks)
         ORDER BY v.version DESC LIMIT 1`,
    ).get() as VersionRow | undefined;
    return row && toCodebook(row);
  }
  byVersionId(id: number): Codebook | undefined {
    const row = prep(this.db, 'SELECT * FROM codebook_versions WHERE id = ?').get(id) as VersionRow | undefined;
    return row && toCodebook(row);
  }
  create(definition: CodebookDefinition): Codebook {
    return write(this.db, () => {
      const info = prep(this.db, 'INSERT INTO codebooks (name, created_at) VALUES (?, ?)').run(definition.name, now());
      return this.addVersion(Number(info.lastInsertRowid), definition);
    });
  }
  addVersion(codebookId: number, definition: CodebookDefinition): Codebook {
    return write(this.db, () => this.insertVersion(codebookId, definition));
  }
  private insertVersion(codebookId: number, definition: CodebookDefinition): Codebook {
    const next =
      ((
        prep(this.db, 'SELECT max(version) AS v FROM codebook_versions WHERE codebook_id = ?').get(codebookId) as {
          v: number | null;
        }
      ).v ?? 0) + 1;
    const info = prep(
      this.db,
      'INSERT INTO codebook_versions (codebook_id, version, definition_json, created_at) VALUES (?, ?, ?, ?)',
    ).run(codebookId, next, JSON.stringify(definition), now());
    prep(this.db, 'UPDATE codebooks SET name = ? WHERE id = ?').run(definition.name, codebookId);
    return this.byVersionId(Number(info.lastInsertRowid))!;
  }
}

/**
 * A stored list of codes or tags, parsed once per distinct text: a session of 30,000 segments
 * holds a few dozen distinct lists, and parsing each row's anew cost a tenth of a second.
 * Each segment gets its own copy.
 */
const parsedLists = new Map<string, readonly string[]>();
function stringList(json: string): string[] {
  if (json === '[]') return [];
  let hit = parsedLists.get(json);
  if (!hit) {
    hit = JSON.parse(json) as string[];
    if (parsedLists.size > 10_000) parsedLists.clear();
    parsedLists.set(json, hit);
  }
  return hit.slice();
}

const SEGMENT_COLUMNS =
  'id, session_id, rater_id, kind, start_ms, end_ms, codebook_version_id, rupture_type, codes_json, rating, stage, tags_json, note, resolved, sources_json, origin_json';

const toSegment = (r: SegmentRow, links: number[]): Segment => ({
  id: r.id,
  sessionId: r.session_id,
  raterId: r.rater_id,
  kind: r.kind,
  startMs: r.start_ms,
  endMs: r.end_ms,
  codebookVersionId: r.codebook_version_id,
  ruptureType: r.rupture_type,
  codes: stringList(r.codes_json),
  rating: r.rating,
  stage: r.stage,
  tags: stringList(r.tags_json),
  note: r.note,
  resolved: r.resolved === 1,
  linkedRuptureIds: links,
  sources: r.sources_json === '[]' ? [] : (JSON.parse(r.sources_json) as Segment['sources']),
  origin: r.origin_json ? (JSON.parse(r.origin_json) as SegmentOrigin) : null,
});

export class SegmentRepo {
  constructor(private readonly db: Db) {}

  /** Whether a rater has marked anything in a session (one indexed look-up, not a list). */
  hasWork(sessionId: number, raterId: number): boolean {
    return (
      prep(this.db, 'SELECT 1 FROM segments WHERE session_id = ? AND rater_id = ? LIMIT 1').get(sessionId, raterId) !==
      undefined
    );
  }

  listBySession(sessionId: number): Segment[] {
    // The columns a segment shows (not its bookkeeping times): a session's whole list is read on open.
    const rows = prep(
      this.db,
      `SELECT ${SEGMENT_COLUMNS} FROM segments WHERE session_id = ? ORDER BY start_ms, id`,
    ).all(sessionId) as SegmentRow[];
    const links = prep(
      this.db,
      `SELECT l.repair_id, l.rupture_id FROM links l JOIN segments s ON s.id = l.repair_id
         WHERE s.session_id = ? ORDER BY l.rupture_id`,
    ).all(sessionId) as { repair_id: number; rupture_id: number }[];
    const byRepair = new Map<number, number[]>();
    for (const l of links) {
      const list = byRepair.get(l.repair_id);
      if (list) list.push(l.rupture_id);
      else byRepair.set(l.repair_id, [l.rupture_id]);
    }
    return rows.map((r) => toSegment(r, byRepair.get(r.id) ?? []));
  }

  /** Just what agreement needs, read as arrays: a study reads tens of thousands of these. */
  /**
   * The rupture and repair segments of one session, or of every session (grouped by session, in
   * one pass: agreement over a study), lean: times, codes, a repair's resolution rating and the
   * ruptures it is linked to.
   */
  codedSpans(sessionId?: number): Map<number, CodedSpan[]> {
    const where = sessionId === undefined ? '' : 'AND s.session_id = ?';
    const args = sessionId === undefined ? [] : [sessionId];
    const rows = prep(
      this.db,
      `SELECT s.session_id, s.id, s.rater_id, s.kind, s.start_ms, s.end_ms, s.codes_json, s.rupture_type, s.rating FROM segments s WHERE s.kind IN ('rupture', 'repair') ${where} ORDER BY s.session_id, s.start_ms, s.id`,
    )
      .raw(true)
      .all(...args) as [
      number,
      number,
      number,
      'rupture' | 'repair',
      number,
      number,
      string,
      RuptureType | null,
      number | null,
    ][];
    const links = new Map<number, number[]>();
    for (const [repair, rupture] of prep(
      this.db,
      `SELECT l.repair_id, l.rupture_id FROM links l JOIN segments s ON s.id = l.repair_id ${sessionId === undefined ? '' : 'WHERE s.session_id = ?'} ORDER BY l.rupture_id`,
    )
      .raw(true)
      .all(...args) as [number, number][]) {
      const list = links.get(repair);
      if (list) list.push(rupture);
      else links.set(repair, [rupture]);
    }
    const out = new Map<number, CodedSpan[]>();
    for (const [session, id, raterId, kind, startMs, endMs, codes, ruptureType, rating] of rows) {
      let list = out.get(session);
      if (!list) out.set(session, (list = []));
      list.push({
        id,
        raterId,
        kind,
        startMs,
        endMs,
        codes: JSON.parse(codes) as string[],
        ruptureType,
        rating,
        linkedRuptureIds: links.get(id) ?? [],
      });
    }
    return out;
  }

  get(id: number): Segment | undefined {
    const row = prep(this.db, 'SELECT * FROM segments WHERE id = ?').get(id) as SegmentRow | undefined;
    if (!row) return undefined;
    const links = (
      prep(this.db, 'SELECT rupture_id FROM links WHERE repair_id = ? ORDER BY rupture_id').all(id) as {
        rupture_id: number;
      }[]
    ).map((l) => l.rupture_id);
    return toSegment(row, links);
  }

  insert(f: SegmentFields): number {
    const t = now();
    const info = prep(
      this.db,
      `INSERT INTO segments (session_id, rater_id, kind, start_ms, end_ms, codebook_version_id, rupture_type, codes_json,
           rating, stage, tags_json, note, resolved, created_at, updated_at, sources_json, origin_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      f.sessionId,
      f.raterId,
      f.kind,
      ...editableColumns(f),
      t,
      t,
      JSON.stringify(f.sources ?? []),
      f.origin ? JSON.stringify(f.origin) : null,
    );
    return Number(info.lastInsertRowid);
  }

  update(id: number, f: SegmentFields): void {
    prep(
      this.db,
      `UPDATE segments SET start_ms = ?, end_ms = ?, codebook_version_id = ?, rupture_type = ?, codes_json = ?, rating = ?,
           stage = ?, tags_json = ?, note = ?, resolved = ?, updated_at = ? WHERE id = ?`,
    ).run(...editableColumns(f), now(), id);
  }

  setLinks(repairId: number, ruptureIds: number[]): void {
    prep(this.db, 'DELETE FROM links WHERE repair_id = ?').run(repairId);
    const ins = prep(this.db, 'INSERT INTO links (repair_id, rupture_id) VALUES (?, ?)');
    for (const r of ruptureIds) ins.run(repairId, r);
  }

  delete(id: number): void {
    prep(this.db, 'DELETE FROM segments WHERE id = ?').run(id);
  }

  /**
   * The rows of `ids` and every link touching them. The ids travel as one JSON parameter, so a
   * 50,000-segment import stays far below SQLite's limit on bound parameters.
   */
  snapshot(ids: number[]): SegmentSnapshot {
    if (ids.length === 0) return { segments: [], links: [] };
    const list = JSON.stringify(ids);
    const segments = prep(
      this.db,
      'SELECT * FROM segments WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id',
    ).all(list) as SegmentRow[];
    const links = (
      prep(
        this.db,
        `SELECT repair_id, rupture_id FROM links WHERE repair_id IN (SELECT value FROM json_each(@ids))
           OR rupture_id IN (SELECT value FROM json_each(@ids))`,
      ).all({ ids: list }) as { repair_id: number; rupture_id: number }[]
    ).map((l) => [l.repair_id, l.rupture_id] as [number, number]);
    return { segments, links };
  }

  /** Owners of whichever of `ids` exist now (undo checks that they are the undoing rater's). */
  owners(ids: number[]): { id: number; sessionId: number; raterId: number }[] {
    if (ids.length === 0) return [];
    return (
      prep(this.db, 'SELECT id, session_id, rater_id FROM segments WHERE id IN (SELECT value FROM json_each(?))').all(
        JSON.stringify(ids),
      ) as { id: number; session_id: number; rater_id: number }[]
    ).map((r) => ({ id: r.id, sessionId: r.session_id, raterId: r.rater_id }));
  }

  /** Makes `ids` look exactly as in `state`: rows removed, restored with their ids, links re-made. */
  restore(ids: number[], state: SegmentSnapshot): void {
    const del = prep(this.db, 'DELETE FROM segments WHERE id = ?');
    for (const id of ids) del.run(id);
    const ins = prep(
      this.db,
      `INSERT INTO segments (id, session_id, rater_id, kind, start_ms, end_ms, codebook_version_id, rupture_type, codes_json,
         rating, stage, tags_json, note, resolved, created_at, updated_at, sources_json, origin_json)
       VALUES (@id, @session_id, @rater_id, @kind, @start_ms, @end_ms, @codebook_version_id, @rupture_type, @codes_json,
         @rating, @stage, @tags_json, @note, @resolved, @created_at, @updated_at, @sources_json, @origin_json)`,
    );
    // Snapshots logged before migration 006 have no origin_json.
    for (const row of state.segments) ins.run({ origin_json: null, ...row });
    const link = prep(
      this.db,
      `INSERT OR IGNORE INTO links (repair_id, rupture_id)
       SELECT ?, ? WHERE EXISTS (SELECT 1 FROM segments WHERE id = ?) AND EXISTS (SELECT 1 FROM segments WHERE id = ?)`,
    );
    for (const [repair, rupture] of state.links) link.run(repair, rupture, repair, rupture);
  }
}

interface EditRow {
  id: number;
  label: string;
  before_json: string;
  after_json: string;
}
export interface Edit {
  id: number;
  label: string;
  ids: number[];
  before: SegmentSnapshot;
  after: SegmentSnapshot;
}

/** The per-session edit log behind undo and redo. */
export class EditRepo {
  constructor(private readonly db: Db) {}
  push(
    sessionId: number,
    raterId: number,
    label: string,
    ids: number[],
    before: SegmentSnapshot,
    after: SegmentSnapshot,
  ): void {
    // A new edit ends this rater's redo branch.
    prep(this.db, 'DELETE FROM edits WHERE session_id = ? AND rater_id = ? AND undone = 1').run(sessionId, raterId);
    prep(
      this.db,
      'INSERT INTO edits (session_id, rater_id, label, before_json, after_json, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(
      sessionId,
      raterId,
      label,
      JSON.stringify({ ids, state: before }),
      JSON.stringify({ ids, state: after }),
      now(),
    );
  }
  lastDoneLabel(sessionId: number, raterId: number): string | null {
    const row = prep(
      this.db,
      'SELECT label FROM edits WHERE session_id = ? AND rater_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1',
    ).get(sessionId, raterId) as { label: string } | undefined;
    return row?.label ?? null;
  }
  firstUndoneLabel(sessionId: number, raterId: number): string | null {
    const row = prep(
      this.db,
      'SELECT label FROM edits WHERE session_id = ? AND rater_id = ? AND undone = 1 ORDER BY id ASC LIMIT 1',
    ).get(sessionId, raterId) as { label: string } | undefined;
    return row?.label ?? null;
  }
  lastDone(sessionId: number, raterId: number): Edit | undefined {
    return this.read(
      prep(
        this.db,
        'SELECT * FROM edits WHERE session_id = ? AND rater_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1',
      ).get(sessionId, raterId) as EditRow | undefined,
    );
  }
  firstUndone(sessionId: number, raterId: number): Edit | undefined {
    return this.read(
      prep(
        this.db,
        'SELECT * FROM edits WHERE session_id = ? AND rater_id = ? AND undone = 1 ORDER BY id ASC LIMIT 1',
      ).get(sessionId, raterId) as EditRow | undefined,
    );
  }
  setUndone(id: number, undone: boolean): void {
    prep(this.db, 'UPDATE edits SET undone = ? WHERE id = ?').run(undone ? 1 : 0, id);
  }
  private read(row: EditRow | undefined): Edit | undefined {
    if (!row) return undefined;
    const before = JSON.parse(row.before_json) as { ids: number[]; state: SegmentSnapshot };
    const after = JSON.parse(row.after_json) as { ids: number[]; state: SegmentSnapshot };
    return { id: row.id, label: row.label, ids: before.ids, before: before.state, after: after.state };
  }
}

interface CellRow {
  idx: number;
  codes_json: string;
  withdrawal_significance: number | null;
  confrontation_significance: number | null;
}

export class GridRepo {
  constructor(private readonly db: Db) {}
  session(sessionId: number, raterId: number) {
    return prep(this.db, 'SELECT * FROM grid_sessions WHERE session_id = ? AND rater_id = ?').get(
      sessionId,
      raterId,
    ) as { segment_ms: number; therapist_contribution: number | null; resolution_extent: number | null } | undefined;
  }
  setSession(
    sessionId: number,
    raterId: number,
    segmentMs: number,
    contribution: number | null,
    resolution: number | null,
  ) {
    prep(
      this.db,
      `INSERT INTO grid_sessions (session_id, rater_id, segment_ms, therapist_contribution, resolution_extent)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id, rater_id) DO UPDATE SET segment_ms = excluded.segment_ms,
         therapist_contribution = excluded.therapist_contribution, resolution_extent = excluded.resolution_extent`,
    ).run(sessionId, raterId, segmentMs, contribution, resolution);
  }
  cells(sessionId: number, raterId: number, segmentMs: number): Map<number, Omit<GridCell, 'startMs' | 'endMs'>> {
    const rows = prep(this.db, 'SELECT * FROM grid_cells WHERE session_id = ? AND rater_id = ? AND segment_ms = ?').all(
      sessionId,
      raterId,
      segmentMs,
    ) as CellRow[];
    return new Map(
      rows.map((r) => [
        r.idx,
        {
          index: r.idx,
          codes: JSON.parse(r.codes_json) as string[],
          withdrawalSignificance: r.withdrawal_significance,
          confrontationSignificance: r.confrontation_significance,
        },
      ]),
    );
  }
  setCell(sessionId: number, raterId: number, segmentMs: number, cell: Omit<GridCell, 'startMs' | 'endMs'>) {
    prep(
      this.db,
      `INSERT INTO grid_cells (session_id, rater_id, segment_ms, idx, codes_json, withdrawal_significance, confrontation_significance)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, rater_id, segment_ms, idx) DO UPDATE SET
         codes_json = excluded.codes_json, withdrawal_significance = excluded.withdrawal_significance,
         confrontation_significance = excluded.confrontation_significance`,
    ).run(
      sessionId,
      raterId,
      segmentMs,
      cell.index,
      JSON.stringify(cell.codes),
      cell.withdrawalSignificance,
      cell.confrontationSignificance,
    );
  }
}

interface RatingRow {
  id: number;
  rater_id: number;
  status: 'draft' | 'submitted';
  revision: number;
  submitted_at: string | null;
}

/** Ratings: a rater's work on a session, draft or submitted, with kept revisions. */
export class RatingRepo {
  constructor(private readonly db: Db) {}
  forSession(sessionId: number): RatingState[] {
    return (
      prep(this.db, 'SELECT * FROM ratings WHERE session_id = ? ORDER BY rater_id').all(sessionId) as RatingRow[]
    ).map(toRating);
  }
  /** Every rating of the library, grouped by session. */
  bySession(): Map<number, RatingState[]> {
    const out = new Map<number, RatingState[]>();
    for (const row of prep(this.db, 'SELECT * FROM ratings ORDER BY session_id, rater_id').all() as (RatingRow & {
      session_id: number;
    })[]) {
      out.set(row.session_id, [...(out.get(row.session_id) ?? []), toRating(row)]);
    }
    return out;
  }
  get(sessionId: number, raterId: number): RatingState | undefined {
    const row = prep(this.db, 'SELECT * FROM ratings WHERE session_id = ? AND rater_id = ?').get(sessionId, raterId) as
      RatingRow | undefined;
    return row && toRating(row);
  }
  ensure(sessionId: number, raterId: number): void {
    prep(this.db, "INSERT OR IGNORE INTO ratings (session_id, rater_id, status) VALUES (?, ?, 'draft')").run(
      sessionId,
      raterId,
    );
  }
  submit(sessionId: number, raterId: number): void {
    this.ensure(sessionId, raterId);
    prep(
      this.db,
      "UPDATE ratings SET status = 'submitted', submitted_at = ? WHERE session_id = ? AND rater_id = ?",
    ).run(now(), sessionId, raterId);
  }
  /** Keeps the submitted state as revision n and opens revision n + 1 as a draft. */
  revise(sessionId: number, raterId: number, reason: string, snapshot: unknown): void {
    const row = prep(this.db, 'SELECT * FROM ratings WHERE session_id = ? AND rater_id = ?').get(
      sessionId,
      raterId,
    ) as RatingRow;
    prep(
      this.db,
      'INSERT INTO rating_revisions (rating_id, revision, reason, snapshot_json, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(row.id, row.revision, reason, JSON.stringify(snapshot), now());
    prep(this.db, "UPDATE ratings SET status = 'draft', revision = revision + 1, submitted_at = NULL WHERE id = ?").run(
      row.id,
    );
  }
  revisions(sessionId: number, raterId: number): { revision: number; reason: string; createdAt: string }[] {
    return (
      prep(
        this.db,
        `SELECT rr.revision, rr.reason, rr.created_at FROM rating_revisions rr JOIN ratings r ON r.id = rr.rating_id
           WHERE r.session_id = ? AND r.rater_id = ? ORDER BY rr.revision`,
      ).all(sessionId, raterId) as { revision: number; reason: string; created_at: string }[]
    ).map((r) => ({ revision: r.revision, reason: r.reason, createdAt: r.created_at }));
  }
}
const toRating = (r: RatingRow): RatingState => ({
  raterId: r.rater_id,
  status: r.status,
  revision: r.revision,
  submittedAt: r.submitted_at,
});

export interface AnnotationRepos {
  raters: RaterRepo;
  settings: SettingsRepo;
  codebooks: CodebookRepo;
  segments: SegmentRepo;
  edits: EditRepo;
  grid: GridRepo;
  ratings: RatingRepo;
}

export function createAnnotationRepos(db: Db): AnnotationRepos {
  return {
    raters: new RaterRepo(db),
    settings: new SettingsRepo(db),
    codebooks: new CodebookRepo(db),
    segments: new SegmentRepo(db),
    edits: new EditRepo(db),
    grid: new GridRepo(db),
    ratings: new RatingRepo(db),
  };
}

/** The columns an edit may change, in the order the INSERT and UPDATE statements name them. */
function editableColumns(f: SegmentFields) {
  return [
    f.startMs,
    f.endMs,
    f.codebookVersionId,
    f.ruptureType,
    JSON.stringify(f.codes),
    f.rating,
    f.stage,
    JSON.stringify(f.tags),
    f.note,
    f.resolved ? 1 : 0,
  ] as const;
}
