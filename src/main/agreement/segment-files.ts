/**
 * Reading our own files: the segments CSV (`type,code,start,end[,significance,stage,note]`), the
 * raters' spans for agreement (CSV, or ELAN/BORIS through interop/), and ratings tables. Each row
 * becomes an input with its line number, or a rejection with the reason. Plain Node.
 */
import { parse } from 'csv-parse/sync';
import { AppError } from '../../shared/errors';
import { parseTime } from '../../shared/time';
import { csvText, separatorOf, type Separator } from '../../shared/csv';
import { detectFormat as detectForeign, formatLabel, readForeign, type Detected } from '../interop/detect';
import type { SegmentInput } from '../coding/annotations';

export type SegmentFileFormat = 'csv';

export interface ParsedRows {
  format: SegmentFileFormat;
  rows: { line: number; input: Omit<SegmentInput, 'sessionId'> }[];
  rejected: { line: number; reason: string }[];
  /** The separator found in the header, said in words. */
  separator: Separator;
}

/** Times in seconds (`83.5`), `mm:ss(.mmm)` or `hh:mm:ss(.mmm)`; returns ms or null. */
export function parseSeconds(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  return parseTime(text.trim());
}

/**
 * Rows of a CSV. A file that is not text (a recording given by mistake) or not valid CSV throws a
 * message that says so and where, without quoting the bytes it choked on.
 */
function records(text: string, delimiter: string): string[][] {
  if (text.slice(0, 8192).includes('\u0000'))
    throw new AppError(
      'INVALID_INPUT',
      'This is not a text file (a recording, perhaps?), so it cannot be read as CSV.',
    );
  try {
    return parse(text.replace(/^\uFEFF/, ''), {
      delimiter,
      relax_column_count: true,
      relax_quotes: delimiter === '\t',
      skip_empty_lines: false,
      quote: delimiter === '\t' ? false : '"',
    }) as string[][];
  } catch (error) {
    const why = (error as Error).message.replace(/,? value is[\s\S]*$/, '').slice(0, 200);
    throw Object.assign(new AppError('INVALID_INPUT', `The file is not valid CSV (${why}).`), {
      lines: (error as { lines?: number }).lines,
    });
  }
}

/** Splits a code cell such as `W2;W5` or `W2+W5` into codes. */
function codesOf(cell: string | undefined): string[] {
  return (cell ?? '')
    .split(/[;+,|]/)
    .map((c) => c.trim())
    .filter(Boolean);
}

/** Our own segments CSV. Other tools' files go through interop/ (detect, read, map). */
export function parseSegmentFile(text: string): ParsedRows {
  return parseCsv(text);
}

function parseCsv(text: string): ParsedRows {
  const separator = separatorOf(text);
  const out: ParsedRows = { format: 'csv', rows: [], rejected: [], separator };
  let recs: string[][];
  try {
    recs = records(text, separator);
  } catch (error) {
    out.rejected.push({ line: (error as { lines?: number }).lines ?? 1, reason: (error as Error).message });
    return out;
  }
  const header = (recs[0] ?? []).map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const missing = ['type', 'code', 'start', 'end'].filter((n) => col(n) < 0);
  if (missing.length) {
    out.rejected.push({
      line: 1,
      reason: `The header must name the columns type,code,start,end; missing: ${missing.join(', ')}.`,
    });
    return out;
  }
  recs.slice(1).forEach((rec, i) => {
    const line = i + 2;
    if (rec.every((c) => c.trim() === '')) return;
    // Cells as written, less the apostrophe our own spreadsheet export puts before a formula-like text.
    const get = (name: string) => {
      const cell = col(name) >= 0 ? rec[col(name)]?.trim() : undefined;
      return cell === undefined ? undefined : csvText(cell);
    };
    const type = (get('type') ?? '').toLowerCase();
    if (type !== 'rupture' && type !== 'repair' && type !== 'comment') {
      out.rejected.push({ line, reason: `type must be rupture, repair or comment, not "${get('type') ?? ''}".` });
      return;
    }
    const start = parseSeconds(get('start'));
    const end = get('end') === '' && type === 'comment' ? start : parseSeconds(get('end'));
    if (start === null)
      return void out.rejected.push({
        line,
        reason: `start "${get('start') ?? ''}" is not a time (seconds or hh:mm:ss.mmm).`,
      });
    if (end === null)
      return void out.rejected.push({
        line,
        reason: `end "${get('end') ?? ''}" is not a time (seconds or hh:mm:ss.mmm).`,
      });
    const sig = get('significance') ?? get('rating');
    const rating = sig ? Number(sig) : null;
    if (sig && !(Number.isInteger(rating) && rating! >= 1 && rating! <= 5)) {
      return void out.rejected.push({ line, reason: `significance "${sig}" must be a whole number from 1 to 5.` });
    }
    out.rows.push({
      line,
      input: {
        kind: type,
        startMs: start,
        endMs: end,
        codes: type === 'comment' ? [] : codesOf(get('code')),
        rating: type === 'comment' ? null : rating,
        stage: get('stage') || null,
        note: get('note') ?? (type === 'comment' ? (get('code') ?? '') : ''),
      },
    });
  });
  return out;
}

