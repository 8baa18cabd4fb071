/**
 * 005: feedback, separate from rating. A supervisor's (or peer's) comment on a session is not a
 * segment of anyone's rating: it needs no submit, never counts in agreement, and never unblinds
 * anyone. A thread is a root comment (at a moment or over a span, optionally about a segment,
 * with a label) and its replies; the root carries the thread's state. Reads are remembered per
 * rater, so both sides see what is new to them.
 *
 * Old "comment" segments stay what they were (a rater's own notes in their lane): moving them would
 * change submitted ratings and the edit log that names them.
 */
export const sql = `
CREATE TABLE feedback_labels (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(name) BETWEEN 1 AND 40),
  position INTEGER NOT NULL
) STRICT;

INSERT INTO feedback_labels (name, position) VALUES
  ('strength', 1), ('question', 2), ('try instead', 3), ('rupture missed', 4), ('repair missed', 5);

CREATE TABLE feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  parent_id INTEGER REFERENCES feedback(id) ON DELETE CASCADE,
  author_id INTEGER NOT NULL REFERENCES raters(id) ON DELETE RESTRICT,
  start_ms INTEGER CHECK (start_ms >= 0),
  end_ms INTEGER CHECK (end_ms >= start_ms),
  segment_id INTEGER REFERENCES segments(id) ON DELETE SET NULL,
  label TEXT,
  text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 20000),
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'resolved')),
  state_by INTEGER REFERENCES raters(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  edited_at TEXT,
  -- a thread's root has a time; a reply takes its thread's
  CHECK ((parent_id IS NULL) = (start_ms IS NOT NULL))
) STRICT;
CREATE INDEX feedback_session ON feedback (session_id, start_ms);
CREATE INDEX feedback_parent ON feedback (parent_id);

CREATE TABLE feedback_reads (
  feedback_id INTEGER NOT NULL REFERENCES feedback(id) ON DELETE CASCADE,
  rater_id INTEGER NOT NULL REFERENCES raters(id) ON DELETE CASCADE,
  PRIMARY KEY (feedback_id, rater_id)
) STRICT;
`;
