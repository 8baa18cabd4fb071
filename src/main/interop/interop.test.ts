/**
 * Reading other tools' files as they really are (real files from ELAN and BORIS users' public
 * repositories, and our own in the layouts those tools write), and writing EAF that ELAN's schema
 * accepts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { DEFAULT_CODEBOOK } from '../../shared/codebook';
import { decodeText } from './decode';
import { detectFormat, readForeign } from './detect';
import { writeEaf } from './eaf-write';
import { readEaf } from './eaf-read';
import { planImport } from './mapping';
import { seg } from '../../shared/segment-fixture';
import { mediaFile } from '../../../tests/support/media';
import { parseRaterSpans, parseRatingsTable, parseSegmentFile } from '../agreement/segment-files';

const FIX = path.resolve(__dirname, '../../../tests/fixtures/interop');
const bytes = (name: string) => fs.readFileSync(path.join(FIX, name));
const read = (name: string) => {
  const { text } = decodeText(bytes(name));
  return readForeign(text, detectFormat(text));
};
const spans = (doc: ReturnType<typeof read>, tier: string) =>
  doc.tiers.find((t) => t.name === tier)!.annotations.map((a) => [a.startMs, a.endMs, a.value]);

describe('detecting a file by its content', () => {
  it.each([
    ['speach-test.eaf', 'eaf'],
    ['rupture-coding.eaf', 'eaf'],
    ['boris-test.boris', 'boris-project'],
    ['boris-test_export_aggregated_events_test_full_1.tsv', 'boris-aggregated'],
    ['boris-test_export_events_tabular.tsv', 'boris-tabular'],
    ['boris-test_export_events_tabular.csv', 'boris-tabular'],
    ['boris8-aggregated.csv', 'boris-aggregated'],
    ['boris8-tabular.tsv', 'boris-tabular'],
    ['elan-both-times.txt', 'elan-text'],
    ['elan-msec-noheader.txt', 'elan-text'],
    ['elan-tier-columns.txt', 'elan-text'],
    ['elan-utf16.txt', 'elan-text'],
    ['transcript.vtt', 'webvtt'],
    ['transcript.srt', 'srt'],
  ])('%s is %s', (name, format) => {
    expect(detectFormat(decodeText(bytes(name)).text)).toBe(format);
  });

  it('says an empty file is empty, and names what an unreadable file is not', () => {
    expect(() => readForeign('', detectFormat('  \n'))).toThrow('The file is empty.');
    expect(() => readForeign('hello', detectFormat('hello'))).toThrow(/ELAN .eaf .*BORIS/);
    // A recording given by mistake (its bytes have commas and quotes too) is not read as a CSV.
    const mp4 = decodeText(fs.readFileSync(mediaFile('av.mp4')).subarray(0, 4096)).text;
    expect(detectFormat(mp4)).toBe('unknown');
    expect(() => parseRaterSpans(mp4)).toThrow(/^This is not a text file \(a recording, perhaps\?\)/);
    expect(() => parseRatingsTable(mp4)).toThrow(/^This is not a text file/);
    // A CSV that breaks off says where, without quoting what it choked on.
    expect(parseSegmentFile('type,code,start,end\nrupture,"W2,3,4\n').rejected).toEqual([
      {
        line: 2,
        reason:
          'The file is not valid CSV (Quote Not Closed: the parsing is finished with an opening quote at line 2).',
      },
    ]);
    expect(() => readEaf('<ANNOTATION_DOCUMENT><HEADER></ANNOTATION_DOCUMENT>')).toThrow(
      /This ELAN .eaf file is not well-formed XML: line 1/,
    );
  });
});

describe('encodings', () => {
  it('reads UTF-16 with a BOM and says nothing is odd', () => {
    const d = decodeText(bytes('elan-utf16.txt'));
    expect(d.encoding).toBe('utf-16le');
    expect(d.text).toContain('Rupturen Prüfer');
  });
  it('reads Latin-1 with a warning, never with replacement characters', () => {
    const d = decodeText(bytes('elan-latin1.txt'));
    expect(d.text).toContain('Rupturen Prüfer');
    expect(d.text).not.toContain('\uFFFD');
    expect(d.warnings[0]).toMatch(/not UTF-8 .*read as Latin-1/);
  });
  it('refuses --encoding utf-8 for a Latin-1 file, naming the byte', () => {
    expect(() => decodeText(bytes('elan-latin1.txt'), 'utf-8')).toThrow(/not valid UTF-8 \(byte \d+\)/);
    expect(() => decodeText(bytes('elan-latin1.txt'), 'ebcdic')).toThrow(/--encoding must be/);
  });
  it('reads UTF-8 with a BOM', () => {
    const d = decodeText(Buffer.from('\uFEFFTier\tx', 'utf8'));
    expect(d.text).toBe('Tier\tx');
  });
});

describe('ELAN .eaf', () => {
  it('reads a real ELAN file: tiers, participants, reference annotations, multilingual vocabulary', () => {
    const doc = read('speach-test.eaf');
    expect(doc.tiers.map((t) => t.name)).toEqual([
      'Person1 (Utterance)',
      'marker',
      'Person1 (Chunk)',
      'Person1 (ChunkLanguage)',
      'Person1 (Language)',
    ]);
    expect(spans(doc, 'Person1 (Utterance)')[1]).toEqual([3200, 5050, 'このリンゴ、おいしいね！']);
    const lang = doc.tiers.find((t) => t.name === 'Person1 (Language)')!;
    expect(lang.parent).toBe('Person1 (Utterance)');
    expect(lang.vocabulary).toEqual(['en', 'jp']);
    // A reference annotation takes its parent's time.
    expect(lang.annotations[1]).toMatchObject({ startMs: 3200, endMs: 5050, value: 'jp' });
    expect(doc.tiers[0]!.participant).toBe('P001');
    expect(doc.media).toEqual([{ name: 'test.wav', url: 'file:///home/tuananh/Documents/ELAN/test.wav', originMs: 0 }]);
  });

  it('places an unaligned slot between its aligned neighbours and reads TIME_ORIGIN', () => {
    const doc = read('rupture-coding.eaf');
    // ts3 has no value; it lies between 3000 and 9000 on the tier's chain.
    expect(spans(doc, 'Ruptures Coder A').slice(0, 3)).toEqual([
      [1000, 3000, 'W2'],
      [3000, 6000, 'C2'],
      [6000, 9000, 'W4'],
    ]);
    expect(doc.media).toEqual([expect.objectContaining({ name: 'session.webm', originMs: 2000 })]);
    expect(doc.tiers.find((t) => t.name === 'Ruptures Coder A')!.annotator).toBe('Coder A');
  });
});

describe('ELAN: nothing changed without a word', () => {
  it("says when a value is taken from the vocabulary's entry instead of as written", () => {
    const doc = read('rupture-coding.eaf');
    expect(doc.warnings.join(' ')).toMatch(
      /value was taken from the controlled vocabulary's entry .*: "[^"]+" → "[^"]+"/,
    );
  });
  it('says when an annotation ends on an unaligned slot with no aligned time after it', () => {
    const eaf = `<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2026-12-06T00:00:00+00:00" FORMAT="3.0" VERSION="3.0">
<HEADER MEDIA_FILE="" TIME_UNITS="milliseconds"/>
<TIME_ORDER><TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="1000"/><TIME_SLOT TIME_SLOT_ID="ts2"/></TIME_ORDER>
<TIER LINGUISTIC_TYPE_REF="default" TIER_ID="Ruptures"><ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2"><ANNOTATION_VALUE>W2</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION></TIER>
<LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="default" TIME_ALIGNABLE="true"/>
</ANNOTATION_DOCUMENT>`;
    const doc = readEaf(eaf);
    expect(doc.tiers[0]!.annotations[0]).toMatchObject({ startMs: 1000, endMs: 1000 });
    expect(doc.warnings).toContain(
      '1 annotation (a1) ends on an unaligned time slot with no aligned time after it; it ends at the last aligned time before, as ELAN shows it (a point, if it starts there too).',
    );
  });
  it('keeps quotes that are part of a value in ELAN tab text (ELAN writes values as they are)', () => {
    const text = 'Begin Time - msec\tEnd Time - msec\tNotes\n1000\t2000\t"so what" she said\n3000\t4000\t"quoted"\n';
    expect(readForeign(text, detectFormat(text)).tiers[0]!.annotations.map((a) => a.value)).toEqual([
      '"so what" she said',
      '"quoted"',
    ]);
    // A file whose every cell is quoted (another program's) is unquoted.
    const all = '"Begin Time - msec"\t"End Time - msec"\t"Notes"\n"1000"\t"2000"\t"a ""b"""\n';
    expect(readForeign(all, detectFormat(all)).tiers[0]!.annotations[0]!.value).toBe('a "b"');
  });
});

describe('ELAN tab-delimited text', () => {
  it('with hh:mm:ss.ms and ss.msec both ticked, every end time is right', () => {
    expect(spans(read('elan-both-times.txt'), 'Ruptures')).toEqual([
      [1500, 4250, 'W2'],
      [10000, 12500, 'C1'],
    ]);
  });
  it('reads msec-only columns as milliseconds, not seconds', () => {
    const doc = read('elan-msec-noheader.txt');
    expect(spans(doc, 'Ruptures')[0]).toEqual([1500, 4250, 'W2']);
    expect(spans(doc, 'Repairs')).toEqual([[13000, 15000, 'R4']]);
    expect(doc.warnings[0]).toMatch(
      /No header line: columns were read by their shapes \(begin msec, end msec, duration msec\)/,
    );
  });
  it('reads one column per tier', () => {
    const doc = read('elan-tier-columns.txt');
    expect(spans(doc, 'Ruptures')).toEqual([[1500, 4250, 'W2']]);
    expect(spans(doc, 'Repairs')).toEqual([[13000, 15000, 'R4']]);
  });
  it('a numeric participant column is a participant, not a begin time (columns from shapes over every row)', () => {
    const text = [
      'Ruptures\t2\t10000\t12000\t2000\tW2',
      'Ruptures\t2\t15000\t15500\t500\tC1',
      'Repairs\t7\t20000\t24000\t4000\tR4',
    ].join('\n');
    const doc = readForeign(text, detectFormat(text));
    expect(doc.tiers.map((t) => [t.name, t.participant])).toEqual([
      ['Ruptures', '2'],
      ['Repairs', '7'],
    ]);
    expect(doc.tiers[0]!.annotations.map((a) => [a.startMs, a.endMs, a.value])).toEqual([
      [10000, 12000, 'W2'],
      [15000, 15500, 'C1'],
    ]);
    // Without a duration column too (begin and end only).
    const two = 'Ruptures\t3\t10000\t12000\tW2\nRuptures\t3\t15000\t15500\tC1';
    expect(readForeign(two, detectFormat(two)).tiers[0]!.annotations[0]).toMatchObject({
      startMs: 10000,
      endMs: 12000,
    });
  });
  it("reads ELAN's media header lines as ELAN writes them (quoted, '#URL -- offset: N, duration: …')", () => {
    const text = [
      '"#file:///C:/Users/coder/session%201.mp4 -- offset: 0, duration: 00:50:00.000 / 3000.000 / 3000000, ms per sample: 40.0"',
      '"#file:///C:/Users/coder/lavalier.wav -- offset: 2500"',
      'Begin Time - msec\tEnd Time - msec\tRuptures',
      '1500\t4250\tW2',
    ].join('\r\n');
    const doc = readForeign(text, detectFormat(text));
    expect(doc.media).toEqual([
      { name: 'session 1.mp4', originMs: 0 },
      { name: 'lavalier.wav', originMs: 2500 },
    ]);
    expect(doc.tiers[0]!.annotations.map((a) => [a.startMs, a.endMs, a.value])).toEqual([[1500, 4250, 'W2']]);
  });
  it('keeps participants', () => {
    expect(read('elan-both-times.txt').tiers.map((t) => [t.name, t.participant])).toEqual([
      ['Ruptures', 'Patient'],
      ['Repairs', 'Therapist'],
    ]);
  });
});

describe('BORIS', () => {
  it('reads a real project: state events paired, points kept, media offsets, unpaired events named', () => {
    const doc = read('boris-test.boris');
    expect(doc.observations).toContain('offset positif');
    expect(spans(doc, 'observation #1 / subject1')).toEqual([
      [3300, 7750, 's'],
      [9900, 16200, 's'],
      [18350, 24475, 's'],
    ]);
    expect(spans(doc, 'offset positif')[0]).toEqual([22425, 22425, 'p']);
    expect(doc.media.find((m) => m.name === 'video_test_25fps_180s.mp4')!.originMs).toBe(-20000);
    expect(doc.rejected).toEqual([
      { at: 'observation "live not paired", event 12', reason: 'state event "s" starts but never stops (not paired).' },
    ]);
  });

  it("places each observation by BORIS's own rules: its players' media offsets, and its time offset once", () => {
    // BORIS (core.py): the time stored is player 1's media time + the observation's time offset;
    // player n shows that time minus its media offset (sync_time). The real project has the
    // 180-s video as player 2 with +20 s in one observation and −20 s in another, and as player 1
    // with no offset in a third.
    const text = decodeText(bytes('boris-test.boris')).text;
    const plan = (observation: string, recording: string, patch?: (o: Record<string, unknown>) => void) => {
      const pj = JSON.parse(text) as { observations: Record<string, Record<string, unknown>> };
      patch?.(pj.observations[observation]!);
      const doc = readForeign(JSON.stringify(pj), 'boris-project');
      const p = planImport(doc, DEFAULT_CODEBOOK, {
        fileName: 'test.boris',
        observations: [observation],
        raterPerTier: true,
        addCodes: true,
        recordings: [{ name: recording, offsetMs: 0 }],
      });
      // (A point event is given the minimum length, and the plan says so: only starts are compared for points.)
      return p.segments.flatMap((g) => g.rows.map((r) => [r.startMs, r.endMs]));
    };
    // Player 2 at +20 s: an event at 22.425 s is 2.425 s into the 180-s file; at −20 s, 0.01 s is 20.01 s.
    expect(plan('offset positif', 'video_test_25fps_180s.mp4')[0]![0]).toBe(2425);
    expect(plan('offset neg', 'video_test_25fps_180s.mp4')[0]![0]).toBe(20010);
    // The same file as player 1 elsewhere: no offset there (another observation's does not leak in).
    expect(plan('modifiers', 'video_test_25fps_180s.mp4')[0]![0]).toBe(8475);
    // A time offset of 2 s: events at 9.9–16.2 s lie at 7.9–14.2 s of the media, as BORIS shows them.
    expect(
      plan('observation #1', 'video_test_25fps_360s.mp4', (o) => {
        o['time offset'] = 2;
      }),
    ).toContainEqual([7900, 14200]);
  });

  it('--observation X imports X even when another observation has an unpaired event', () => {
    const doc = read('boris-test.boris');
    const p = planImport(doc, DEFAULT_CODEBOOK, {
      fileName: 'test.boris',
      observations: ['observation #1'],
      raterPerTier: true,
      addCodes: true,
    });
    expect(p.rejected).toEqual([]);
    expect(p.blocking).toEqual([]);
  });

  it("reads BORIS's own headerless aggregated rows by their shape, not as ELAN times (BORIS's test files)", () => {
    const two = read('boris-test_export_aggregated_events_test_full_2.tsv');
    expect(two.format).toBe('boris-aggregated');
    expect(spans(two, 'observation #2 / subject1')).toEqual([
      [266165, 276690, 's'],
      [280965, 294215, 's'],
    ]);
    expect(two.warnings[0]).toMatch(/No header line: read as BORIS aggregated events by the shape of every row/);
    // With a description column, and point events with Stop "NA" and modifiers padded with spaces.
    expect(spans(read('boris-test_export_aggregated_events_test_full_4.tsv'), 'observation #2')[0]).toEqual([
      1800,
      8125,
      's',
    ]);
    expect(spans(read('boris-test_export_aggregated_events_test_full_5.tsv'), 'observation #2')[0]).toEqual([
      5000,
      8125,
      's',
    ]);
    const live = read('boris-test_export_aggregated_events_test_full_with_trailing_spaces_in_modifiers.tsv');
    expect(live.tiers[0]!.annotations.map((a) => [a.startMs, a.endMs, a.modifiers])).toEqual([
      [4151, 4151, ['a', 'c']],
      [12663, 12663, ['a']],
      [20135, 20135, ['111']],
      [26007, 26007, ['c']],
    ]);
    // Every real BORIS file kept here reads, with annotations and only the unpaired events refused.
    for (const f of fs.readdirSync(FIX).filter((x) => x.startsWith('boris-'))) {
      const doc = read(f);
      expect(doc.tiers.reduce((n, t) => n + t.annotations.length, 0)).toBeGreaterThan(0);
      for (const r of doc.rejected) expect(r.reason).toMatch(/never stops|not paired/);
    }
  });

  it('reads BORIS 6/7 aggregated and tabular exports alike', () => {
    expect(spans(read('boris-test_export_aggregated_events_test_full_1.tsv'), 'observation #2')[0]).toEqual([
      1800,
      8125,
      's',
    ]);
    const tab = read('boris-test_export_events_tabular.csv');
    expect(spans(tab, 'observation #1 / subject1')).toEqual(
      spans(read('boris-test_export_events_tabular.tsv'), 'observation #1 / subject1'),
    );
    expect(spans(tab, 'observation #1 / subject2')).toEqual([[38425, 46100, 's']]);
  });

  it('reads BORIS 8 columns by their exact names: Start (s), not "Image index start"; modifiers and comments kept', () => {
    const doc = read('boris8-aggregated.csv');
    const a = doc.tiers.find((t) => t.name === 'rater-a / Patient')!.annotations[0]!;
    expect(a).toMatchObject({ startMs: 1500, endMs: 4250, value: 'W2', subject: 'Patient', modifiers: ['3'] });
    expect(a.comment).toBe('long pause, then "I don\'t know"');
    expect(spans(doc, 'rater-b / Patient')).toEqual([[2000, 2000, 'W2']]);
    const tab = read('boris8-tabular.tsv');
    expect(spans(tab, 'rater-a / Patient')).toEqual([
      [1500, 4250, 'W2'],
      [7000, 7000, 'W5'],
    ]);
  });
});

describe('subtitles', () => {
  it('reads speakers from WebVTT voice tags and SRT name prefixes the same way', () => {
    for (const f of ['transcript.vtt', 'transcript.srt']) {
      const doc = read(f);
      expect(doc.tiers.map((t) => t.name)).toEqual(['Therapistin', 'Patient']);
      expect(doc.tiers[1]!.annotations[0]).toMatchObject({ startMs: 3100, endMs: 5600 });
    }
    expect(read('transcript.vtt').tiers[1]!.annotations[0]!.value).toBe('Gut, denke ich. Ich weiß nicht.');
  });
});

describe('the mapping step', () => {
  const recordings = [{ name: 'session.webm', offsetMs: 500 }];
  it('decides coding and transcript tiers, raters from annotators, codes from a multilingual vocabulary', () => {
    const plan = planImport(read('rupture-coding.eaf'), DEFAULT_CODEBOOK, { fileName: 'r.eaf', recordings });
    const roles = Object.fromEntries(plan.tiers.map((t) => [t.name, [t.role, t.rater]]));
    expect(roles).toEqual({
      'Ruptures Coder A': ['rupture', 'Coder A'],
      'Notes Coder A': ['comment', 'Coder A'],
      'Ruptures Coder B': ['rupture', 'Coder B'],
      T: ['transcript', null],
      P: ['transcript', null],
    });
    // TIME_ORIGIN 2000 + the recording's offset 500: the file's 1 s is the session's 3.5 s.
    expect(plan.shiftMs).toBe(2500);
    const a = plan.segments.find((s) => s.rater === 'Coder A')!.rows;
    expect(a[0]).toMatchObject({ kind: 'rupture', startMs: 3500, endMs: 5500, codes: ['W2'] });
    expect(a[0]!.origin).toMatchObject({ file: 'r.eaf', tier: 'Ruptures Coder A', annotator: 'Coder A', value: 'W2' });
    // "Rückzug (sonstiger)" is not in the codebook: named, never dropped silently.
    expect(plan.unmapped).toEqual([{ tier: 'Ruptures Coder A', value: 'Rückzug (sonstiger)', count: 1 }]);
    expect(plan.rejected.at(-1)!.reason).toMatch(
      /not a code in the codebook; map it to a code, or add it to the codebook/,
    );
    expect(plan.utterances.map((u) => [u.speaker, u.startMs])).toEqual([
      ['Therapistin', 3000],
      ['Patient', 5600],
    ]);
  });

  it('maps values with a map file, or adds them as new codes when asked', () => {
    const doc = read('rupture-coding.eaf');
    const mapped = planImport(doc, DEFAULT_CODEBOOK, {
      fileName: 'r.eaf',
      map: { codes: { 'Rückzug (sonstiger)': 'W7' } },
    });
    expect(mapped.unmapped).toEqual([]);
    expect(mapped.segments[0]!.rows.at(-1)!.codes).toEqual(['W7']);
    const added = planImport(doc, DEFAULT_CODEBOOK, { fileName: 'r.eaf', addCodes: true });
    expect(added.newCodes).toEqual([
      expect.objectContaining({
        key: 'RUCKZUGSONSTIGER',
        label: 'Rückzug (sonstiger)',
        group: 'imported',
        category: 'withdrawal',
      }),
    ]);
    const bad = planImport(doc, DEFAULT_CODEBOOK, { fileName: 'r.eaf', map: { codes: { x: 'Q9' } }, tiers: ['Nope'] });
    expect(bad.blocking.join(' ')).toMatch(/no tier "Nope".*sends "x" to Q9/s);
  });

  it('asks whose coding a tier is when the file does not say', () => {
    const plan = planImport(read('elan-both-times.txt'), DEFAULT_CODEBOOK, { fileName: 'e.txt' });
    expect(plan.blocking[0]).toBe(
      'Whose coding is tier "Ruptures"? It names no annotator: say which rater it belongs to.',
    );
  });

  it('gives point events of ruptures the minimum length and marks them as points', () => {
    const plan = planImport(read('boris8-aggregated.csv'), DEFAULT_CODEBOOK, { fileName: 'b.csv', raterPerTier: true });
    const b = plan.segments.find((s) => s.rater === 'rater-b')!.rows[0]!;
    expect(b).toMatchObject({ startMs: 2000, endMs: 2100, kind: 'rupture' });
    expect(b.origin.point).toBe(true);
    expect(plan.warnings.join(' ')).toMatch(/1 point event was given the minimum length of 100 ms/);
  });
});

describe('writing EAF', () => {
  it('validates against ELAN’s EAF 3.0 schema, with odd characters in names and notes', async () => {
    const xml = writeEaf({
      author: 'Alliance Review',
      recordings: [
        { fileName: 'Sitzung 1 – Kamera.mp4', path: '/data/Sitzung 1 – Kamera.mp4', offsetMs: 0 },
        { fileName: 'recorder.wav', path: '/data/recorder.wav', offsetMs: -1500 },
      ],
      raters: [{ id: 1, name: 'Dr. Müller & "B"', role: 'supervisor', consensus: false }],
      segments: [
        seg(1, 'rupture', 1000, 2000, { codes: ['W2', 'W5'], rating: 4, note: 'a <b> & \u0007' }),
        seg(2, 'repair', 2500, 4000, { codes: ['R4'], stage: 'W-3', linkedRuptureIds: [1] }),
        seg(3, 'comment', 5000, 5000, { note: 'Ask about this' }),
      ],
      codebook: DEFAULT_CODEBOOK,
      utterances: [{ id: 1, sessionId: 1, startMs: 0, endMs: 900, speaker: 'Patient', text: 'Ich weiß nicht.' }],
    });
    const result = await validateXML({
      xml: [{ fileName: 'out.eaf', contents: xml }],
      schema: [fs.readFileSync(path.join(FIX, 'EAFv3.0.xsd'), 'utf8')],
    });
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(xml).toContain('TIME_ORIGIN="1500"');
  });
});
