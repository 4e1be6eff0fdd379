import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, CsvSyntaxError, parseCsv } from '../../src/server/csv/csv';

describe('CSV reading (RFC 4180)', () => {
  it('reads quotes, doubled quotes, commas and line breaks inside quotes, CRLF or LF, and drops a BOM', () => {
    const text = '\uFEFFa,b,c\r\n"x, y","say ""hi""","line 1\nline 2"\n,,\r\n\r\nlast,"",end';
    expect(parseCsv(text)).toEqual([
      { row: 1, fields: ['a', 'b', 'c'] },
      { row: 2, fields: ['x, y', 'say "hi"', 'line 1\nline 2'] },
      { row: 3, fields: ['', '', ''] },
      { row: 5, fields: ['last', '', 'end'] },
    ]);
  });

  it.each([
    ['a,"open\n', 1, 'a quoted field is never closed'],
    ['a,b\n"x"y,z', 2, 'text after a closing quote; a quote inside a field must be doubled ("")'],
    ['a,b\nx,y"z', 2, 'a quote inside an unquoted field; put the field in quotes and double the quote ("")'],
  ])('names the row of a syntax error in %j', (text, row, reason) => {
    const attempt = () => parseCsv(text);
    expect(attempt).toThrow(CsvSyntaxError);
    expect(attempt).toThrow(`CSV row ${row}: ${reason}`);
  });
});

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
    expect(parseCsv(csvLine(cells))[0]!.fields).toEqual(cells);
  });
});
