/**
 * Reading segment files: our CSV (`type,code,start,end[,significance,stage,note]`), ELAN's
 * tab-delimited export and BORIS's aggregated-events export. Each row becomes a segment input
 * with its line number, or a rejection with the reason. Plain Node.
 */
import { parse } from 'csv-parse/sync';
import type { SegmentKind } from '../../shared/annotations';
import type { CodebookDefinition } from '../../shared/codebook';
import { parseTime } from '../../shared/time';
import type { SegmentInput } from './annotations';

export type SegmentFileFormat = 'csv' | 'elan' | 'boris';

export interface ParsedRows {
  format: SegmentFileFormat;
  rows: { line: number; input: Omit<SegmentInput, 'sessionId'> }[];
  rejected: { line: number; reason: string }[];
}

/** Times in seconds (`83.5`), `mm:ss(.mmm)` or `hh:mm:ss(.mmm)`; returns ms or null. */
export function parseSeconds(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  return parseTime(text.trim());
}

export function detectFormat(text: string): SegmentFileFormat {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  if (first.includes('\t')) {
    const lower = first.toLowerCase();
    if (lower.includes('behavior') || lower.includes('behaviour')) return 'boris';
    return 'elan';
  }
  return 'csv';
}

function records(text: string, delimiter: string): string[][] {
  return parse(text.replace(/^\uFEFF/, ''), {
    delimiter,
    relax_column_count: true,
    relax_quotes: delimiter === '\t',
    skip_empty_lines: false,
    quote: delimiter === '\t' ? false : '"',
  }) as string[][];
}

/** Splits a code cell such as `W2;W5` or `W2+W5` into codes. */
function codesOf(cell: string | undefined): string[] {
  return (cell ?? '')
    .split(/[;+,|]/)
    .map((c) => c.trim())
    .filter(Boolean);
}

function kindOfCodes(codes: string[], codebook: CodebookDefinition): SegmentKind | null {
  const cats = new Set(codes.map((k) => codebook.codes.find((c) => c.key.toUpperCase() === k.toUpperCase())?.category));
  if (cats.has('repair')) return 'repair';
  if (cats.has('withdrawal') || cats.has('confrontation')) return 'rupture';
  return null;
}

export function parseSegmentFile(text: string, codebook: CodebookDefinition): ParsedRows {
  const format = detectFormat(text);
  switch (format) {
    case 'csv':
      return parseCsv(text);
    case 'elan':
      return parseElan(text, codebook);
    case 'boris':
      return parseBoris(text, codebook);
  }
}

