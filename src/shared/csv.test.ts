import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, looksLikeFormula } from './csv';

describe('CSV cells', () => {
  it('neutralise formula-like text for spreadsheets, keep numbers and analysis files as they are', () => {
    expect(csvCell('=HYPERLINK("http://x","click")')).toBe(`"'=HYPERLINK(""http://x"",""click"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('+1-2')).toBe("'+1-2");
    expect(csvCell('-cmd|calc')).toBe("'-cmd|calc");
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell('-1.5')).toBe('-1.5');
    expect(csvCell('=A1', 'analysis')).toBe('=A1');
    expect(csvCell('W2')).toBe('W2');
  });

  it('read back exactly (analysis) or with only the apostrophe added (spreadsheet), whatever the text (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }), { minLength: 1, maxLength: 6 }), (cells) => {
        const analysis = parse(`${csvRow(cells, 'analysis')}\n`, { relax_column_count: true }) as string[][];
        expect(analysis[0]).toEqual(cells);
        const sheet = (parse(`${csvRow(cells)}\n`, { relax_column_count: true }) as string[][])[0]!;
        sheet.forEach((got, i) => {
          const want = cells[i]!;
          expect(got).toBe(looksLikeFormula(want) ? `'${want}` : want);
          expect(looksLikeFormula(got)).toBe(false);
        });
      }),
    );
  });
});