/**
 * Spans of several raters for the agreement command: CSV `rater,code,start,end` (seconds or
 * hh:mm:ss.mmm); ELAN (.eaf or tab-delimited), a tier per rater (`tiers` chooses which), the
 * annotation as the code; BORIS (project or export), an observation per rater, the behaviour as
 * the code. Point events keep their zero length (a point counts in the unit it falls in).
 */
export function parseRaterSpans(
  text: string,
  opts: { tiers?: string[] } = {},
): {
  format: 'csv' | 'elan' | 'boris';
  detected: Detected;
  spans: { rater: string; code: string; startMs: number; endMs: number }[];
  rejected: { line: number; reason: string }[];
} {
  const detected = detectForeign(text);
  if (detected === 'empty') throw new AppError('INVALID_INPUT', 'The file is empty.');
  const spans: { rater: string; code: string; startMs: number; endMs: number }[] = [];
  const rejected: { line: number; reason: string }[] = [];
  if (detected === 'ratings-csv')
    throw new AppError('INVALID_INPUT', 'This is a CSV of ratings (unit, rater, value): use agreement ratings FILE.');
  if (detected !== 'rater-csv' && detected !== 'alliance-csv' && detected !== 'unknown') {
    if (detected === 'webvtt' || detected === 'srt' || detected === 'timed-text')
      throw new AppError('INVALID_INPUT', `This is a transcript (${formatLabel(detected)}), not raters' codes.`);
    const doc = readForeign(text, detected);
    const boris = detected.startsWith('boris');
    const wanted = opts.tiers?.length ? new Set(opts.tiers) : null;
    // A BORIS observation is one rater (named by its "rater" variable when it has one).
    const raterOf = (t: (typeof doc.tiers)[number]) => (boris ? (t.annotator ?? t.observation ?? t.name) : t.name);
    const comments = new Set(doc.commentValues ?? []);
    if (wanted) {
      const names = new Set(doc.tiers.map((t) => (boris ? (t.observation ?? t.name) : t.name)));
      const missing = [...wanted].filter((n) => !names.has(n));
      if (missing.length)
        throw new AppError(
          'INVALID_INPUT',
          `No ${boris ? 'observation' : 'tier'} ${missing.map((m) => `"${m}"`).join(', ')} in this file; it has ${[...names].map((n) => `"${n}"`).join(', ')}.`,
        );
    }
    for (const t of doc.tiers) {
      if (wanted && !wanted.has(boris ? (t.observation ?? t.name) : t.name)) continue;
      const rater = raterOf(t);
      for (const a of t.annotations) {
        if (comments.has(a.value)) continue; // a comment is not a code
        const code = a.value.trim().normalize('NFC').toUpperCase();
        if (!code) continue;
        spans.push({ rater: rater.normalize('NFC'), code, startMs: a.startMs, endMs: a.endMs });
      }
    }
    for (const r of doc.rejected)
      rejected.push({ line: Number(/line (\d+)/.exec(r.at)?.[1] ?? 0), reason: `${r.at}: ${r.reason}` });
    return { format: boris ? 'boris' : 'elan', detected, spans, rejected };
  }
  const recs = records(text.replace(/^\uFEFF/, ''), separatorOf(text));
  const header = (recs[0] ?? []).map((h) => h.trim().toLowerCase());
  const col = (...names: string[]) => header.findIndex((h) => names.some((n) => h === n || h.startsWith(n)));
  const [cRater, cCode, cStart, cEnd] = [col('rater', 'coder'), col('code'), col('start'), col('end')];
  if ([cRater, cCode, cStart, cEnd].some((c) => c < 0)) {
    return {
      format: 'csv',
      detected,
      spans,
      rejected: [{ line: 1, reason: 'The header must name the columns rater,code,start,end.' }],
    };
  }
  recs.forEach((rec, i) => {
    const line = i + 1;
    if (i === 0 || rec.every((c) => c.trim() === '')) return;
    // Names and codes Unicode-normalised (NFC): "José" typed two ways is one rater.
    const rater = rec[cRater]?.trim().normalize('NFC') ?? '';
    const code = rec[cCode]?.trim().normalize('NFC').toUpperCase() ?? '';
    const start = parseSeconds(rec[cStart]);
    const end = parseSeconds(rec[cEnd]);
    if (!rater) return void rejected.push({ line, reason: 'no rater on this line.' });
    if (!code) return void rejected.push({ line, reason: 'no code on this line.' });
    if (start === null || end === null)
      return void rejected.push({ line, reason: 'start or end is not a time (seconds or hh:mm:ss.mmm).' });
    if (end < start) return void rejected.push({ line, reason: 'the end comes before the start.' });
    spans.push({ rater, code, startMs: start, endMs: end });
  });
  return { format: 'csv', detected, spans, rejected };
}

