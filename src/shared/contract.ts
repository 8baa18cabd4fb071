/**
 * The one contract between the renderer and the core. Every host (Electron IPC, the browser
 * host, tests) serves exactly these channels; inputs are validated with zod before any handler
 * runs. Outputs are typed here and produced by the core services.
 */
import { z } from 'zod';
import type { Case, CaseWithSessions, ImportJob, Peaks, Recording, Session, SessionDetail } from './domain';
import type { AppErrorShape } from './errors';
import {
  ROLES,
  RUPTURE_TYPES,
  SEGMENT_KINDS,
  type EditedSegment,
  type Grid,
  type History,
  type Rater,
  type Segment,
  type SessionAnnotations,
  type SessionSummary,
} from './annotations';
import { codebookSchema, type Codebook } from './codebook';
import type { Instrument } from './instruments';

const id = z.number().int().positive();
const caseCode = z
  .string()
  .trim()
  .min(1, 'Enter a client code, for example C-014.')
  .max(40, 'A client code has at most 40 characters.')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'Use a pseudonymous code of letters, digits, dot, dash or underscore (for example C-014), never a name.',
  );
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Dates are written YYYY-MM-DD.')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'That date does not exist.');
const text = (max: number) => z.string().max(max, `At most ${max} characters.`);
const offsetMs = z
  .number()
  .int('Offsets are whole milliseconds.')
  .min(-86_400_000)
  .max(86_400_000, 'An offset is at most 24 hours.');
const path = z.string().min(1, 'Choose a file.').max(4096);
const ms = z.number().int('Times are whole milliseconds.').min(0, 'Times cannot be negative.').max(86_400_000);
const rating = z.number().int().min(1, 'Ratings go from 1 to 5.').max(5, 'Ratings go from 1 to 5.');
const codeList = z.array(z.string().trim().min(1).max(16)).max(40);
const segmentFields = {
  startMs: ms,
  endMs: ms,
  ruptureType: z.enum(RUPTURE_TYPES).nullable().optional(),
  codes: codeList.optional(),
  rating: rating.nullable().optional(),
  stage: z.string().max(16).nullable().optional(),
  tags: codeList.optional(),
  note: z.string().max(4000).optional(),
  linkedRuptureIds: z.array(id).max(50).optional(),
};
const gridSize = z.number().int().min(10_000, 'Grid segments are at least 10 seconds.').max(3_600_000);

