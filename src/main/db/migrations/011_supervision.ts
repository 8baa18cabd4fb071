/**
 * 011: supervision between two computers. Sessions, raters, segments and feedback items get a
 * stable identity (`uid`) that travels in supervision files, so that the same comment, reply,
 * segment or session is recognised in another library (and never duplicated). Existing rows get
 * one here; new rows get one from a trigger, whichever operation inserts them.
 *
 * - `raters.home`: the library (by its id) where a rater writes; NULL: this one. A supervision
 *   file only carries, and a merge only takes, items whose authors write in the sending library.
 * - `feedback.state_at`: when a thread's state was last set (the later of two crossing changes wins).
 * - `supervision_peers`: the libraries this one has received from, with their signing key
 *   (pinned the first time: a file claiming to be from a known library but not signed by it is refused).
 * - `supervision_links`: per session and peer library, the sequence number of the newest file
 *   received (a file already received, or older, changes nothing).
 * - `supervision_log`: what was sent and received (the app shows the last of each).
 */
const uid = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
  substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;

const withUid = (table: string) => `
ALTER TABLE ${table} ADD COLUMN uid TEXT;
UPDATE ${table} SET uid = ${uid};
CREATE UNIQUE INDEX ${table}_uid ON ${table}(uid);
CREATE TRIGGER ${table}_uid_fill AFTER INSERT ON ${table} WHEN NEW.uid IS NULL
BEGIN
  UPDATE ${table} SET uid = ${uid} WHERE id = NEW.id;
END;
`;

export const sql = `
${withUid('sessions')}
${withUid('raters')}
${withUid('segments')}
${withUid('feedback')}
ALTER TABLE raters ADD COLUMN home TEXT;
ALTER TABLE feedback ADD COLUMN state_at TEXT;

CREATE TABLE supervision_peers (
  library_id TEXT PRIMARY KEY,
  public_key TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL
) STRICT;

CREATE TABLE supervision_links (
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  library_id TEXT NOT NULL,
  last_seq INTEGER NOT NULL CHECK (last_seq > 0),
  PRIMARY KEY (session_id, library_id)
) STRICT;

CREATE TABLE supervision_log (
  id INTEGER PRIMARY KEY,
  file_id TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
  session_id INTEGER REFERENCES sessions(id) ON DELETE CASCADE,
  peer TEXT NOT NULL,
  summary_json TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX supervision_log_session ON supervision_log(session_id, id);
`;
