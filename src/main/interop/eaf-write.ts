/**
 * Writing EAF 3.0 that ELAN opens and that validates against ELAN's schema (EAFv3.0.xsd):
 * per rater and kind a tier ("Ruptures – A"), its codes from a controlled vocabulary built from
 * the codebook, and dependent tiers (symbolic associations) for what ELAN has no place for:
 * significance, stage, the ruptures a repair links to (by annotation id) and notes. Transcript
 * utterances become a tier per speaker. Media descriptors carry relative URLs and, for a
 * recording that does not start at the session's zero, TIME_ORIGIN. Reading it back (eaf-read +
 * mapping) gives the same segments, codes, times, links and transcript.
 */
import { pathToFileURL } from 'node:url';
import type { Rater, Segment } from '../../shared/annotations';
import type { CodebookDefinition } from '../../shared/codebook';
import type { Utterance } from '../../shared/transcript';

/** Linguistic types this app writes; on import, tiers of these types are details of their parent. */
export const DETAIL_TYPES = {
  significance: 'ar-significance',
  stage: 'ar-stage',
  links: 'ar-links',
  note: 'ar-note',
} as const;

export interface EafInput {
  author: string;
  recordings: { fileName: string; path: string; offsetMs: number }[];
  raters: Rater[];
  segments: Segment[];
  codebook: CodebookDefinition;
  utterances?: Utterance[];
  date?: Date;
}

const KIND_TIER = { rupture: 'Ruptures', repair: 'Repairs', comment: 'Comments' } as const;

function esc(s: string): string {
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // Characters XML 1.0 cannot carry at all.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
  );
}

function mime(name: string): string {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  const known: Record<string, string> = {
    mp4: 'video/mp4',
    m4v: 'video/mp4',
    mov: 'video/quicktime',
    mkv: 'video/x-matroska',
    webm: 'video/webm',
    avi: 'video/x-msvideo',
    wav: 'audio/x-wav',
    mp3: 'audio/mpeg',
    m4a: 'audio/mp4',
    ogg: 'audio/ogg',
    flac: 'audio/flac',
  };
  return known[ext] ?? 'unknown';
}

