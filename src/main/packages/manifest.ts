/**
 * What a package may hold, checked before anything of it is used: a package is a file from
 * another machine, so its manifest is input like any other. The field rules are the contract's
 * own (segment times, codes, notes, ratings, grid sizes, dates, case codes); a file name is a
 * name, never a path; ids are ids. What passes here still goes through the domain's rules
 * (the segment service's validation, the codebook) when it is imported.
 */
import { z } from 'zod';
import { ROLES } from '../../shared/annotations';
import { codebookSchema } from '../../shared/codebook';
import { instrumentSchema } from '../../shared/instruments';
import {
  caseCode,
  gridSize,
  codeList,
  isoDate,
  ms,
  offsetMs,
  rating,
  segmentFields,
  text,
} from '../../shared/contract/schemas';
import { issueMessage } from '../../shared/contract/issue-message';
import { AppError } from '../../shared/errors';
import type { Probe } from '../../shared/domain';
import { RUPTURE_TYPES } from '../../shared/annotations';

/** The most segments one rater's return may carry for one session (a two-hour session marked every second). */
export const MAX_SEGMENTS_PER_SESSION = 7200;
/** The most sessions one package may carry. */
export const MAX_SESSIONS = 2000;

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'not an id');

/**
 * A file's name as it may stand in a folder: no separator, not "." or "..", no control character,
 * at most 255 characters (characters Windows refuses are replaced where the copy is made). A package names its recordings; it never says where they go.
 */
export function isPlainName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 255 &&
    name !== '.' &&
    name !== '..' &&
    ![...name].some((ch) => ch === '/' || ch === '\\' || ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)
  );
}
const fileName = z.string().refine(isPlainName, 'a recording’s file name must be a name, not a path');

const raterName = z.string().trim().min(1).max(80);
const peaks = z
  .array(
    z.object({
      level: z.enum(['detail', 'coarse', 'overview']),
      pairsPerSecond: z.number().positive().max(10_000),
      data: z.string().max(200_000_000),
    }),
  )
  .max(3);

const probeShape = z
  .object({ formatName: z.string().max(200), durationMs: ms, streams: z.array(z.object({}).loose()).max(64) })
  .loose();

const recording = z.object({
  ref: z.number().int().positive(),
  fileName,
  fingerprint: z.string().min(1).max(200),
  sizeBytes: z.number().int().min(0),
  durationMs: ms,
  offsetMs,
  hasAudio: z.boolean(),
  hasVideo: z.boolean(),
  probe: z.custom<Probe>((v) => probeShape.safeParse(v).success, 'not a description of a media file'),
  peaks,
  media: z.object({ offset: z.number().int().min(0), size: z.number().int().min(0) }).nullable(),
});

export const ratingManifestSchema = z.object({
  kind: z.literal('rating-package'),
  packageId: uuid,
  studyId: uuid,
  createdAt: z.string().max(40),
  appVersion: z.string().max(40),
  rater: z.object({ name: raterName, role: z.enum(ROLES) }),
  codebook: z.object({ versionId: z.number().int(), version: z.number().int(), definition: codebookSchema }),
  instruments: z.array(instrumentSchema).max(100),
  gridMs: gridSize,
  /** The secret only this rater's return can prove it knows (absent in packages of older versions). */
  returnKey: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/)
    .optional(),
  sessions: z
    .array(
      z.object({
        ref: z.number().int().positive(),
        caseCode,
        number: z.number().int().positive().max(100_000),
        date: isoDate.nullable(),
        modality: z.string().max(40),
        dueDate: isoDate.nullable(),
        recordings: z.array(recording).max(20),
      }),
    )
    .min(1)
    .max(MAX_SESSIONS),
});

const packedSegment = z.object({
  id: z.number().int().positive(),
  kind: z.enum(['rupture', 'repair', 'comment']),
  ...segmentFields,
  ruptureType: z.enum(RUPTURE_TYPES).nullable(),
  codes: codeList,
  tags: codeList,
  rating: rating.nullable(),
  stage: z.string().max(16).nullable(),
  note: z.string().max(4000),
  resolved: z.boolean(),
  linkedRuptureIds: z.array(z.number().int().positive()).max(50),
});

const answers = z
  .record(z.string().max(40), z.union([z.number(), z.boolean(), z.string().max(4000), z.null()]))
  .refine((a) => Object.keys(a).length <= 200, 'too many answers');

/** A rater's 3RS grid on a session, every segment length (returns and supervision files). */
const packedGrid = z.object({
  session: z
    .object({
      segmentMs: gridSize,
      therapistContribution: rating.nullable(),
      resolutionExtent: rating.nullable(),
    })
    .nullable(),
  cells: z
    .array(
      z.object({
        segmentMs: gridSize,
        index: z.number().int().min(0).max(100_000),
        codes: codeList,
        withdrawalSignificance: rating.nullable(),
        confrontationSignificance: rating.nullable(),
      }),
    )
    .max(100_000),
});
/** A rater's questionnaires on a session. */
const packedResponses = z
  .array(z.object({ instrument: z.string().min(1).max(40), perspective: z.enum(ROLES), answers }))
  .max(50);

