import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { cellText, readXlsxSheet } from '../../../src/server/sheets/xlsx-sheet';
import { ZIP_LIMITS } from '../../../src/server/sheets/zip-check';

describe('an .xlsx cell as the text a CSV of it would hold', () => {
  it.each<[string, ExcelJS.CellValue, string]>([
    ['an empty cell', null, ''],
    ['text', ' 某市环卫处 ', ' 某市环卫处 '],
    ['text that looks like a formula (only a formula object is one)', '=1+1', '=1+1'],
    ['a whole number', 13800000000, '13800000000'],
    ['a float, to 15 significant digits', 0.1 + 0.2, '0.3'],
    ['negative zero', -0, '0'],
    ['a fraction', -1.25, '-1.25'],
    ['TRUE', true, 'TRUE'],
    ['FALSE', false, 'FALSE'],
    ['a date', new Date(Date.UTC(2026, 2, 12)), '2026-03-12'],
    ['a date and time', new Date(Date.UTC(2026, 2, 12, 8, 30, 5)), '2026-03-12 08:30:05'],
    ['rich text', { richText: [{ text: '某' }, { text: '市', font: { bold: true } }] }, '某市'],
    ['a hyperlink', { text: '环卫处', hyperlink: 'http://example.test/' }, '环卫处'],
    ['a formula, by its saved result', { formula: 'A1&B1', result: 'V-1' }, 'V-1'],
    ['a formula giving a date', { formula: 'TODAY()', result: new Date(Date.UTC(2026, 0, 2)) }, '2026-01-02'],
    ['a shared formula', { sharedFormula: 'A1', result: 7 }, '7'],
  ])('%s', (_what, value, text) => {
    expect(cellText(value)).toEqual({ text });
  });

  it.each<[string, ExcelJS.CellValue, RegExp]>([
    ['an error value', { error: '#DIV/0!' }, /^the cell holds the error #DIV\/0!$/],
    ['a formula never calculated', { formula: 'A1*2' }, /a formula without a saved result; open the file in Excel and save it again/],
    ['a formula whose result is an error', { formula: 'NA()', result: { error: '#N/A' } }, /the error #N\/A/],
    ['a date Excel cannot show', new Date(Number.NaN), /a date Excel cannot show/],
    ['a number that is not finite', Number.POSITIVE_INFINITY, /not finite/],
  ])('%s is reported, not guessed', (_what, value, message) => {
    const read = cellText(value);
    expect('unreadable' in read && read.unreadable).toMatch(message);
  });
});

async function workbookBytes(fill: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  fill(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe('reading an .xlsx', () => {
  it('reads the first sheet only, numbering rows as Excel does and skipping blank ones', async () => {
    const bytes = await workbookBytes((workbook) => {
      const sheet = workbook.addWorksheet('派单');
      sheet.getRow(1).values = ['id', 'technicianId', 'notes'];
      sheet.getRow(3).values = ['V-1', 'tech-1'];
      sheet.getRow(4).values = ['', '  '];
      sheet.getCell('C4').numFmt = '@';
      sheet.getRow(10).values = ['V-2', '', 'x'];
      workbook.addWorksheet('other').getRow(1).values = ['not', 'read'];
    });
    expect(await readXlsxSheet(bytes)).toEqual({
      format: 'xlsx', encoding: 'xlsx',
      rows: [
        { row: 1, cells: ['id', 'technicianId', 'notes'] },
        { row: 3, cells: ['V-1', 'tech-1'] },
        { row: 10, cells: ['V-2', '', 'x'] },
      ],
    });
  });

  it('puts a merged range\'s value in its first cell only, and reports unreadable cells by index', async () => {
    const bytes = await workbookBytes((workbook) => {
      const sheet = workbook.addWorksheet('s');
      sheet.getRow(1).values = ['a', 'b', 'c'];
      sheet.getRow(2).values = ['merged', '', 'z'];
      sheet.mergeCells('A2:B2');
      sheet.getRow(3).values = ['x', { error: '#REF!' }];
    });
    const { rows } = await readXlsxSheet(bytes);
    expect(rows[1]).toEqual({ row: 2, cells: ['merged', '', 'z'] });
    expect(rows[2]).toEqual({ row: 3, cells: ['x', ''], unreadable: [{ index: 1, message: 'the cell holds the error #REF!' }] });
  });

  it('refuses a workbook past the limits before exceljs unpacks it', async () => {
    const bytes = await workbookBytes((workbook) => {
      const sheet = workbook.addWorksheet('s');
      for (let i = 1; i <= 20; i++) sheet.addRow(['a', 'b', 'c']);
    });
    await expect(readXlsxSheet(bytes, { ...ZIP_LIMITS, maxEntries: 3 })).rejects.toMatchObject({ status: 413, message: expect.stringMatching(/^the \.xlsx file holds \d+ parts \(at most 3 are read\)/) });
    await expect(readXlsxSheet(bytes, { ...ZIP_LIMITS, maxCells: 59 })).rejects.toMatchObject({ status: 413, message: expect.stringMatching(/holds more than 59 cells/) });
    await expect(readXlsxSheet(bytes, { ...ZIP_LIMITS, maxCells: 60 })).resolves.toMatchObject({ format: 'xlsx' });
    await expect(readXlsxSheet(bytes, { ...ZIP_LIMITS, maxUnpackedBytes: 1000 })).rejects.toMatchObject({ status: 413, message: expect.stringMatching(/unpacks to more than/) });
  });
});
