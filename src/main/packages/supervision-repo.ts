/**
 * Supervision between libraries: stable identities (sessions, raters, segments), where a rater
 * writes, the libraries received from (their pinned keys), the newest file received per session
 * and library, and the log of files sent and received. All SQL of supervision files here.
 */
import type { Rater, Role } from '../../shared/annotations';
import { prep, type Db } from '../db/open';

const now = () => new Date().toISOString();

export interface LocatedRater extends Rater {
  uid: string;
  /** The library where they write; null: this one. */
  home: string | null;
}

export interface SupervisionLogEntry {
  fileId: string;
  direction: 'sent' | 'received';
  sessionId: number | null;
  peer: string;
  summary: Record<string, unknown>;
  createdAt: string;
}

interface RaterRow {
  id: number;
  name: string;
  role: Role;
  consensus: number;
  uid: string;
  home: string | null;
}
const toRater = (r: RaterRow): LocatedRater => ({
  id: r.id,
  name: r.name,
  role: r.role,
  consensus: r.consensus === 1,
  uid: r.uid,
  home: r.home,
});

export class SupervisionRepo {
  constructor(private readonly db: Db) {}

  sessionUid(sessionId: number): string {
    return (prep(this.db, 'SELECT uid FROM sessions WHERE id = ?').get(sessionId) as { uid: string }).uid;
  }
  sessionByUid(uid: string): number | undefined {
    return (prep(this.db, 'SELECT id FROM sessions WHERE uid = ?').get(uid) as { id: number } | undefined)?.id;
  }
  setSessionUid(sessionId: number, uid: string): void {
    prep(this.db, 'UPDATE sessions SET uid = ? WHERE id = ?').run(uid, sessionId);
  }

  raters(): LocatedRater[] {
    return (prep(this.db, 'SELECT id, name, role, consensus, uid, home FROM raters').all() as RaterRow[]).map(toRater);
  }
  rater(id: number): LocatedRater | undefined {
    const row = prep(this.db, 'SELECT id, name, role, consensus, uid, home FROM raters WHERE id = ?').get(id) as
      RaterRow | undefined;
    return row && toRater(row);
  }
  /** A rater now known as the one of that identity who writes in library `home`. */
  locate(raterId: number, uid: string, home: string | null): void {
    prep(this.db, 'UPDATE raters SET uid = ?, home = ? WHERE id = ?').run(uid, home, raterId);
  }
  /** Whether a rater has written or sent anything in this library (then they write here). */
  actedHere(raterId: number): boolean {
    return (
      prep(
        this.db,
        `SELECT 1 FROM feedback WHERE author_id = ?1 OR state_by = ?1
           UNION ALL SELECT 1 FROM supervision_log WHERE direction = 'sent' AND json_extract(summary_json, '$.fromId') = ?1
           LIMIT 1`,
      ).get(raterId) !== undefined
    );
  }

  /** A rater's segments on a session, id → identity. */
  segmentUids(sessionId: number, raterId: number): Map<number, string> {
    const rows = prep(this.db, 'SELECT id, uid FROM segments WHERE session_id = ? AND rater_id = ?').all(
      sessionId,
      raterId,
    ) as { id: number; uid: string }[];
    return new Map(rows.map((r) => [r.id, r.uid]));
  }
  segmentByUid(sessionId: number, uid: string): number | undefined {
    return (
      prep(this.db, 'SELECT id FROM segments WHERE session_id = ? AND uid = ?').get(sessionId, uid) as
        { id: number } | undefined
    )?.id;
  }
  setSegmentUid(segmentId: number, uid: string): void {
    prep(this.db, 'UPDATE segments SET uid = ? WHERE id = ?').run(uid, segmentId);
  }

  /** Whether any of these feedback identities belongs to a comment of another session here. */
  feedbackOutside(sessionId: number, uids: string[]): boolean {
    return (
      prep(
        this.db,
        'SELECT 1 FROM feedback WHERE session_id != ? AND uid IN (SELECT value FROM json_each(?)) LIMIT 1',
      ).get(sessionId, JSON.stringify(uids)) !== undefined
    );
  }

  peerKey(libraryId: string): string | undefined {
    return (
      prep(this.db, 'SELECT public_key FROM supervision_peers WHERE library_id = ?').get(libraryId) as
        { public_key: string } | undefined
    )?.public_key;
  }
  pinPeer(libraryId: string, publicKey: string): void {
    prep(
      this.db,
      `INSERT INTO supervision_peers (library_id, public_key, first_seen, last_seen) VALUES (?, ?, ?, ?)
         ON CONFLICT (library_id) DO UPDATE SET last_seen = excluded.last_seen`,
    ).run(libraryId, publicKey, now(), now());
  }

  lastSeq(sessionId: number, libraryId: string): number {
    return (
      (
        prep(this.db, 'SELECT last_seq FROM supervision_links WHERE session_id = ? AND library_id = ?').get(
          sessionId,
          libraryId,
        ) as { last_seq: number } | undefined
      )?.last_seq ?? 0
    );
  }
  /** Whether a session has been exchanged with another library (sent or received). */
  linked(sessionId: number): boolean {
    return (
      prep(
        this.db,
        'SELECT 1 FROM supervision_links WHERE session_id = ?1 UNION ALL SELECT 1 FROM supervision_log WHERE session_id = ?1 LIMIT 1',
      ).get(sessionId) !== undefined
    );
  }
  setLastSeq(sessionId: number, libraryId: string, seq: number): void {
    prep(
      this.db,
      `INSERT INTO supervision_links (session_id, library_id, last_seq) VALUES (?, ?, ?)
         ON CONFLICT (session_id, library_id) DO UPDATE SET last_seq = excluded.last_seq`,
    ).run(sessionId, libraryId, seq);
  }

  log(e: Omit<SupervisionLogEntry, 'createdAt'>): void {
    prep(
      this.db,
      'INSERT INTO supervision_log (file_id, direction, session_id, peer, summary_json, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(e.fileId, e.direction, e.sessionId, e.peer, JSON.stringify(e.summary), now());
  }
  history(sessionId: number): SupervisionLogEntry[] {
    return (
      prep(
        this.db,
        'SELECT file_id, direction, session_id, peer, summary_json, created_at FROM supervision_log WHERE session_id = ? ORDER BY id DESC',
      ).all(sessionId) as {
        file_id: string;
        direction: 'sent' | 'received';
        session_id: number | null;
        peer: string;
        summary_json: string;
        created_at: string;
      }[]
    ).map((r) => ({
      fileId: r.file_id,
      direction: r.direction,
      sessionId: r.session_id,
      peer: r.peer,
      summary: JSON.parse(r.summary_json) as Record<string, unknown>,
      createdAt: r.created_at,
    }));
  }
}
