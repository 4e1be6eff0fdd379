import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../../src/server/csv/csv';
import { parseCsvSheet } from '../../src/server/sheets/csv-sheet';

describe('CSV writing', () => {
  it('quotes text, doubles quotes, and defuses what a spreadsheet would run as a formula', () => {
    expect(csvCell('某市环卫处')).toBe('"某市环卫处"');
    expect(csvCell('say "hi", ok')).toBe('"say ""hi"", ok"');
    for (const danger of ['=1+1', '+86 138', '-2', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(danger)).toBe(`"'${danger}"`);
    expect(csvCell(-3000)).toBe('-3000');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvLine(['a', 1, null])).toBe('"a",1,\r\n');
  });

  it('reads back what it writes', () => {
    const cells = ['x, y', 'line 1\r\nline 2', '"quoted"', '客户'];
    expect(parseCsvSheet(csvLine(cells), 'utf-8').rows[0]!.cells).toEqual(cells);
  });
});
