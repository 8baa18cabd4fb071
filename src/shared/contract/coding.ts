/** The coding slice of the contract: raters, codebook, segments, history, ratings, consensus, grid. */
import { z } from 'zod';
import {
  ROLES,
  SEGMENT_KINDS,
  type EditedSegment,
  type Grid,
  type History,
  type Rater,
  type Segment,
  type SessionAnnotations,
  type SessionSummary,
} from '../annotations';
import { codebookSchema, type Codebook } from '../codebook';
import { gridSize, id, ms, rating, codeList, segmentFields } from './schemas';
import type { ErasedView } from './views';

export const codingChannels = {
  /** Everyone who has rated on this machine. */
  'raters:list': { input: z.object({}), output: {} as Rater[] },
  /** Adds a rater with a role (their perspective). */
  'raters:create': {
    input: z.object({ name: z.string().trim().min(1, 'Enter a name or pseudonym.').max(80), role: z.enum(ROLES) }),
    output: {} as Rater,
  },
  /** Who is rating on this machine now; null until chosen. */
  'raters:current': { input: z.object({}), output: {} as Rater | null },
  /** What erasing a rater takes with them, in words (a supervisor's). */
  'raters:deleteImpact': { input: z.object({ id }), output: {} as { words: string } },
  /** Erases a rater and all their work (a supervisor's; not the rater at the machine). */
  'raters:delete': {
    input: z.object({ id }),
    output: {} as { deleted: true; auditEntriesRenamed: number } & ErasedView,
  },
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
} as const;
