/** The perspectives slice of the contract: questionnaires, agreement, calibration, the case over time, assignments. */
import { z } from 'zod';
import { ROLES } from '../annotations';
import type { Instrument } from '../instruments';
import type {
  AssignmentView,
  CalibrationView,
  CaseTimelineView,
  PerspectivesReportView,
  ResponseView,
  SessionAgreementView,
  StudyAgreementView,
} from './views';
import { id, isoDate } from './schemas';

export const perspectiveChannels = {
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
      /** Resamples of a block bootstrap over time for each pair's intervals (0: none). */
      bootstrap: z.number().int().min(0).max(10_000).default(0),
      seed: z.number().int().min(0).max(2_147_483_647).default(1),
      /** The block length; unless given, 60 s (a tenth of a session under 10 minutes). */
      blockMs: z.number().int().min(1000).max(600_000).optional(),
      /** Which segments are compared: ruptures (the default), repairs, or both. */
      kind: z.enum(['rupture', 'repair', 'all']).default('rupture'),
    }),
    output: {} as SessionAgreementView,
  },
  /**
   * Agreement across sessions: every session's submitted ratings pair by pair (those the viewer
   * may see), the means with intervals from a bootstrap over sessions, and a methods text.
   */
  'agreement:study': {
    input: z.object({
      caseCode: z.string().max(40).optional(),
      unitMs: z.number().int().min(100).max(60_000).default(1000),
      toleranceMs: z.number().int().min(0).max(60_000).default(0),
      windowMs: z.number().int().min(0).max(60_000).default(3000),
      bootstrap: z.number().int().min(0).max(10_000).default(1000),
      seed: z.number().int().min(0).max(2_147_483_647).default(1),
      kind: z.enum(['rupture', 'repair', 'all']).default('rupture'),
    }),
    output: {} as StudyAgreementView,
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
} as const;
