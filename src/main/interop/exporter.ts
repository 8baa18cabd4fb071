/**
 * The session as it leaves the machine: the document written by `export --format json`, the CSV,
 * ELAN and BORIS files. Pseudonymous unless asked (privacy.ts): the case by its code, raters by
 * pseudonym, recordings by number, no therapist, no free text; absolute file paths (which often
 * carry names) only with --include-paths.
 */
import { csvCell } from '../../shared/csv';
import type { Segment } from '../../shared/annotations';
import { writeBorisProject } from './boris-write';
import { writeEaf } from './eaf-write';
import type { Core } from '../app';
import { formatTime } from '../../shared/time';
import type { AnnotationService } from '../coding/annotations';
import type { FeedbackService } from '../feedback/feedback';
import type { LibraryService } from '../library/library';
import type { TalkService } from '../talk/talk';
import {
  describePrivacy,
  fileAlias,
  privacy,
  raterAlias,
  raters as privateRaters,
  segments as privateSegments,
  type ExportPrivacy,
} from './privacy';

/** What this needs of the core, by name. */
export type ExportDeps = Pick<Core, 'annotations' | 'library' | 'transcripts'>;

export const SESSION_DOCUMENT_VERSION = 2;

export function sessionDocument(
  library: LibraryService,
  annotations: AnnotationService,
  sessionId: number,
  options: {
    includePaths?: boolean;
    feedback?: FeedbackService;
    viewerId?: number | null;
    talk?: TalkService;
    /** Names and free text: left out unless asked (see privacy.ts). */
    privacy?: Partial<ExportPrivacy>;
  } = {},
) {
  const p = privacy(options.privacy);
  const d = library.sessionDetail(sessionId);
  const a = annotations.list(sessionId, options.viewerId ?? null);
  const visible = annotations.visibleRaters(sessionId, options.viewerId ?? null);
  const codebook = annotations.codebook();
  const statuses = new Map(a.ruptureStatus.map((s) => [s.ruptureId, s]));
  const raters = annotations
    .raters()
    .filter((r) => !visible || visible.has(r.id))
    .filter(
      (r) => a.raters.some((x) => x.id === r.id) || annotations.grid(sessionId, r.id).cells.some((c) => c.codes.length),
    );
  return {
    format: 'alliance-review/session',
    version: SESSION_DOCUMENT_VERSION,
    exportedAt: new Date().toISOString(),
    privacy: { names: p.names, notes: p.notes, says: describePrivacy(p) },
    case: { code: d.case.code, ...(p.names ? { therapist: d.case.therapist } : {}) },
    session: {
      id: d.session.id,
      number: d.session.number,
      date: d.session.date,
      modality: d.session.modality,
      ...(p.notes ? { notes: d.session.notes } : {}),
    },
    recordings: d.recordings.map((r) => ({
      id: r.id,
      fileName: fileAlias(r, p),
      ...(options.includePaths ? { path: r.path } : {}),
      state: r.state,
      offsetMs: r.offsetMs,
      durationMs: r.durationMs,
      sizeBytes: r.sizeBytes,
      fingerprint: r.fingerprint,
      hasAudio: r.hasAudio,
      hasVideo: r.hasVideo,
      probe: r.probe,
      peaks: {
        resolutions: r.peaks.map((p) => ({ level: p.level, pairsPerSecond: p.pairsPerSecond, count: p.count })),
        count: r.peaks.length,
      },
    })),
    codebook: { name: codebook.definition.name, version: codebook.version, versionId: codebook.versionId },
    raters: raters.map((r) => ({ id: r.id, name: raterAlias(r, p), role: r.role })),
    segments: privateSegments(a.segments, p).map((s) => ({
      ...segmentFields(s),
      ...(s.kind === 'rupture'
        ? {
            repairStatus: statuses.get(s.id)?.status ?? 'unrepaired',
            msToFirstRepair: statuses.get(s.id)?.msToFirstRepair ?? null,
          }
        : {}),
    })),
    links: a.segments.flatMap((s) => s.linkedRuptureIds.map((r) => ({ repairId: s.id, ruptureId: r }))),
    grids: raters
      .map((r) => annotations.grid(sessionId, r.id))
      .filter(
        (g) =>
          g.cells.some((c) => c.codes.length || c.withdrawalSignificance || c.confrontationSignificance) ||
          g.therapistContribution ||
          g.resolutionExtent,
      ),
    ...(options.feedback ? { feedback: feedbackFields(options.feedback, sessionId, p) } : {}),
    ...(options.talk ? { talk: talkFields(options.talk, sessionId) } : {}),
  };
}

