/** What the import dialog shows: the mapping step's plan, trimmed for the renderer. */

export const TIER_ROLES = ['rupture', 'repair', 'comment', 'coding', 'transcript', 'ignore'] as const;
export type TierRole = (typeof TIER_ROLES)[number];

export interface TierPreview {
  name: string;
  participant?: string;
  annotator?: string;
  observation?: string;
  count: number;
  firstValues: string[];
  role: TierRole;
  /** Why this role: "named in the map file", "its name", "its values are codebook codes", … */
  because: string;
  rater: string | null;
  /** The values, most frequent first, with the codes each becomes (null: none found; []: left out). */
  values: { value: string; count: number; codes: string[] | null }[];
}

export interface ImportPreview {
  /** The exact format found, e.g. "eaf", "boris-tabular", "alliance-csv". */
  detected: string;
  formatLabel: string;
  encoding: string;
  tiers: TierPreview[];
  unmapped: { tier: string; value: string; count: number }[];
  newCodes: { key: string; label: string; category: string }[];
  warnings: string[];
  /** The first 100 reasons; `rejectedCount` has them all. */
  rejected: { at: string; reason: string }[];
  rejectedCount: number;
  /** What must be decided before anything can be stored. */
  blocking: string[];
  /** Planned (preview) or stored (import) counts. */
  segments: number;
  perRater: { rater: string; imported: number }[];
  utterances: number;
  stored: boolean;
  /** The account in words: what is (or would be) imported, left out and changed, and why. */
  account: { imported: string[]; leftOut: string[]; changed: string[] };
}

/** The dialog's decisions, sent with the file. */
export interface ImportChoices {
  /** Tier name → role. */
  roles?: Record<string, TierRole>;
  /** Tier name → rater name. */
  raters?: Record<string, string>;
  /** Foreign value → codebook key(s) ("W1;W3"), or "ignore". */
  codes?: Record<string, string>;
  addCodes?: boolean;
  encoding?: 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1';
  skipInvalid?: boolean;
  /** Submit the imported raters' ratings (their finished coding). */
  submit?: boolean;
}
