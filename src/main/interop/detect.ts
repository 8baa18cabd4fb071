/**
 * Which file is this? Decided by content, never by extension alone, so a wrong guess names what
 * the file is instead of a parser's complaint. Returns a foreign document for other tools' files,
 * or says that the file is our own CSV (read by segment-files.ts), empty, or unknown.
 */
import { AppError } from '../../shared/errors';
import { isBorisExport, readBorisExport, readBorisProject } from './boris';
import { readEaf } from './eaf-read';
import { readElanText } from './elan-text';
import { FORMAT_LABEL, type ForeignDocument, type ForeignFormat } from './foreign';
import { readSubtitles, readTimedText } from './subtitles';

export type Detected = ForeignFormat | 'alliance-csv' | 'rater-csv' | 'ratings-csv' | 'empty' | 'unknown';

const TIME_CELL = /^(\d+:\d{2}:\d{2}[.:]\d{1,3}|\d+\.\d{1,3}|\d+)$/;

export function detectFormat(text: string): Detected {
  const t = text.replace(/^\uFEFF/, '');
  const start = t.trimStart();
  if (start === '') return 'empty';
  // Zero characters do not occur in text (UTF-16 is decoded before this): a recording or another
  // binary file, whose bytes would otherwise be read as one long CSV header.
  if (t.slice(0, 8192).includes('\u0000')) return 'unknown';
  if (start.startsWith('<')) return /<ANNOTATION_DOCUMENT[\s>]/.test(t.slice(0, 5000)) ? 'eaf' : 'unknown';
  if (start.startsWith('{')) {
    const head = t.slice(0, 200_000);
    return /"(observations|behaviors_conf|project_name)"\s*:/.test(head) ? 'boris-project' : 'unknown';
  }
  if (/^WEBVTT\b/.test(start)) return 'webvtt';
  const lines = start.split(/\r\n|\n|\r/, 200).filter((l) => l.trim() !== '');
  if (/^\d+\s*$/.test(lines[0] ?? '') && /-->/.test(lines[1] ?? '')) return 'srt';
  const boris = isBorisExport(t);
  if (boris) return boris;
  // ELAN's media header lines ("#file:///… -- offset: 0", quoted or not) come before the table.
  const table = lines.filter((l) => !/^\s*"?#/.test(l));
  const first = (table[0] ?? '').toLowerCase();
  // Our own tables, comma-, semicolon- or tab-separated, are known by their header.
  const cells = first.split(/[,;\t]/).map((c) => c.trim().replace(/^"|"$/g, ''));
  if (['unit', 'rater', 'value'].every((c) => cells.includes(c))) return 'ratings-csv';
  if (['type', 'code', 'start', 'end'].every((c) => cells.includes(c))) return 'alliance-csv';
  if (['code', 'start', 'end'].every((c) => cells.includes(c)) && (cells.includes('rater') || cells.includes('coder')))
    return 'rater-csv';
  if (/begin time|end time|duration -/.test(first)) return 'elan-text';
  const body = table;
  const tabbed = body.filter((l) => l.includes('\t'));
  if (tabbed.length >= Math.max(1, body.length * 0.8)) {
    const timeLike = tabbed.filter((l) =>
      l
        .split('\t')
        .map((c) => c.trim().replace(/^"|"$/g, ''))
        .some((c) => TIME_CELL.test(c)),
    );
    if (timeLike.length >= tabbed.length * 0.8) return 'elan-text';
  }
  const stamped = body.filter((l) => /^\s*\[?(\d+:)?\d{1,2}:\d{2}([.,]\d{1,3})?\]?\s/.test(l));
  if (stamped.length && stamped.length >= body.length * 0.5) return 'timed-text';
  // Anything else with commas is read as our CSV, whose header check then says what is missing.
  if (cells.length > 1) return 'alliance-csv';
  return 'unknown';
}

/** Reads another tool's file; throws a message that names the format found for anything else. */
export function readForeign(text: string, format: Detected): ForeignDocument {
  switch (format) {
    case 'eaf':
      return readEaf(text);
    case 'boris-project':
      return readBorisProject(text);
    case 'boris-aggregated':
    case 'boris-tabular':
      return readBorisExport(text);
    case 'elan-text':
      return readElanText(text);
    case 'webvtt':
    case 'srt':
      return readSubtitles(text, format);
    case 'timed-text':
      return readTimedText(text);
    case 'empty':
      throw new AppError('INVALID_INPUT', 'The file is empty.');
    case 'alliance-csv':
    case 'rater-csv':
    case 'ratings-csv':
      throw new AppError('INVALID_INPUT', 'This is a CSV of segments, not another tool’s file.');
    case 'unknown':
      throw new AppError(
        'INVALID_INPUT',
        'This file is not one the app can read: expected an ELAN .eaf or tab-delimited export, a BORIS project or events export, WebVTT/SRT subtitles, timed text, or a CSV with the header type,code,start,end.',
      );
  }
}

export function formatLabel(format: Detected): string {
  if (format === 'alliance-csv') return 'segments CSV';
  if (format === 'rater-csv') return 'CSV of raters’ spans';
  if (format === 'ratings-csv') return 'CSV of ratings (unit, rater, value)';
  if (format === 'empty') return 'empty file';
  if (format === 'unknown') return 'unknown file';
  return FORMAT_LABEL[format];
}