export const channels = {
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
  'cases:delete': { input: z.object({ id }), output: {} as { deleted: true } },
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
  'sessions:delete': { input: z.object({ id }), output: {} as { deleted: true } },
  /** One session with its case and recordings, for the review player. */
  'sessions:get': { input: z.object({ id }), output: {} as SessionDetail },
  /** Remembers where the reviewer was in a session. */
  'sessions:savePosition': {
    input: z.object({ id, positionMs: z.number().int().min(0).max(86_400_000) }),
    output: {} as { saved: true },
  },
  /**
   * Starts importing files into a session. Each file is checked and probed first; files that
   * fail are listed in `rejected` with a reason and nothing is stored for them. Accepted files
   * are indexed in the background (events `import:progress` and `import:finished`).
   */
  'recordings:import': {
    input: z.object({
      sessionId: id,
      paths: z.array(path).min(1, 'Choose at least one file.').max(50),
      offsetMs: offsetMs.default(0),
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
  /** Removes a recording from its session. The file on disk is never deleted. */
  'recordings:remove': { input: z.object({ id }), output: {} as { removed: true } },
  /** Points a moved recording at its new path; refuses a file whose content differs. */
  'recordings:relink': { input: z.object({ id, path }), output: {} as Recording },
  /** Stored waveform peaks of a recording at one resolution. */
  'recordings:peaks': {
    input: z.object({ id, level: z.enum(['detail', 'coarse', 'overview']) }),
    output: {} as Peaks,
  },
  /** Everyone who has rated on this machine. */
  'raters:list': { input: z.object({}), output: {} as Rater[] },
  /** Adds a rater with a role (their perspective). */
  'raters:create': {
    input: z.object({ name: z.string().trim().min(1, 'Enter a name or pseudonym.').max(80), role: z.enum(ROLES) }),
    output: {} as Rater,
  },
  /** Who is rating on this machine now; null until chosen. */
  'raters:current': { input: z.object({}), output: {} as Rater | null },
  /** Chooses the current rater. */
  'raters:setCurrent': { input: z.object({ id }), output: {} as Rater },
  /** Coding preferences. */
  'prefs:get': { input: z.object({}), output: {} as { pauseWhileCoding: boolean } },
  /** Sets coding preferences. */
  'prefs:set': { input: z.object({ pauseWhileCoding: z.boolean() }), output: {} as { pauseWhileCoding: boolean } },
  /** The current codebook version. */
  'codebook:get': { input: z.object({}), output: {} as Codebook },
  /** Saves an edited codebook as a new version (codes are retired, never removed). */
  'codebook:save': { input: z.object({ definition: codebookSchema }), output: {} as Codebook },
  /** Imports codebook JSON as a new version; a bad file names its first problem and changes nothing. */
  'codebook:import': { input: z.object({ text: z.string().max(2_000_000) }), output: {} as Codebook },
  /** The current codebook as JSON text. */
  'codebook:export': { input: z.object({}), output: {} as { json: string } },
  /** Everything the coding view needs in one answer (segments, codebook, raters, preferences). */
  'segments:open': {
    input: z.object({ sessionId: id }),
    output: {} as {
      annotations: SessionAnnotations;
      codebook: Codebook;
      raters: Rater[];
      current: Rater | null;
      prefs: { pauseWhileCoding: boolean };
    },
  },
  /** All segments of a session with links, repair status and undo state. */
  'segments:list': { input: z.object({ sessionId: id }), output: {} as SessionAnnotations },
  /**
   * Marks a rupture, repair or comment (by the current rater unless raterId is given). Answers
   * the stored segment with `history`, the undo state after it (added; the segment's keys are
   * unchanged).
   */
  'segments:create': {
    input: z.object({ sessionId: id, raterId: id.optional(), kind: z.enum(SEGMENT_KINDS), ...segmentFields }),
    output: {} as EditedSegment,
  },
  /** Moves, resizes or edits a segment; answers it with `history` (the undo state after the edit). */
  'segments:update': {
    input: z.object({
      id,
      ...segmentFields,
      startMs: ms.optional(),
      endMs: ms.optional(),
      resolved: z.boolean().optional(),
    }),
    output: {} as EditedSegment,
  },
  /** Deletes a segment (and its links); undoable. Answers with `history` (the undo state after it). */
  'segments:delete': { input: z.object({ id }), output: {} as { deleted: true; history: History } },
  /** Links a repair to a rupture of the same session and rater. */
  'segments:link': { input: z.object({ repairId: id, ruptureId: id }), output: {} as EditedSegment },
  /** Removes a link. */
  'segments:unlink': { input: z.object({ repairId: id, ruptureId: id }), output: {} as EditedSegment },
  /** Whether undo / redo are possible, and what they would do. */
  'segments:history': {
    input: z.object({ sessionId: id, raterId: id.optional() }),
    output: {} as History,
  },
  /** Undoes the session's last change. */
  'segments:undo': { input: z.object({ sessionId: id, raterId: id.optional() }), output: {} as SessionAnnotations },
  /** Redoes the session's last undone change. */
  'segments:redo': { input: z.object({ sessionId: id, raterId: id.optional() }), output: {} as SessionAnnotations },
  /** Submits the current rater's rating of a session: locked, and visible to the others. */
  'ratings:submit': { input: z.object({ sessionId: id }), output: {} as SessionAnnotations },
  /** Reopens a submitted rating as a new revision; the submitted one is kept with the reason. */
  'ratings:revise': {
    input: z.object({
      sessionId: id,
      reason: z.string().trim().min(1, 'Say why the rating is being changed.').max(1000),
    }),
    output: {} as SessionAnnotations,
  },
  /** Supervisor: accepts one segment, or merges several, into the consensus lane. */
  'consensus:accept': { input: z.object({ segmentIds: z.array(id).min(1).max(20) }), output: {} as Segment },
  /** Ruptures by type and marker, rupture time, share repaired, time to repair, unrepaired list. */
  'sessions:summary': { input: z.object({ sessionId: id, raterId: id.nullable() }), output: {} as SessionSummary },
  /** The 3RS grid of a session for a rater (default 5-minute segments). */
  'grid:get': { input: z.object({ sessionId: id, raterId: id, segmentMs: gridSize.optional() }), output: {} as Grid },
  /** Sets one grid segment's markers, strategies and significance ratings. */
  'grid:setCell': {
    input: z.object({
      sessionId: id,
      raterId: id,
      segmentMs: gridSize,
      index: z.number().int().min(0),
      codes: codeList,
      withdrawalSignificance: rating.nullable(),
      confrontationSignificance: rating.nullable(),
    }),
    output: {} as Grid,
  },
  /** Sets the session-level 3RS ratings. */
  'grid:setSession': {
    input: z.object({
      sessionId: id,
      raterId: id,
      segmentMs: gridSize,
      therapistContribution: rating.nullable(),
      resolutionExtent: rating.nullable(),
    }),
    output: {} as Grid,
  },
  /** Pre-fills the grid from the rater's event segments (editable afterwards). */
  'grid:prefill': { input: z.object({ sessionId: id, raterId: id, segmentMs: gridSize }), output: {} as Grid },
  /** Questionnaire instruments (structure; licensed wording is pasted in by the user). */
  'instruments:list': { input: z.object({}), output: {} as Instrument[] },
  /** Adds or replaces an instrument from JSON. */
  'instruments:import': { input: z.object({ text: z.string().max(1_000_000) }), output: {} as Instrument },
  /** The session's questionnaire responses with their scores. */
  'responses:list': { input: z.object({ sessionId: id }), output: {} as ResponseView[] },
  /** Stores one rater's answers to one instrument for a session (replacing earlier answers). */
  'responses:save': {
    input: z.object({
      sessionId: id,
      raterId: id,
      perspective: z.enum(ROLES),
      instrument: z.string().min(1).max(40),
      answers: z.record(z.string(), z.union([z.number(), z.boolean(), z.string().max(4000), z.null()])),
    }),
    output: {} as ResponseView,
  },
  /** Pair-wise agreement of the submitted ratings of a session (rupture segments). */
  'agreement:session': {
    input: z.object({
      sessionId: id,
      unitMs: z.number().int().min(100).max(60_000).default(1000),
      toleranceMs: z.number().int().min(0).max(60_000).default(0),
      windowMs: z.number().int().min(0).max(60_000).default(3000),
    }),
    output: {} as SessionAgreementView,
  },
  /** A case over time: ruptures, resolution and alliance per session and perspective. */
  'perspectives:case': { input: z.object({ caseId: id }), output: {} as CaseTimelineView },
  /** Per-perspective rupture rates over sessions (a case or the whole library) with McNemar and Cochran's Q. */
  'perspectives:report': {
    input: z.object({ caseCode: z.string().max(40).optional() }),
    output: {} as PerspectivesReportView,
  },
  /** A rater against a reference rater: per-code agreement, missed and added ruptures. */
  'agreement:calibration': {
    input: z.object({ sessionId: id, raterId: id, referenceId: id }),
    output: {} as CalibrationView,
  },
  /** Who rates this session, with due dates and rating status. */
  'assignments:list': { input: z.object({ sessionId: id }), output: {} as AssignmentView[] },
  /** Assigns a rater to a session (or changes the due date). */
  'assignments:set': {
    input: z.object({ sessionId: id, raterId: id, dueDate: isoDate.nullable().default(null) }),
    output: {} as AssignmentView[],
  },
  /** Removes an assignment. Ratings already made stay. */
  'assignments:remove': { input: z.object({ sessionId: id, raterId: id }), output: {} as AssignmentView[] },
  /** Opens the native file picker (Electron only); null when cancelled. */
  'dialogs:openMedia': { input: z.object({}), output: {} as string[] | null },
} as const;

export type Channel = keyof typeof channels;
export type ChannelInput<C extends Channel> = z.input<(typeof channels)[C]['input']>;
export type ChannelParsed<C extends Channel> = z.output<(typeof channels)[C]['input']>;
export type ChannelOutput<C extends Channel> = (typeof channels)[C]['output'];

export const CHANNEL_NAMES = Object.keys(channels) as Channel[];

export interface ResponseView {
  id: number;
  sessionId: number;
  raterId: number;
  raterName: string;
  perspective: (typeof ROLES)[number];
  instrument: string;
  answers: Record<string, number | boolean | string | null>;
  scores: { subscales: Record<string, number | null>; total: number | null };
}

export interface SessionAgreementView {
  session_id: number;
  submitted_raters: string[];
  pairs: {
    raters: string[];
    time_unit_kappa: Record<string, number | null>;
    event_agreement: Record<string, number | null>;
    mean_iou: Record<string, number | null>;
    pabak: number | null;
    positive_agreement: number | null;
    negative_agreement: number | null;
    notes: Record<string, string>;
  }[];
}

type PerRole<T> = Partial<Record<(typeof ROLES)[number], T>>;

export interface CaseTimelineView {
  case: string;
  sessions: {
    session_id: number;
    number: number;
    date: string | null;
    ruptures: PerRole<number>;
    resolution: PerRole<number | null>;
    alliance: PerRole<number>;
  }[];
}

export interface PerspectivesReportView {
  case: string | null;
  sessions: number;
  perspectives: Record<string, { sessions_with_data: number; sessions_with_rupture: number; rate: number | null }>;
  mcnemar: {
    perspectives: string[];
    sessions: number;
    a_only: number;
    b_only: number;
    statistic: number | null;
    p: number | null;
    exact: boolean;
    note?: string;
  }[];
  cochran_q: {
    perspectives: string[];
    sessions: number;
    statistic: number | null;
    df: number;
    p: number | null;
    note?: string;
  };
}

export interface CalibrationView {
  rater: string;
  reference: string;
  pair: SessionAgreementView['pairs'][number] | null;
  missed: { id: number; startMs: number; endMs: number; codes: string[] }[];
  added: { id: number; startMs: number; endMs: number; codes: string[] }[];
}

export interface AssignmentView {
  raterId: number;
  name: string;
  role: (typeof ROLES)[number];
  dueDate: string | null;
  status: 'draft' | 'submitted' | null;
}

export interface AppInfo {
  host: 'electron' | 'browser';
  version: string;
  dataDir: string;
}

/** Events pushed from the core to the renderer. */
export interface EventMap {
  'import:progress': ImportJob;
  'import:finished': {
    job: ImportJob;
    recording: Recording | null;
    error: AppErrorShape | null;
  };
}
export type EventName = keyof EventMap;
export const EVENT_NAMES: EventName[] = ['import:progress', 'import:finished'];
