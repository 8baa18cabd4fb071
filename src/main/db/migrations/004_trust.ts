/**
 * 004: ids that the edit log refers to are never reused, and the consensus lane is marked by a
 * flag instead of being found by its name.
 *
 * SQLite only gives a table AUTOINCREMENT when it is created, so `segments` is rebuilt (the
 * migration runner turns foreign keys off around migrations and checks them afterwards, the way
 * SQLite documents for table rebuilds). The sequence starts above every id the edit log has ever
 * named, so a redo can never collide with a segment created after this migration.
 */
export const sql = `
CREATE TABLE segments_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  rater_id INTEGER NOT NULL REFERENCES raters(id) ON DELETE RESTRICT,
  kind TEXT NOT NULL CHECK (kind IN ('rupture', 'repair', 'comment')),
  start_ms INTEGER NOT NULL CHECK (start_ms >= 0),
  end_ms INTEGER NOT NULL CHECK (end_ms >= start_ms),
  codebook_version_id INTEGER NOT NULL REFERENCES codebook_versions(id) ON DELETE RESTRICT,
  rupture_type TEXT CHECK (rupture_type IN ('withdrawal', 'confrontation', 'both')),
  codes_json TEXT NOT NULL DEFAULT '[]',
  rating INTEGER CHECK (rating BETWEEN 1 AND 5),
  stage TEXT,
  tags_json TEXT NOT NULL DEFAULT '[]',
  note TEXT NOT NULL DEFAULT '',
  resolved INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  sources_json TEXT NOT NULL DEFAULT '[]'
) STRICT;
INSERT INTO segments_new (id, session_id, rater_id, kind, start_ms, end_ms, codebook_version_id, rupture_type,
    codes_json, rating, stage, tags_json, note, resolved, created_at, updated_at, sources_json)
  SELECT id, session_id, rater_id, kind, start_ms, end_ms, codebook_version_id, rupture_type,
    codes_json, rating, stage, tags_json, note, resolved, created_at, updated_at, sources_json FROM segments;
DROP TABLE segments;
ALTER TABLE segments_new RENAME TO segments;
CREATE INDEX segments_session ON segments(session_id, rater_id, start_ms);
DELETE FROM sqlite_sequence WHERE name = 'segments';
INSERT INTO sqlite_sequence (name, seq) SELECT 'segments', max(m) FROM (
  SELECT coalesce(max(id), 0) AS m FROM segments
  UNION ALL
  SELECT coalesce(max(CAST(j.value AS INTEGER)), 0) FROM edits e, json_each(e.before_json, '$.ids') j
);

CREATE TABLE edits_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  label TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
  created_at TEXT NOT NULL,
  rater_id INTEGER REFERENCES raters(id)
) STRICT;
INSERT INTO edits_new (id, session_id, label, before_json, after_json, undone, created_at, rater_id)
  SELECT id, session_id, label, before_json, after_json, undone, created_at, rater_id FROM edits;
DROP TABLE edits;
ALTER TABLE edits_new RENAME TO edits;
CREATE INDEX edits_session ON edits(session_id, id);
CREATE INDEX edits_rater ON edits(session_id, rater_id, id);

-- The consensus lane is a flag. Before, it was the rater called "Consensus" (a supervisor, as the
-- app created it); a person who later took that name keeps being a person.
ALTER TABLE raters ADD COLUMN consensus INTEGER NOT NULL DEFAULT 0 CHECK (consensus IN (0, 1));
UPDATE raters SET consensus = 1 WHERE id = (
  SELECT r.id FROM raters r WHERE r.name = 'Consensus' AND r.role = 'supervisor'
    AND NOT EXISTS (SELECT 1 FROM ratings g WHERE g.rater_id = r.id)
  ORDER BY r.id LIMIT 1
);
CREATE UNIQUE INDEX raters_one_consensus ON raters(consensus) WHERE consensus = 1;

-- Imports that were interrupted are found and cleaned up on the next start.
CREATE TABLE pending_imports (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER,
  session_id INTEGER,
  copied_path TEXT,
  created_case INTEGER NOT NULL DEFAULT 0 CHECK (created_case IN (0, 1)),
  created_session INTEGER NOT NULL DEFAULT 0 CHECK (created_session IN (0, 1)),
  pid INTEGER NOT NULL,
  started_at TEXT NOT NULL
) STRICT;
`;