/**
 * Who speaks when: the speaker lanes with their speech stretches (session clock, ms), the long
 * silences and overlaps, and the talk figures per 5 minutes and for the session; null before the
 * session's speech has been analysed.
 */
function talkFields(talk: TalkService, sessionId: number) {
  const t = talk.session(sessionId);
  if (!t.activity || !t.figures) return null;
  return {
    mode: t.activity.mode,
    silenceMs: t.activity.silenceMs,
    lanes: t.activity.lanes,
    silences: t.activity.silences,
    overlaps: t.activity.overlaps,
    session: t.figures.session,
    windowMs: t.figures.windowMs,
    windows: t.figures.windows,
    unanalysedRecordingIds: t.unanalysed.map((r) => r.id),
  };
}

/**
 * The session's feedback threads: comments with their replies and state (the export sees all).
 * Their words only with free text; their authors by pseudonym unless names are asked for.
 */
function feedbackFields(feedback: FeedbackService, sessionId: number, p: ExportPrivacy) {
  const item = (i: {
    id: number;
    authorId: number;
    authorName: string;
    authorRole: string;
    text: string;
    createdAt: string;
    editedAt: string | null;
  }) => ({
    id: i.id,
    author: raterAlias({ id: i.authorId, name: i.authorName }, p),
    role: i.authorRole,
    ...(p.notes ? { text: i.text } : {}),
    createdAt: i.createdAt,
    editedAt: i.editedAt,
  });
  return feedback.list(sessionId, 'all').threads.map((t) => ({
    ...item(t),
    startMs: t.startMs,
    endMs: t.endMs,
    start: formatTime(t.startMs),
    end: formatTime(t.endMs),
    label: t.label,
    segmentId: t.segment?.id ?? null,
    state: t.state,
    ...(p.names ? { stateBy: t.stateBy } : {}),
    replies: t.replies.map(item),
  }));
}

function segmentFields(s: Segment) {
  return {
    id: s.id,
    raterId: s.raterId,
    kind: s.kind,
    startMs: s.startMs,
    endMs: s.endMs,
    ruptureType: s.ruptureType,
    codes: s.codes,
    rating: s.rating,
    stage: s.stage,
    tags: s.tags,
    note: s.note,
    resolved: s.kind === 'comment' ? s.resolved : undefined,
    codebookVersionId: s.codebookVersionId,
    ...(s.origin ? { origin: s.origin } : {}),
  };
}

const CSV_COLUMNS = [
  'session',
  'case',
  'rater',
  'role',
  'type',
  'code',
  'start',
  'end',
  'start_s',
  'end_s',
  'rupture_type',
  'significance',
  'stage',
  'tags',
  'linked_ruptures',
  'repair_status',
  'resolved',
  'note',
  // Added after the columns above (scripts read them by name): the row's own id, so that
  // linked_ruptures can be followed within the file, and the linked ruptures as times and codes.
  'segment_id',
  'linked_rupture_starts',
  // Added for imported segments: where each came from (empty for segments marked in the app).
  'source_file',
  'source_at',
  'source_tier',
  'source_value',
  'source_participant',
  'source_subject',
  'source_modifiers',
];

