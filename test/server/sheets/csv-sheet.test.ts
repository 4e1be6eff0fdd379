import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/server/http/errors';
import { decodeCsvText, parseCsvSheet } from '../../../src/server/sheets/csv-sheet';
import { gb18030 } from './gb18030';

describe('CSV text encodings', () => {
  it('reads UTF-8 with or without a BOM, and anything else that is GB18030 as GB18030', () => {
    const text = '用户名称,设备类型\r\n某市环卫处,洗扫车\r\n';
    expect(decodeCsvText(new TextEncoder().encode(`\uFEFF${text}`))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsvText(new TextEncoder().encode(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsvText(gb18030(text))).toEqual({ text, encoding: 'gb18030' });
    expect(decodeCsvText(new TextEncoder().encode('id,notes\r\n'))).toEqual({ text: 'id,notes\r\n', encoding: 'utf-8' });
  });

  it('refuses bytes that are neither, saying where the first bad byte is', () => {
    const attempt = () => decodeCsvText(new Uint8Array([0x61, 0x2c, 0x81, 0x20]));
    expect(attempt).toThrow(HttpError);
    expect(attempt).toThrow('the CSV file is neither UTF-8 nor GB18030 (GBK) text (the byte at offset 2 is not UTF-8); in Excel, save it as "CSV UTF-8"');
  });
});

describe('CSV parsing', () => {
  it('reads quotes, doubled quotes, commas and line breaks inside quotes, CRLF, LF or CR; blank rows are skipped but counted', () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","line 1\nline 2"\n,,\r\n\r\nlast,"",end\rafter,,x';
    expect(parseCsvSheet(text, 'utf-8')).toEqual({
      format: 'csv', encoding: 'utf-8',
      rows: [
        { row: 1, cells: ['a', 'b', 'c'] },
        { row: 2, cells: ['x, y', 'say "hi"', 'line 1\nline 2'] },
        { row: 5, cells: ['last', '', 'end'] },
        { row: 6, cells: ['after', '', 'x'] },
      ],
    });
  });

  it('keeps rows of any width, for the import to report', () => {
    expect(parseCsvSheet('a,b\n1\n1,2,3\n', 'gb18030').rows.map((r) => r.cells.length)).toEqual([2, 1, 3]);
  });

  it.each([
    ['a,"open\n', 1, 'a quoted field is never closed'],
    ['a,b\n"x"y,z', 2, 'text after a closing quote; a quote inside a field must be doubled ("")'],
    ['a,b\nx,y"z', 2, 'a quote inside an unquoted field; put the field in quotes and double the quote ("")'],
    ['a,b\n\n1,2\n"x"y,z', 4, 'text after a closing quote; a quote inside a field must be doubled ("")'],
  ])('names the row of a syntax error in %j', (text, row, reason) => {
    const attempt = () => parseCsvSheet(text, 'utf-8');
    expect(attempt).toThrow(HttpError);
    expect(attempt).toThrow(`CSV row ${row}: ${reason}`);
    try {
      attempt();
    } catch (error) {
      expect((error as HttpError).errors).toEqual([{ path: `row ${row}`, message: `CSV row ${row}: ${reason}` }]);
    }
  });
});
