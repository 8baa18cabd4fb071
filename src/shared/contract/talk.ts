/**
 * The slice for real recordings: who speaks when (speaker lanes, talk figures), automatic
 * alignment, and the scrub aids.
 */
import { z } from 'zod';
import type { SessionAlignment, SessionTalk } from '../talk';
import type { ScrubStatus } from '../domain';
import { id } from './schemas';

export const talkChannels = {
  /** The session's speaker lanes, long silences, overlaps and talk figures (per 5 minutes and whole). */
  'talk:session': {
    input: z.object({ sessionId: id, silenceMs: z.number().int().min(500).max(600_000).optional() }),
    output: {} as SessionTalk,
  },
  /** Analyses the speech of recordings imported before speech analysis existed (one decode each). */
  'talk:analyze': { input: z.object({ sessionId: id }), output: {} as SessionTalk },
  /** Names a speaker lane (therapist, patient) for every session of a case; an empty name un-names it. */
  'talk:nameLane': {
    input: z.object({ caseId: id, laneKey: z.string().max(20), name: z.string().max(200) }),
    output: {} as Record<string, string>,
  },
  /** Finds each recording's offset against the main one by its audio; `apply` stores them. */
  'recordings:align': {
    input: z.object({ sessionId: id, apply: z.boolean().default(false) }),
    output: {} as SessionAlignment,
  },
  /** The scrub aids of a session's recordings (progress arrives as `scrub:progress` events). */
  'scrub:status': { input: z.object({ sessionId: id }), output: {} as ScrubStatus[] },
} as const;
