/** All SQL of transcription jobs, and the machine-made utterances they write. */
import type { Span } from '../../shared/talk';
import { prep, type Db } from '../db/open';

const now = () => new Date().toISOString();

/** A lane (or recording) a job transcribes: its speaker's name ('' for one unnamed speaker). */
export interface PlannedSource {
  recordingId: number;
  channel: number | null;
  speaker: string;
  stretches: Span[] | null;
}
export interface PlannedChunk {
  source: number;
  startMs: number;
  endMs: number;
}
export type JobState = 'running' | 'paused' | 'done' | 'failed';

export interface JobRow {
  id: number;
  uid: string;
  sessionId: number;
  model: string;
  modelPath: string;
  language: string | null;
  recordingId: number | null;
  sources: PlannedSource[];
  chunks: PlannedChunk[];
  notes: string[];
  chunksDone: number;
  doneMs: number;
  totalMs: number;
  state: JobState;
  error: string | null;
}

interface Raw {
  id: number;
  uid: string;
  session_id: number;
  model: string;
  model_path: string;
  language: string | null;
  recording_id: number | null;
  sources_json: string;
  chunks_json: string;
  notes_json: string;
  chunks_done: number;
  done_ms: number;
  total_ms: number;
  state: JobState;
  error: string | null;
}
const toJob = (r: Raw): JobRow => ({
  id: r.id,
  uid: r.uid,
  sessionId: r.session_id,
  model: r.model,
  modelPath: r.model_path,
  language: r.language,
  recordingId: r.recording_id,
  sources: JSON.parse(r.sources_json) as PlannedSource[],
  chunks: JSON.parse(r.chunks_json) as PlannedChunk[],
  notes: JSON.parse(r.notes_json) as string[],
  chunksDone: r.chunks_done,
  doneMs: r.done_ms,
  totalMs: r.total_ms,
  state: r.state,
  error: r.error,
});

export class TranscriptionRepo {
  constructor(private readonly db: Db) {}

  get(id: number): JobRow | undefined {
    const r = prep(this.db, 'SELECT * FROM transcription_jobs WHERE id = ?').get(id) as Raw | undefined;
    return r && toJob(r);
  }
  latest(sessionId: number): JobRow | undefined {
    const r = prep(this.db, 'SELECT * FROM transcription_jobs WHERE session_id = ? ORDER BY id DESC LIMIT 1').get(
      sessionId,
    ) as Raw | undefined;
    return r && toJob(r);
  }
  create(j: {
    uid: string;
    sessionId: number;
    model: string;
    modelPath: string;
    language: string | null;
    recordingId: number | null;
    sources: PlannedSource[];
    chunks: PlannedChunk[];
    notes: string[];
  }): JobRow {
    const total = j.chunks.reduce((n, c) => n + (c.endMs - c.startMs), 0);
    const res = prep(
      this.db,
      `INSERT INTO transcription_jobs (uid, session_id, model, model_path, language, recording_id, sources_json, chunks_json,
           notes_json, total_ms, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
    ).run(
      j.uid,
      j.sessionId,
      j.model,
      j.modelPath,
      j.language,
      j.recordingId,
      JSON.stringify(j.sources),
      JSON.stringify(j.chunks),
      JSON.stringify(j.notes),
      total,
      now(),
      now(),
    );
    return this.get(Number(res.lastInsertRowid))!;
  }
  chunkDone(id: number, chunksDone: number, ms: number): JobRow {
    prep(
      this.db,
      'UPDATE transcription_jobs SET chunks_done = ?, done_ms = done_ms + ?, updated_at = ? WHERE id = ?',
    ).run(chunksDone, ms, now(), id);
    return this.get(id)!;
  }
  setState(id: number, state: JobState, error: string | null): JobRow {
    prep(this.db, 'UPDATE transcription_jobs SET state = ?, error = ?, updated_at = ? WHERE id = ?').run(
      state,
      error,
      now(),
      id,
    );
    return this.get(id)!;
  }
  /** Jobs that were running when the process stopped: paused, to be resumed. */
  pauseRunning(): void {
    prep(this.db, "UPDATE transcription_jobs SET state = 'paused', updated_at = ? WHERE state = 'running'").run(now());
  }

  addUtterances(job: JobRow, rows: { startMs: number; endMs: number; speaker: string; text: string }[]): void {
    const ins = prep(
      this.db,
      'INSERT INTO transcript_utterances (session_id, start_ms, end_ms, speaker, text, origin_json) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const origin = JSON.stringify({ machine: { model: job.model, language: job.language, job: job.uid } });
    for (const r of rows) ins.run(job.sessionId, r.startMs, r.endMs, r.speaker, r.text, origin);
  }
  countOf(job: JobRow): number {
    return (
      prep(
        this.db,
        "SELECT count(*) AS n FROM transcript_utterances WHERE session_id = ? AND json_extract(origin_json, '$.machine.job') = ?",
      ).get(job.sessionId, job.uid) as { n: number }
    ).n;
  }
  /** Removes a session's machine-made utterances (a new transcription replaces them). */
  removeMachineMade(sessionId: number): number {
    return prep(
      this.db,
      "DELETE FROM transcript_utterances WHERE session_id = ? AND json_extract(origin_json, '$.machine') IS NOT NULL",
    ).run(sessionId).changes;
  }
}
