/**
 * The views the contract's slices answer with (plain types, no schemas). They live apart from
 * index.ts so that a slice can name them without importing the table that composes the slices.
 */
import type { ROLES } from '../annotations';

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

/** A bootstrap interval, or null bounds when the figure could not be resampled. */
export interface IntervalView {
  lower: number | null;
  upper: number | null;
  undefined_resamples: number;
}

/** Which segments an agreement compares. */
export type AgreementKind = 'rupture' | 'repair' | 'all';

/** Agreement on the repair status of the ruptures both raters of a pair marked. */
export interface ResolutionAgreementView {
  matched_ruptures: number;
  /** Share given the same status (repaired, partly, unrepaired). */
  agreement: number | null;
  kappa: number | null;
  /** Rows: the first rater's status, columns the second's (repaired, partly, unrepaired). */
  table: number[][];
}

export interface SessionAgreementView {
  session_id: number;
  submitted_raters: string[];
  kind: AgreementKind;
  /** Share of the session's time each rater marked, any code and per code. */
  prevalence: Record<string, Record<string, number | null>>;
  /** Per pair of raters: agreement on whether the ruptures both marked were repaired. */
  resolution: (ResolutionAgreementView & { raters: string[]; notes: Record<string, string> })[];
  unit_ms: number;
  tolerance_ms: number;
  window_ms: number;
  /** A paragraph for a methods section (statistics, unit, window, figures, intervals, version). */
  methods: string;
  /** With `bootstrap` asked for: how the intervals were found (and, under 10 blocks, a warning). */
  bootstrap?: {
    resamples: number;
    seed: number;
    block_ms: number;
    blocks: number;
    minimum_blocks: number;
    note?: string;
    method: string;
  };
  pairs: {
    raters: string[];
    /** With `bootstrap` asked for: 95 % intervals of the "any" figures. */
    ci?: { time_unit_kappa_any: IntervalView; event_agreement_any: IntervalView; pabak: IntervalView };
    time_unit_kappa: Record<string, number | null>;
    event_agreement: Record<string, number | null>;
    mean_iou: Record<string, number | null>;
    pabak: number | null;
    positive_agreement: number | null;
    negative_agreement: number | null;
    notes: Record<string, string>;
  }[];
}

export interface StudyAgreementView {
  case: string | null;
  kind: AgreementKind;
  sessions: number;
  /** Sessions with two or more submitted ratings (the ones that count). */
  sessions_with_pairs: number;
  pairs: number;
  unit_ms: number;
  tolerance_ms: number;
  window_ms: number;
  mean: { time_unit_kappa_any: number | null; event_agreement_any: number | null; pabak: number | null };
  mean_ci?: Record<
    'time_unit_kappa_any' | 'event_agreement_any' | 'pabak',
    { lower: number | null; upper: number | null }
  >;
  bootstrap?: { resamples: number; seed: number; sessions: number; minimum_sessions: number; method: string };
  /** Repair status, pooled over every rupture both raters of a pair marked. */
  resolution: ResolutionAgreementView;
  methods: string;
  /** Why a figure or an interval is missing (keys: `bootstrap`, `mean_ci.<figure>`, `resolution.*`). */
  notes: Record<string, string>;
  per_session: {
    session_id: number;
    case: string;
    number: number;
    pairs: {
      raters: string[];
      time_unit_kappa_any: number | null;
      event_agreement_any: number | null;
      pabak: number | null;
    }[];
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
  host: 'electron' | 'browser' | 'cli';
  version: string;
  dataDir: string;
}

/** A teaching clip being cut. */
export interface ClipJobView {
  id: string;
  fileName: string;
  fraction: number;
}

/** What an erasure did beyond the rows: the freed space overwritten, the backups it reached. */
export interface ErasedView {
  compacted: boolean;
  /** Backups cleaned of what was erased, and any removed because they could not be cleaned. */
  backups: { cleaned: number; removed: string[] };
}
