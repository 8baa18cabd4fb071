/**
 * The audit log: who opened which session, exported, printed, made or imported a package, and
 * deleted what. Append-only and hash-chained (see migration 009): `verify` recomputes the chain
 * and names the first row that does not fit.
 *
 * The chain detects an edit made with SQL (the triggers refuse plain UPDATE and DELETE); someone
 * who can rewrite the file can also recompute every later hash, so it is evidence, not a lock.
 * Rows hold ids, codes and kinds, never a note's or a segment's text.
 */
import { createHash } from 'node:crypto';
import { prep, write, type Db } from '../db/open';
import type { AuditView } from '../../shared/contract';
import type { LibraryService } from '../library/library';

/** An entry as the contract shows it, with its hash. */
export type AuditEntry = AuditView['entries'][number] & { hash: string };

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail_json: string;
  prev_hash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);
const hashOf = (
  prev: string,
  r: { id: number; at: string; actor: string; action: string; subject: string; detail_json: string },
) =>
  createHash('sha256')
    .update(JSON.stringify([prev, r.id, r.at, r.actor, r.action, r.subject, r.detail_json]))
    .digest('hex');

export class AuditLog {
  constructor(
    private readonly db: Db,
    /** Who is acting: the current rater's name, or the host ("command line"). */
    private readonly actor: () => string,
  ) {}

  /** Appends an entry (in the caller's transaction when there is one). A read-only library keeps none. */
  record(action: string, subject: string, detail: Record<string, unknown> = {}): void {
    if (this.db.readonly) return;
    write(this.db, () => {
      const last = prep(this.db, 'SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
        { id: number; hash: string } | undefined;
      const row = {
        id: (last?.id ?? 0) + 1,
        at: new Date().toISOString(),
        actor: this.actor(),
        action,
        subject,
        detail_json: JSON.stringify(detail),
      };
      const prev = last?.hash ?? GENESIS;
      prep(
        this.db,
        'INSERT INTO audit_log (id, at, actor, action, subject, detail_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(row.id, row.at, row.actor, row.action, row.subject, row.detail_json, prev, hashOf(prev, row));
    });
  }

  list(opts: { limit?: number } = {}): AuditEntry[] {
    const rows = prep(this.db, 'SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(
      opts.limit ?? 1_000_000,
    ) as AuditRow[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      detail: JSON.parse(r.detail_json) as Record<string, unknown>,
      hash: r.hash,
    }));
  }

  /** Recomputes the chain: ok, or the first entry that was changed, removed or inserted. */
  verify(): { ok: boolean; entries: number; brokenAt: number | null; message: string } {
    const rows = prep(this.db, 'SELECT * FROM audit_log ORDER BY id').all() as AuditRow[];
    let prev = GENESIS;
    let expectedId = 1;
    for (const r of rows) {
      if (r.id !== expectedId)
        return {
          ok: false,
          entries: rows.length,
          brokenAt: expectedId,
          message: `Entry ${expectedId} is missing: the audit log was changed.`,
        };
      if (r.prev_hash !== prev || hashOf(prev, r) !== r.hash)
        return {
          ok: false,
          entries: rows.length,
          brokenAt: r.id,
          message: `Entry ${r.id} (${r.action}, ${r.at}) does not fit the chain: the audit log was changed there.`,
        };
      prev = r.hash;
      expectedId++;
    }
    return {
      ok: true,
      entries: rows.length,
      brokenAt: null,
      message: `The audit log's ${rows.length} entries are intact.`,
    };
  }
}

/** "case C-204 session 2": how an entry names a session (codes and numbers, never names). */
export function sessionSubject(core: { library: Pick<LibraryService, 'getSession' | 'getCase'> }, id: number): string {
  try {
    // The session and its case only: no stat of the recordings (this runs on every session opened).
    const session = core.library.getSession(id);
    return `case ${core.library.getCase(session.caseId).code} session ${session.number}`;
  } catch {
    return `session #${id}`;
  }
}

export function caseSubject(core: { library: Pick<LibraryService, 'getSession' | 'getCase'> }, id: number): string {
  try {
    return `case ${core.library.getCase(id).code}`;
  } catch {
    return `case #${id}`;
  }
}
