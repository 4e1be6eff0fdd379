import { describe, expect, it } from 'vitest';
import { readSheet } from '../../../src/server/sheets/read-sheet';
import { workbookEntries, zipOf } from './zip-builder';

const bytes = (...parts: Array<string | number[]>) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('telling what an uploaded file is, by its bytes', () => {
  it('reads text as CSV and a zip as .xlsx, whatever the file was called', async () => {
    expect(await readSheet(bytes('id,notes\r\nV-1,x\r\n'))).toMatchObject({ format: 'csv', rows: [{ row: 1 }, { row: 2 }] });
    const xlsx = zipOf(workbookEntries('<row r="2"><c r="B2" t="inlineStr"><is><t>id</t></is></c></row>'));
    expect(await readSheet(xlsx)).toEqual({ format: 'xlsx', encoding: 'xlsx', rows: [{ row: 2, cells: ['', 'id'] }] });
  });

  it('leaves a stray NUL in a CSV cell to the import, which names its row and column', async () => {
    const sheet = await readSheet(bytes('id,notes\r\nV-1,a', [0], 'b\r\n'));
    expect(sheet.rows[1]!.cells).toEqual(['V-1', 'a\u0000b']);
  });

  it.each([
    ['an empty file', bytes(), 400, 'the file is empty (0 bytes): there is nothing to import'],
    ['a .xls', bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], [0, 0, 0, 0]), 415, 'this looks like a .xls (Excel 97–2003) file, or a password-protected workbook; save it as .xlsx or CSV (without a password)'],
    ['UTF-16LE text', bytes([0xff, 0xfe], 'i\0d\0'), 415, 'this looks like UTF-16 text (Excel\'s "Unicode text"); in Excel, save it as "CSV UTF-8"'],
    ['UTF-16BE text', bytes([0xfe, 0xff], '\0i\0d'), 415, 'this looks like UTF-16 text; in Excel, save it as "CSV UTF-8"'],
    ['an empty zip', bytes('PK\x05\x06', new Array(18).fill(0)), 415, 'this looks like an empty zip archive; save it as .xlsx or CSV'],
    ['a PDF', bytes('%PDF-1.7\n'), 415, 'this looks like a PDF document; save it as .xlsx or CSV'],
    ['a PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]), 415, 'this looks like a PNG image; save it as .xlsx or CSV'],
    ['a JPEG', bytes([0xff, 0xd8, 0xff, 0xe0]), 415, 'this looks like a JPEG image; save it as .xlsx or CSV'],
    ['a GIF', bytes('GIF89a'), 415, 'this looks like a GIF image; save it as .xlsx or CSV'],
    ['a gzip', bytes([0x1f, 0x8b, 8, 0]), 415, 'this looks like a gzip archive; save it as .xlsx or CSV'],
    ['a RAR', bytes('Rar!\x1a\x07'), 415, 'this looks like a RAR archive; save it as .xlsx or CSV'],
    ['a 7-Zip', bytes([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), 415, 'this looks like a 7-Zip archive; save it as .xlsx or CSV'],
    ['other binary', new Uint8Array(Array.from({ length: 600 }, (_, i) => (i * 31) % 256)), 415, 'this is a binary file, neither CSV text nor an .xlsx workbook; save it as .xlsx or CSV'],
    ['an HTML table', bytes([0xef, 0xbb, 0xbf], '  <HTML><table>'), 415, 'this looks like an HTML or XML file (some systems save these as .xls); open it in Excel and save it as .xlsx or CSV'],
    ['an XML spreadsheet', bytes('<?xml version="1.0"?><Workbook/>'), 415, 'this looks like an HTML or XML file (some systems save these as .xls); open it in Excel and save it as .xlsx or CSV'],
    ['a truncated .xlsx', zipOf(workbookEntries('')).subarray(0, 200), 400, /^the \.xlsx file is damaged or cut short \(.+\); open it in Excel and save it again$/],
    ['an .xlsb', zipOf([{ name: 'xl/workbook.bin', data: 'x' }]), 415, 'this looks like an .xlsb (Excel binary workbook) file; save it as .xlsx or CSV'],
    ['an .ods', zipOf([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet' }, { name: 'content.xml', data: '<x/>' }]), 415, 'this looks like an OpenDocument (.ods, WPS or LibreOffice) file; save it as .xlsx or CSV'],
    ['a .pptx', zipOf([{ name: 'ppt/presentation.xml', data: '<x/>' }]), 415, 'this looks like a PowerPoint (.pptx) file; save it as .xlsx or CSV'],
    ['another zip', zipOf([{ name: 'readme.txt', data: 'hi' }]), 415, 'this looks like a zip archive, not an Excel workbook; save it as .xlsx or CSV'],
    ['a workbook without a worksheet', zipOf(workbookEntries('').slice(0, 4)), 400, 'the .xlsx file has no worksheet'],
    ['a workbook whose sheet is broken XML', zipOf([...workbookEntries('').slice(0, 4), { name: 'xl/worksheets/sheet1.xml', data: '<worksheet><sheetData><row><c' }]), 400, /^the \.xlsx file could not be read \(.+\); open it in Excel and save it again$/],
  ])('refuses %s, saying what it is', async (_what, file, status, message) => {
    const attempt = readSheet(file);
    await expect(attempt).rejects.toMatchObject({ status });
    await expect(attempt).rejects.toThrow(message);
  });
});
