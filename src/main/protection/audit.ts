/**
 * The audit log: who opened which session, exported, printed, made or imported a package, and
 * deleted what. Append-only and hash-chained (see migration 009): `verify` recomputes the chain
 * and names the first row that does not fit.
 *
 * The chain detects an edit made with SQL (the triggers refuse plain UPDATE and DELETE). Its head
 * is anchored outside the log, in `audit-anchor.json` beside the library (keyed with the library's
 * data key when it is protected): removing the newest entries, emptying the log, or appending an
 * entry with a recomputed hash no longer matches the anchor. Someone who can rewrite both files of
 * an unprotected library can still rewrite both, so there it is evidence, not a lock.
 *
 * Rows hold ids, codes and kinds, never a note's or a segment's text. Erasing a rater replaces
 * their name in the log with a pseudonym and re-chains it (`pseudonymise`); a restore records itself.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterCommit, prep, write, type Db } from '../db/open';
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
/** Entries written from this version on are anchored (an older library's log has none until its next entry). */
const ANCHORS_SINCE = '2026-12-06T00:00:00.000Z';
const hashOf = (
  prev: string,
  r: { id: number; at: string; actor: string; action: string; subject: string; detail_json: string },
) =>
  createHash('sha256')
    .update(JSON.stringify([prev, r.id, r.at, r.actor, r.action, r.subject, r.detail_json]))
    .digest('hex');

/** The file beside the library that holds the chain's head. */
export const ANCHOR_FILE = 'audit-anchor.json';

interface Head {
  id: number;
  hash: string;
}
interface Anchor {
  format: 'alliance-review-audit-anchor';
  version: 1;
  /** The head as last committed. */
  head: Head | null;
  /** A head being committed now: a process killed between the commit and the anchor's update left it. */
  pending: Head | null;
  mac: string;
}

export interface AnchorOptions {
  /** The library's folder (the anchor lives beside the database). */
  dataDir: string;
  /** The protected library's data key: the anchor is keyed with it, so it cannot be forged without. */
  key?: Buffer | null;
}

/** The key an anchor is made with: from the protected library's data key, else a fixed one. */
function anchorKey(key: Buffer | null | undefined): Buffer {
  return key
    ? createHmac('sha256', key).update('alliance-review audit anchor').digest()
    : Buffer.from('alliance-review audit anchor (unprotected library)');
}

const anchorMac = (macKey: Buffer, head: Head | null, pending: Head | null) =>
  createHmac('sha256', macKey)
    .update(JSON.stringify([head, pending]))
    .digest('hex');

function writeAnchorFile(file: string, macKey: Buffer, head: Head | null, pending: Head | null): void {
  const anchor: Anchor = {
    format: 'alliance-review-audit-anchor',
    version: 1,
    head,
    pending,
    mac: anchorMac(macKey, head, pending),
  };
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, JSON.stringify(anchor), { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

function readAnchorFile(file: string, macKey: Buffer): Anchor | null | 'damaged' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const a = JSON.parse(text) as Anchor;
    const x = Buffer.from(String(a.mac), 'utf8');
    const y = Buffer.from(anchorMac(macKey, a.head, a.pending), 'utf8');
    if (a.format !== 'alliance-review-audit-anchor' || x.length !== y.length || !timingSafeEqual(x, y))
      return 'damaged';
    return a;
  } catch {
    return 'damaged';
  }
}

/**
 * Protecting a library (or removing its protection) changes the anchor's key: the anchor is
 * checked with the old key and written again with the new one. A damaged anchor stays damaged.
 */
export function rekeyAnchor(dataDir: string, from: Buffer | null, to: Buffer | null): void {
  const file = path.join(dataDir, ANCHOR_FILE);
  const anchor = readAnchorFile(file, anchorKey(from));
  if (anchor === null || anchor === 'damaged') return;
  writeAnchorFile(file, anchorKey(to), anchor.head, anchor.pending);
}

export class AuditLog {
  private readonly anchorFile: string | null;
  private readonly macKey: Buffer;

