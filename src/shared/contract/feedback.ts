/** The supervision slice of the contract: feedback (comments, replies, their state, labels) and the report. */
import { z } from 'zod';
import { FEEDBACK_STATES, type FeedbackCount, type FeedbackThread, type FeedbackView } from '../feedback';
import type { ClipJobView } from './views';
import { id, ms } from './schemas';

const commentText = z
  .string()
  .max(20_000, 'A comment holds at most 20,000 characters.')
  .refine((t) => t.trim().length > 0, 'Write something first: the comment is empty.');
const label = z.string().max(40, 'A label has at most 40 characters.').nullable().optional();

export const feedbackChannels = {
  /** The session's feedback threads as the current rater sees them, with what is new to them. */
  'feedback:list': { input: z.object({ sessionId: id }), output: {} as FeedbackView },
  /** Per session: threads, open threads, and items new to the current rater (the library's badges). */
  'feedback:counts': { input: z.object({}), output: {} as FeedbackCount[] },
  /** Leaves a comment at a moment or over a span (optionally about a segment), visible at once. */
  'feedback:add': {
    input: z.object({
      sessionId: id,
      startMs: ms,
      endMs: ms.nullable().optional(),
      segmentId: id.nullable().optional(),
      label,
      text: commentText,
    }),
    output: {} as FeedbackThread,
  },
  /** Replies in a comment's thread. */
  'feedback:reply': { input: z.object({ threadId: id, text: commentText }), output: {} as FeedbackThread },
  /** Marks a thread open, acknowledged or resolved. */
  'feedback:setState': {
    input: z.object({ threadId: id, state: z.enum(FEEDBACK_STATES) }),
    output: {} as FeedbackThread,
  },
  /** Changes one's own comment or reply (and a comment's label). */
  'feedback:edit': { input: z.object({ id, text: commentText, label }), output: {} as FeedbackThread },
  /** Deletes one's own reply, or one's own comment that nobody else has answered. */
  'feedback:delete': { input: z.object({ id }), output: {} as { deleted: number } },
  /** Marks comments and replies as read by the current rater. */
  'feedback:markRead': { input: z.object({ ids: z.array(id).min(1).max(1000) }), output: {} as { unread: number } },
  /** The labels a comment can carry (strength, question, try instead …). */
  /**
   * Holds a session's feedback from its trainee until they submit their rating, or releases it
   * (`hold` false; null: as its case says); or sets it for every session of a case. Supervisors only.
   */
  'feedback:setHold': {
    input: z.union([
      z.object({ sessionId: id, hold: z.boolean().nullable() }),
      z.object({ caseId: id, hold: z.boolean().nullable() }),
    ]),
    output: {} as { on: boolean; source: 'session' | 'case' | 'default' } | { caseId: number; hold: boolean | null },
  },
  'feedback:labels': { input: z.object({}), output: {} as string[] },
  /**
   * The supervision report of a session as one self-contained HTML page (as the current rater may
   * see it: blind rating holds). Pseudonymous unless `names`.
   */
  'report:html': {
    input: z.object({ sessionId: id, names: z.boolean().default(false) }),
    output: {} as { html: string },
  },
  /**
   * Saves the session report (or with `caseId` the case summary) as a PDF where the user chooses,
   * through Electron's printToPDF; `path` is null when they cancel. The browser host has no such
   * dialog and says to print instead.
   */
  'report:savePdf': {
    input: z.union([
      z.object({ sessionId: id, names: z.boolean().default(false) }),
      z.object({ caseId: id, names: z.boolean().default(false) }),
    ]),
    output: {} as { path: string | null },
  },
  /** The case summary across sessions as one self-contained HTML page (blind rating holds). */
  'report:caseHtml': {
    input: z.object({ caseId: id, names: z.boolean().default(false) }),
    output: {} as { html: string },
  },
  /**
   * Cuts a teaching clip (MP4) of a segment, a comment's span or a stretch, with context; progress
   * and the end come as clip:progress / clip:finished events. Without `out` it goes into the
   * library's exports folder.
   */
  'clips:export': {
    input: z
      .object({
        sessionId: id,
        segmentId: id.optional(),
        threadId: id.optional(),
        fromMs: ms.optional(),
        toMs: ms.optional(),
        padMs: z.number().int().min(0).max(600_000).default(0),
        audioOnly: z.boolean().default(false),
        blur: z.boolean().default(false),
        timecode: z.boolean().default(false),
        pitch: z.boolean().default(false),
        out: z.string().min(1).max(4096).optional(),
      })
      .refine(
        (i) =>
          i.segmentId !== undefined || i.threadId !== undefined || (i.fromMs !== undefined && i.toMs !== undefined),
        'Say what to cut: a segment, a comment, or a start and an end.',
      ),
    output: {} as ClipJobView,
  },
  /**
   * Exports a playlist of moments (segments and comments, in order) into the library's exports
   * folder: one MP4 with title cards, or a folder of clips with an index. Events as for a clip.
   */
  'playlists:export': {
    input: z.object({
      sessionId: id,
      items: z
        .array(z.union([z.object({ segmentId: id }), z.object({ threadId: id })]))
        .min(1, 'Choose at least one moment for the playlist.')
        .max(200),
      padMs: z.number().int().min(0).max(600_000).default(1000),
      blur: z.boolean().default(false),
      pitch: z.boolean().default(false),
      folder: z.boolean().default(false),
    }),
    output: {} as ClipJobView,
  },
  /** Stops a clip being cut; nothing of it is kept. */
  'clips:cancel': { input: z.object({ id: z.string().uuid() }), output: {} as { cancelled: boolean } },
  /** Replaces the label list (supervisors). */
  'feedback:setLabels': {
    input: z.object({ labels: z.array(z.string().max(40, 'A label has at most 40 characters.')).max(30) }),
    output: {} as string[],
  },
} as const;
