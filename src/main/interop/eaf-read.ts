/**
 * Reading ELAN .eaf (EAF 2.7–3.0) with a streaming XML parser: time slots (unaligned ones placed
 * evenly between their aligned neighbours along the tier, as ELAN draws them), alignable and
 * reference annotations (a reference takes its parent's time; symbolic subdivisions share it in
 * order), tiers with participant, annotator, parent and linguistic type, controlled vocabularies
 * (EAF 2.7 entries and multilingual 2.8+ entries), and media descriptors with TIME_ORIGIN.
 */
import { SaxesParser } from 'saxes';
import { AppError } from '../../shared/errors';
import { baseName, type ForeignDocument, type ForeignTier } from './foreign';

interface RawAnnotation {
  id: string;
  tier: string;
  value: string;
  line: number;
  cveRef?: string;
  /** Alignable. */
  ts1?: string;
  ts2?: string;
  /** Reference. */
  ref?: string;
  previous?: string;
}

interface RawTier {
  id: string;
  participant?: string;
  annotator?: string;
  parent?: string;
  type?: string;
  annotations: RawAnnotation[];
}

export function readEaf(text: string): ForeignDocument {
  const doc: ForeignDocument = { format: 'eaf', tiers: [], media: [], warnings: [], rejected: [] };
  const slots = new Map<string, number | null>();
  const slotOrder: string[] = [];
  const tiers: RawTier[] = [];
  const types = new Map<string, { cv?: string; alignable: boolean }>();
  const cvs = new Map<string, { values: string[]; byId: Map<string, string> }>();
  let sawRoot = false;
  let timeUnits = 'milliseconds';
  let tier: RawTier | null = null;
  let ann: RawAnnotation | null = null;
  let inValue = false;
  let cv: { id: string; values: string[]; byId: Map<string, string> } | null = null;
  let cvEntry: { id: string; value: string | null; lang?: string } | null = null;
  let cveValue: { lang?: string; text: string } | null = null;
  let cvText: string | null = null;
  let langDefault: string | undefined;

  const parser = new SaxesParser({ xmlns: false, position: true });
  parser.on('opentag', (node) => {
    const a = node.attributes as Record<string, string>;
    switch (node.name) {
      case 'ANNOTATION_DOCUMENT':
        sawRoot = true;
        break;
      case 'HEADER':
        timeUnits = a.TIME_UNITS ?? 'milliseconds';
        break;
      case 'MEDIA_DESCRIPTOR': {
        const url = a.RELATIVE_MEDIA_URL || a.MEDIA_URL || '';
        if (url)
          doc.media.push({
            name: baseName(url),
            url: a.MEDIA_URL,
            originMs: a.TIME_ORIGIN ? Number(a.TIME_ORIGIN) || 0 : 0,
          });
        break;
      }
      case 'TIME_SLOT': {
        const id = a.TIME_SLOT_ID ?? '';
        const v = a.TIME_VALUE;
        slots.set(id, v === undefined || v === '' ? null : Number(v));
        slotOrder.push(id);
        break;
      }
      case 'TIER':
        tier = {
          id: a.TIER_ID ?? '',
          participant: a.PARTICIPANT || undefined,
          annotator: a.ANNOTATOR || undefined,
          parent: a.PARENT_REF || undefined,
          type: a.LINGUISTIC_TYPE_REF || undefined,
          annotations: [],
        };
        tiers.push(tier);
        break;
      case 'ALIGNABLE_ANNOTATION':
      case 'REF_ANNOTATION': {
        const common = {
          id: a.ANNOTATION_ID ?? '',
          tier: tier?.id ?? '',
          value: '',
          line: parser.line,
          cveRef: a.CVE_REF,
        };
        ann =
          node.name === 'ALIGNABLE_ANNOTATION'
            ? { ...common, ts1: a.TIME_SLOT_REF1, ts2: a.TIME_SLOT_REF2 }
            : { ...common, ref: a.ANNOTATION_REF, previous: a.PREVIOUS_ANNOTATION };
        break;
      }
      case 'ANNOTATION_VALUE':
        inValue = true;
        break;
      case 'LINGUISTIC_TYPE':
        types.set(a.LINGUISTIC_TYPE_ID ?? '', {
          cv: a.CONTROLLED_VOCABULARY_REF || undefined,
          alignable: a.TIME_ALIGNABLE !== 'false',
        });
        break;
      case 'CONTROLLED_VOCABULARY':
        cv = { id: a.CV_ID ?? '', values: [], byId: new Map() };
        if (a.EXT_REF)
          doc.warnings.push(
            `Controlled vocabulary "${a.CV_ID}" lives in an external file; its entries are not in this file.`,
          );
        break;
      case 'CV_ENTRY':
        cvEntry = { id: a.CVE_ID ?? '', value: null };
        cvText = '';
        break;
      case 'CV_ENTRY_ML':
        cvEntry = { id: a.CVE_ID ?? '', value: null };
        break;
      case 'CVE_VALUE':
        cveValue = { lang: a.LANG_REF, text: '' };
        break;
      case 'LANGUAGE':
        langDefault ??= a.LANG_ID;
        break;
    }
  });
  parser.on('text', (t) => {
    if (inValue && ann) ann.value += t;
    else if (cveValue) cveValue.text += t;
    else if (cvText !== null) cvText += t;
  });
  parser.on('cdata', (t) => {
    if (inValue && ann) ann.value += t;
  });
  parser.on('closetag', (node) => {
    switch (node.name) {
      case 'ANNOTATION_VALUE':
        inValue = false;
        break;
      case 'ALIGNABLE_ANNOTATION':
      case 'REF_ANNOTATION':
        if (ann && tier) tier.annotations.push(ann);
        ann = null;
        break;
      case 'TIER':
        tier = null;
        break;
      case 'CVE_VALUE':
        if (cvEntry && cveValue && (cvEntry.value === null || cveValue.lang === langDefault))
          cvEntry.value = cveValue.text.trim();
        cveValue = null;
        break;
      case 'CV_ENTRY':
        if (cvEntry) cvEntry.value = (cvText ?? '').trim();
        cvText = null;
      // falls through
      case 'CV_ENTRY_ML':
        if (cv && cvEntry && cvEntry.value !== null) {
          cv.values.push(cvEntry.value);
          cv.byId.set(cvEntry.id, cvEntry.value);
        }
        cvEntry = null;
        break;
      case 'CONTROLLED_VOCABULARY':
        if (cv) cvs.set(cv.id, { values: cv.values, byId: cv.byId });
        cv = null;
        break;
    }
  });
  try {
    parser.write(text.replace(/^\uFEFF/, '')).close();
  } catch (error) {
    throw new AppError(
      'INVALID_INPUT',
      `This ELAN .eaf file is not well-formed XML: ${(error as Error).message.replace(/^(?:[^:\d][^:]*:)?(\d+):(\d+): /, 'line $1, column $2: ')}`,
    );
  }
  if (!sawRoot) throw new AppError('INVALID_INPUT', 'This XML file is not an ELAN .eaf file (no ANNOTATION_DOCUMENT).');
  if (timeUnits !== 'milliseconds')
    throw new AppError('INVALID_INPUT', `This .eaf file counts time in ${timeUnits}; only milliseconds are supported.`);

  const leftOver = new Set<string>();
  const times = placeSlots(slots, slotOrder, tiers, leftOver);
  // Annotation id → [start, end], alignable first, then references (parents may come later).
  const spans = new Map<string, [number, number]>();
  const endsUnaligned: string[] = [];
  const byId = new Map<string, RawAnnotation>();
  for (const t of tiers) for (const a of t.annotations) byId.set(a.id, a);
  for (const t of tiers)
    for (const a of t.annotations) {
      if (a.ts1 === undefined) continue;
      const s = times.get(a.ts1 ?? '');
      const e = times.get(a.ts2 ?? '');
      if (s === undefined || e === undefined || s === null || e === null) {
        doc.rejected.push({
          at: `annotation ${a.id} (line ${a.line})`,
          reason: 'it refers to a time slot that does not exist.',
        });
        continue;
      }
      spans.set(a.id, [Math.min(s, e), Math.max(s, e)]);
      if (leftOver.has(a.ts2 ?? '') || leftOver.has(a.ts1 ?? '')) endsUnaligned.push(a.id);
    }
  if (endsUnaligned.length)
    doc.warnings.push(
      `${endsUnaligned.length} annotation${endsUnaligned.length === 1 ? '' : 's'} (${endsUnaligned.slice(0, 3).join(', ')}${endsUnaligned.length > 3 ? ', …' : ''}) ${endsUnaligned.length === 1 ? 'ends' : 'end'} on an unaligned time slot with no aligned time after it; ${endsUnaligned.length === 1 ? 'it ends' : 'they end'} at the last aligned time before, as ELAN shows ${endsUnaligned.length === 1 ? 'it' : 'them'} (a point, if it starts there too).`,
    );
  // Symbolic subdivisions: siblings pointing at the same parent share its span in order.
  const siblings = new Map<string, RawAnnotation[]>();
  for (const t of tiers)
    for (const a of t.annotations) {
      if (a.ref === undefined) continue;
      const key = `${t.id}\u0000${a.ref}`;
      const list = siblings.get(key) ?? [];
      list.push(a);
      siblings.set(key, list);
    }
  const resolve = (id: string, depth = 0): [number, number] | null => {
    const known = spans.get(id);
    if (known) return known;
    const a = byId.get(id);
    if (!a || a.ref === undefined || depth > 50) return null;
    const parent = resolve(a.ref, depth + 1);
    if (!parent) return null;
    const group = siblings.get(`${a.tier}\u0000${a.ref}`) ?? [a];
    const ordered = orderByPrevious(group);
    const n = ordered.length;
    const i = Math.max(0, ordered.indexOf(a));
    const width = (parent[1] - parent[0]) / n;
    const span: [number, number] = [Math.round(parent[0] + i * width), Math.round(parent[0] + (i + 1) * width)];
    spans.set(id, span);
    return span;
  };

  let cvReplaced = 0;
  const cvExamples: string[] = [];
  for (const t of tiers) {
    const type = t.type ? types.get(t.type) : undefined;
    const vocab = type?.cv ? cvs.get(type.cv) : undefined;
    const out: ForeignTier = {
      name: t.id,
      participant: t.participant,
      annotator: t.annotator,
      parent: t.parent,
      linguisticType: t.type,
      vocabulary: vocab?.values,
      hint: vocab ? 'coding' : undefined,
      annotations: [],
    };
    for (const a of t.annotations) {
      const span = resolve(a.id);
      if (!span) {
        if (a.ts1 === undefined)
          doc.rejected.push({
            at: `annotation ${a.id} (line ${a.line})`,
            reason: `it refers to annotation ${a.ref ?? '?'}, which does not exist.`,
          });
        continue;
      }
      // A value chosen from a multilingual vocabulary is stored in one language; use the entry's
      // value in the vocabulary's first language so all raters' values compare equal.
      const fromCv = a.cveRef && vocab ? vocab.byId.get(a.cveRef) : undefined;
      if (fromCv !== undefined && fromCv.trim() !== a.value.trim()) {
        cvReplaced++;
        if (cvExamples.length < 3) cvExamples.push(`"${a.value.trim()}" → "${fromCv.trim()}"`);
      }
      out.annotations.push({
        startMs: span[0],
        endMs: span[1],
        value: (fromCv ?? a.value).trim(),
        at: `annotation ${a.id} (line ${a.line})`,
        id: a.id,
        ...(a.ref ? { ref: a.ref } : {}),
      });
    }
    out.annotations.sort((x, y) => x.startMs - y.startMs || x.endMs - y.endMs);
    doc.tiers.push(out);
  }
  if (cvReplaced)
    doc.warnings.push(
      `${cvReplaced} value${cvReplaced === 1 ? ' was' : 's were'} taken from the controlled vocabulary's entry (its CVE_REF, in the vocabulary's first language) rather than as written, so all raters' values compare equal: ${cvExamples.join(', ')}${cvReplaced > 3 ? ', …' : ''}.`,
    );
  return doc;
}

