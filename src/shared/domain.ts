/** Domain types shared by every layer. Times are integer milliseconds. */

export interface Case {
  id: number;
  /** Pseudonymous client code, e.g. `C-014`. Never a name. */
  code: string;
  therapist: string;
  notes: string;
  createdAt: string;
}

export interface Session {
  id: number;
  caseId: number;
  number: number;
  /** ISO date `YYYY-MM-DD`, or null when not recorded. */
  date: string | null;
  modality: string;
  notes: string;
  lastPositionMs: number;
}

export type StreamKind = 'video' | 'audio';

export interface ProbeStream {
  kind: StreamKind;
  codec: string;
  width?: number;
  height?: number;
  fps?: number;
  sampleRate?: number;
  channels?: number;
}

export interface Probe {
  formatName: string;
  durationMs: number;
  streams: ProbeStream[];
}

/**
 * `ready`: file where we left it; `missing`: nothing at the stored path; `changed`: a file is
 * there but it is not the one imported (size differs). Both of the latter offer relinking.
 */
export type RecordingState = 'ready' | 'missing' | 'changed';

export interface PeakLevelInfo {
  level: PeakLevel;
  pairsPerSecond: number;
  count: number;
}

export type PeakLevel = 'detail' | 'coarse' | 'overview';

export interface Recording {
  id: number;
  sessionId: number;
  path: string;
  fileName: string;
  sizeBytes: number;
  fingerprint: string;
  /** True when the file was copied into the managed library folder. */
  managed: boolean;
  /** Where this recording starts on the session timeline, in ms (for syncing several files). */
  offsetMs: number;
  durationMs: number;
  hasAudio: boolean;
  hasVideo: boolean;
  probe: Probe;
  state: RecordingState;
  peaks: PeakLevelInfo[];
}

export type ImportPhase = 'queued' | 'copying' | 'indexing' | 'saving';

export interface ImportJob {
  id: string;
  sessionId: number;
  path: string;
  fileName: string;
  phase: ImportPhase;
  /** 0–100 */
  percent: number;
}

export interface SessionWithRecordings extends Session {
  recordings: Recording[];
}

export interface CaseWithSessions extends Case {
  sessions: SessionWithRecordings[];
}

export interface SessionDetail {
  case: Case;
  session: Session;
  recordings: Recording[];
}

export interface Peaks {
  recordingId: number;
  level: PeakLevel;
  pairsPerSecond: number;
  /** Number of min/max pairs. */
  count: number;
  /** Base64 of Int8 pairs [min0, max0, min1, max1, ...], full scale = 127. */
  data: string;
}

/** What deleting a case or a session takes with it (said before anyone confirms). */
export interface DeleteImpact {
  sessions: number;
  recordings: number;
  segments: number;
  raters: number;
  submittedRatings: number;
  consensusSegments: number;
  responses: number;
  /** Comments and replies. */
  feedback: number;
  /** Kept revisions of submitted ratings. */
  revisions: number;
  transcriptLines: number;
  /** Recordings copied into the library folder (erased with it), and their size. */
  copiedFiles: number;
  copiedBytes: number;
}

/**
 * The scrub aid of a recording (a short-GOP proxy for smooth seeking): none yet, waiting, being
 * built (percent), ready, not needed (audio only, or keyframes already close), or failed (why).
 */
export interface ScrubStatus {
  recordingId: number;
  state: 'none' | 'queued' | 'building' | 'ready' | 'not-needed' | 'failed';
  percent: number;
  message: string | null;
}
