/**
 * The mapping step: from what another tool's file says (a ForeignDocument) to what the app will
 * store, before anything is stored. Decides per tier whether it is coding (a rater's segments:
 * ruptures, repairs, comments) or transcript, which rater it belongs to, and which codebook code
 * each foreign value is. Values the codebook lacks are reported (never silently dropped): mapped
 * with a map file, added as new codes when asked, or refused. Pure: the CLI and the app's dialog
 * show the same plan.
 */
import type { SegmentKind, SegmentOrigin } from '../../shared/annotations';
import type { Code, CodeCategory, CodebookDefinition } from '../../shared/codebook';
import { MIN_SEGMENT_MS } from '../../shared/segment-rules';
import { DETAIL_TYPES } from './eaf-write';
import { FORMAT_LABEL, type ForeignDocument, type ForeignTier } from './foreign';

import { TIER_ROLES, type TierPreview, type TierRole } from '../../shared/interop';

export { TIER_ROLES, type TierRole };

/** `--map FILE.json`: how foreign values and tiers become the app's. */
export interface MapFile {
  /** Foreign value → codebook key (several: "W1;W3"), or "ignore" to leave those annotations out. */
  codes?: Record<string, string>;
  /** Tier name → its role, or { role, rater, speaker }. */
  tiers?: Record<string, TierRole | { role?: TierRole; rater?: string; speaker?: string }>;
  /** Foreign value → the category a code added with --add-codes gets (default: from the tier). */
  categories?: Record<string, CodeCategory>;
}

export interface ImportOptions {
  fileName: string;
  /** Only these tiers (by name); the rest are ignored. Empty: every tier, roles decided. */
  tiers?: string[];
  /** BORIS: only these observations (an observation per session). */
  observations?: string[];
  /** Every coding tier is this rater's. */
  rater?: string;
  /** Each coding tier is its own rater: the tier's annotator, else its BORIS observation, else its name. */
  raterPerTier?: boolean;
  map?: MapFile;
  /** Add values the codebook lacks as new codes (group "imported"). */
  addCodes?: boolean;
  /** The session's recordings, to place the file's times on the session's clock. */
  recordings?: { name: string; offsetMs: number }[];
  /** Only the transcript: every other tier is left out. */
  transcriptOnly?: boolean;
  /** No transcript (who imports may not change the session's transcript). */
  noTranscript?: string;
}

/** A tier in the plan: what the dialog and `--dry-run` show (all values here; the dialog gets 30). */
export type TierPlan = TierPreview & { speaker?: string };
export type ValuePlan = TierPreview['values'][number];

export interface PlannedSegment {
  at: string;
  kind: SegmentKind;
  startMs: number;
  endMs: number;
  codes: string[];
  note: string;
  rating?: number | null;
  stage?: string | null;
  /** The file's id for this annotation, so repairs can name the ruptures they link to. */
  key?: string;
  linkKeys?: string[];
  origin: SegmentOrigin;
}

export interface PlannedUtterance {
  startMs: number;
  endMs: number;
  speaker: string;
  text: string;
  origin: { file: string; at: string; tier: string };
}

export interface ImportPlan {
  format: ForeignDocument['format'];
  formatLabel: string;
  file: string;
  tiers: TierPlan[];
  segments: { rater: string; rows: PlannedSegment[] }[];
  utterances: PlannedUtterance[];
  /** Values no code was found for, per tier. */
  unmapped: { tier: string; value: string; count: number }[];
  /** Codes --add-codes will add (a new codebook version). */
  newCodes: Code[];
  /** Annotations taken from each tier (segments, or utterances for a transcript tier). */
  tierRows: Record<string, number>;
  /** Annotations left out of a tier that was taken, and why (empty values, values mapped to "ignore"). */
  leftOutOfTiers: { tier: string; count: number; why: string }[];
  /** Added to every time of the file to put it on the session's clock. */
  shiftMs: number;
  /** BORIS: each observation's own shift (its media and offsets), where it differs by observation. */
  shiftByObservation: Record<string, number>;
  media: { name: string; originMs: number; recording: string | null; observation?: string }[];
  warnings: string[];
  rejected: { at: string; reason: string }[];
  /** Reasons the import cannot go ahead as planned (the user must decide something first). */
  blocking: string[];
}

const KIND_OF_ROLE: Partial<Record<TierRole, SegmentKind>> = {
  rupture: 'rupture',
  repair: 'repair',
  comment: 'comment',
};

