/** 001: cases, sessions, recordings and their waveform peaks. */
export const sql = `
CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL COLLATE NOCASE UNIQUE,
  therapist TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  number INTEGER NOT NULL CHECK (number > 0),
  date TEXT,
  modality TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  last_position_ms INTEGER NOT NULL DEFAULT 0 CHECK (last_position_ms >= 0),
  created_at TEXT NOT NULL,
  UNIQUE (case_id, number)
) STRICT;

CREATE TABLE recordings (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  file_name TEXT NOT NULL,
  size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
  fingerprint TEXT NOT NULL,
  managed INTEGER NOT NULL DEFAULT 0 CHECK (managed IN (0, 1)),
  offset_ms INTEGER NOT NULL DEFAULT 0,
  duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
  has_audio INTEGER NOT NULL CHECK (has_audio IN (0, 1)),
  has_video INTEGER NOT NULL CHECK (has_video IN (0, 1)),
  probe_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (session_id, fingerprint)
) STRICT;
CREATE INDEX recordings_session ON recordings(session_id);

CREATE TABLE peaks (
  recording_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
  level TEXT NOT NULL CHECK (level IN ('detail', 'coarse', 'overview')),
  pairs_per_second REAL NOT NULL,
  count INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (recording_id, level)
) STRICT;
`;
