/**
 * 006: what other tools' files bring along, and transcripts.
 *
 * - `segments.origin_json`: for a segment imported from ELAN, BORIS or a CSV, where it came from
 *   (format, file, line or annotation id, tier, participant, annotator, subject, modifiers, the
 *   foreign value). Shown in the segment's details and carried into exports; NULL for segments
 *   marked in the app. Not editable: it records the source.
 * - `transcript_utterances`: a session's transcript, one row per utterance with its speaker, and
 *   `transcript_fts`, an FTS5 index over the text (external content, kept in step by triggers), so
 *   a search over a library of hundreds of hours answers at once.
 */
export const sql = `
ALTER TABLE segments ADD COLUMN origin_json TEXT;

CREATE TABLE transcript_utterances (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  start_ms INTEGER NOT NULL CHECK (start_ms >= 0),
  end_ms INTEGER NOT NULL CHECK (end_ms >= start_ms),
  speaker TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  origin_json TEXT
) STRICT;
CREATE INDEX transcript_session ON transcript_utterances (session_id, start_ms);

CREATE VIRTUAL TABLE transcript_fts USING fts5(
  text, speaker UNINDEXED,
  content = 'transcript_utterances', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER transcript_ai AFTER INSERT ON transcript_utterances BEGIN
  INSERT INTO transcript_fts (rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;
CREATE TRIGGER transcript_ad AFTER DELETE ON transcript_utterances BEGIN
  INSERT INTO transcript_fts (transcript_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker);
END;
CREATE TRIGGER transcript_au AFTER UPDATE ON transcript_utterances BEGIN
  INSERT INTO transcript_fts (transcript_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker);
  INSERT INTO transcript_fts (rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;
`;
