/**
 * 003: ratings (a rater's submitted work on a session, with revisions), assignments,
 * questionnaire instruments and responses, and consensus sources on segments.
 */
export const sql = `
CREATE TABLE ratings (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  rater_id INTEGER NOT NULL REFERENCES raters(id) ON DELETE RESTRICT,
  status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
  revision INTEGER NOT NULL DEFAULT 1 CHECK (revision > 0),
  submitted_at TEXT,
  UNIQUE (session_id, rater_id)
) STRICT;

CREATE TABLE rating_revisions (
  id INTEGER PRIMARY KEY,
  rating_id INTEGER NOT NULL REFERENCES ratings(id) ON DELETE CASCADE,
  revision INTEGER NOT NULL,
  reason TEXT NOT NULL,
  snapshot_json TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE assignments (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  rater_id INTEGER NOT NULL REFERENCES raters(id) ON DELETE RESTRICT,
  due_date TEXT,
  UNIQUE (session_id, rater_id)
) STRICT;

CREATE TABLE instruments (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  definition_json TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE responses (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  rater_id INTEGER NOT NULL REFERENCES raters(id) ON DELETE RESTRICT,
  instrument_id INTEGER NOT NULL REFERENCES instruments(id) ON DELETE RESTRICT,
  perspective TEXT NOT NULL CHECK (perspective IN ('supervisor', 'trainee', 'observer', 'therapist', 'patient')),
  answers_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (session_id, rater_id, instrument_id)
) STRICT;

ALTER TABLE segments ADD COLUMN sources_json TEXT NOT NULL DEFAULT '[]';

-- Undo and redo become per rater: one rater's undo never touches another's work.
ALTER TABLE edits ADD COLUMN rater_id INTEGER REFERENCES raters(id);
UPDATE edits SET rater_id = (
  SELECT s.rater_id FROM segments s WHERE s.session_id = edits.session_id ORDER BY s.id LIMIT 1
);
CREATE INDEX edits_rater ON edits(session_id, rater_id, id);
`;
