/**
 * Repositories: SQL in, domain types out. Row types (snake_case) stay in this file.
 */
import type { Case, DeleteImpact, PeakLevel, PeakLevelInfo, Probe, Session } from '../../shared/domain';
import { FRAME_MS } from '../../shared/talk';
import { prep, write, type Db } from '../db/open';

interface CaseRow {
  id: number;
  code: string;
  therapist: string;
  notes: string;
  created_at: string;
}
interface SessionRow {
  id: number;
  case_id: number;
  number: number;
  date: string | null;
  modality: string;
  notes: string;
  last_position_ms: number;
}
interface RecordingRow {
  id: number;
  session_id: number;
  path: string;
  file_name: string;
  size_bytes: number;
  fingerprint: string;
  managed: number;
  offset_ms: number;
  duration_ms: number;
  has_audio: number;
  has_video: number;
  probe_json: string;
}
interface PeaksRow {
  level: PeakLevel;
  pairs_per_second: number;
  count: number;
  data: Buffer;
}

/** A recording as stored; its on-disk state is judged by the service. */
export interface StoredRecording {
  id: number;
  sessionId: number;
  path: string;
  fileName: string;
  sizeBytes: number;
  fingerprint: string;
  managed: boolean;
  offsetMs: number;
  durationMs: number;
  hasAudio: boolean;
  hasVideo: boolean;
  probe: Probe;
}

export interface NewRecording extends Omit<StoredRecording, 'id'> {
  peaks: { level: PeakLevel; pairsPerSecond: number; data: Int8Array }[];
  /** Speech frames per channel (see shared/talk.ts); null when there is no audio. */
  speech?: Uint8Array[] | null;
}

const now = () => new Date().toISOString();

const toCase = (r: CaseRow): Case => ({
  id: r.id,
  code: r.code,
  therapist: r.therapist,
  notes: r.notes,
  createdAt: r.created_at,
});
const toSession = (r: SessionRow): Session => ({
  id: r.id,
  caseId: r.case_id,
  number: r.number,
  date: r.date,
  modality: r.modality,
  notes: r.notes,
  lastPositionMs: r.last_position_ms,
});
const toRecording = (r: RecordingRow): StoredRecording => ({
  id: r.id,
  sessionId: r.session_id,
  path: r.path,
  fileName: r.file_name,
  sizeBytes: r.size_bytes,
  fingerprint: r.fingerprint,
  managed: r.managed === 1,
  offsetMs: r.offset_ms,
  durationMs: r.duration_ms,
  hasAudio: r.has_audio === 1,
  hasVideo: r.has_video === 1,
  probe: JSON.parse(r.probe_json) as Probe,
});

export class CaseRepo {
  constructor(private readonly db: Db) {}
  /** The names this case gives its speaker lanes, by lane key. */
  speakerNames(caseId: number): Record<string, string> {
    const rows = prep(this.db, 'SELECT lane_key, name FROM case_speakers WHERE case_id = ?').all(caseId) as {
      lane_key: string;
      name: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.lane_key, r.name]));
  }
  setSpeakerName(caseId: number, laneKey: string, name: string | null): void {
    if (name === null)
      prep(this.db, 'DELETE FROM case_speakers WHERE case_id = ? AND lane_key = ?').run(caseId, laneKey);
    else
      prep(
        this.db,
        `INSERT INTO case_speakers (case_id, lane_key, name) VALUES (?, ?, ?)
           ON CONFLICT (case_id, lane_key) DO UPDATE SET name = excluded.name`,
      ).run(caseId, laneKey, name);
  }
  list(): Case[] {
    return (prep(this.db, 'SELECT * FROM cases ORDER BY code COLLATE NOCASE').all() as CaseRow[]).map(toCase);
  }
  get(id: number): Case | undefined {
    const row = prep(this.db, 'SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
    return row && toCase(row);
  }
  byCode(code: string): Case | undefined {
    const row = prep(this.db, 'SELECT * FROM cases WHERE code = ?').get(code) as CaseRow | undefined;
    return row && toCase(row);
  }
  insert(c: { code: string; therapist: string; notes: string }): Case {
    const info = prep(this.db, 'INSERT INTO cases (code, therapist, notes, created_at) VALUES (?, ?, ?, ?)').run(
      c.code,
      c.therapist,
      c.notes,
      now(),
    );
    return this.get(Number(info.lastInsertRowid))!;
  }
  update(id: number, c: { code: string; therapist: string; notes: string }): void {
    prep(this.db, 'UPDATE cases SET code = ?, therapist = ?, notes = ? WHERE id = ?').run(
      c.code,
      c.therapist,
      c.notes,
      id,
    );
  }
  delete(id: number): boolean {
    return prep(this.db, 'DELETE FROM cases WHERE id = ?').run(id).changes > 0;
  }
}

