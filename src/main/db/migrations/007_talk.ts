/**
 * 007: who speaks when.
 *
 * - `speech_frames`: per recording and channel, one byte per 20 ms (the voice activity detector's
 *   verdict and the level; see shared/talk.ts), computed with the peaks at import or later on
 *   demand. About 180 KB per channel-hour. Deleted with the recording.
 * - `case_speakers`: the names a case gives its speaker lanes (left → "Therapist", …), once per
 *   case, so every session of the case shows them.
 */
export const sql = `
CREATE TABLE speech_frames (
  recording_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
  channel INTEGER NOT NULL CHECK (channel IN (0, 1)),
  frame_ms INTEGER NOT NULL CHECK (frame_ms > 0),
  data BLOB NOT NULL,
  PRIMARY KEY (recording_id, channel)
) STRICT;

CREATE TABLE case_speakers (
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  lane_key TEXT NOT NULL CHECK (length(lane_key) BETWEEN 1 AND 20),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  PRIMARY KEY (case_id, lane_key)
) STRICT;
`;
