/**
 * What a file from another tool says, before anything is stored: tiers (ELAN tiers, BORIS
 * observation × subject × behaviour streams, subtitle speakers) of timed values, with where each
 * came from. The mapping step (mapping.ts) decides what becomes a rater's segments and what
 * becomes the session's transcript. Plain data.
 */

export type ForeignFormat =
  'eaf' | 'elan-text' | 'boris-project' | 'boris-aggregated' | 'boris-tabular' | 'webvtt' | 'srt' | 'timed-text';

export const FORMAT_LABEL: Record<ForeignFormat, string> = {
  eaf: 'ELAN .eaf file',
  'elan-text': 'ELAN tab-delimited text export',
  'boris-project': 'BORIS project (.boris)',
  'boris-aggregated': 'BORIS aggregated events export',
  'boris-tabular': 'BORIS tabular events export',
  webvtt: 'WebVTT subtitles',
  srt: 'SRT subtitles',
  'timed-text': 'transcript with timestamps',
};

export interface ForeignAnnotation {
  startMs: number;
  /** Equal to startMs for a point event. */
  endMs: number;
  value: string;
  /** Where in the file: "line 12" or "annotation a17". */
  at: string;
  subject?: string;
  modifiers?: string[];
  comment?: string;
  /** BORIS: the value of a behaviour's "significance" modifier (1–5), as this app writes it. */
  significance?: string;
  /** A speaker given on the line itself (WebVTT voice tag, "Name:" prefix). */
  speaker?: string;
  /** ELAN: the annotation's id, and for a reference annotation the id it refers to. */
  id?: string;
  ref?: string;
}

export interface ForeignTier {
  /** Unique in the document; what `--tier` names. */
  name: string;
  participant?: string;
  annotator?: string;
  parent?: string;
  linguisticType?: string;
  /** BORIS: the observation this stream belongs to. */
  observation?: string;
  /** Allowed values (an ELAN controlled vocabulary, a BORIS ethogram). */
  vocabulary?: string[];
  /** What the file itself says the values are, when it says. */
  hint?: 'coding' | 'transcript';
  annotations: ForeignAnnotation[];
}

export interface ForeignMedia {
  /** File name only (no folders): what is matched against the session's recordings. */
  name: string;
  url?: string;
  /**
   * Where the file's time zero lies on this media's own time, negated: a time t in the file is
   * media time t + originMs, so on the session's clock it is t + originMs + the recording's
   * offset. ELAN: TIME_ORIGIN. BORIS: minus the player's media offset (its events are read as
   * player 1's media time already; see boris.ts).
   */
  originMs: number;
  /** BORIS: the observation this media belongs to (a project's observations have their own). */
  observation?: string;
}

export interface ForeignDocument {
  format: ForeignFormat;
  tiers: ForeignTier[];
  media: ForeignMedia[];
  /** Observations of a BORIS project, in order (an observation per session or per rater). */
  observations?: string[];
  /** Values that are comments, not codes (BORIS behaviours of the category "comment"). */
  commentValues?: string[];
  /** How the file was read (encoding, guessed layout) and what was odd but not fatal. */
  warnings: string[];
  /** Elements or lines that could not be read at all, with the reason. */
  rejected: { at: string; reason: string }[];
}

/** A time in seconds written with a decimal point ("12.500") as whole ms, or null. */
export function secondsToMs(text: string | undefined): number | null {
  if (text === undefined) return null;
  const t = text.trim();
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  return Math.round(Number(t) * 1000);
}

/** `hh:mm:ss.mmm`, `mm:ss.mmm` or `hh:mm:ss,mmm` (SRT) as ms, or null. */
export function clockToMs(text: string | undefined): number | null {
  if (text === undefined) return null;
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$/.exec(text.trim());
  if (!m) return null;
  const [, h, mi, s, frac] = m;
  if (Number(mi) > 59 || Number(s) > 59) return null;
  return (Number(h ?? 0) * 3600 + Number(mi) * 60 + Number(s)) * 1000 + Number((frac ?? '0').padEnd(3, '0'));
}

export function baseName(p: string): string {
  const clean = p.replace(/^file:\/+/, '/').replace(/\\/g, '/');
  let name = clean.slice(clean.lastIndexOf('/') + 1);
  try {
    name = decodeURIComponent(name);
  } catch {
    /* keep it as written */
  }
  return name;
}
