/** All SQL of transcripts: utterances per session and the FTS5 search over them. */
import { ftsQuery, type TranscriptHit, type Utterance } from '../../shared/transcript';
import { prep, type Db } from '../db/open';

export interface UtteranceInput {
  startMs: number;
  endMs: number;
  speaker: string;
  text: string;
  origin: { file: string; at: string; tier?: string } | null;
}

interface Row {
  id: number;
  session_id: number;
  start_ms: number;
  end_ms: number;
  speaker: string;
  text: string;
}
const toUtterance = (r: Row): Utterance => ({
  id: r.id,
  sessionId: r.session_id,
  startMs: r.start_ms,
  endMs: r.end_ms,
  speaker: r.speaker,
  text: r.text,
});

export class TranscriptRepo {
  constructor(private readonly db: Db) {}

  list(sessionId: number): Utterance[] {
    return (
      prep(
        this.db,
        'SELECT id, session_id, start_ms, end_ms, speaker, text FROM transcript_utterances WHERE session_id = ? ORDER BY start_ms, id',
      ).all(sessionId) as Row[]
    ).map(toUtterance);
  }

  get(id: number): Utterance | undefined {
    const r = prep(
      this.db,
      'SELECT id, session_id, start_ms, end_ms, speaker, text FROM transcript_utterances WHERE id = ?',
    ).get(id) as Row | undefined;
    return r && toUtterance(r);
  }

  /** Corrects an utterance's words or speaker (the search follows); its origin notes when. */
  edit(id: number, text: string, speaker: string): void {
    prep(
      this.db,
      "UPDATE transcript_utterances SET text = ?, speaker = ?, origin_json = json_set(coalesce(origin_json, '{}'), '$.edited', ?) WHERE id = ?",
    ).run(text, speaker, new Date().toISOString(), id);
  }

  count(sessionId: number): number {
    return (
      prep(this.db, 'SELECT count(*) AS n FROM transcript_utterances WHERE session_id = ?').get(sessionId) as {
        n: number;
      }
    ).n;
  }

  /** Utterances earlier imported from `file` are replaced (importing the same file twice adds nothing). */
  replaceFromFile(sessionId: number, file: string, rows: UtteranceInput[]): { added: number; replaced: number } {
    const replaced = prep(
      this.db,
      "DELETE FROM transcript_utterances WHERE session_id = ? AND json_extract(origin_json, '$.file') = ?",
    ).run(sessionId, file).changes;
    const ins = prep(
      this.db,
      'INSERT INTO transcript_utterances (session_id, start_ms, end_ms, speaker, text, origin_json) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const r of rows)
      ins.run(sessionId, r.startMs, r.endMs, r.speaker, r.text, r.origin ? JSON.stringify(r.origin) : null);
    return { added: rows.length, replaced };
  }

  deleteSession(sessionId: number): number {
    return prep(this.db, 'DELETE FROM transcript_utterances WHERE session_id = ?').run(sessionId).changes;
  }

  /**
   * Utterances matching every word (as a prefix): in one session in time order; across the
   * library the first `limit` matches as stored (the index streams them, so a common word
   * answers as fast as a rare one), shown by case, session and time.
   */
  search(text: string, opts: { sessionId?: number; limit?: number } = {}): TranscriptHit[] {
    const q = ftsQuery(text);
    if (!q) return [];
    // A session's utterances were stored together: its id range lets the index skip the rest.
    const range = opts.sessionId
      ? (prep(this.db, 'SELECT min(id) AS lo, max(id) AS hi FROM transcript_utterances WHERE session_id = ?').get(
          opts.sessionId,
        ) as { lo: number | null; hi: number | null })
      : { lo: null, hi: null };
    if (opts.sessionId && range.lo === null) return [];
    const rows = prep(
      this.db,
      `SELECT u.id, u.session_id, u.start_ms, u.end_ms, u.speaker, u.text,
              highlight(transcript_fts, 0, char(1), char(2)) AS marked, c.code AS case_code, s.number AS session_number
         FROM transcript_fts f
         JOIN transcript_utterances u ON u.id = f.rowid
         JOIN sessions s ON s.id = u.session_id
         JOIN cases c ON c.id = s.case_id
        WHERE transcript_fts MATCH @q AND (@session IS NULL OR u.session_id = @session)
          AND (@lo IS NULL OR f.rowid BETWEEN @lo AND @hi)
        ORDER BY ${opts.sessionId ? 'u.start_ms' : 'f.rowid'}
        LIMIT @limit`,
    ).all({ q, session: opts.sessionId ?? null, lo: range.lo, hi: range.hi, limit: opts.limit ?? 200 }) as (Row & {
      marked: string;
      case_code: string;
      session_number: number;
    })[];
    const hits = rows.map((r) => ({
      utteranceId: r.id,
      sessionId: r.session_id,
      caseCode: r.case_code,
      sessionNumber: r.session_number,
      startMs: r.start_ms,
      endMs: r.end_ms,
      speaker: r.speaker,
      text: r.text,
      marked: r.marked,
    }));
    return opts.sessionId
      ? hits
      : hits.sort(
          (a, b) => a.caseCode.localeCompare(b.caseCode) || a.sessionNumber - b.sessionNumber || a.startMs - b.startMs,
        );
  }
}