export const returnManifestSchema = z.object({
  kind: z.literal('return-package'),
  packageId: uuid,
  sourcePackageId: uuid,
  studyId: uuid,
  createdAt: z.string().max(40),
  appVersion: z.string().max(40),
  rater: z.object({ name: raterName, role: z.enum(ROLES) }),
  codebook: z.object({ definition: codebookSchema }),
  /** HMAC of the manifest (without this field) under the rating package's returnKey. */
  proof: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  sessions: z
    .array(
      z.object({
        ref: z.number().int().positive(),
        rating: z.object({
          status: z.enum(['draft', 'submitted']),
          revision: z.number().int().min(0).max(10_000),
          submittedAt: z.string().max(40).nullable(),
        }),
        revisions: z
          .array(
            z.object({
              revision: z.number().int().min(0).max(10_000),
              reason: text(1000),
              createdAt: z.string().max(40),
              snapshot: z.array(packedSegment).max(MAX_SEGMENTS_PER_SESSION),
            }),
          )
          .max(100),
        segments: z.array(packedSegment).max(MAX_SEGMENTS_PER_SESSION),
        grid: packedGrid,
        responses: packedResponses,
      }),
    )
    .min(1)
    .max(MAX_SESSIONS),
});

const uidField = uuid;
const person = z.object({ uid: uidField, name: raterName, role: z.enum(ROLES) });
const isoStamp = z.string().max(40);

const supervisedSegment = packedSegment.extend({ uid: uidField });

const feedbackItem = z.object({
  uid: uidField,
  parentUid: uidField.nullable(),
  authorUid: uidField,
  startMs: ms.nullable(),
  endMs: ms.nullable(),
  segmentUid: uidField.nullable(),
  label: z.string().trim().min(1).max(40).nullable(),
  text: text(20_000).refine((t) => t.trim().length > 0, 'a comment is never empty'),
  createdAt: isoStamp,
  editedAt: isoStamp.nullable(),
  state: z.enum(['open', 'acknowledged', 'resolved']),
  stateByUid: uidField.nullable(),
  stateAt: isoStamp.nullable(),
});

/**
 * A supervision file: one session between a trainee's and a supervisor's libraries. It carries
 * what its sender may share (their own lane, their feedback), signed by the sending library's key
 * (`signature`, over the manifest without it) and numbered (`seq`: a file is newer than another of
 * the same library when its number is higher).
 */
export const supervisionManifestSchema = z.object({
  kind: z.literal('supervision'),
  fileId: uuid,
  /** The sender's study (absent: the sending library belongs to none yet). */
  studyId: uuid.nullable(),
  library: z.object({ id: uuid, publicKey: z.string().regex(/^[A-Za-z0-9+/]{40,80}={0,2}$/, 'not a key') }),
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  createdAt: isoStamp,
  appVersion: z.string().max(40),
  from: person,
  to: z.object({ name: raterName }),
  /** Everyone whose items the file carries, written in the sending library. */
  raters: z.array(person).max(50),
  session: z.object({
    uid: uidField,
    caseCode,
    number: z.number().int().positive().max(100_000),
    date: isoDate.nullable(),
    modality: z.string().max(40),
    /** The session's own hold setting (a supervisor's file; absent otherwise). */
    hold: z.boolean().nullable().optional(),
    recordings: z.array(recording).max(20),
  }),
  codebook: z.object({ definition: codebookSchema }),
  lanes: z
    .array(
      z.object({
        raterUid: uidField,
        rating: z.object({
          status: z.enum(['draft', 'submitted']),
          revision: z.number().int().min(0).max(10_000),
          submittedAt: isoStamp.nullable(),
        }),
        segments: z.array(supervisedSegment).max(MAX_SEGMENTS_PER_SESSION),
        grid: packedGrid,
        responses: packedResponses,
      }),
    )
    .max(10),
  /** Null: held from the recipient (nothing of it travels), as the hold on feedback says. */
  feedback: z
    .object({
      labels: z.array(z.string().trim().min(1).max(40)).max(100),
      items: z.array(feedbackItem).max(20_000),
    })
    .nullable(),
  /** How many feedback items were held back (they go in the first file after the hold ends). */
  held: z.number().int().min(0).max(1_000_000),
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'not a signature'),
});

export type SupervisionManifest = z.output<typeof supervisionManifestSchema>;
export type SupervisedSegment = SupervisionManifest['lanes'][number]['segments'][number];
export type SupervisedFeedback = NonNullable<SupervisionManifest['feedback']>['items'][number];

export type RatingManifest = z.output<typeof ratingManifestSchema>;
export type ReturnManifest = z.output<typeof returnManifestSchema>;
export type PackedSegment = ReturnManifest['sessions'][number]['segments'][number];

/**
 * The manifest, checked: a package that does not hold what a package holds is refused as damaged
 * or not made by this app, naming the first problem (where and what).
 */
export function checkManifest(raw: unknown, file: string): RatingManifest | ReturnManifest | SupervisionManifest {
  const kind = (raw as { kind?: unknown } | null)?.kind;
  const schema =
    kind === 'return-package'
      ? returnManifestSchema
      : kind === 'supervision'
        ? supervisionManifestSchema
        : ratingManifestSchema;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.');
    throw new AppError(
      'PACKAGE_INVALID',
      `${file} is not a package this app can open${where ? ` (at ${where})` : ''}: ${issueMessage(issue).replace(/\.$/, '')}. Nothing was changed.`,
    );
  }
  return parsed.data;
}
