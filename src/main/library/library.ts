/**
 * Cases, sessions and recordings. Plain Node: no Electron here.
 */
import fs from 'node:fs';
import { plainSize } from '../protection/media-crypt';
import path from 'node:path';
import type {
  Case,
  CaseWithSessions,
  Peaks,
  PeakLevel,
  Recording,
  RecordingState,
  Session,
  SessionDetail,
} from '../../shared/domain';
import { AppError } from '../../shared/errors';
import { offsetProblem } from '../../shared/time';
import type { Repos, StoredRecording } from './repositories';
import type { DeleteImpact } from '../../shared/domain';
import { baseName, checkFile, fingerprint } from '../media/media';

/** What an erasure did beyond the rows: the freed space overwritten, the backups cleaned. */
export interface Erased {
  compacted: boolean;
  /** Backups the erasure reached, and any removed because they could not be cleaned. */
  backups: { cleaned: number; removed: string[] };
}

export class LibraryService {
  constructor(
    private readonly repos: Repos,
    /**
     * After an erasure: overwrites what it freed (the database's VACUUM) and erases the same from
     * the library's backups (protection/backups.ts). Says whether the compaction finished and what
     * became of the backups.
     */
    private readonly erased: (what: { caseId: number } | { sessionId: number }) => Erased = () => ({
      compacted: true,
      backups: { cleaned: 0, removed: [] },
    }),
  ) {}

  listCases(): CaseWithSessions[] {
    const sessions = this.repos.sessions.listAll();
    const recordings = this.repos.recordings.listAll().map((r) => this.withState(r));
    return this.repos.cases.list().map((c) => ({
      ...c,
      sessions: sessions
        .filter((s) => s.caseId === c.id)
        .map((s) => ({ ...s, recordings: recordings.filter((r) => r.sessionId === s.id) })),
    }));
  }

  createCase(input: { code: string; therapist: string; notes: string }): Case {
    if (this.repos.cases.byCode(input.code)) {
      throw new AppError('DUPLICATE', `A case with the code ${input.code} already exists.`);
    }
    return this.repos.cases.insert(input);
  }

  updateCase(input: { id: number; code?: string; therapist?: string; notes?: string }): Case {
    const current = this.getCase(input.id);
    const next = {
      code: input.code ?? current.code,
      therapist: input.therapist ?? current.therapist,
      notes: input.notes ?? current.notes,
    };
    const clash = this.repos.cases.byCode(next.code);
    if (clash && clash.id !== current.id) {
      throw new AppError('DUPLICATE', `A case with the code ${next.code} already exists.`);
    }
    this.repos.cases.update(current.id, next);
    return this.getCase(current.id);
  }

  /**
   * Erases a case: its rows (sessions, recordings, segments, edit history, ratings and their
   * revisions, grids, questionnaires, feedback, transcripts), the recordings copied into the
   * library folder, and then the freed space (see `compactAfterErasure`).
   */
  deleteCase(id: number): { deleted: true } & Erased {
    this.getCase(id);
    const copies = this.repos.recordings.listFor({ caseId: id }).filter((r) => r.managed);
    this.repos.cases.delete(id);
    return { deleted: true, ...this.afterErasure(copies, { caseId: id }) };
  }

  getCase(id: number): Case {
    const c = this.repos.cases.get(id);
    if (!c) throw new AppError('NOT_FOUND', 'That case no longer exists.');
    return c;
  }

  /** Finds a case by code, creating it when new (the CLI's import does this). */
  ensureCase(code: string, therapist: string): Case {
    return this.repos.cases.byCode(code) ?? this.repos.cases.insert({ code, therapist, notes: '' });
  }

  createSession(input: {
    caseId: number;
    number: number;
    date: string | null;
    modality: string;
    notes: string;
  }): Session {
    const c = this.getCase(input.caseId);
    if (this.repos.sessions.byNumber(input.caseId, input.number)) {
      throw new AppError('DUPLICATE', `Case ${c.code} already has a session ${input.number}. Choose another number.`);
    }
    return this.repos.sessions.insert(input);
  }

  updateSession(input: {
    id: number;
    number?: number;
    date?: string | null;
    modality?: string;
    notes?: string;
  }): Session {
    const current = this.getSession(input.id);
    const next = {
      number: input.number ?? current.number,
      date: input.date === undefined ? current.date : input.date,
      modality: input.modality ?? current.modality,
      notes: input.notes ?? current.notes,
    };
    const clash = this.repos.sessions.byNumber(current.caseId, next.number);
    if (clash && clash.id !== current.id) {
      const c = this.getCase(current.caseId);
      throw new AppError('DUPLICATE', `Case ${c.code} already has a session ${next.number}. Choose another number.`);
    }
    this.repos.sessions.update(current.id, next);
    return this.getSession(current.id);
  }

  /** What deleting a case or a session would take with it (said before anyone confirms). */
  deleteImpact(by: { caseId: number } | { sessionId: number }): DeleteImpact {
    if ('caseId' in by) this.getCase(by.caseId);
    else this.getSession(by.sessionId);
    return this.repos.sessions.deleteImpact(by);
  }

