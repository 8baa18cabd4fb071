/**
 * Other tools' files through the command line, into a real library: the mapping step, all or
 * nothing, where each segment came from, transcripts and their search, and the way back out
 * (EAF that reads back the same, BORIS, the study CSVs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliIn } from '../../../tests/support/cli';
import { snapshot } from '../../../tests/support/core';
import { mediaFile } from '../../../tests/support/media';
import { tempDir } from '../../../tests/support/tmp';
import { createCore } from '../app';
import { openDatabase } from '../db/open';

const FIX = path.resolve(__dirname, '../../../tests/fixtures/interop');
const fixture = (name: string) => path.join(FIX, name);
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function library(sessions = 1) {
  const data = tempDir();
  const files = tempDir();
  cleanups.push(data.cleanup, files.cleanup);
  for (let n = 1; n <= sessions; n++)
    expect(
      (await cliIn(data.dir, ['import', mediaFile('session.webm'), '--case', 'C-1', '--session', String(n)])).code,
    ).toBe(0);
  const cli = (args: string[]) => cliIn(data.dir, args);
  const write = (name: string, text: string | Buffer) => {
    const p = path.join(files.dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const state = () => {
    const db = openDatabase(data.dir);
    try {
      return snapshot(db);
    } finally {
      db.close();
    }
  };
  const exported = async (id = 1) =>
    JSON.parse((await cli(['export', String(id), '--include-transcript', '--names', '--notes'])).stdout);
  return { cli, write, state, exported, files: files.dir, dataDir: data.dir };
}

describe('annotations import of ELAN and BORIS files', () => {
  it('an .eaf with a value the codebook lacks imports nothing and names the value; with a map it imports every tier', async () => {
    const { cli, write, state, exported } = await library();
    const before = state();
    const refused = await cli(['annotations', 'import', fixture('rupture-coding.eaf'), '--session', '1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('"Rückzug (sonstiger)" (tier "Ruptures Coder A") is not a code in the codebook');
    expect(refused.stderr).toContain('nothing imported');
    // Said as nothing, not as "Imported 0 segments … for nobody".
    expect(refused.stdout).toMatch(/\nNothing was imported into session 1: 1 row refused \(below\)\.\n/);
    expect(state()).toEqual(before);

    const map = write('map.json', JSON.stringify({ codes: { 'Rückzug (sonstiger)': 'W7' } }));
    const res = await cli([
      'annotations',
      'import',
      fixture('rupture-coding.eaf'),
      '--session',
      '1',
      '--map',
      map,
      '--json',
    ]);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({ format: 'elan', detected: 'eaf', imported: 7, utterances: 2, rejected: [] });
    expect(out.perRater).toEqual([
      { rater: 'Coder A', imported: 5 },
      { rater: 'Coder B', imported: 2 },
    ]);
    const doc = await exported();
    const a = doc.segments.filter(
      (s: { raterId: number }) => s.raterId === doc.raters.find((r: { name: string }) => r.name === 'Coder A').id,
    );
    // TIME_ORIGIN 2000: the file's 1.0–3.0 s is the session's 3.0–5.0 s.
    expect(a[0]).toMatchObject({ kind: 'rupture', startMs: 3000, endMs: 5000, codes: ['W2'] });
    expect(a[0].origin).toMatchObject({
      format: 'ELAN .eaf file',
      file: 'rupture-coding.eaf',
      tier: 'Ruptures Coder A',
      annotator: 'Coder A',
      value: 'W2',
    });
    expect(a.find((s: { kind: string }) => s.kind === 'comment').note).toBe('long pause first');
    expect(doc.transcript.map((u: { speaker: string; startMs: number }) => [u.speaker, u.startMs])).toEqual([
      ['Therapistin', 2500],
      ['Patient', 5100],
    ]);
    const csv = (await cli(['export', '1', '--format', 'csv', '--names', '--notes'])).stdout;
    expect(csv.split('\n')[0]).toContain('source_file,source_at,source_tier,source_value');
    expect(csv).toContain('rupture-coding.eaf,annotation a1 (line 28),Ruptures Coder A,W2');
  });

  it('--add-codes adds what the codebook lacks as a new codebook version, group "imported"', async () => {
    const { cli } = await library();
    const res = await cli(['annotations', 'import', fixture('rupture-coding.eaf'), '--session', '1', '--add-codes']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Added codes RUCKZUGSONSTIGER (group "imported", a new codebook version).');
  });

  it('--dry-run shows each tier, its role, rater and first values, and stores nothing', async () => {
    const { cli, state } = await library();
    const before = state();
    const res = await cli(['annotations', 'import', fixture('speach-test.eaf'), '--session', '1', '--dry-run']);
    expect(res.stdout).toContain('ELAN .eaf file (utf-8); tiers:');
    expect(res.stdout).toMatch(
      /Person1 \(Utterance\) \[P001\]: 8 annotations, e\.g\. "How do you read this\?".* -> transcript/,
    );
    // ELAN's own "Language" tiers have a vocabulary and an annotator: coding, whose values the
    // codebook lacks, which the dry run names.
    expect(res.stdout).toMatch(
      /Person1 \(Language\) \[P001\]: 8 annotations, e\.g\. "en", "jp", "en" -> coding for tuananh \(it has a controlled vocabulary\)/,
    );
    expect(res.stderr).toContain('"en" (tier "Person1 (Language)") is not a code in the codebook');
    expect(res.code).toBe(1);
    expect(state()).toEqual(before);
  });

  it('ELAN text with both time formats, UTF-16 and Latin-1 import with the right times', async () => {
    const { cli, exported } = await library();
    const both = await cli([
      'annotations',
      'import',
      fixture('elan-both-times.txt'),
      '--session',
      '1',
      '--rater',
      'Coder E',
    ]);
    expect(both.code).toBe(0);
    expect((await exported()).segments.map((s: { startMs: number; endMs: number }) => [s.startMs, s.endMs])).toEqual([
      [1500, 4250],
      [10000, 12500],
      [13000, 15000],
    ]);
    const utf16 = await cli([
      'annotations',
      'import',
      fixture('elan-utf16.txt'),
      '--session',
      '1',
      '--rater',
      'Coder F',
      '--json',
    ]);
    expect(JSON.parse(utf16.stdout)).toMatchObject({ encoding: 'utf-16le', imported: 1 });
    const latin = await cli([
      'annotations',
      'import',
      fixture('elan-latin1.txt'),
      '--session',
      '1',
      '--rater',
      'Coder G',
    ]);
    expect(latin.stderr).toMatch(/warning: The file is not UTF-8 .* read as Latin-1/);
    const doc = await exported();
    expect(
      doc.segments.filter((s: { origin?: { tier: string } }) => s.origin?.tier === 'Rupturen Prüfer'),
    ).toHaveLength(2);
  });

  it('BORIS 8 aggregated CSV: an observation per rater, subject and modifiers kept, the point lengthened and said', async () => {
    const { cli, exported } = await library();
    const res = await cli([
      'annotations',
      'import',
      fixture('boris8-aggregated.csv'),
      '--session',
      '1',
      '--rater-per-tier',
    ]);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('warning: 1 point event was given the minimum length');
    const doc = await exported();
    expect(doc.raters.map((r: { name: string }) => r.name).sort()).toEqual(['rater-a', 'rater-b']);
    const w2 = doc.segments.find(
      (s: { codes: string[]; startMs: number }) => s.codes[0] === 'W2' && s.startMs === 1500,
    );
    expect(w2.note).toBe('long pause, then "I don\'t know"');
    expect(w2.origin).toMatchObject({ subject: 'Patient', modifiers: ['3'], format: 'BORIS aggregated events export' });
  });

  it('an empty file, a tier nobody owns, and a missing tier are refused with what they are', async () => {
    const { cli, write } = await library();
    const owner = await cli(['annotations', 'import', fixture('elan-both-times.txt'), '--session', '1']);
    expect(owner.stderr).toContain(
      'Whose coding is tier "Ruptures"? It names no annotator: say which rater it belongs to.',
    );
    expect(owner.stderr).toContain('Give --rater NAME, or --rater-per-tier');
    const empty = await cli(['annotations', 'import', write('e.txt', ''), '--session', '1', '--rater', 'X']);
    expect(empty.stderr).toContain('The file is empty.');
    const tier = await cli([
      'annotations',
      'import',
      fixture('rupture-coding.eaf'),
      '--session',
      '1',
      '--tier',
      'Nope',
    ]);
    expect(tier.code).toBe(1);
    expect(tier.stderr).toContain('There is no tier "Nope" in this file; its tiers are: "Ruptures Coder A"');
  });
});

describe('the way back out', () => {
  it('EAF export reads back into an empty session as the same segments, codes, times, links and transcript', async () => {
    const { cli, write, exported, dataDir } = await library(2);
    const csv = write(
      's.csv',
      'type,code,start,end,significance,stage,note\nrupture,W2;W5,1.5,4.25,4,,"pauses, then ""fine"""\nrepair,R4,5,7,3,W-3,\ncomment,,8,8,,,Ask about this\n',
    );
    expect(
      (await cli(['annotations', 'import', csv, '--session', '1', '--rater', 'Supervisor S', '--role', 'supervisor']))
        .code,
    ).toBe(0);
    // The repair addresses the rupture: linked through the core, as the app does.
    const before = await exported(1);
    const core = createCore({ dataDir });
    core.annotations.link(
      before.segments.find((s: { kind: string }) => s.kind === 'repair').id,
      before.segments.find((s: { kind: string }) => s.kind === 'rupture').id,
    );
    core.close();
    expect((await cli(['transcripts', 'import', fixture('transcript.vtt'), '--session', '1'])).code).toBe(0);
    const doc1 = await exported(1);
    const rupture = doc1.segments.find((s: { kind: string }) => s.kind === 'rupture');
    const repair = doc1.segments.find((s: { kind: string }) => s.kind === 'repair');
    const eaf = write(
      's1.eaf',
      (await cli(['export', '1', '--format', 'eaf', '--include-transcript', '--names', '--notes'])).stdout,
    );
    const back = await cli(['annotations', 'import', eaf, '--session', '2', '--json']);
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({
      imported: 3,
      utterances: 2,
      perRater: [{ rater: 'Supervisor S', imported: 3 }],
    });
    const doc2 = await exported(2);
    const strip = (d: typeof doc1) =>
      d.segments.map((s: Record<string, unknown>) => [s.kind, s.codes, s.startMs, s.endMs, s.rating, s.stage, s.note]);
    expect(strip(doc2)).toEqual(strip(doc1));
    expect(
      doc2.transcript.map((u: { speaker: string; text: string; startMs: number }) => [u.speaker, u.text, u.startMs]),
    ).toEqual(
      doc1.transcript.map((u: { speaker: string; text: string; startMs: number }) => [u.speaker, u.text, u.startMs]),
    );
    expect(rupture.rating).toBe(4);
    expect(repair.stage).toBe('W-3');
    // The link survives: the repair in session 2 addresses the rupture in session 2.
    expect(doc1.links).toEqual([{ repairId: repair.id, ruptureId: rupture.id }]);
    const r2 = doc2.segments.find((s: { kind: string }) => s.kind === 'repair');
    const u2 = doc2.segments.find((s: { kind: string }) => s.kind === 'rupture');
    expect(doc2.links).toEqual([{ repairId: r2.id, ruptureId: u2.id }]);
    expect(r2.origin).toMatchObject({ format: 'ELAN .eaf file', file: 's1.eaf', tier: 'Repairs – Supervisor S' });
  });

  it('export-study writes one row per segment and units with half-open membership', async () => {
    const { cli, write, files } = await library();
    const csv = write('s.csv', 'type,code,start,end\nrupture,W2,1,2\nrupture,C1,2,3.5\n');
    await cli(['annotations', 'import', csv, '--session', '1', '--rater', 'Observer O']);
    const res = await cli([
      'export-study',
      '--case',
      'C-1',
      '--out-dir',
      path.join(files, 'study'),
      '--unit-ms',
      '1000',
      '--names',
    ]);
    expect(res.code).toBe(0);
    const segs = fs
      .readFileSync(path.join(files, 'study', 'segments.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(segs[0]).toBe(
      'case,session,session_date,rater,role,rating_status,segment_id,type,code,rupture_type,start_s,end_s,duration_s,significance,stage,repair_status,linked_rupture_ids,source_file,source_tier',
    );
    expect(segs[1]).toMatch(
      /^C-1,1,,Observer O,observer,draft,\d+,rupture,W2,withdrawal,1\.000,2\.000,1\.000,,,unrepaired,,s\.csv,$/,
    );
    // Without --names: raters by pseudonym, no source files.
    await cli(['export-study', '--case', 'C-1', '--out-dir', path.join(files, 'plain')]);
    const plain = fs
      .readFileSync(path.join(files, 'plain', 'segments.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(plain[1]).toMatch(/^C-1,1,,R\d+,observer,draft,\d+,rupture,W2,withdrawal,.*,unrepaired,,,$/);
    const units = fs
      .readFileSync(path.join(files, 'study', 'units.csv'), 'utf8')
      .trim()
      .split('\n');
    const row = (unit: number, code: string) =>
      units.find((l) =>
        l.endsWith(`,${code},0`) || l.endsWith(`,${code},1`)
          ? l.split(',')[5] === String(unit) && l.split(',')[8] === code
          : false,
      );
    // The agreement's rule: a unit's midpoint inside [start, end). W2 1.0–2.0 s: unit 1 only;
    // C1 2.0–3.5 s ends exactly at unit 3's midpoint: units 2 only.
    expect(row(1, 'W2')!.endsWith(',1')).toBe(true);
    expect(row(2, 'W2')!.endsWith(',0')).toBe(true);
    expect([row(2, 'C1'), row(3, 'C1'), row(4, 'C1')].map((l) => l!.slice(-1))).toEqual(['1', '0', '0']);
    expect(row(1, 'ANY_RUPTURE')!.endsWith(',1')).toBe(true);
    const missing = await cli(['export-study', '--case', 'C-9', '--out-dir', path.join(files, 'x')]);
    expect(missing.stderr).toContain('There is no case C-9.');
  });

  it('BORIS project export is a project our own reader (and BORIS) reads back: an observation per rater', async () => {
    const { cli, write } = await library();
    await cli([
      'annotations',
      'import',
      write('s.csv', 'type,code,start,end,significance\nrupture,W2,1.5,4.25,3\n'),
      '--session',
      '1',
      '--rater',
      'Coder K',
    ]);
    const boris = write('s.boris', (await cli(['export', '1', '--format', 'boris', '--names', '--notes'])).stdout);
    const project = JSON.parse(fs.readFileSync(boris, 'utf8'));
    expect(project.project_format_version).toBe('7.0');
    expect(Object.keys(project.observations)).toEqual(['C-1 s1 – Coder K']);
    expect(project.observations['C-1 s1 – Coder K'].events).toEqual([
      [1.5, '', 'W2', '3', ''],
      [4.25, '', 'W2', '3', ''],
    ]);
    const agreement = await cli(['agreement', 'segments', boris, '--json']);
    expect(JSON.parse(agreement.stdout)).toMatchObject({ format: 'boris', detected: 'boris-project' });
  });
});

describe('the account of an import', () => {
  it('says what is imported, left out and changed, the same in a dry run, in --json and in the audit log', async () => {
    const { cli, write } = await library();
    const args = ['annotations', 'import', fixture('rupture-coding.eaf'), '--session', '1', '--map'];
    const map = write('map.json', JSON.stringify({ codes: { 'Rückzug (sonstiger)': 'W7' }, tiers: { P: 'ignore' } }));
    const dry = await cli([...args, map, '--dry-run']);
    expect(dry.stdout).toContain(
      `Would import: Tier "Ruptures Coder A": 4 annotations as ruptures into Coder A's lane (taken as rupture because of its name).`,
    );
    expect(dry.stdout).toContain('Would leave out: Tier "P", 1 annotation: named in the map file.');
    expect(dry.stdout).toMatch(
      /Would change: times shifted by \+2,000 ms onto the session's clock \(session\.webm is the recording session\.webm\)\./,
    );
    const done = await cli([...args, map, '--json']);
    const account = JSON.parse(done.stdout).account;
    expect(account.stored).toBe(true);
    expect(account.imported).toContain(
      `Tier "Ruptures Coder A": 4 annotations as ruptures into Coder A's lane (taken as rupture because of its name).`,
    );
    expect(account.leftOut).toEqual(['Tier "P", 1 annotation: named in the map file.']);
    const log = JSON.parse((await cli(['audit', 'list', '--json'])).stdout) as {
      action: string;
      detail: { file: string; account: string[] };
    }[];
    const entry = log.find((e) => e.action === 'session.import')!;
    expect(entry.detail.file).toBe('rupture-coding.eaf');
    expect(entry.detail.account).toContain('Left out: Tier "P", 1 annotation: named in the map file.');
  });
});

describe('BORIS round trip', () => {
  it('what BORIS export writes comes back whole: overlaps of one code, several codes, comments with their span, significance, the rater', async () => {
    const { cli, write } = await library(2);
    const csv = [
      'type,code,start,end,significance,stage,note',
      'rupture,W2,2,12,4,,',
      'rupture,W2,6,16,2,,',
      'rupture,W2;W5,20,22.5,3,,',
      'comment,,3,5.5,,,"Notice the pause"',
      'comment,,25,25,,,"A moment"',
      'repair,R4,16,18,5,,',
    ].join('\n');
    const first = await cli(['annotations', 'import', write('k.csv', csv), '--session', '1', '--rater', 'Coder K']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const boris = write('s.boris', (await cli(['export', '1', '--format', 'boris', '--names', '--notes'])).stdout);
    const back = await cli(['annotations', 'import', boris, '--session', '2', '--json']);
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout).perRater).toEqual([{ rater: 'Coder K', imported: 6 }]);
    const segments = async (session: string) =>
      (
        JSON.parse((await cli(['export', session, '--format', 'json', '--names', '--notes'])).stdout) as {
          segments: {
            kind: string;
            codes: string[];
            startMs: number;
            endMs: number;
            rating: number | null;
            note: string;
          }[];
        }
      ).segments
        .map((x) => [x.kind, x.codes.join(';'), x.startMs, x.endMs, x.rating, x.note].join('|'))
        .sort();
    expect(await segments('2')).toEqual(await segments('1'));
    // Agreement reads the same file with the rater's own name, and without the comments as codes.
    const agreement = JSON.parse((await cli(['agreement', 'segments', boris, '--json'])).stdout);
    expect(agreement.raters).toEqual(['Coder K']);
  });
});

describe('transcripts', () => {
  it('imports subtitles, finds words across the library, and re-importing the same file replaces it', async () => {
    const { cli } = await library(2);
    expect((await cli(['transcripts', 'import', fixture('transcript.srt'), '--session', '1'])).stdout).toContain(
      'Imported 2 utterances',
    );
    await cli(['transcripts', 'import', fixture('transcript.vtt'), '--session', '2']);
    await cli(['transcripts', 'import', fixture('transcript.srt'), '--session', '1']);
    const hits = JSON.parse((await cli(['transcripts', 'search', 'denke', '--json'])).stdout).hits;
    expect(hits.map((h: { sessionNumber: number; speaker: string }) => [h.sessionNumber, h.speaker]).sort()).toEqual([
      [1, 'Patient'],
      [2, 'Patient'],
    ]);
    expect(hits[0].marked).toContain('\u0001denke\u0002');
    const one = JSON.parse((await cli(['transcripts', 'search', 'ergang', '--session', '1', '--json'])).stdout).hits;
    expect(one).toHaveLength(1);
    expect((await cli(['transcripts', 'list', '1'])).stdout.trim().split('\n')).toHaveLength(2);
  });

  it("leaves out cues after the session's end and ends those that run past it there, and says so", async () => {
    const { cli, write } = await library();
    const vtt = write(
      'late.vtt',
      'WEBVTT\n\n00:00:25.000 --> 00:00:28.000\n<v T>In time.\n\n00:00:29.000 --> 00:00:35.000\n<v P>Runs past the end.\n\n00:00:40.000 --> 00:00:45.000\n<v T>After the end.\n',
    );
    const res = await cli(['transcripts', 'import', vtt, '--session', '1', '--skip-invalid']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Imported 2 utterances');
    expect(res.stderr).toMatch(
      /1 utterance after the session's end \(00:00:30\.\d{3}\) was left out; 1 that ran past the end now ends at 00:00:30\.\d{3}\./,
    );
    expect(res.stdout).toMatch(/Left out: 1 utterance after the session's end/);
    const rows = JSON.parse((await cli(['transcripts', 'list', '1', '--json'])).stdout) as { endMs: number }[];
    expect(Math.max(...rows.map((r) => r.endMs))).toBeLessThanOrEqual(30_100);
  });

  it('takes every speaker tier of linguistic type "transcription", however short, and names what it leaves out', async () => {
    // Six speakers as a child-language corpus writes them (CHI, FA1, UC2, FA2, UC1, UC3), each a
    // top-level tier of type "transcription" with one- and two-word utterances; an "Interruptions"
    // tier of short tags is neither a rupture (its name) nor a transcript.
    const speakers = ['CHI', 'FA1', 'UC2', 'FA2', 'UC1', 'UC3'];
    const slots: string[] = [];
    const tiers = speakers.map((sp, i) => {
      const anns = [0, 1].map((k) => {
        const n = i * 2 + k;
        slots.push(`<TIME_SLOT TIME_SLOT_ID="ts${2 * n + 1}" TIME_VALUE="${1000 + n * 1500}"/>`);
        slots.push(`<TIME_SLOT TIME_SLOT_ID="ts${2 * n + 2}" TIME_VALUE="${2000 + n * 1500}"/>`);
        return `<ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a${n + 1}" TIME_SLOT_REF1="ts${2 * n + 1}" TIME_SLOT_REF2="ts${2 * n + 2}"><ANNOTATION_VALUE>${k ? 'no' : `mine ${sp.toLowerCase()}`}</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>`;
      });
      return `<TIER LINGUISTIC_TYPE_REF="transcription" PARTICIPANT="${sp}" TIER_ID="${sp}">${anns.join('')}</TIER>`;
    });
    slots.push(
      '<TIME_SLOT TIME_SLOT_ID="ts90" TIME_VALUE="20000"/>',
      '<TIME_SLOT TIME_SLOT_ID="ts91" TIME_VALUE="21000"/>',
    );
    const eaf = `<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2026-12-06T00:00:00+00:00" FORMAT="3.0" VERSION="3.0">
<HEADER MEDIA_FILE="" TIME_UNITS="milliseconds"/>
<TIME_ORDER>${slots.join('')}</TIME_ORDER>
${tiers.join('\n')}
<TIER LINGUISTIC_TYPE_REF="tags" TIER_ID="Interruptions"><ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a90" TIME_SLOT_REF1="ts90" TIME_SLOT_REF2="ts91"><ANNOTATION_VALUE>x</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION></TIER>
<LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="transcription" TIME_ALIGNABLE="true"/>
<LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="tags" TIME_ALIGNABLE="true"/>
</ANNOTATION_DOCUMENT>`;
    const { cli, write } = await library();
    const res = await cli(['transcripts', 'import', write('six.eaf', eaf), '--session', '1']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Imported 12 utterances (ELAN .eaf file)');
    expect(res.stdout).toContain(
      'Left out: Tier "Interruptions", 1 annotation: neither codes nor free text; choose it with --tier or the map file.',
    );
    const rows = JSON.parse((await cli(['transcripts', 'list', '1', '--json'])).stdout) as { speaker: string }[];
    expect([...new Set(rows.map((r) => r.speaker))].sort()).toEqual([...speakers].sort());
    const json = JSON.parse(
      (await cli(['transcripts', 'import', write('six2.eaf', eaf), '--session', '1', '--json'])).stdout,
    );
    expect(json.tiers.find((t: { name: string }) => t.name === 'FA1')).toMatchObject({
      role: 'transcript',
      because: 'its linguistic type "transcription"',
    });
  });

  it('takes the transcript tiers of an .eaf, and says when a file has none', async () => {
    const { cli } = await library();
    const res = await cli(['transcripts', 'import', fixture('rupture-coding.eaf'), '--session', '1']);
    expect(res.stdout).toContain('Imported 2 utterances (ELAN .eaf file)');
    const none = await cli(['transcripts', 'import', fixture('elan-both-times.txt'), '--session', '1']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /No transcript found: the tiers \("Ruptures" taken as rupture, "Repairs" taken as repair\) hold no free text/,
    );
  });

  it('says why nothing was left of subtitles whose every cue was refused, and a recording is not read as text', async () => {
    const { cli, write, state } = await library();
    const before = state();
    const vtt = write(
      'bad.vtt',
      'WEBVTT\n\n00:00:01.000 --> 00:00:99.000\nhello\n\n00:00:04.000 --> 00:00:02.000\nx\n',
    );
    const res = await cli(['transcripts', 'import', vtt, '--session', '1']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'alliance-review: No transcript found: every line with a time was refused (2); the first, line 3: "00:00:01.000 --> 00:00:99.000" are not times (hh:mm:ss.mmm).\n',
    );
    const video = await cli(['transcripts', 'import', mediaFile('av.mp4'), '--session', '1']);
    expect(video.code).toBe(1);
    expect(video.stderr).toMatch(/This file is not one the app can read: expected an ELAN .eaf/);
    expect(state()).toEqual(before);
  });
});

describe('agreement segments on ELAN and BORIS files', () => {
  it('reads an .eaf, a tier per rater, chosen with --tiers', async () => {
    const { cli } = await library();
    const out = JSON.parse(
      (
        await cli([
          'agreement',
          'segments',
          fixture('rupture-coding.eaf'),
          '--tiers',
          'Ruptures Coder A,Ruptures Coder B',
          '--json',
        ])
      ).stdout,
    );
    expect(out).toMatchObject({ format: 'elan', detected: 'eaf' });
    expect(out.pairs[0].raters).toEqual(['Ruptures Coder A', 'Ruptures Coder B']);
    const bad = await cli(['agreement', 'segments', fixture('rupture-coding.eaf'), '--tiers', 'Nope']);
    expect(bad.stderr).toContain('No tier "Nope" in this file');
  });
});

describe('a file whose media starts after the session', () => {
  it('leaves out what lies before the session, says so, and refuses coding there with its line', async () => {
    const { cli, write } = await library();
    const eaf = `<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2026-11-27T10:00:00+01:00" FORMAT="3.0" VERSION="3.0">
  <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds"><MEDIA_DESCRIPTOR MEDIA_URL="file:///x/session.webm" MIME_TYPE="video/webm" TIME_ORIGIN="-3000"/></HEADER>
  <TIME_ORDER><TIME_SLOT TIME_SLOT_ID="t1" TIME_VALUE="1000"/><TIME_SLOT TIME_SLOT_ID="t2" TIME_VALUE="2000"/><TIME_SLOT TIME_SLOT_ID="t3" TIME_VALUE="2500"/><TIME_SLOT TIME_SLOT_ID="t4" TIME_VALUE="4000"/></TIME_ORDER>
  <TIER LINGUISTIC_TYPE_REF="u" PARTICIPANT="Patient" TIER_ID="Words">
    <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="t1" TIME_SLOT_REF2="t2"><ANNOTATION_VALUE>ganz am Anfang gesagt</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
    <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a2" TIME_SLOT_REF1="t3" TIME_SLOT_REF2="t4"><ANNOTATION_VALUE>und dann weiter geredet</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
  </TIER>
  <TIER ANNOTATOR="Coder Z" LINGUISTIC_TYPE_REF="u" TIER_ID="Ruptures">
    <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a3" TIME_SLOT_REF1="t1" TIME_SLOT_REF2="t2"><ANNOTATION_VALUE>W2</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
  </TIER>
  <LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="u" TIME_ALIGNABLE="true"/>
</ANNOTATION_DOCUMENT>`;
    const f = write('early.eaf', eaf);
    const coded = await cli(['annotations', 'import', f, '--session', '1']);
    expect(coded.code).toBe(1);
    expect(coded.stderr).toMatch(/annotation a3 \(line \d+\): .*before the session/i);
    const words = await cli(['transcripts', 'import', f, '--session', '1']);
    expect(words.code).toBe(0);
    expect(words.stderr).toContain(
      "warning: 1 utterance before the session's start was left out; 1 that began before it now starts at 00:00:00.",
    );
    const list = JSON.parse((await cli(['transcripts', 'list', '1', '--json'])).stdout);
    expect(list.map((u: { startMs: number; endMs: number }) => [u.startMs, u.endMs])).toEqual([[0, 1000]]);
  });
});

describe('files given to the wrong command', () => {
  it('names what the file is and the command that reads it; an empty file says it is empty', async () => {
    const { cli, write } = await library();
    const eaf = await cli(['responses', 'import', fixture('rupture-coding.eaf')]);
    expect(eaf.stderr).toContain('This is an ELAN .eaf file, not what responses import reads');
    expect(eaf.stderr).toContain('use: alliance-review annotations import FILE --session ID');
    const boris = await cli(['agreement', 'ratings', fixture('boris8-tabular.tsv')]);
    expect(boris.stderr).toContain('This is a BORIS tabular events export, not what agreement ratings reads');
    const vtt = await cli(['agreement', 'segments', fixture('transcript.vtt')]);
    expect(vtt.stderr).toContain("This is a transcript (WebVTT subtitles), not raters' codes.");
    const empty = await cli(['agreement', 'segments', write('empty.csv', '')]);
    expect(empty.stderr).toContain('The file is empty.');
    const media = await cli(['import', fixture('rupture-coding.eaf'), '--case', 'C-1', '--session', '2']);
    expect(media.code).toBe(1);
    expect(media.stderr).toContain(
      'rupture-coding.eaf is an ELAN .eaf file, not a recording: bring it in with “Import / export…” in the player (or alliance-review annotations import).',
    );
    const utf16 = await cli(['import', fixture('elan-utf16.txt'), '--case', 'C-1', '--session', '2']);
    expect(utf16.stderr).toContain('elan-utf16.txt is an ELAN tab-delimited text export, not a recording');
  });

  it('--observation takes one BORIS observation for a session', async () => {
    const { cli, exported } = await library();
    const res = await cli([
      'annotations',
      'import',
      fixture('boris8-aggregated.csv'),
      '--session',
      '1',
      '--observation',
      'rater-b',
      '--rater',
      'Obs B',
    ]);
    expect(res.code).toBe(0);
    expect((await exported()).segments).toHaveLength(1);
    const none = await cli([
      'annotations',
      'import',
      fixture('boris8-aggregated.csv'),
      '--session',
      '1',
      '--observation',
      'x',
      '--rater',
      'Obs B',
    ]);
    expect(none.stderr).toContain(
      'There is no observation "x" in this file; its observations are: "rater-a", "rater-b".',
    );
  });
});