  constructor(
    private readonly db: Db,
    /** Who is acting: the current rater's name, or the host ("command line"). */
    private readonly actor: () => string,
    anchor: AnchorOptions | null = null,
  ) {
    this.anchorFile = anchor ? path.join(anchor.dataDir, ANCHOR_FILE) : null;
    this.macKey = anchorKey(anchor?.key);
  }

  /** Appends an entry (in the caller's transaction when there is one). A read-only library keeps none. */
  record(action: string, subject: string, detail: Record<string, unknown> = {}): void {
    this.append(action, subject, detail, false);
  }

  /**
   * Appends an entry that starts the anchor afresh: after a restore (the log is the backup's now,
   * and this entry says what it replaced), or the first entry of a library anchored for the first time.
   */
  reanchor(action: string, subject: string, detail: Record<string, unknown> = {}): void {
    const before = this.anchorFile ? this.readAnchor() : null;
    const replaced = before && before !== 'damaged' ? (before.head ?? before.pending) : null;
    // Says where the log it replaced had ended (its entries are in the safety copy).
    this.append(action, subject, replaced ? { ...detail, replacedLogEndedAt: replaced.id } : detail, true);
  }

  private append(action: string, subject: string, detail: Record<string, unknown>, fresh: boolean): void {
    if (this.db.readonly) return;
    write(this.db, () => {
      const last = this.head();
      // Read before this entry joins the log: was the log anchored before?
      const anchored = !fresh && this.anchorFile !== null && this.anchoredBefore();
      const row = {
        id: (last?.id ?? 0) + 1,
        at: new Date().toISOString(),
        actor: this.actor(),
        action,
        subject,
        detail_json: JSON.stringify(detail),
      };
      const prev = last?.hash ?? GENESIS;
      const hash = hashOf(prev, row);
      prep(
        this.db,
        'INSERT INTO audit_log (id, at, actor, action, subject, detail_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(row.id, row.at, row.actor, row.action, row.subject, row.detail_json, prev, hash);
      this.moveAnchor({ id: row.id, hash }, fresh, anchored, last);
    });
  }

  /** The newest entry's id and hash (null for an empty log). */
  private head(): Head | null {
    return (prep(this.db, 'SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as Head | undefined) ?? null;
  }

  /**
   * Inside the transaction the new head is written as pending (a kill before the commit leaves the
   * old head true, after it the pending one); once committed it becomes the head.
   */
  private moveAnchor(next: Head, fresh: boolean, anchored = false, last: Head | null = null): void {
    if (!this.anchorFile) return;
    const before = fresh ? null : this.readAnchor();
    // A damaged anchor, or one removed from a log that had one, stays so: the next entry must not
    // heal it (or whoever changed the log and the anchor would only have to wait for one).
    // Only a restore (reanchor) starts it afresh.
    if (before === 'damaged' || (before === null && anchored)) return;
    // The head before this entry: the log's own end when the anchor agrees with it (its head, or
    // a pending head whose commit went through before a kill), else the anchor's, kept as evidence.
    const agrees = (h: Head | null) => h !== null && last !== null && h.id === last.id && h.hash === last.hash;
    const head = before && (agrees(before.head) || agrees(before.pending)) ? last : (before?.head ?? null);
    this.writeAnchor(head, next);
    afterCommit(this.db, () => {
      // Another process may have moved the anchor on meanwhile: only this entry's pending becomes head.
      const now = this.readAnchor();
      if (now && now !== 'damaged' && now.pending?.id === next.id && now.pending.hash === next.hash)
        this.writeAnchor(next, null);
    });
  }

  private writeAnchor(head: Head | null, pending: Head | null): void {
    writeAnchorFile(this.anchorFile!, this.macKey, head, pending);
  }

  private readAnchor(): Anchor | null | 'damaged' {
    return readAnchorFile(this.anchorFile!, this.macKey);
  }

  /**
   * Rewrites who and what entries name (`rename` gets each entry's actor and subject and returns
   * them, changed or not), re-chains the log from the first entry changed and re-anchors it:
   * erasing a person erases their name from the log too, and the log still verifies. Returns how
   * many entries changed.
   */
  pseudonymise(rename: (actor: string, subject: string) => { actor: string; subject: string }): number {
    if (this.db.readonly) return 0;
    return write(this.db, () => {
      const rows = prep(this.db, 'SELECT * FROM audit_log ORDER BY id').all() as AuditRow[];
      const renamed = rows.map((r) => rename(r.actor, r.subject));
      const first = rows.findIndex((r, i) => renamed[i]!.actor !== r.actor || renamed[i]!.subject !== r.subject);
      if (first < 0) return 0;
      // A log that did not verify before is re-chained but not re-anchored: it goes on saying so.
      const wasWhole = this.verify().ok;
      let changed = 0;
      // The log refuses UPDATE by trigger; this one rewrite lifts it inside the transaction.
      this.db.exec('DROP TRIGGER audit_log_no_update');
      let prev = first === 0 ? GENESIS : rows[first - 1]!.hash;
      const update = prep(this.db, 'UPDATE audit_log SET actor = ?, subject = ?, prev_hash = ?, hash = ? WHERE id = ?');
      for (const [i, r] of rows.entries()) {
        if (i < first) continue;
        const { actor, subject } = renamed[i]!;
        if (actor !== r.actor || subject !== r.subject) changed++;
        const next = { ...r, actor, subject };
        const hash = hashOf(prev, next);
        update.run(actor, subject, prev, hash, r.id);
        prev = hash;
      }
      this.db.exec(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'The audit log is append-only.'); END;",
      );
      if (wasWhole) this.moveAnchor(this.head()!, true);
      return changed;
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
    return this.checkAnchor(rows.length, rows.at(-1) ?? null);
  }

  /** The chain is whole; does its head match the anchor kept outside the log? */
  private checkAnchor(entries: number, last: AuditRow | null): ReturnType<AuditLog['verify']> {
    const ok = { ok: true, entries, brokenAt: null, message: `The audit log's ${entries} entries are intact.` };
    if (!this.anchorFile) return ok;
    const anchor = this.readAnchor();
    const broken = (message: string, brokenAt: number | null = null) => ({ ok: false, entries, brokenAt, message });
    if (anchor === 'damaged')
      return broken(
        `The audit log's anchor (${ANCHOR_FILE}) was changed or damaged: the log cannot be trusted as whole.`,
      );
    if (anchor === null) {
      if (entries === 0 || !this.anchoredBefore()) return ok; // a library from before anchors: anchored from its next entry
      return broken(`The audit log's anchor (${ANCHOR_FILE}) is missing: the log cannot be shown to be whole.`);
    }
    const same = (h: Head | null) => h !== null && last !== null && h.id === last.id && h.hash === last.hash;
    if (same(anchor.head) || same(anchor.pending) || (!anchor.head && !anchor.pending && last === null)) return ok;
    const expected = anchor.head ?? anchor.pending;
    if (expected && (last === null || last.id < expected.id))
      return broken(
        `The newest entries of the audit log were removed: it ends at entry ${last?.id ?? 0}, but entry ${expected.id} was written.`,
        (last?.id ?? 0) + 1,
      );
    return broken(
      `The audit log does not end where it was last written${expected ? ` (entry ${expected.id})` : ''}: entries were added or replaced outside the app.`,
      expected ? expected.id : 1,
    );
  }

  /**
   * Whether this log was ever anchored: its newest entry was written by a version that anchors
   * (entries are in time order, so the newest tells; one read by the primary key).
   */
  private anchoredBefore(): boolean {
    const newest = prep(this.db, 'SELECT at FROM audit_log ORDER BY id DESC LIMIT 1').get() as
      { at: string } | undefined;
    return newest !== undefined && newest.at >= ANCHORS_SINCE;
  }
}

/**
 * How the log names a rater at the machine: "Name (role)". A name that itself holds parentheses is
 * quoted, so a rater called "root (command line)" never reads as the command line (whose entries
 * end in "(command line)"; a role is never "command line").
 */
export function raterActor(name: string, role: string): string {
  return /[()"“”]/.test(name) ? `“${name.replace(/[“”]/g, '"')}” (${role})` : `${name} (${role})`;
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