  /** Erases a session as `deleteCase` erases a case. */
  deleteSession(id: number): { deleted: true } & Erased {
    this.getSession(id);
    const copies = this.repos.recordings.listFor({ sessionId: id }).filter((r) => r.managed);
    this.repos.sessions.delete(id);
    return { deleted: true, ...this.afterErasure(copies, { sessionId: id }) };
  }

  /** The copied files go (and their folders, when empty), then the library's free space. */
  private afterErasure(copies: StoredRecording[], what: { caseId: number } | { sessionId: number }): Erased {
    for (const r of copies) {
      try {
        fs.rmSync(r.path, { force: true });
        fs.rmdirSync(path.dirname(r.path));
        fs.rmdirSync(path.dirname(path.dirname(r.path)));
      } catch {
        // A folder that still holds other files stays.
      }
    }
    return this.erased(what);
  }

  getSession(id: number): Session {
    const s = this.repos.sessions.get(id);
    if (!s) throw new AppError('NOT_FOUND', 'That session no longer exists.');
    return s;
  }

  sessionDetail(id: number): SessionDetail {
    const session = this.getSession(id);
    return {
      case: this.getCase(session.caseId),
      session,
      recordings: this.repos.recordings.listBySession(id).map((r) => this.withState(r)),
    };
  }

  savePosition(id: number, positionMs: number): { saved: true } {
    if (!this.repos.sessions.savePosition(id, positionMs)) {
      throw new AppError('NOT_FOUND', 'That session no longer exists.');
    }
    return { saved: true };
  }

  getRecording(id: number): Recording {
    return this.withState(this.stored(id));
  }

  stored(id: number): StoredRecording {
    const r = this.repos.recordings.get(id);
    if (!r) throw new AppError('NOT_FOUND', 'That recording is no longer in the library.');
    return r;
  }

  setOffset(id: number, offsetMs: number): Recording {
    this.stored(id);
    const bad = offsetProblem(offsetMs);
    if (bad) throw new AppError('INVALID_INPUT', bad);
    this.repos.recordings.setOffset(id, offsetMs);
    return this.getRecording(id);
  }

  /**
   * Removes one recording from its session: the user's file stays on disk, a copy the library made
   * goes. The session's last recording
   * is kept while anything is marked on its clock: that work would lose its time line.
   */
  removeRecording(id: number): { removed: true } {
    const rec = this.stored(id);
    const others = this.repos.recordings.listBySession(rec.sessionId).filter((r) => r.id !== id);
    if (others.length === 0) {
      const impact = this.repos.sessions.deleteImpact({ sessionId: rec.sessionId });
      const work = impact.segments + impact.consensusSegments + impact.feedback + impact.transcriptLines;
      if (work > 0)
        throw new AppError(
          'INVALID_INPUT',
          `${rec.fileName} is the session's only recording, and ${work} ${work === 1 ? 'segment, comment or transcript line is' : 'segments, comments and transcript lines are'} placed on its clock. Import the recording that replaces it first, then remove this one (or delete the whole session).`,
        );
    }
    this.repos.recordings.delete(id);
    // A copy the library made is the library's: it goes with the recording (the original stays).
    if (rec.managed) fs.rmSync(rec.path, { force: true });
    return { removed: true };
  }

  /** Points a recording at a new path after checking that the file there has the same content. */
  async relink(id: number, newPath: string): Promise<Recording> {
    const rec = this.stored(id);
    const abs = path.resolve(newPath);
    await checkFile(abs);
    const fp = await fingerprint(abs);
    if (fp !== rec.fingerprint) {
      throw new AppError(
        'FINGERPRINT_MISMATCH',
        `${baseName(abs)} is not the same recording as ${rec.fileName} (its content differs). Choose the original file.`,
      );
    }
    this.repos.recordings.setPath(id, abs, baseName(abs));
    return this.getRecording(id);
  }

  peaks(id: number, level: PeakLevel): Peaks {
    const rec = this.stored(id);
    if (!rec.hasAudio) throw new AppError('NOT_FOUND', `${rec.fileName} has no audio track, so it has no waveform.`);
    const row = this.repos.recordings.peaks(id, level);
    if (!row) throw new AppError('NOT_FOUND', `The waveform of ${rec.fileName} has not been computed.`);
    return {
      recordingId: id,
      level,
      pairsPerSecond: row.pairs_per_second,
      count: row.count,
      data: row.data.toString('base64'),
    };
  }

  /** A stored recording plus how its file looks on disk right now (a cheap stat, no hashing). */
  withState(r: StoredRecording): Recording {
    return { ...r, state: diskState(r), peaks: this.repos.recordings.peakLevels(r.id) };
  }
}

function diskState(r: StoredRecording): RecordingState {
  try {
    const st = fs.statSync(r.path);
    // A protected library's copy is encrypted: its header says its plain size.
    const size = r.managed && st.size !== r.sizeBytes ? (plainSize(r.path) ?? st.size) : st.size;
    return st.isFile() && size === r.sizeBytes ? 'ready' : 'changed';
  } catch {
    return 'missing';
  }
}
