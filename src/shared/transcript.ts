/** A session's transcript: utterances with a speaker, searchable across the library. */

export interface Utterance {
  id: number;
  sessionId: number;
  startMs: number;
  endMs: number;
  /** '' when the file named nobody. */
  speaker: string;
  text: string;
}

export interface TranscriptHit {
  utteranceId: number;
  sessionId: number;
  caseCode: string;
  sessionNumber: number;
  startMs: number;
  endMs: number;
  speaker: string;
  text: string;
  /** The text with the matched words between \u0001 and \u0002 (the renderer marks them). */
  marked: string;
}

/** Words of a search as an FTS5 query: each word a quoted prefix, all required. */
export function ftsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}]+/gu);
  if (!words?.length) return null;
  return words
    .slice(0, 12)
    .map((w) => `"${w}"*`)
    .join(' ');
}
