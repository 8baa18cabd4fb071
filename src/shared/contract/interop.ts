/** The interop slice: other tools' files in (with the mapping step), sessions out, transcripts. */
import { z } from 'zod';
import { TIER_ROLES, type ImportPreview } from '../interop';
import type { TranscriptHit, Utterance } from '../transcript';
import { id } from './schemas';

const name = z.string().max(300);
const choices = z.object({
  roles: z.record(name, z.enum(TIER_ROLES)).optional(),
  raters: z.record(name, z.string().trim().min(1, 'A rater needs a name.').max(80)).optional(),
  codes: z.record(z.string().max(500), z.string().max(200)).optional(),
  addCodes: z.boolean().optional(),
  encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'latin1']).optional(),
  skipInvalid: z.boolean().optional(),
  submit: z.boolean().optional(),
});
const file = {
  sessionId: id,
  fileName: z.string().trim().min(1).max(255),
  /** The file's bytes, base64 (files are read by the renderer from a file input). */
  contentBase64: z.string().max(70_000_000, 'The file is larger than 50 MB; import it with the command line.'),
  choices: choices.default({}),
};

/** A transcription of a session on this computer (the CLI's --json prints the same). */
export interface TranscriptionView {
  sessionId: number;
  jobId: string;
  /** The model file's name (what the utterances say made them). */
  model: string;
  /** Where the model file was (to go on with the same one). */
  modelPath: string;
  /** The language asked for; null: the model found it. */
  language: string | null;
  /** paused: cancelled or stopped with the app; transcribing again with the same model goes on. */
  state: 'running' | 'paused' | 'done' | 'failed';
  doneMs: number;
  totalMs: number;
  chunksDone: number;
  chunks: number;
  /** Utterances this transcription stored so far. */
  utterances: number;
  speakers: string[];
  error: string | null;
  notes: string[];
}

export const interopChannels = {
  /** Reads an ELAN / BORIS / subtitle / CSV file and says what importing it would do; stores nothing. */
  'interop:preview': { input: z.object(file), output: {} as ImportPreview },
  /** Imports it as previewed, all or nothing (as the current rater; see the policy). */
  'interop:import': { input: z.object(file), output: {} as ImportPreview },
  /** The session as a file for ELAN (eaf), BORIS (a project), or analysis (csv, json). */
  'exports:session': {
    input: z.object({
      sessionId: id,
      format: z.enum(['eaf', 'boris', 'csv', 'json']),
      includeTranscript: z.boolean().default(false),
      /** Therapist, rater and file names (pseudonymous unless asked). */
      names: z.boolean().default(false),
      /** Free text: notes, comments' words, feedback (left out unless asked). */
      notes: z.boolean().default(false),
    }),
    output: {} as { fileName: string; mime: string; content: string },
  },
  /**
   * Transcribes the session with a speech-recognition model on this computer (a whisper.cpp file
   * the user names; never downloaded), in the background: `transcript:progress` events follow.
   * An unfinished transcription with the same model goes on where it stopped.
   */
  'transcript:transcribe': {
    input: z.object({
      sessionId: id,
      model: z.string().trim().min(1, 'Say which model file.').max(4096),
      language: z.string().max(8).nullable().default(null),
      recordingId: id.nullable().default(null),
    }),
    output: {} as TranscriptionView,
  },
  /** Stops the session's transcription; what is done is kept. */
  'transcript:cancelTranscription': { input: z.object({ sessionId: id }), output: {} as TranscriptionView | null },
  /** The session's newest transcription (null: none here). */
  'transcript:transcription': { input: z.object({ sessionId: id }), output: {} as TranscriptionView | null },
  /** Corrects an utterance (a machine transcript's mistakes, a speaker); the search follows. */
  'transcript:edit': {
    input: z.object({
      id,
      text: z.string().trim().min(1, 'An utterance has words: delete nothing by emptying it.').max(4000),
      speaker: z.string().trim().max(80).default(''),
    }),
    output: {} as Utterance,
  },
  'transcript:list': { input: z.object({ sessionId: id }), output: {} as Utterance[] },
  /** Every word as a prefix; one session, or the whole library when no session is given. */
  'transcript:search': {
    input: z.object({ query: z.string().max(200), sessionId: id.optional() }),
    output: {} as TranscriptHit[],
  },
} as const;
