/**
 * Interop speed (issue 10). Prints JSON:
 * - importing a 2.5 MB ELAN .eaf with 3,000 annotations (two coders' rupture tiers, two speakers'
 *   transcript tiers, a controlled vocabulary, reference tiers), decode to stored: target < 1 s;
 * - exporting a 2,000-segment session as EAF: target < 300 ms;
 * - searching the transcripts of a library of 200 one-hour sessions (≈ 360 utterances an hour):
 *   target < 50 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../src/main/app';
import { sessionEaf } from '../src/main/interop/exporter';
import { write } from '../src/main/db/open';
import { seedSession } from '../tests/support/fixtures';
import { seedSupervision } from '../tests/support/supervision';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const WORDS =
  'ich weiß nicht was ich sagen soll es war eine schwere woche and I do not know what to say about it really the week was hard work family sleep anxious tired angry calm better worse maybe perhaps listen feel think talk silence'.split(
    ' ',
  );
let seed = 7;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const sentence = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');

/** An .eaf as ELAN writes it: one slot pair per annotation, indented, tiers in order. */
function bigEaf(): string {
  const slots: string[] = [];
  const tiers: string[] = [];
  let a = 0;
  const slot = (ms: number) => {
    slots.push(`        <TIME_SLOT TIME_SLOT_ID="ts${slots.length + 1}" TIME_VALUE="${ms}"/>`);
    return `ts${slots.length}`;
  };
  const codes = ['W1', 'W2', 'W3', 'W4', 'C1', 'C2', 'C3'];
  for (const coder of ['Coder A', 'Coder B']) {
    const body: string[] = [];
    const notes: string[] = [];
    for (let i = 0; i < 500; i++) {
      const start = i * 7000 + Math.floor(rand() * 2000);
      const id = `a${++a}`;
      body.push(
        `        <ANNOTATION>\n            <ALIGNABLE_ANNOTATION ANNOTATION_ID="${id}" TIME_SLOT_REF1="${slot(start)}" TIME_SLOT_REF2="${slot(start + 3000)}">\n                <ANNOTATION_VALUE>${codes[i % codes.length]}</ANNOTATION_VALUE>\n            </ALIGNABLE_ANNOTATION>\n        </ANNOTATION>`,
      );
      if (i % 2 === 0)
        notes.push(
          `        <ANNOTATION>\n            <REF_ANNOTATION ANNOTATION_ID="r${a}" ANNOTATION_REF="${id}">\n                <ANNOTATION_VALUE>${sentence(8)}</ANNOTATION_VALUE>\n            </REF_ANNOTATION>\n        </ANNOTATION>`,
        );
    }
    tiers.push(
      `    <TIER ANNOTATOR="${coder}" LINGUISTIC_TYPE_REF="markers" TIER_ID="Ruptures ${coder}">\n${body.join('\n')}\n    </TIER>`,
    );
    tiers.push(
      `    <TIER ANNOTATOR="${coder}" LINGUISTIC_TYPE_REF="gloss" PARENT_REF="Ruptures ${coder}" TIER_ID="Notes ${coder}">\n${notes.join('\n')}\n    </TIER>`,
    );
  }
  for (const speaker of ['Therapist', 'Patient']) {
    const body: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const start = i * 3500 + (speaker === 'Patient' ? 1700 : 0);
      body.push(
        `        <ANNOTATION>\n            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a${++a}" TIME_SLOT_REF1="${slot(start)}" TIME_SLOT_REF2="${slot(start + 1600)}">\n                <ANNOTATION_VALUE>${sentence(110)}</ANNOTATION_VALUE>\n            </ALIGNABLE_ANNOTATION>\n        </ANNOTATION>`,
      );
    }
    tiers.push(
      `    <TIER LINGUISTIC_TYPE_REF="utterance" PARTICIPANT="${speaker}" TIER_ID="${speaker}">\n${body.join('\n')}\n    </TIER>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2026-11-27T10:00:00+01:00" FORMAT="3.0" VERSION="3.0">
    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">
        <MEDIA_DESCRIPTOR MEDIA_URL="file:///data/session.mp4" MIME_TYPE="video/mp4" RELATIVE_MEDIA_URL="./session.mp4"/>
    </HEADER>
    <TIME_ORDER>
${slots.join('\n')}
    </TIME_ORDER>
${tiers.join('\n')}
    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="markers" TIME_ALIGNABLE="true" CONTROLLED_VOCABULARY_REF="cv"/>
    <LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Association" GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="gloss" TIME_ALIGNABLE="false"/>
    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="utterance" TIME_ALIGNABLE="true"/>
    <LANGUAGE LANG_ID="eng"/>
    <CONSTRAINT DESCRIPTION="1-1 association with a parent annotation" STEREOTYPE="Symbolic_Association"/>
    <CONTROLLED_VOCABULARY CV_ID="cv">
${codes.map((c) => `        <CV_ENTRY_ML CVE_ID="cve_${c}"><CVE_VALUE LANG_REF="eng">${c}</CVE_VALUE></CV_ENTRY_ML>`).join('\n')}
    </CONTROLLED_VOCABULARY>
</ANNOTATION_DOCUMENT>
`;
}

function main() {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-bench-interop-'));
  const core = createCore({ dataDir: dir });
  const eaf = Buffer.from(bigEaf(), 'utf8');
  const importMs: number[] = [];
  let imported = 0;
  let utterances = 0;
  for (let i = 0; i < rounds; i++) {
    const { sessionId } = seedSession(core, 'C-EAF', 0, 3_600_000);
    const t0 = performance.now();
    const out = core.interop.importFile(sessionId, eaf, 'big.eaf', {});
    importMs.push(performance.now() - t0);
    imported = out.imported;
    utterances = out.utterances;
    if (out.rejected.length) throw new Error(JSON.stringify(out.rejected.slice(0, 3)));
  }
  const { sessionId: rich } = seedSupervision(core, { segments: 2000, durationMs: 3_600_000, code: 'C-EXP' });
  const segments = core.annotations.list(rich).segments.length;
  const exportMs: number[] = [];
  let eafBytes = 0;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    eafBytes = sessionEaf(core, rich).length;
    exportMs.push(performance.now() - t0);
  }
  // 200 one-hour sessions of transcript.
  write(core.db, () => {
    for (let s = 0; s < 200; s++) {
      const { sessionId } = seedSession(core, `C-T${Math.floor(s / 20)}`, 0, 3_600_000);
      core.transcripts.replaceFromFile(
        sessionId,
        'bench.vtt',
        Array.from({ length: 360 }, (_, i) => ({
          startMs: i * 10_000,
          endMs: i * 10_000 + 9000,
          speaker: i % 2 ? 'Patient' : 'Therapist',
          text: sentence(25),
          origin: null,
        })),
      );
    }
  });
  const lastSession = (core.db.prepare('SELECT max(session_id) AS s FROM transcript_utterances').get() as { s: number })
    .s;
  const inSessionMs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    core.transcripts.search('anx', { sessionId: lastSession, limit: 200 });
    inSessionMs.push(performance.now() - t0);
  }
  const utterancesTotal = (core.db.prepare('SELECT count(*) AS n FROM transcript_utterances').get() as { n: number }).n;
  const queries = ['weiß', 'angry', 'sleep family', 'anx', 'schwere woche', 'nothingmatches'];
  const searchMs: Record<string, number> = {};
  const hits: Record<string, number> = {};
  for (const q of queries) {
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      hits[q] = core.transcripts.search(q, { limit: 100 }).length;
      times.push(performance.now() - t0);
    }
    searchMs[q] = Math.round(median(times) * 10) / 10;
  }
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify(
      {
        eafImport: {
          bytes: eaf.length,
          annotations: 3000,
          segments: imported,
          utterances,
          medianMs: Math.round(median(importMs)),
          maxMs: Math.round(Math.max(...importMs)),
          targetMs: 1000,
        },
        eafExport: { segments, bytes: eafBytes, medianMs: Math.round(median(exportMs) * 10) / 10, targetMs: 300 },
        transcriptSearch: {
          sessions: 200,
          inOneSessionMs: Math.round(median(inSessionMs) * 10) / 10,
          utterances: utterancesTotal,
          medianMsByQuery: searchMs,
          hitsByQuery: hits,
          worstMs: Math.max(...Object.values(searchMs)),
          targetMs: 50,
        },
      },
      null,
      2,
    ),
  );
}

main();
