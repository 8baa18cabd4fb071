/**
 * 002: raters, versioned codebooks, segments (rupture / repair / comment) with links, an edit
 * log for undo and redo, the 3RS grid, and small app settings.
 */
export const sql = `
CREATE TABLE raters (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('supervisor', 'trainee', 'observer', 'therapist', 'patient')),
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE codebooks (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE codebook_versions (
  id INTEGER PRIMARY KEY,
  codebook_id INTEGER NOT NULL REFERENCES codebooks(id) ON DELETE RESTRICT,
  version INTEGER NOT NULL CHECK (version > 0),
  definition_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (codebook_id, version)
) STRICT;

CREATE TABLE segments (
  id INTEGER PRIMARY KEY,
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
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX segments_session ON segments(session_id, rater_id, start_ms);

CREATE TABLE links (
  repair_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
  rupture_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
  PRIMARY KEY (repair_id, rupture_id)
) STRICT;
CREATE INDEX links_rupture ON links(rupture_id);

CREATE TABLE edits (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  label TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX edits_session ON edits(session_id, id);

CREATE TABLE grid_sessions (
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  rater_id INTEGER NOT NULL REFERENCES raters(id) ON DELETE RESTRICT,
  segment_ms INTEGER NOT NULL CHECK (segment_ms >= 10000),
  therapist_contribution INTEGER CHECK (therapist_contribution BETWEEN 1 AND 5),
  resolution_extent INTEGER CHECK (resolution_extent BETWEEN 1 AND 5),
  PRIMARY KEY (session_id, rater_id)
) STRICT;

CREATE TABLE grid_cells (
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  rater_id INTEGER NOT NULL REFERENCES raters(id) ON DELETE RESTRICT,
  segment_ms INTEGER NOT NULL,
  idx INTEGER NOT NULL CHECK (idx >= 0),
  codes_json TEXT NOT NULL DEFAULT '[]',
  withdrawal_significance INTEGER CHECK (withdrawal_significance BETWEEN 1 AND 5),
  confrontation_significance INTEGER CHECK (confrontation_significance BETWEEN 1 AND 5),
  PRIMARY KEY (session_id, rater_id, segment_ms, idx)
) STRICT;
`;