/** What researchers' files write for a missing value (R's NA, SPSS's ".", "-", "?", empty). */
const MISSING = new Set(['', 'na', 'n/a', '.', '-', '?', 'nan', 'null']);
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * `unit,rater,value` rows as a units × raters table, in one pass (100,000 rows in well under a
 * second). Comma, semicolon or tab separated (the header decides). Missing: empty, NA, N/A, ".",
 * NaN, null, "-", "?" — counted and said. A value is a number only when written as a decimal
 * number (`0x10` and `1e400` are refused, as is a decimal comma); other text is a label, even
 * when it starts with a digit ("1 low"). Names are trimmed and Unicode-normalised (NFC), so "José" typed
 * two ways is one rater.
 */
export function parseRatingsTable(text: string): {
  units: string[];
  raters: string[];
  table: (number | string | null)[][];
  rejected: { line: number; reason: string }[];
  missing: number;
} {
  const clean = text.replace(/^\uFEFF/, '');
  const recs = records(clean, separatorOf(clean));
  const header = (recs[0] ?? []).map((h) => h.trim().toLowerCase());
  const [cu, cr, cv] = [header.indexOf('unit'), header.indexOf('rater'), header.indexOf('value')];
  if (cu < 0 || cr < 0 || cv < 0) {
    return {
      units: [],
      raters: [],
      table: [],
      missing: 0,
      rejected: [
        {
          line: 1,
          reason: `The header must name the columns unit,rater,value; it has ${header.map((h) => `"${h}"`).join(', ') || 'nothing'}.`,
        },
      ],
    };
  }
  const unitIndex = new Map<string, number>();
  const raterIndex = new Map<string, number>();
  const cells: { u: number; r: number; value: number | string | null }[] = [];
  const seen = new Set<string>();
  const rejected: { line: number; reason: string }[] = [];
  let missing = 0;
  recs.slice(1).forEach((rec, i) => {
    const line = i + 2;
    if (rec.every((c) => c.trim() === '')) return;
    const unit = (rec[cu] ?? '').trim().normalize('NFC');
    const rater = (rec[cr] ?? '').trim().normalize('NFC');
    if (!unit || !rater) return void rejected.push({ line, reason: 'unit and rater must not be empty.' });
    const raw = (rec[cv] ?? '').trim();
    let value: number | string | null;
    if (MISSING.has(raw.toLowerCase())) {
      value = null;
      missing++;
    } else if (NUMBER.test(raw) && Number.isFinite(Number(raw))) value = Number(raw);
    else if (/^[-+]?0x[0-9a-f]+$/i.test(raw) || NUMBER.test(raw))
      // Hexadecimal, or a decimal number too large for a double (1e400).
      return void rejected.push({ line, reason: `"${raw}" is not a number written in decimals.` });
    else if (/^[-+]?\d+,\d+$/.test(raw))
      return void rejected.push({
        line,
        reason: `"${raw}" looks like a number with a decimal comma; write it with a point (${raw.replace(',', '.')}).`,
      });
    // Anything else is a label, digits first or not ("1 low", "4. Neurosis").
    else value = raw.normalize('NFC');
    const key = `${unit}\u0000${rater}`;
    if (seen.has(key)) return void rejected.push({ line, reason: `rater ${rater} rated unit ${unit} twice.` });
    seen.add(key);
    let u = unitIndex.get(unit);
    if (u === undefined) unitIndex.set(unit, (u = unitIndex.size));
    let r = raterIndex.get(rater);
    if (r === undefined) raterIndex.set(rater, (r = raterIndex.size));
    cells.push({ u, r, value });
  });
  const units = [...unitIndex.keys()];
  const raters = [...raterIndex.keys()];
  const table = units.map(() => new Array<number | string | null>(raters.length).fill(null));
  for (const c of cells) table[c.u]![c.r] = c.value;
  return { units, raters, table, rejected, missing };
}

/** Plain CSV rows (quoted fields allowed). */
export function parseCsvRows(text: string): string[][] {
  return records(text, ',');
}