function orderByPrevious(group: RawAnnotation[]): RawAnnotation[] {
  if (group.length < 2 || !group.some((a) => a.previous)) return group;
  const byPrev = new Map(group.filter((a) => a.previous).map((a) => [a.previous!, a]));
  const first = group.find((a) => !a.previous) ?? group[0]!;
  const out = [first];
  while (out.length < group.length) {
    const next = byPrev.get(out[out.length - 1]!.id);
    if (!next || out.includes(next)) break;
    out.push(next);
  }
  for (const a of group) if (!out.includes(a)) out.push(a);
  return out;
}

/**
 * Time values for every slot. An unaligned slot lies on a chain of annotations of one tier
 * between two aligned slots; such slots are spread evenly over that interval, as ELAN does.
 * Any left over (a chain with no aligned end) take the previous aligned value in TIME_ORDER.
 */
function placeSlots(
  slots: Map<string, number | null>,
  order: string[],
  tiers: RawTier[],
  /** Slots no aligned slot follows, placed at the previous aligned time (said by the caller). */
  leftOver: Set<string>,
): Map<string, number | null> {
  const out = new Map(slots);
  for (const t of tiers) {
    let startValue: number | null = null;
    let pending: string[] = [];
    for (const a of t.annotations) {
      if (a.ts1 === undefined) continue;
      const v1 = out.get(a.ts1);
      if (v1 !== null && v1 !== undefined) {
        startValue = v1;
        pending = [];
      } else if (pending.length === 0 || pending[pending.length - 1] !== a.ts1) {
        pending.push(a.ts1);
      }
      const v2 = out.get(a.ts2 ?? '');
      if (v2 === null) {
        pending.push(a.ts2!);
      } else if (v2 !== undefined) {
        if (pending.length && startValue !== null) {
          const step = (v2 - startValue) / (pending.length + 1);
          pending.forEach((id, i) => out.set(id, Math.round(startValue! + step * (i + 1))));
        }
        pending = [];
        startValue = v2;
      }
    }
  }
  let last = 0;
  for (const id of order) {
    const v = out.get(id);
    if (v === null || v === undefined) {
      out.set(id, last);
      leftOver.add(id);
    } else last = v;
  }
  return out;
}
