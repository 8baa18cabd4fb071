/** Raters, segments, links, the 3RS grid and the session summary. Times in ms. */

export const ROLES = ['supervisor', 'trainee', 'observer', 'therapist', 'patient'] as const;
export type Role = (typeof ROLES)[number];

export interface Rater {
  id: number;
  name: string;
  /** The rater's perspective. */
  role: Role;
  /** The consensus lane (built by a supervisor), not a person; marked by this flag, never by name. */
  consensus: boolean;
}

export const SEGMENT_KINDS = ['rupture', 'repair', 'comment'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];
export const RUPTURE_TYPES = ['withdrawal', 'confrontation', 'both'] as const;
export type RuptureType = (typeof RUPTURE_TYPES)[number];

export interface Segment {
  id: number;
  sessionId: number;
  raterId: number;
  kind: SegmentKind;
  startMs: number;
  /** Equal to startMs for a comment at a time point. */
  endMs: number;
  codebookVersionId: number;
  /** Ruptures only. */
  ruptureType: RuptureType | null;
  /** Marker codes (ruptures), strategy codes (repairs); empty for comments. */
  codes: string[];
  /** Significance 1–5 (ruptures) or resolution 1–5 (repairs). */
  rating: number | null;
  /** Repairs: the stage reached, e.g. `W-3`. */
  stage: string | null;
  /** Optional intervention tags, e.g. `META`. */
  tags: string[];
  note: string;
  /** Comments: marked resolved by the trainee. */
  resolved: boolean;
  /** Repairs: the ruptures this repair addresses. */
  linkedRuptureIds: number[];
  /** Imported segments: the file, line and tier they came from (null: marked in the app). */
  origin?: SegmentOrigin | null;
  /** Consensus segments: the raters' segments they came from. */
  sources: {
    segmentId: number;
    raterId: number;
    /** The supervisor who accepted it into the consensus. */ acceptedBy?: number;
  }[];
}

export type RatingStatus = 'draft' | 'submitted';

/** One rater's work on a session: draft until submitted; changes after that are revisions. */
export interface RatingState {
  raterId: number;
  status: RatingStatus;
  revision: number;
  submittedAt: string | null;
}

/** A rupture's repair status, derived from its linked repairs. */
export type RepairStatus = 'repaired' | 'partly' | 'unrepaired';

export interface RuptureStatus {
  ruptureId: number;
  status: RepairStatus;
  repairIds: number[];
  /** From rupture onset to the first linked repair's onset; null when unrepaired. */
  msToFirstRepair: number | null;
}

export interface SessionAnnotations {
  sessionId: number;
  raters: Rater[];
  /** Ratings of this session by every rater who has one (status only; visible to all). */
  ratings: RatingState[];
  /**
   * Raters whose work on this session is hidden from the viewer (blind rating). How much they
   * marked is not said: a count would give their work away.
   */
  hidden: { raterId: number }[];
  segments: Segment[];
  ruptureStatus: RuptureStatus[];
  canUndo: boolean;
  canRedo: boolean;
  /** What undo / redo would do, in words ("Undo: move W2 rupture"). */
  undoLabel: string | null;
  redoLabel: string | null;
}

/** What undo and redo would do now for the current rater. */
export type History = Pick<SessionAnnotations, 'canUndo' | 'canRedo' | 'undoLabel' | 'redoLabel'>;

/**
 * A segment as an edit answers it: the stored segment and the rater's undo state after the edit,
 * in one answer (so the screen needs no second request for the Undo button).
 */
export type EditedSegment = Segment & { history: History };

export interface GridCell {
  index: number;
  startMs: number;
  endMs: number;
  codes: string[];
  withdrawalSignificance: number | null;
  confrontationSignificance: number | null;
}

export interface Grid {
  sessionId: number;
  raterId: number;
  segmentMs: number;
  cells: GridCell[];
  therapistContribution: number | null;
  resolutionExtent: number | null;
}

export interface SessionSummary {
  sessionId: number;
  raterId: number | null;
  ruptures: number;
  byType: Record<RuptureType, number>;
  byMarker: Record<string, number>;
  repairs: number;
  comments: number;
  unresolvedComments: number;
  totalRuptureMs: number;
  /** Share of ruptures with status repaired (partly counts half); null without ruptures. */
  shareRepaired: number | null;
  /** How many ruptures are repaired, partly repaired, unrepaired (what shareRepaired is made of). */
  repairStatusCounts: Record<RepairStatus, number>;
  medianMsToRepair: number | null;
  unrepaired: { id: number; startMs: number; endMs: number; codes: string[] }[];
}

/** Where an imported segment came from, kept as the file said it. */
export interface SegmentOrigin {
  /** e.g. "ELAN .eaf file". */
  format: string;
  /** The file's name (no folders). */
  file: string;
  /** "line 12" or "annotation a17 (line 40)". */
  at: string;
  tier?: string;
  participant?: string;
  annotator?: string;
  subject?: string;
  modifiers?: string[];
  /** The value as written in the file, before mapping to a code. */
  value?: string;
  /** The file marked a point in time; the segment was given the minimum length. */
  point?: boolean;
}
