import { describe, expect, it } from 'vitest';
import { HttpError } from '../../src/server/http/errors';
import { readPartsSheet } from '../../src/server/parts/parts-import';
import { decodeCsvText, parseCsvSheet } from '../../src/server/sheets/csv-sheet';
import { gb18030 } from './sheets/gb18030';

const sheetOf = (text: string) => parseCsvSheet(text, 'utf-8');

describe('reading a parts catalog spreadsheet', () => {
  it('reads Chinese headers, a GB18030 file as Excel saves it, and trims each cell', () => {
    const bytes = gb18030('零件编号,零件名称,单位\r\nXS-1002, 主刷电机碳刷 ,个\r\nVP-0007,真空泵密封圈,\r\n');
    const { text, encoding } = decodeCsvText(bytes);
    expect(encoding).toBe('gb18030');
    expect(readPartsSheet(parseCsvSheet(text, encoding))).toEqual({
      parts: [{ code: 'XS-1002', name: '主刷电机碳刷', unit: '个' }, { code: 'VP-0007', name: '真空泵密封圈', unit: '' }],
      errors: [],
    });
  });

  it('reads English headers in any order, any case, the unit column left out', () => {
    expect(readPartsSheet(sheetOf('Name,CODE\n边刷,BR-0100\n')).parts).toEqual([{ code: 'BR-0100', name: '边刷', unit: '' }]);
    expect(readPartsSheet(sheetOf('配件编码,物料名称,计量单位\nA1,滤网,片\n')).parts).toEqual([{ code: 'A1', name: '滤网', unit: '片' }]);
  });

  it('reports each bad row with its row number and the column header the file gives it; the good rows are read', () => {
    const long = 'x'.repeat(21);
    const result = readPartsSheet(sheetOf(`零件编号,零件名称,单位\nA1,滤网,片\n,无编号,个\nA2,,个\nA3,名称,${long}\nA1,重复,个\nA4,多一列,个,9\nA5,好的,个\n`));
    expect(result.parts.map((p) => p.code)).toEqual(['A1', 'A5']);
    expect(result.errors).toEqual([
      { row: 3, column: '零件编号', message: 'expected a part code' },
      { row: 4, column: '零件名称', message: 'expected a part name' },
      { row: 5, column: '单位', message: 'expected at most 20 characters' },
      { row: 6, column: '零件编号', message: 'the code "A1" is already on row 2; each part once' },
      { row: 7, column: '(row)', message: 'expected 3 fields, found 4' },
    ]);
  });

  it('refuses a header without the code or the name, or with a column it does not know, saying which', () => {
    const refusal = (text: string) => {
      try {
        readPartsSheet(sheetOf(text));
      } catch (error) {
        expect(error).toBeInstanceOf(HttpError);
        return (error as HttpError).message;
      }
      throw new Error('expected a refusal');
    };
    expect(refusal('零件名称,单位\n滤网,片\n')).toMatch(/missing code \(零件编号\)/);
    expect(refusal('零件编号,零件名称,价格\nA1,滤网,3\n')).toMatch(/unknown "价格"/);
    expect(refusal('零件编号,编号,零件名称\n')).toMatch(/repeated code/);
    expect(() => readPartsSheet({ format: 'csv', encoding: 'utf-8', rows: [] })).toThrow(/the file has no rows/);
  });
});