function isoWithZone(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function writeEaf(input: EafInput): string {
  const out: string[] = [];
  const slots: number[] = [];
  const slot = (ms: number) => {
    slots.push(ms);
    return `ts${slots.length}`;
  };
  let annCount = 0;
  const nextId = () => `a${++annCount}`;
  const raterName = new Map(input.raters.map((r) => [r.id, r.name]));
  const annOf = new Map<number, string>(); // segment id → annotation id
  const tiers: string[] = [];
  const codes = (c: CodebookDefinition['codes'], cats: string[]) => c.filter((x) => cats.includes(x.category));

  // Ruptures before repairs, so a repair's links name annotations that exist.
  const byRater = new Map<number, Segment[]>();
  for (const s of [...input.segments].sort((a, b) => a.startMs - b.startMs || a.id - b.id)) {
    const list = byRater.get(s.raterId) ?? [];
    list.push(s);
    byRater.set(s.raterId, list);
  }
  for (const s of input.segments) annOf.set(s.id, nextId());
  for (const [raterId, segs] of byRater) {
    const name = raterName.get(raterId) ?? `rater ${raterId}`;
    for (const kind of ['rupture', 'repair', 'comment'] as const) {
      const list = segs.filter((s) => s.kind === kind);
      if (!list.length) continue;
      const tierId = `${KIND_TIER[kind]} – ${name}`;
      const type = kind === 'comment' ? 'ar-comment' : `ar-${kind}-codes`;
      const body = list
        .map((s) => {
          const value = kind === 'comment' ? s.note : s.codes.join(';');
          return `        <ANNOTATION>\n            <ALIGNABLE_ANNOTATION ANNOTATION_ID="${annOf.get(s.id)}" TIME_SLOT_REF1="${slot(s.startMs)}" TIME_SLOT_REF2="${slot(s.endMs)}">\n                <ANNOTATION_VALUE>${esc(value)}</ANNOTATION_VALUE>\n            </ALIGNABLE_ANNOTATION>\n        </ANNOTATION>`;
        })
        .join('\n');
      tiers.push(
        `    <TIER ANNOTATOR="${esc(name)}" LINGUISTIC_TYPE_REF="${type}" TIER_ID="${esc(tierId)}">\n${body}\n    </TIER>`,
      );
      if (kind === 'comment') continue;
      const details: [keyof typeof DETAIL_TYPES, (s: Segment) => string][] = [
        ['significance', (s) => (s.rating === null ? '' : String(s.rating))],
        ['stage', (s) => s.stage ?? ''],
        [
          'links',
          (s) =>
            s.linkedRuptureIds
              .map((r) => annOf.get(r))
              .filter(Boolean)
              .join(' '),
        ],
        ['note', (s) => s.note],
      ];
      for (const [what, valueOf] of details) {
        const rows = list.filter((s) => valueOf(s) !== '');
        if (!rows.length) continue;
        const label = what[0]!.toUpperCase() + what.slice(1);
        const childBody = rows
          .map(
            (s) =>
              `        <ANNOTATION>\n            <REF_ANNOTATION ANNOTATION_ID="${nextId()}" ANNOTATION_REF="${annOf.get(s.id)}">\n                <ANNOTATION_VALUE>${esc(valueOf(s))}</ANNOTATION_VALUE>\n            </REF_ANNOTATION>\n        </ANNOTATION>`,
          )
          .join('\n');
        tiers.push(
          `    <TIER ANNOTATOR="${esc(name)}" LINGUISTIC_TYPE_REF="${DETAIL_TYPES[what]}" PARENT_REF="${esc(tierId)}" TIER_ID="${esc(`${label} – ${tierId}`)}">\n${childBody}\n    </TIER>`,
        );
      }
    }
  }
  const speakers = new Map<string, Utterance[]>();
  for (const u of input.utterances ?? []) speakers.set(u.speaker, [...(speakers.get(u.speaker) ?? []), u]);
  for (const [speaker, list] of speakers) {
    const body = list
      .map(
        (u) =>
          `        <ANNOTATION>\n            <ALIGNABLE_ANNOTATION ANNOTATION_ID="${nextId()}" TIME_SLOT_REF1="${slot(u.startMs)}" TIME_SLOT_REF2="${slot(u.endMs)}">\n                <ANNOTATION_VALUE>${esc(u.text)}</ANNOTATION_VALUE>\n            </ALIGNABLE_ANNOTATION>\n        </ANNOTATION>`,
      )
      .join('\n');
    tiers.push(
      `    <TIER LINGUISTIC_TYPE_REF="ar-utterance"${speaker ? ` PARTICIPANT="${esc(speaker)}"` : ''} TIER_ID="${esc(speaker ? `Transcript – ${speaker}` : 'Transcript')}">\n${body}\n    </TIER>`,
    );
  }

  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<ANNOTATION_DOCUMENT AUTHOR="${esc(input.author)}" DATE="${isoWithZone(input.date ?? new Date())}" FORMAT="3.0" VERSION="3.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">`,
  );
  out.push('    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">');
  // The recording that starts first is ELAN's master media.
  for (const r of [...input.recordings].sort((a, b) => a.offsetMs - b.offsetMs)) {
    const origin = -r.offsetMs;
    out.push(
      `        <MEDIA_DESCRIPTOR MEDIA_URL="${esc(pathToFileURL(r.path).href)}" MIME_TYPE="${mime(r.fileName)}" RELATIVE_MEDIA_URL="./${esc(encodeURI(r.fileName))}"${origin ? ` TIME_ORIGIN="${origin}"` : ''}/>`,
    );
  }
  out.push(`        <PROPERTY NAME="lastUsedAnnotationId">${annCount}</PROPERTY>`);
  out.push('    </HEADER>');
  out.push('    <TIME_ORDER>');
  slots.forEach((ms, i) => out.push(`        <TIME_SLOT TIME_SLOT_ID="ts${i + 1}" TIME_VALUE="${ms}"/>`));
  out.push('    </TIME_ORDER>');
  out.push(...tiers);
  out.push(
    '    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="ar-rupture-codes" TIME_ALIGNABLE="true" CONTROLLED_VOCABULARY_REF="ar-rupture-codes"/>',
  );
  out.push(
    '    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="ar-repair-codes" TIME_ALIGNABLE="true" CONTROLLED_VOCABULARY_REF="ar-repair-codes"/>',
  );
  out.push('    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="ar-comment" TIME_ALIGNABLE="true"/>');
  out.push('    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="ar-utterance" TIME_ALIGNABLE="true"/>');
  for (const t of Object.values(DETAIL_TYPES))
    out.push(
      `    <LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Association" GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="${t}" TIME_ALIGNABLE="false"/>`,
    );
  out.push(
    '    <LANGUAGE LANG_DEF="http://cdb.iso.org/lg/CDB-00138502-001" LANG_ID="eng" LANG_LABEL="English (eng)"/>',
  );
  out.push(
    '    <CONSTRAINT DESCRIPTION="1-1 association with a parent annotation" STEREOTYPE="Symbolic_Association"/>',
  );
  const cv = (id: string, description: string, list: CodebookDefinition['codes']) => {
    out.push(`    <CONTROLLED_VOCABULARY CV_ID="${id}">`);
    out.push(`        <DESCRIPTION LANG_REF="eng">${esc(description)}</DESCRIPTION>`);
    for (const c of list)
      out.push(
        `        <CV_ENTRY_ML CVE_ID="cve-${esc(c.key.toLowerCase())}">\n            <CVE_VALUE DESCRIPTION="${esc(c.label)}" LANG_REF="eng">${esc(c.key)}</CVE_VALUE>\n        </CV_ENTRY_ML>`,
      );
    out.push('    </CONTROLLED_VOCABULARY>');
  };
  cv(
    'ar-rupture-codes',
    `Rupture markers of the codebook "${input.codebook.name}"`,
    codes(input.codebook.codes, ['withdrawal', 'confrontation']),
  );
  cv(
    'ar-repair-codes',
    `Repair strategies of the codebook "${input.codebook.name}"`,
    codes(input.codebook.codes, ['repair']),
  );
  out.push('</ANNOTATION_DOCUMENT>');
  return `${out.join('\n')}\n`;
}