export class SessionRepo {
  constructor(private readonly db: Db) {}
  listByCase(caseId: number): Session[] {
    return (prep(this.db, 'SELECT * FROM sessions WHERE case_id = ? ORDER BY number').all(caseId) as SessionRow[]).map(
      toSession,
    );
  }
  listAll(): Session[] {
    return (prep(this.db, 'SELECT * FROM sessions ORDER BY case_id, number').all() as SessionRow[]).map(toSession);
  }
  get(id: number): Session | undefined {
    const row = prep(this.db, 'SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
    return row && toSession(row);
  }
  byNumber(caseId: number, number: number): Session | undefined {
    const row = prep(this.db, 'SELECT * FROM sessions WHERE case_id = ? AND number = ?').get(caseId, number) as
      SessionRow | undefined;
    return row && toSession(row);
  }
  insert(s: { caseId: number; number: number; date: string | null; modality: string; notes: string }): Session {
    const info = prep(
      this.db,
      'INSERT INTO sessions (case_id, number, date, modality, notes, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(s.caseId, s.number, s.date, s.modality, s.notes, now());
    return this.get(Number(info.lastInsertRowid))!;
  }
  update(id: number, s: { number: number; date: string | null; modality: string; notes: string }): void {
    prep(this.db, 'UPDATE sessions SET number = ?, date = ?, modality = ?, notes = ? WHERE id = ?').run(
      s.number,
      s.date,
      s.modality,
      s.notes,
      id,
    );
  }
  savePosition(id: number, positionMs: number): boolean {
    return prep(this.db, 'UPDATE sessions SET last_position_ms = ? WHERE id = ?').run(positionMs, id).changes > 0;
  }
  delete(id: number): boolean {
    return prep(this.db, 'DELETE FROM sessions WHERE id = ?').run(id).changes > 0;
  }
  /** What deleting the sessions matched by `where` (a case's, or one) takes with it. */
  deleteImpact(by: { caseId: number } | { sessionId: number }): DeleteImpact {
    const where = 'caseId' in by ? 's.case_id = @id' : 's.id = @id';
    const id = 'caseId' in by ? by.caseId : by.sessionId;
    return prep(
      this.db,
      `SELECT
         (SELECT count(*) FROM sessions s WHERE ${where}) AS sessions,
         (SELECT count(*) FROM recordings r JOIN sessions s ON s.id = r.session_id WHERE ${where}) AS recordings,
         (SELECT count(*) FROM segments g JOIN sessions s ON s.id = g.session_id JOIN raters ra ON ra.id = g.rater_id
            WHERE ${where} AND ra.consensus = 0) AS segments,
         (SELECT count(DISTINCT g.rater_id) FROM segments g JOIN sessions s ON s.id = g.session_id JOIN raters ra ON ra.id = g.rater_id
            WHERE ${where} AND ra.consensus = 0) AS raters,
         (SELECT count(*) FROM ratings t JOIN sessions s ON s.id = t.session_id WHERE ${where} AND t.status = 'submitted') AS submittedRatings,
         (SELECT count(*) FROM segments g JOIN sessions s ON s.id = g.session_id JOIN raters ra ON ra.id = g.rater_id
            WHERE ${where} AND ra.consensus = 1) AS consensusSegments,
         (SELECT count(*) FROM responses q JOIN sessions s ON s.id = q.session_id WHERE ${where}) AS responses,
         (SELECT count(*) FROM feedback f JOIN sessions s ON s.id = f.session_id WHERE ${where}) AS feedback,
         (SELECT count(*) FROM rating_revisions v JOIN ratings t ON t.id = v.rating_id JOIN sessions s ON s.id = t.session_id
            WHERE ${where}) AS revisions,
         (SELECT count(*) FROM transcript_utterances u JOIN sessions s ON s.id = u.session_id WHERE ${where}) AS transcriptLines,
         (SELECT count(*) FROM recordings r JOIN sessions s ON s.id = r.session_id WHERE ${where} AND r.managed = 1) AS copiedFiles,
         (SELECT coalesce(sum(r.size_bytes), 0) FROM recordings r JOIN sessions s ON s.id = r.session_id
            WHERE ${where} AND r.managed = 1) AS copiedBytes`,
    ).get({ id }) as DeleteImpact;
  }
}

export class RecordingRepo {
  constructor(private readonly db: Db) {}
  listBySession(sessionId: number): StoredRecording[] {
    return (
      prep(this.db, 'SELECT * FROM recordings WHERE session_id = ? ORDER BY id').all(sessionId) as RecordingRow[]
    ).map(toRecording);
  }
  /** The recordings of a case's sessions (or one session's), for erasing their copied files. */
  listFor(by: { caseId: number } | { sessionId: number }): StoredRecording[] {
    const rows = (
      'caseId' in by
        ? prep(this.db, 'SELECT r.* FROM recordings r JOIN sessions s ON s.id = r.session_id WHERE s.case_id = ?').all(
            by.caseId,
          )
        : prep(this.db, 'SELECT * FROM recordings WHERE session_id = ?').all(by.sessionId)
    ) as RecordingRow[];
    return rows.map(toRecording);
  }
  listAll(): StoredRecording[] {
    return (prep(this.db, 'SELECT * FROM recordings ORDER BY id').all() as RecordingRow[]).map(toRecording);
  }
  get(id: number): StoredRecording | undefined {
    const row = prep(this.db, 'SELECT * FROM recordings WHERE id = ?').get(id) as RecordingRow | undefined;
    return row && toRecording(row);
  }
  findDuplicate(sessionId: number, fingerprint: string, path: string): StoredRecording | undefined {
    const row = prep(this.db, 'SELECT * FROM recordings WHERE session_id = ? AND (fingerprint = ? OR path = ?)').get(
      sessionId,
      fingerprint,
      path,
    ) as RecordingRow | undefined;
    return row && toRecording(row);
  }
  /** Stores a recording and all its peaks in one transaction. */
  insert(r: NewRecording): StoredRecording {
    const run = (rec: NewRecording) =>
      write(this.db, () => {
        const info = prep(
          this.db,
          `INSERT INTO recordings (session_id, path, file_name, size_bytes, fingerprint, managed, offset_ms,
             duration_ms, has_audio, has_video, probe_json, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          rec.sessionId,
          rec.path,
          rec.fileName,
          rec.sizeBytes,
          rec.fingerprint,
          rec.managed ? 1 : 0,
          rec.offsetMs,
          rec.durationMs,
          rec.hasAudio ? 1 : 0,
          rec.hasVideo ? 1 : 0,
          JSON.stringify(rec.probe),
          now(),
        );
        const recId = Number(info.lastInsertRowid);
        const insertPeaks = prep(
          this.db,
          'INSERT INTO peaks (recording_id, level, pairs_per_second, count, data) VALUES (?, ?, ?, ?, ?)',
        );
        for (const p of rec.peaks) {
          insertPeaks.run(
            recId,
            p.level,
            p.pairsPerSecond,
            p.data.length / 2,
            Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength),
          );
        }
        if (rec.speech) this.writeSpeechFrames(recId, rec.speech);
        return recId;
      });
    return this.get(run(r))!;
  }
  /** A recording's speech frames, one array per channel; empty when never computed. */
  speechFrames(recordingId: number): Uint8Array[] {
    const rows = prep(this.db, 'SELECT channel, data FROM speech_frames WHERE recording_id = ? ORDER BY channel').all(
      recordingId,
    ) as { channel: number; data: Buffer }[];
    return rows.map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength));
  }
  /** Replaces a recording's speech frames (in one transaction). */
  setSpeechFrames(recordingId: number, frames: Uint8Array[]): void {
    write(this.db, () => this.writeSpeechFrames(recordingId, frames));
  }
  private writeSpeechFrames(recordingId: number, frames: Uint8Array[]): void {
    prep(this.db, 'DELETE FROM speech_frames WHERE recording_id = ?').run(recordingId);
    const insert = prep(
      this.db,
      'INSERT INTO speech_frames (recording_id, channel, frame_ms, data) VALUES (?, ?, ?, ?)',
    );
    frames.forEach((f, channel) =>
      insert.run(recordingId, channel, FRAME_MS, Buffer.from(f.buffer, f.byteOffset, f.byteLength)),
    );
  }
  setOffset(id: number, offsetMs: number): void {
    prep(this.db, 'UPDATE recordings SET offset_ms = ? WHERE id = ?').run(offsetMs, id);
  }
  setPath(id: number, path: string, fileName: string): void {
    prep(this.db, 'UPDATE recordings SET path = ?, file_name = ? WHERE id = ?').run(path, fileName, id);
  }
  delete(id: number): boolean {
    return prep(this.db, 'DELETE FROM recordings WHERE id = ?').run(id).changes > 0;
  }
  peakLevels(recordingId: number): PeakLevelInfo[] {
    return (
      prep(
        this.db,
        `SELECT level, pairs_per_second, count FROM peaks WHERE recording_id = ?
           ORDER BY CASE level WHEN 'detail' THEN 0 WHEN 'coarse' THEN 1 ELSE 2 END`,
      ).all(recordingId) as Omit<PeaksRow, 'data'>[]
    ).map((r) => ({ level: r.level, pairsPerSecond: r.pairs_per_second, count: r.count }));
  }
  peaks(recordingId: number, level: PeakLevel): PeaksRow | undefined {
    return prep(
      this.db,
      'SELECT level, pairs_per_second, count, data FROM peaks WHERE recording_id = ? AND level = ?',
    ).get(recordingId, level) as PeaksRow | undefined;
  }
}

/** An import under way: what it created, so a killed import can be cleaned up on the next start. */
export interface PendingImport {
  id: number;
  caseId: number | null;
  sessionId: number | null;
  copiedPath: string | null;
  createdCase: boolean;
  createdSession: boolean;
  pid: number;
}

export class PendingImportRepo {
  constructor(private readonly db: Db) {}
  begin(p: Omit<PendingImport, 'id' | 'pid'>): number {
    return Number(
      prep(
        this.db,
        `INSERT INTO pending_imports (case_id, session_id, copied_path, created_case, created_session, pid, started_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(p.caseId, p.sessionId, p.copiedPath, p.createdCase ? 1 : 0, p.createdSession ? 1 : 0, process.pid, now())
        .lastInsertRowid,
    );
  }
  finish(id: number): void {
    prep(this.db, 'DELETE FROM pending_imports WHERE id = ?').run(id);
  }
  list(): PendingImport[] {
    return (
      prep(this.db, 'SELECT * FROM pending_imports ORDER BY id').all() as {
        id: number;
        case_id: number | null;
        session_id: number | null;
        copied_path: string | null;
        created_case: number;
        created_session: number;
        pid: number;
      }[]
    ).map((r) => ({
      id: r.id,
      caseId: r.case_id,
      sessionId: r.session_id,
      copiedPath: r.copied_path,
      createdCase: r.created_case === 1,
      createdSession: r.created_session === 1,
      pid: r.pid,
    }));
  }
  /** Whether anything refers to the file (a stored recording). */
  pathInUse(file: string): boolean {
    return prep(this.db, 'SELECT 1 FROM recordings WHERE path = ? LIMIT 1').get(file) !== undefined;
  }
  /** Whether a session has anything in it: a recording, a segment, a rating, a response. */
  sessionUsed(sessionId: number): boolean {
    return (
      (
        prep(
          this.db,
          `SELECT EXISTS (SELECT 1 FROM recordings WHERE session_id = @s) OR EXISTS (SELECT 1 FROM segments WHERE session_id = @s)
           OR EXISTS (SELECT 1 FROM ratings WHERE session_id = @s) OR EXISTS (SELECT 1 FROM responses WHERE session_id = @s)
           OR EXISTS (SELECT 1 FROM pending_imports WHERE session_id = @s AND pid <> @pid) AS used`,
        ).get({ s: sessionId, pid: process.pid }) as { used: number }
      ).used === 1
    );
  }
  caseUsed(caseId: number): boolean {
    return prep(this.db, 'SELECT 1 FROM sessions WHERE case_id = ? LIMIT 1').get(caseId) !== undefined;
  }
}

export interface Repos {
  cases: CaseRepo;
  sessions: SessionRepo;
  recordings: RecordingRepo;
  pending: PendingImportRepo;
}

export function createRepos(db: Db): Repos {
  return {
    cases: new CaseRepo(db),
    sessions: new SessionRepo(db),
    recordings: new RecordingRepo(db),
    pending: new PendingImportRepo(db),
  };
}