/** One row per segment; times both as hh:mm:ss.mmm and as seconds (what ELAN and R read). */
export function sessionCsv(
  library: LibraryService,
  annotations: AnnotationService,
  sessionId: number,
  viewerId: number | null = null,
  privacyOptions?: Partial<ExportPrivacy>,
): string {
  const p = privacy(privacyOptions);
  const d = library.sessionDetail(sessionId);
  const a = annotations.list(sessionId, viewerId);
  const raters = new Map(privateRaters(annotations.raters(), p).map((r) => [r.id, r]));
  const statuses = new Map(a.ruptureStatus.map((s) => [s.ruptureId, s.status]));
  const byId = new Map(a.segments.map((s) => [s.id, s]));
  const linked = (ids: number[]) =>
    ids
      .map((id) => byId.get(id))
      .filter((r): r is Segment => r !== undefined)
      .map((r) => `${formatTime(r.startMs)}${r.codes.length ? ` ${r.codes.join('+')}` : ''}`)
      .join(';');
  const rows = privateSegments(a.segments, p).map((s) =>
    [
      d.session.number,
      d.case.code,
      raters.get(s.raterId)?.name,
      raters.get(s.raterId)?.role,
      s.kind,
      s.codes.join(';'),
      formatTime(s.startMs),
      formatTime(s.endMs),
      (s.startMs / 1000).toFixed(3),
      (s.endMs / 1000).toFixed(3),
      s.ruptureType,
      s.rating,
      s.stage,
      s.tags.join(';'),
      s.linkedRuptureIds.join(';'),
      s.kind === 'rupture' ? statuses.get(s.id) : '',
      s.kind === 'comment' ? (s.resolved ? 'yes' : 'no') : '',
      s.note,
      s.id,
      linked(s.linkedRuptureIds),
      s.origin?.file,
      s.origin?.at,
      s.origin?.tier,
      s.origin?.value,
      s.origin?.participant,
      s.origin?.subject,
      s.origin?.modifiers?.join(';'),
    ]
      .map((c) => csvCell(c))
      .join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

/** The session as ELAN 3.0 (see interop/eaf-write.ts); the transcript only when asked. */
export function sessionEaf(
  core: ExportDeps,
  sessionId: number,
  options: { includeTranscript?: boolean; viewerId?: number | null; privacy?: Partial<ExportPrivacy> } = {},
): string {
  const p = privacy(options.privacy);
  const d = core.library.sessionDetail(sessionId);
  const a = core.annotations.list(sessionId, options.viewerId ?? null);
  return writeEaf({
    author: 'Alliance Review',
    // Pseudonymous: the media by number, beside the EAF (relink in ELAN).
    recordings: d.recordings.map((r) => ({
      fileName: fileAlias(r, p),
      // (a root-level name, so the file says nothing about this machine's folders either)
      path: p.names ? r.path : `/${fileAlias(r, p)}`,
      offsetMs: r.offsetMs,
    })),
    raters: privateRaters(core.annotations.raters(), p),
    segments: privateSegments(a.segments, p),
    codebook: core.annotations.codebook().definition,
    utterances: options.includeTranscript ? core.transcripts.list(sessionId) : [],
  });
}

/** The session as a BORIS project (see interop/boris-write.ts). */
export function sessionBoris(
  core: ExportDeps,
  sessionId: number,
  options: { viewerId?: number | null; privacy?: Partial<ExportPrivacy> } = {},
): string {
  const p = privacy(options.privacy);
  const d = core.library.sessionDetail(sessionId);
  const a = core.annotations.list(sessionId, options.viewerId ?? null);
  return writeBorisProject({
    projectName: `${d.case.code} session ${d.session.number}`,
    sessionLabel: `${d.case.code} s${d.session.number}`,
    date: d.session.date,
    recordings: d.recordings.map((r) => ({
      fileName: fileAlias(r, p),
      path: p.names ? r.path : fileAlias(r, p),
      offsetMs: r.offsetMs,
      durationMs: r.durationMs,
      hasVideo: r.hasVideo,
      hasAudio: r.hasAudio,
      fps: r.probe.streams.find((s) => s.kind === 'video')?.fps,
    })),
    raters: privateRaters(core.annotations.raters(), p),
    segments: privateSegments(a.segments, p),
    codebook: core.annotations.codebook().definition,
  });
}
