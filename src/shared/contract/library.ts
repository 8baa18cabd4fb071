/** The library slice of the contract: cases, sessions, recordings, imports, the host. */
import { z } from 'zod';
import type {
  Case,
  CaseWithSessions,
  DeleteImpact,
  ImportJob,
  Peaks,
  Recording,
  Session,
  SessionDetail,
} from '../domain';
import type { AppErrorShape } from '../errors';
import type { AppInfo, ErasedView } from './views';
import { caseCode, id, isoDate, offsetMs, path, text } from './schemas';

export const libraryChannels = {
  /** Facts about this host: which host, where the data lives. */
  'app:info': { input: z.object({}), output: {} as AppInfo },
  /** Every case with its sessions and their recordings (state checked against the disk). */
  'cases:list': { input: z.object({}), output: {} as CaseWithSessions[] },
  /** Creates a case. The code is pseudonymous and unique. */
  'cases:create': {
    input: z.object({ code: caseCode, therapist: text(120).default(''), notes: text(4000).default('') }),
    output: {} as Case,
  },
  /** Edits a case's code, therapist or notes. */
  'cases:update': {
    input: z.object({
      id,
      code: caseCode.optional(),
      therapist: text(120).optional(),
      notes: text(4000).optional(),
    }),
    output: {} as Case,
  },
  /** Deletes a case with its sessions. Media files on disk are never touched. */
  /** Erases the case (see README: erasure); `compacted` false when its freed space is overwritten later. */
  'cases:delete': { input: z.object({ id }), output: {} as { deleted: true } & ErasedView },
  /** Creates a session under a case. Session numbers are unique within a case. */
  'sessions:create': {
    input: z.object({
      caseId: id,
      number: z.number().int().min(1, 'Session numbers start at 1.').max(100_000),
      date: isoDate.nullable().default(null),
      modality: text(120).default(''),
      notes: text(4000).default(''),
    }),
    output: {} as Session,
  },
  /** Edits a session. */
  'sessions:update': {
    input: z.object({
      id,
      number: z.number().int().min(1, 'Session numbers start at 1.').max(100_000).optional(),
      date: isoDate.nullable().optional(),
      modality: text(120).optional(),
      notes: text(4000).optional(),
    }),
    output: {} as Session,
  },
  /** Deletes a session and its recording references. Media files on disk are never touched. */
  'sessions:delete': { input: z.object({ id }), output: {} as { deleted: true } & ErasedView },
  /** What deleting a case or a session would take with it: sessions, segments, submitted ratings, consensus, feedback. */
  'library:deleteImpact': {
    input: z.union([z.object({ caseId: id }), z.object({ sessionId: id })]),
    output: {} as DeleteImpact,
  },
  /** One session with its case and recordings, for the review player. */
  'sessions:get': { input: z.object({ id }), output: {} as SessionDetail },
  /** Remembers where the reviewer was in a session. */
  'sessions:savePosition': {
    input: z.object({ id, positionMs: z.number().int().min(0).max(86_400_000) }),
    output: {} as { saved: true },
  },
  /**
   * Starts importing files into a session, all or nothing. Each file is checked and probed first;
   * if any fails, nothing starts and every file is listed in `rejected` with its reason (the good
   * ones: "not imported either"). Otherwise they are indexed in the background as one batch
   * (events `import:progress` and `import:finished`) and stored together, or none of them.
   */
  'recordings:import': {
    input: z.object({
      sessionId: id,
      paths: z.array(path).min(1, 'Choose at least one file.').max(50),
      offsetMs: offsetMs.default(0),
      /** Per file, in the order of `paths` (cameras and a recorder that started at different moments); overrides offsetMs. */
      offsetsMs: z.array(offsetMs).max(50).optional(),
      copy: z.boolean().default(false),
    }),
    output: {} as { started: ImportJob[]; rejected: { path: string; error: AppErrorShape }[] },
  },
  /** Imports running now. */
  'imports:list': { input: z.object({}), output: {} as ImportJob[] },
  /** Cancels an import. Nothing of it is stored. */
  'imports:cancel': { input: z.object({ jobId: z.string().min(1) }), output: {} as { cancelled: boolean } },
  /** Sets a recording's offset on the session timeline. */
  'recordings:update': { input: z.object({ id, offsetMs }), output: {} as Recording },
  /**
   * Removes a recording from its session. The user's file is never deleted (a copy made into the
   * library folder is); the session's only recording is kept while work is placed on its clock.
   */
  'recordings:remove': { input: z.object({ id }), output: {} as { removed: true } },
  /** Points a moved recording at its new path; refuses a file whose content differs. */
  'recordings:relink': { input: z.object({ id, path }), output: {} as Recording },
  /** Stored waveform peaks of a recording at one resolution. */
  'recordings:peaks': {
    input: z.object({ id, level: z.enum(['detail', 'coarse', 'overview']) }),
    output: {} as Peaks,
  },
  /** Opens the native file picker (Electron only); null when cancelled. */
  'dialogs:openMedia': { input: z.object({}), output: {} as string[] | null },
} as const;
