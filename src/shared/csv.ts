/**
 * CSV cells, in one place for every CSV the app writes (main process and renderer).
 *
 * Formula injection: a spreadsheet runs a cell that begins with = + - @ (or a tab or carriage
 * return) as a formula, so a rater's name, a note or a comment could run as one when a file is
 * opened in Excel or LibreOffice. The app's rule:
 * - **spreadsheet** CSVs (a session's CSV export, a playlist's index.csv, the audit log's CSV) are
 *   meant to be opened by people: such a text cell gets a leading apostrophe (') so it shows as
 *   text. Numbers are numbers and never changed.
 * - **analysis** CSVs (the study export's segments.csv and units.csv) are meant for R, Python or
 *   SPSS: their cells are kept exactly as they are (an apostrophe would change the data).
 * The README's "Exports" section says the same for users.
 */

export type CsvAudience = 'spreadsheet' | 'analysis';

/** Text a spreadsheet would run as a formula (a plain number such as -1.5 is not). */
export function looksLikeFormula(s: string): boolean {
  return /^[=+\-@\t\r]/.test(s) && !/^[-+]?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(s);
}

/** One cell: quoted when it must be; a formula-like text neutralised for spreadsheets. */
export function csvCell(v: string | number | null | undefined, audience: CsvAudience = 'spreadsheet'): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (audience === 'spreadsheet' && typeof v === 'string' && looksLikeFormula(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row of cells. */
export function csvRow(cells: (string | number | null | undefined)[], audience: CsvAudience = 'spreadsheet'): string {
  return cells.map((c) => csvCell(c, audience)).join(',');
}

/**
 * A cell read back from a spreadsheet CSV the app wrote: the apostrophe that kept a formula-like
 * text from running is taken off again, so an export read back by the import is unchanged.
 */
export function csvText(cell: string): string {
  return cell.startsWith("'") && looksLikeFormula(cell.slice(1)) ? cell.slice(1) : cell;
}

export type Separator = ',' | ';' | '\t';
export const SEPARATOR_WORDS: Record<Separator, string> = {
  ',': 'comma-separated',
  ';': 'semicolon-separated (as European spreadsheets write CSV; decimal commas in times read as decimals)',
  '\t': 'tab-separated',
};

/**
 * The separator of a CSV, from its header line: a tab, a semicolon (European Excel, where the
 * comma is the decimal mark), else a comma. A byte-order mark is not part of the header.
 */
export function separatorOf(text: string): Separator {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const outside = first.replace(/"[^"]*"/g, '');
  if (outside.includes('\t')) return '\t';
  if (outside.includes(';') && (!outside.includes(',') || outside.split(';').length > outside.split(',').length))
    return ';';
  return ',';
}
