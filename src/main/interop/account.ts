/**
 * The account of an import: per file, tier or observation, what was imported (how many, as whose
 * lane, in which role), what was left out and why, and what was changed and why (a point
 * lengthened, times shifted by which offset, an encoding assumed, a separator read). The same
 * account goes to the app's import dialog, the CLI (text and `--json`, also for `--dry-run`) and
 * the audit log. Pure: built from the plan and the outcome.
 */
import { count } from '../../shared/words';
import type { ImportPlan } from './mapping';

export interface ImportAccount {
  /** Stored, or what an import would do (a preview, a dry run, an import refused as a whole). */
  stored: boolean;
  imported: string[];
  leftOut: string[];
  changed: string[];
}

const ROLE_WORDS: Record<string, string> = {
  rupture: 'ruptures',
  repair: 'repairs',
  comment: 'comments',
  coding: 'coded segments',
  transcript: 'transcript utterances',
};

const signed = (ms: number) => `${ms >= 0 ? '+' : '−'}${Math.abs(ms).toLocaleString('en')} ms`;

export function importAccount(input: {
  fileName: string;
  formatLabel: string;
  encoding: string;
  /** How the file was decoded and read (an encoding assumed, a separator found, a layout guessed). */
  readNotes: string[];
  plan: ImportPlan | null;
  /** Our own CSV: the rater and the rows. */
  csv?: { rater: string; rows: number };
  rejected: { at: string; reason: string }[];
  skipInvalid: boolean;
  /** Stored (after the import) or planned (a preview, a dry run). */
  stored: boolean;
  perRater: { rater: string; imported: number }[];
  utterances: number;
  utterancesDropped?: string;
}): ImportAccount {
  const { plan } = input;
  const out: ImportAccount = { stored: input.stored, imported: [], leftOut: [], changed: [] };
  if (input.csv)
    out.imported.push(
      `${input.fileName}: ${count(input.csv.rows, 'row')} as ${input.csv.rater}'s segments (our segments CSV).`,
    );
  for (const t of plan?.tiers ?? []) {
    const label =
      t.observation && t.name !== t.observation ? `"${t.name}" (observation "${t.observation}")` : `"${t.name}"`;
    if (t.role === 'ignore') {
      out.leftOut.push(`Tier ${label}, ${count(t.count, 'annotation')}: ${t.because}.`);
      continue;
    }
    const n = plan!.tierRows[t.name] ?? 0;
    const whose = t.role === 'transcript' ? '' : t.rater ? ` into ${t.rater}'s lane` : '';
    out.imported.push(
      `Tier ${label}: ${count(n, 'annotation')} as ${ROLE_WORDS[t.role] ?? t.role}${whose} (taken as ${t.role} because of ${t.because}).`,
    );
  }
  for (const l of plan?.leftOutOfTiers ?? [])
    out.leftOut.push(`Tier "${l.tier}": ${count(l.count, 'annotation')} ${l.why}.`);
  for (const u of plan?.unmapped ?? [])
    out.leftOut.push(`Tier "${u.tier}": "${u.value}" (${u.count}×) is not a code in the codebook.`);
  if (input.rejected.length)
    out.leftOut.push(
      `${count(input.rejected.length, input.csv ? 'row' : 'annotation')} refused (listed with where and why)${input.skipInvalid ? ', skipped as --skip-invalid asks' : '; nothing is imported unless they are skipped'}.`,
    );
  if (input.utterancesDropped) out.leftOut.push(input.utterancesDropped);
  // Changes: time shifts, per observation where a BORIS project has several.
  if (plan) {
    const media = (observation?: string) =>
      plan.media
        .filter((m) => m.observation === observation && m.recording)
        .map((m) => `${m.name} is the recording ${m.recording}`)
        .join(', ');
    if (plan.shiftMs)
      out.changed.push(
        `times shifted by ${signed(plan.shiftMs)} onto the session's clock${media() ? ` (${media()})` : " (the file's own offset)"}.`,
      );
    for (const [obs, shift] of Object.entries(plan.shiftByObservation))
      if (shift)
        out.changed.push(
          `Observation "${obs}": times shifted by ${signed(shift)} onto the session's clock (BORIS's time offset and media offsets${media(obs) ? `; ${media(obs)}` : ''}).`,
        );
    for (const c of plan.newCodes) out.changed.push(`a new code ${c.key} ("${c.label}") added to the codebook.`);
    for (const w of plan.warnings) out.changed.push(w);
  }
  for (const n of input.readNotes) out.changed.push(n);
  if (!/^utf-8/i.test(input.encoding)) out.changed.push(`Read as ${input.encoding}.`);
  return out;
}

/** The account as lines of text, for the CLI and the audit log ("Would …" before anything is stored). */
export function accountLines(a: ImportAccount): string[] {
  const [imported, left, changed] = a.stored
    ? ['Imported', 'Left out', 'Changed']
    : ['Would import', 'Would leave out', 'Would change'];
  return [
    ...a.imported.map((l) => `${imported}: ${l}`),
    ...a.leftOut.map((l) => `${left}: ${l}`),
    ...a.changed.map((l) => `${changed}: ${l}`),
  ];
}
