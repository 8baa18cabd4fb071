/**
 * Repositories for questionnaire instruments and responses, and for assignments. Row types stay
 * here; services see domain types.
 */
import type { Role } from '../../shared/annotations';
import type { Answers, Instrument } from '../../shared/instruments';
import { prep, type Db } from '../db/open';

const now = () => new Date().toISOString();

export class InstrumentRepo {
  constructor(private readonly db: Db) {}
  /** Adds the instruments a new library starts with (never replaces an edited one). */
  ensure(defaults: Instrument[]): void {
    const ins = prep(this.db, 'INSERT OR IGNORE INTO instruments (key, definition_json, created_at) VALUES (?, ?, ?)');
    for (const i of defaults) ins.run(i.key, JSON.stringify(i), now());
  }
  list(): Instrument[] {
    return (
      prep(this.db, 'SELECT definition_json FROM instruments ORDER BY id').all() as { definition_json: string }[]
    ).map((r) => JSON.parse(r.definition_json) as Instrument);
  }
  byKey(key: string): { id: number; def: Instrument } | undefined {
    const row = prep(this.db, 'SELECT id, definition_json FROM instruments WHERE key = ?').get(key) as
      { id: number; definition_json: string } | undefined;
    return row && { id: row.id, def: JSON.parse(row.definition_json) as Instrument };
  }
  upsert(def: Instrument): void {
    prep(
      this.db,
      'INSERT INTO instruments (key, definition_json, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET definition_json = excluded.definition_json',
    ).run(def.key, JSON.stringify(def), now());
  }
}

export interface ResponseRow {
  id: number;
  sessionId: number;
  raterId: number;
  raterName: string;
  perspective: Role;
  answers: Answers;
  instrument: Instrument;
}

export class ResponseRepo {
  constructor(private readonly db: Db) {}
  save(r: { sessionId: number; raterId: number; instrumentId: number; perspective: Role; answers: Answers }): void {
    prep(
      this.db,
      `INSERT INTO responses (session_id, rater_id, instrument_id, perspective, answers_json, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, rater_id, instrument_id)
         DO UPDATE SET perspective = excluded.perspective, answers_json = excluded.answers_json, updated_at = excluded.updated_at`,
    ).run(r.sessionId, r.raterId, r.instrumentId, r.perspective, JSON.stringify(r.answers), now(), now());
  }
  forSession(sessionId: number): ResponseRow[] {
    const rows = prep(
      this.db,
      `SELECT r.id, r.session_id, r.rater_id, ra.name AS rater_name, r.perspective, r.answers_json, i.definition_json
         FROM responses r JOIN instruments i ON i.id = r.instrument_id JOIN raters ra ON ra.id = r.rater_id
         WHERE r.session_id = ? ORDER BY r.id`,
    ).all(sessionId) as {
      id: number;
      session_id: number;
      rater_id: number;
      rater_name: string;
      perspective: Role;
      answers_json: string;
      definition_json: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      raterId: r.rater_id,
      raterName: r.rater_name,
      perspective: r.perspective,
      answers: JSON.parse(r.answers_json) as Answers,
      instrument: JSON.parse(r.definition_json) as Instrument,
    }));
  }
}

export interface Assignment {
  raterId: number;
  name: string;
  role: Role;
  dueDate: string | null;
  status: 'draft' | 'submitted' | null;
}

export class AssignmentRepo {
  constructor(private readonly db: Db) {}
  forSession(sessionId: number): Assignment[] {
    return prep(
      this.db,
      `SELECT a.rater_id AS raterId, r.name, r.role, a.due_date AS dueDate, rt.status
         FROM assignments a JOIN raters r ON r.id = a.rater_id
         LEFT JOIN ratings rt ON rt.session_id = a.session_id AND rt.rater_id = a.rater_id
         WHERE a.session_id = ? ORDER BY r.name`,
    ).all(sessionId) as Assignment[];
  }
  set(sessionId: number, raterId: number, dueDate: string | null): void {
    prep(
      this.db,
      'INSERT INTO assignments (session_id, rater_id, due_date) VALUES (?, ?, ?) ON CONFLICT (session_id, rater_id) DO UPDATE SET due_date = excluded.due_date',
    ).run(sessionId, raterId, dueDate);
  }
  remove(sessionId: number, raterId: number): void {
    prep(this.db, 'DELETE FROM assignments WHERE session_id = ? AND rater_id = ?').run(sessionId, raterId);
  }
}

export interface PerspectiveRepos {
  instruments: InstrumentRepo;
  responses: ResponseRepo;
  assignments: AssignmentRepo;
}

export function createPerspectiveRepos(db: Db): PerspectiveRepos {
  return { instruments: new InstrumentRepo(db), responses: new ResponseRepo(db), assignments: new AssignmentRepo(db) };
}
