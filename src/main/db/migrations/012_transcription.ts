/**
 * 012: transcription on this computer. A job per run of a model over a session: the lanes (or
 * recording) it transcribes, its chunks on the session's clock, and how many are done, so that a
 * stopped job resumes at the next chunk. Utterances it made carry `{"machine": {...}}` in their
 * origin (the model's name, the language, the job); they go with their session.
 */
export const sql = `
CREATE TABLE transcription_jobs (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  model TEXT NOT NULL,
  model_path TEXT NOT NULL,
  language TEXT,
  recording_id INTEGER,
  sources_json TEXT NOT NULL,
  chunks_json TEXT NOT NULL,
  notes_json TEXT NOT NULL DEFAULT '[]',
  chunks_done INTEGER NOT NULL DEFAULT 0 CHECK (chunks_done >= 0),
  done_ms INTEGER NOT NULL DEFAULT 0 CHECK (done_ms >= 0),
  total_ms INTEGER NOT NULL CHECK (total_ms >= 0),
  state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'done', 'failed')),
  error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX transcription_jobs_session ON transcription_jobs(session_id, id);
`;