function parseCsv(text: string): ParsedRows {
  const out: ParsedRows = { format: 'csv', rows: [], rejected: [] };
  let recs: string[][];
  try {
    recs = records(text, ',');
  } catch (error) {
    out.rejected.push({
      line: (error as { lines?: number }).lines ?? 1,
      reason: `The file is not valid CSV (${(error as Error).message}).`,
    });
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
    const get = (name: string) => (col(name) >= 0 ? rec[col(name)]?.trim() : undefined);
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

function tierKind(tier: string): SegmentKind | null {
  const t = tier.toLowerCase();
  if (t.includes('rupt')) return 'rupture';
  if (t.includes('repair') || t.includes('resol')) return 'repair';
  if (t.includes('comment') || t.includes('note') || t.includes('feedback')) return 'comment';
  return null;
}

/**
 * ELAN "Export > Tab-delimited text": one annotation per line, the tier name first and the
 * annotation value last, with begin and end times (hh:mm:ss.ms or seconds) between. A header
 * line, when exported, is recognised and skipped. The tier decides the kind (names containing
 * "rupture", "repair"/"resolution", "comment"); otherwise the code does.
 */
function parseElan(text: string, codebook: CodebookDefinition): ParsedRows {
  const out: ParsedRows = { format: 'elan', rows: [], rejected: [] };
  const recs = records(text, '\t');
  const header = (recs[0] ?? []).map((h) => h.trim().toLowerCase());
  const hasHeader = header.some((h) => /begin time|^tier/.test(h));
  const beginCol = hasHeader ? header.findIndex((h) => h.startsWith('begin')) : -1;
  const endCol = hasHeader ? header.findIndex((h) => h.startsWith('end')) : -1;
  recs.forEach((rec, i) => {
    const line = i + 1;
    if (rec.every((c) => c.trim() === '')) return;
    if (i === 0 && hasHeader) return;
    const tier = rec[0]?.trim() ?? '';
    const value = rec[rec.length - 1]?.trim() ?? '';
    let start: number | null;
    let end: number | null;
    if (beginCol > 0 && endCol > 0) {
      start = parseSeconds(rec[beginCol]);
      end = parseSeconds(rec[endCol]);
    } else {
      // Without a header: tier, [participant], begin, end, [duration], annotation.
      const times = rec
        .slice(1, -1)
        .map((c) => parseSeconds(c))
        .filter((t): t is number => t !== null);
      [start, end] = [times[0] ?? null, times[1] ?? null];
    }
    if (start === null || end === null)
      return void out.rejected.push({ line, reason: 'no begin and end time found on this line.' });
    const codes = codesOf(value);
    const kind = tierKind(tier) ?? kindOfCodes(codes, codebook) ?? 'comment';
    out.rows.push({
      line,
      input:
        kind === 'comment'
          ? { kind, startMs: start, endMs: end, note: value ? `${value}` : tier }
          : { kind, startMs: start, endMs: end, codes, note: '' },
    });
  });
  return out;
}

/**
 * BORIS "Export events > Aggregated events" as TSV: `Behavior` is the code, `Start (s)` and
 * `Stop (s)` the times, `Behavioral category` (rupture / repair / comment) or else the code
 * decides the kind, `Comment start` becomes the note.
 */
function parseBoris(text: string, codebook: CodebookDefinition): ParsedRows {
  const out: ParsedRows = { format: 'boris', rows: [], rejected: [] };
  const recs = records(text, '\t');
  const header = (recs[0] ?? []).map((h) => h.trim().toLowerCase());
  const find = (...names: string[]) => header.findIndex((h) => names.some((n) => h === n || h.startsWith(n)));
  const cBehavior = find('behavior', 'behaviour');
  const cStart = find('start (s)', 'start');
  const cStop = find('stop (s)', 'stop');
  const cCategory = find('behavioral category', 'behavioural category');
  const cComment = find('comment start', 'comment');
  if (cBehavior < 0 || cStart < 0) {
    out.rejected.push({ line: 1, reason: 'A BORIS export needs the columns Behavior and Start (s).' });
    return out;
  }
  recs.slice(1).forEach((rec, i) => {
    const line = i + 2;
    if (rec.every((c) => c.trim() === '')) return;
    const codes = codesOf(rec[cBehavior]);
    const start = parseSeconds(rec[cStart]);
    const end = cStop >= 0 ? (parseSeconds(rec[cStop]) ?? start) : start;
    if (start === null || end === null)
      return void out.rejected.push({ line, reason: `Start "${rec[cStart] ?? ''}" is not a time in seconds.` });
    const category = cCategory >= 0 ? tierKind(rec[cCategory] ?? '') : null;
    const kind = category ?? kindOfCodes(codes, codebook) ?? 'comment';
    const note = cComment >= 0 ? (rec[cComment]?.trim() ?? '') : '';
    out.rows.push({
      line,
      input:
        kind === 'comment'
          ? { kind, startMs: start, endMs: end, note: note || codes.join(' ') }
          : { kind, startMs: start, endMs: end, codes, note },
    });
  });
  return out;
}

/**
 * Spans of several raters for the agreement command: CSV `rater,code,start,end` (seconds or
 * hh:mm:ss.mmm); an ELAN tab-delimited export, one tier per rater, the annotation as the code; a
 * BORIS aggregated export, one observation per rater (`Observation id`), `Behavior` as the code.
 */
export function parseRaterSpans(text: string): {
  format: SegmentFileFormat;
  spans: { rater: string; code: string; startMs: number; endMs: number }[];
  rejected: { line: number; reason: string }[];
} {
  const format = detectFormat(text);
  const spans: { rater: string; code: string; startMs: number; endMs: number }[] = [];
  const rejected: { line: number; reason: string }[] = [];
  const recs = records(text, format === 'csv' ? ',' : '\t');
  const header = (recs[0] ?? []).map((h) => h.trim().toLowerCase());
  const col = (...names: string[]) => header.findIndex((h) => names.some((n) => h === n || h.startsWith(n)));
  let cRater: number;
  let cCode: number;
  let cStart: number;
  let cEnd: number;
  let skipHeader = true;
  if (format === 'csv') {
    [cRater, cCode, cStart, cEnd] = [col('rater', 'coder'), col('code'), col('start'), col('end')];
    if ([cRater, cCode, cStart, cEnd].some((c) => c < 0)) {
      return {
        format,
        spans,
        rejected: [{ line: 1, reason: 'The header must name the columns rater,code,start,end.' }],
      };
    }
  } else if (format === 'boris') {
    [cRater, cCode, cStart, cEnd] = [
      col('observation id', 'subject'),
      col('behavior', 'behaviour'),
      col('start (s)', 'start'),
      col('stop (s)', 'stop'),
    ];
    if ([cRater, cCode, cStart].some((c) => c < 0)) {
      return {
        format,
        spans,
        rejected: [{ line: 1, reason: 'A BORIS export needs Observation id, Behavior and Start (s).' }],
      };
    }
  } else {
    const hasHeader = header.some((h) => /begin time|^tier/.test(h));
    skipHeader = hasHeader;
    cRater = 0;
    cCode = -1;
    cStart = hasHeader ? header.findIndex((h) => h.startsWith('begin')) : -1;
    cEnd = hasHeader ? header.findIndex((h) => h.startsWith('end')) : -1;
  }
  recs.forEach((rec, i) => {
    const line = i + 1;
    if ((i === 0 && skipHeader) || rec.every((c) => c.trim() === '')) return;
    const rater = rec[cRater]?.trim() ?? '';
    const code = (cCode >= 0 ? rec[cCode] : rec[rec.length - 1])?.trim().toUpperCase() ?? '';
    let start: number | null;
    let end: number | null;
    if (format === 'elan' && (cStart < 0 || cEnd < 0)) {
      const times = rec
        .slice(1, -1)
        .map((c) => parseSeconds(c))
        .filter((t): t is number => t !== null);
      [start, end] = [times[0] ?? null, times[1] ?? null];
    } else {
      start = parseSeconds(rec[cStart]);
      end = cEnd >= 0 ? parseSeconds(rec[cEnd]) : start;
    }
    if (!rater) return void rejected.push({ line, reason: 'no rater on this line.' });
    if (!code) return void rejected.push({ line, reason: 'no code on this line.' });
    if (start === null || end === null)
      return void rejected.push({ line, reason: 'start or end is not a time (seconds or hh:mm:ss.mmm).' });
    if (end < start) return void rejected.push({ line, reason: 'the end comes before the start.' });
    spans.push({ rater, code, startMs: start, endMs: end });
  });
  return { format, spans, rejected };
}

/** `unit,rater,value` rows (an empty value is missing) as a units × raters table. */
export function parseRatingsTable(text: string): {
  units: string[];
  raters: string[];
  table: (number | string | null)[][];
  rejected: { line: number; reason: string }[];
} {
  const recs = records(text, ',');
  const header = (recs[0] ?? []).map((h) => h.trim().toLowerCase());
  const [cu, cr, cv] = [header.indexOf('unit'), header.indexOf('rater'), header.indexOf('value')];
  if (cu < 0 || cr < 0 || cv < 0) {
    return {
      units: [],
      raters: [],
      table: [],
      rejected: [{ line: 1, reason: 'The header must name the columns unit,rater,value.' }],
    };
  }
  const units: string[] = [];
  const raters: string[] = [];
  const cells = new Map<string, number | string | null>();
  const rejected: { line: number; reason: string }[] = [];
  recs.slice(1).forEach((rec, i) => {
    const line = i + 2;
    if (rec.every((c) => c.trim() === '')) return;
    const unit = rec[cu]?.trim() ?? '';
    const rater = rec[cr]?.trim() ?? '';
    if (!unit || !rater) return void rejected.push({ line, reason: 'unit and rater must not be empty.' });
    const raw = rec[cv]?.trim() ?? '';
    const value = raw === '' ? null : Number.isFinite(Number(raw)) ? Number(raw) : raw;
    const key = `${unit}\u0000${rater}`;
    if (cells.has(key)) return void rejected.push({ line, reason: `rater ${rater} rated unit ${unit} twice.` });
    if (!units.includes(unit)) units.push(unit);
    if (!raters.includes(rater)) raters.push(rater);
    cells.set(key, value);
  });
  const table = units.map((u) => raters.map((r) => cells.get(`${u}\u0000${r}`) ?? null));
  return { units, raters, table, rejected };
}

/** Plain CSV rows (quoted fields allowed). */
export function parseCsvRows(text: string): string[][] {
  return records(text, ',');
}