/**
 * A role from a tier's name, by words at the start of the name or of one of its parts: "Rupture",
 * "rupture_A", "3RS ruptures" are ruptures; "Interruptions" and "Corruption" are not.
 */
function roleFromName(name: string): TierRole | null {
  const t = name.toLowerCase();
  if (/(^|[^a-z])rupt/.test(t)) return 'rupture';
  if (/(^|[^a-z])(repair|resol)/.test(t)) return 'repair';
  if (/(^|[^a-z])(comment|note|feedback)/.test(t)) return 'comment';
  if (/transcri|utterance|speech|(^|[^a-z])words?\b|orthograph/.test(t)) return 'transcript';
  return null;
}

/** ELAN linguistic types that hold what was said (a speaker's transcription tier). */
const TRANSCRIPT_TYPE = /transcri|utterance|orthograph|speech|(^|[^a-z])(words?|text)\b/i;

export function planImport(doc: ForeignDocument, codebook: CodebookDefinition, opts: ImportOptions): ImportPlan {
  const plan: ImportPlan = {
    format: doc.format,
    formatLabel: FORMAT_LABEL[doc.format],
    file: opts.fileName,
    tiers: [],
    segments: [],
    utterances: [],
    unmapped: [],
    newCodes: [],
    tierRows: {},
    leftOutOfTiers: [],
    shiftMs: 0,
    shiftByObservation: {},
    media: [],
    warnings: [...doc.warnings],
    // With --observation, what is wrong in another observation (an unpaired event) is not this
    // import's business: those observations are left out, and said so per tier.
    rejected: doc.rejected.filter((r) => {
      const obs = /^observation "(.*)", /.exec(r.at)?.[1];
      return !opts.observations?.length || obs === undefined || opts.observations.includes(obs);
    }),
    blocking: [],
  };
  const map = opts.map ?? {};
  const byKey = new Map(codebook.codes.map((c) => [c.key.toUpperCase(), c]));
  const byLabel = new Map(codebook.codes.map((c) => [c.label.toLowerCase(), c]));
  const mapCodes = new Map(Object.entries(map.codes ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const mapTiers = new Map(
    Object.entries(map.tiers ?? {}).map(([k, v]) => [k, typeof v === 'string' ? { role: v } : v]),
  );
  const unknownTiers = [...(opts.tiers ?? []), ...mapTiers.keys()].filter((n) => !doc.tiers.some((t) => t.name === n));
  const observations = new Set(doc.tiers.map((t) => t.observation).filter(Boolean));
  for (const o of opts.observations ?? [])
    if (!observations.has(o))
      plan.blocking.push(
        `There is no observation "${o}" in this file; its observations are: ${[...observations].map((x) => `"${x}"`).join(', ') || 'none'}.`,
      );
  for (const n of new Set(unknownTiers))
    plan.blocking.push(
      `There is no tier "${n}" in this file; its tiers are: ${doc.tiers.map((t) => `"${t.name}"`).join(', ') || 'none'}.`,
    );

  // ----- time: place the file on the session's clock through its media (per BORIS observation,
  // each with its own media and offsets; one shift for other files)
  const recs = opts.recordings ?? [];
  const groups = new Map<string | undefined, ForeignDocument['media']>();
  for (const m of doc.media) {
    const list = groups.get(m.observation);
    if (list) list.push(m);
    else groups.set(m.observation, [m]);
  }
  const unmatched: string[] = [];
  for (const [observation, media] of groups) {
    let shift: number | null = null;
    for (const m of media) {
      const rec = recs.find((r) => r.name.toLowerCase() === m.name.toLowerCase());
      plan.media.push({ name: m.name, originMs: m.originMs, recording: rec?.name ?? null, observation });
      if (rec && shift === null) shift = m.originMs + rec.offsetMs;
    }
    if (shift === null) {
      shift = media[0]!.originMs;
      unmatched.push(...media.map((m) => m.name));
    }
    if (observation === undefined) plan.shiftMs = shift;
    else plan.shiftByObservation[observation] = shift;
  }
  if (unmatched.length && recs.length)
    plan.warnings.push(
      `None of the file's media (${[...new Set(unmatched)].join(', ')}) is a recording of this session (${recs.map((r) => r.name).join(', ')}); its times are used as they are${unmatched.length && doc.media.some((m) => m.originMs) ? ", shifted by the file's own offsets" : ''}.`,
    );
  const shiftOf = (tier: ForeignTier) =>
    tier.observation !== undefined && tier.observation in plan.shiftByObservation
      ? plan.shiftByObservation[tier.observation]!
      : plan.shiftMs;

  // ----- values → codes
  const resolve = (value: string): string[] | null => {
    const v = value.trim();
    // An empty value is no code (never a new code "X"): left out, and counted in the account.
    if (v === '') return [];
    const mapped = mapCodes.get(v.toLowerCase());
    if (mapped !== undefined) {
      if (mapped.trim().toLowerCase() === 'ignore') return [];
      const keys = mapped
        .split(/[;+,|]/)
        .map((k) => k.trim().toUpperCase())
        .filter(Boolean);
      return keys.every((k) => byKey.has(k)) ? keys : null;
    }
    const direct = byKey.get(v.toUpperCase()) ?? byLabel.get(v.toLowerCase());
    if (direct) return [direct.key.toUpperCase()];
    const parts = v
      .split(/[;+,|]/)
      .map((p) => p.trim())
      .filter(Boolean);
    if (parts.length > 1) {
      const keys = parts.map((p) => (byKey.get(p.toUpperCase()) ?? byLabel.get(p.toLowerCase()))?.key.toUpperCase());
      if (keys.every(Boolean)) return keys as string[];
    }
    return null;
  };
  for (const [value, keys] of mapCodes) {
    if (keys.trim().toLowerCase() === 'ignore') continue;
    const bad = keys
      .split(/[;+,|]/)
      .map((k) => k.trim())
      .filter((k) => k && !byKey.has(k.toUpperCase()));
    if (bad.length)
      plan.blocking.push(
        `The map file sends "${value}" to ${bad.join(', ')}, which the codebook "${codebook.name}" does not have.`,
      );
  }

  // ----- details this app wrote as dependent tiers: significance, stage, links, note by parent id
  const detailTypes = new Set<string>(Object.values(DETAIL_TYPES));
  const details = new Map<string, { significance?: string; stage?: string; links?: string; note?: string }>();
  for (const t of doc.tiers) {
    if (!detailTypes.has(t.linguisticType ?? '') || !t.parent) continue;
    const what = t.linguisticType!.slice(3) as 'significance' | 'stage' | 'links' | 'note';
    for (const a of t.annotations) {
      if (!a.ref) continue;
      details.set(a.ref, { ...details.get(a.ref), [what]: a.value });
    }
  }

  // ----- tiers → roles
  const selected = opts.tiers?.length ? new Set(opts.tiers) : null;
  for (const tier of doc.tiers) {
    const counts = new Map<string, number>();
    for (const a of tier.annotations) counts.set(a.value, (counts.get(a.value) ?? 0) + 1);
    const values: ValuePlan[] = [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([value, count]) => ({ value, count, codes: resolve(value) }));
    const fromMap = mapTiers.get(tier.name);
    let role: TierRole;
    let because: string;
    if (detailTypes.has(tier.linguisticType ?? '') && tier.parent)
      [role, because] = ['ignore', `details (${tier.linguisticType!.slice(3)}) of tier "${tier.parent}"`];
    else if (fromMap?.role) [role, because] = [fromMap.role, 'named in the map file'];
    else if (selected && !selected.has(tier.name)) [role, because] = ['ignore', 'not among the chosen tiers'];
    else if (opts.observations?.length && !opts.observations.includes(tier.observation ?? ''))
      [role, because] = ['ignore', 'not among the chosen observations'];
    else {
      const byName = roleFromName(tier.name);
      const nonEmpty = values.filter((v) => v.value !== '');
      const coded = nonEmpty.filter((v) => v.codes !== null).reduce((n, v) => n + v.count, 0);
      const total = nonEmpty.reduce((n, v) => n + v.count, 0);
      const wordy =
        total > 0 &&
        nonEmpty.reduce((n, v) => n + v.count * (v.value.split(/\s+/).length >= 3 ? 1 : 0), 0) / total > 0.5;
      if (byName) [role, because] = [byName, 'its name'];
      else if (tier.hint === 'transcript') [role, because] = ['transcript', 'the file holds a transcript'];
      else if (!tier.parent && TRANSCRIPT_TYPE.test(tier.linguisticType ?? ''))
        // A speaker's tier (CHI, MOT, FA1…) of type "transcription": what that speaker said, however
        // short the utterances.
        [role, because] = ['transcript', `its linguistic type "${tier.linguisticType}"`];
      else if (total > 0 && coded / total >= 0.5) [role, because] = ['coding', 'its values are codebook codes'];
      else if (tier.hint === 'coding')
        [role, because] = [
          'coding',
          tier.vocabulary ? 'it has a controlled vocabulary' : 'the file holds coded events',
        ];
      else if (wordy) [role, because] = ['transcript', 'its values are free text'];
      else if (selected) [role, because] = ['coding', 'chosen with --tier'];
      else [role, because] = ['ignore', 'neither codes nor free text; choose it with --tier or the map file'];
    }
    if (opts.noTranscript && role === 'transcript') [role, because] = ['ignore', opts.noTranscript];
    if (opts.transcriptOnly && role !== 'transcript' && role !== 'ignore')
      [role, because] = ['ignore', `a ${role} tier; only the transcript is imported here`];
    const rater =
      role === 'transcript' || role === 'ignore'
        ? null
        : (fromMap?.rater ??
          opts.rater ??
          (opts.raterPerTier ? (tier.annotator ?? tier.observation ?? tier.name) : (tier.annotator ?? null)));
    plan.tiers.push({
      name: tier.name,
      participant: tier.participant,
      annotator: tier.annotator,
      observation: tier.observation,
      count: tier.annotations.length,
      firstValues: tier.annotations.slice(0, 5).map((a) => a.value),
      role,
      because,
      rater,
      speaker: fromMap?.speaker,
      values,
    });
  }

  // ----- new codes for what the codebook lacks
  const newKeys = new Map<string, string>(); // value → new key
  const taken = new Set(byKey.keys());
  const newCode = (value: string, kind: SegmentKind): string => {
    const known = newKeys.get(value);
    if (known) return known;
    let base = value.normalize('NFKD').replace(/[^A-Za-z0-9-]/g, '');
    if (!/^[A-Za-z]/.test(base)) base = `X${base}`;
    base = base.slice(0, 16) || 'X';
    let key = base;
    for (let n = 2; taken.has(key.toUpperCase()); n++) key = `${base.slice(0, 16 - String(n).length)}${n}`;
    taken.add(key.toUpperCase());
    newKeys.set(value, key.toUpperCase());
    const category: CodeCategory =
      map.categories?.[value] ??
      (kind === 'repair' ? 'repair' : /confront/i.test(value) ? 'confrontation' : 'withdrawal');
    plan.newCodes.push({
      key: key.toUpperCase(),
      label: value.slice(0, 80) || key,
      description: `Imported from ${opts.fileName}.`,
      category,
      group: 'imported',
      color: category === 'repair' ? '#56B4E9' : '#CC79A7',
      retired: false,
    });
    return key.toUpperCase();
  };

  // ----- annotations → segments and utterances
  const perRater = new Map<string, PlannedSegment[]>();
  let lengthened = 0;
  let shortened = 0;
  let ignored = 0;
  for (const tp of plan.tiers) {
    const tier = doc.tiers.find((t) => t.name === tp.name) as ForeignTier;
    if (tp.role === 'ignore') continue;
    if (tp.role === 'transcript') {
      const empty = tier.annotations.filter((a) => !a.value).length;
      if (empty) plan.leftOutOfTiers.push({ tier: tier.name, count: empty, why: 'empty (no words)' });
      plan.tierRows[tier.name] = tier.annotations.length - empty;
      for (const a of tier.annotations) {
        if (!a.value) continue;
        plan.utterances.push({
          startMs: a.startMs + shiftOf(tier),
          endMs: a.endMs + shiftOf(tier),
          // A tier named only "Transcript" (as we write an utterance without a speaker) has no speaker.
          speaker: tp.speaker ?? a.speaker ?? tier.participant ?? (/^transcript$/i.test(tier.name) ? '' : tier.name),
          text: a.value,
          origin: { file: opts.fileName, at: a.at, tier: tier.name },
        });
      }
      continue;
    }
    if (!tp.rater) {
      plan.blocking.push(`Whose coding is tier "${tp.name}"? It names no annotator: say which rater it belongs to.`);
      continue;
    }
    const rows = perRater.get(tp.rater) ?? [];
    perRater.set(tp.rater, rows);
    const before = rows.length;
    const ignoredBefore = ignored;
    const unmappedHere = new Map<string, number>();
    const commentValues = new Set(doc.commentValues ?? []);
    for (const a of tier.annotations) {
      // A BORIS behaviour of the category "comment" is a comment, whatever the tier's role.
      const fixed = commentValues.has(a.value) ? 'comment' : KIND_OF_ROLE[tp.role];
      let codes = fixed === 'comment' ? [] : resolve(a.value);
      if (codes !== null && codes.length === 0 && fixed !== 'comment') {
        ignored++;
        continue;
      }
      let kind: SegmentKind | undefined = fixed;
      if (codes === null) {
        if (!opts.addCodes) {
          unmappedHere.set(a.value, (unmappedHere.get(a.value) ?? 0) + 1);
          plan.rejected.push({
            at: a.at,
            reason: `"${a.value}" (tier "${tier.name}") is not a code in the codebook; map it to a code, or add it to the codebook.`,
          });
          continue;
        }
        kind ??= map.categories?.[a.value] === 'repair' ? 'repair' : 'rupture';
        codes = [newCode(a.value, kind)];
      }
      if (!kind) {
        const cats = new Set(
          codes.map((k) => byKey.get(k)?.category ?? plan.newCodes.find((c) => c.key === k)?.category),
        );
        kind = cats.has('repair')
          ? 'repair'
          : cats.has('withdrawal') || cats.has('confrontation')
            ? 'rupture'
            : 'comment';
      }
      const startMs = a.startMs + shiftOf(tier);
      let endMs = a.endMs + shiftOf(tier);
      const point = endMs === startMs;
      // A point, or a span shorter than a segment may be (a phone-level tier): given the minimum
      // length, counted and said, never refused for being short while points are lengthened.
      const short = !point && endMs - startMs < MIN_SEGMENT_MS;
      if ((point || short) && kind !== 'comment') {
        if (short) shortened++;
        else lengthened++;
        endMs = startMs + MIN_SEGMENT_MS;
      }
      const origin: SegmentOrigin = {
        format: FORMAT_LABEL[doc.format],
        file: opts.fileName,
        at: a.at,
        tier: tier.name,
        ...(tier.participant ? { participant: tier.participant } : {}),
        ...(tier.annotator ? { annotator: tier.annotator } : {}),
        ...(a.subject ? { subject: a.subject } : {}),
        ...(a.modifiers?.length ? { modifiers: a.modifiers } : {}),
        value: a.value,
        ...(point ? { point: true } : {}),
      };
      const extra = a.id ? details.get(a.id) : undefined;
      const significance = extra?.significance ?? a.significance;
      const rating = significance ? Number(significance) : null;
      if (significance && !(Number.isInteger(rating) && rating! >= 1 && rating! <= 5)) {
        plan.rejected.push({
          at: a.at,
          reason: `its significance "${significance}" is not a whole number from 1 to 5.`,
        });
        continue;
      }
      rows.push({
        at: a.at,
        kind,
        startMs,
        endMs,
        codes: kind === 'comment' ? [] : codes,
        note:
          kind === 'comment'
            ? commentValues.has(a.value)
              ? (a.comment ?? '')
              : [a.value, a.comment].filter(Boolean).join(' — ')
            : (extra?.note ?? a.comment ?? ''),
        rating: kind === 'comment' ? null : rating,
        stage: kind === 'repair' ? extra?.stage || null : null,
        key: a.id,
        linkKeys: kind === 'repair' && extra?.links ? extra.links.split(/\s+/).filter(Boolean) : undefined,
        origin,
      });
    }
    for (const [value, count] of unmappedHere) plan.unmapped.push({ tier: tier.name, value, count });
    plan.tierRows[tier.name] = rows.length - before;
    if (ignored > ignoredBefore)
      plan.leftOutOfTiers.push({
        tier: tier.name,
        count: ignored - ignoredBefore,
        why: 'empty, or mapped to "ignore" by the map file',
      });
  }
  if (shortened)
    plan.warnings.push(
      `${shortened} annotation${shortened === 1 ? ' was' : 's were'} shorter than ${MIN_SEGMENT_MS} ms and ${shortened === 1 ? 'was' : 'were'} lengthened to ${MIN_SEGMENT_MS} ms (a segment's minimum length).`,
    );
  if (lengthened)
    plan.warnings.push(
      `${lengthened} point event${lengthened === 1 ? ' was' : 's were'} given the minimum length of ${MIN_SEGMENT_MS} ms (ruptures and repairs have a length); each is marked as a point in its details.`,
    );
  plan.segments = [...perRater.entries()].map(([rater, rows]) => ({
    rater,
    rows: rows.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs),
  }));
  plan.utterances.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  if (
    !plan.segments.some((s) => s.rows.length) &&
    !plan.utterances.length &&
    !plan.blocking.length &&
    !plan.rejected.length
  )
    plan.blocking.push(
      doc.tiers.length
        ? 'Nothing to import: no tier was taken as coding or transcript. Choose tiers with --tier NAME or a map file.'
        : 'Nothing to import: the file has no annotations.',
    );
  return plan;
}
