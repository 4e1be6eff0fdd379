// An .xlsx workbook → a Sheet: its first worksheet, each cell turned into the text a CSV saved from
// it would hold (a date as 2026-03-12, a number to Excel's 15 significant digits, TRUE/FALSE), read by
// exceljs after zip-check has made sure the file unpacks to a bounded size.
import type ExcelJS from 'exceljs';
import { HttpError } from '../http/errors';
import { loadExcelJs } from './exceljs';
import { isBlankRow, type Sheet, type SheetRow } from './sheet';
import { checkZip, ZIP_LIMITS } from './zip-check';

type CellText = { text: string } | { unreadable: string };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A date cell: exceljs gives the day and time Excel shows as a UTC Date. */
function dateText(date: Date): CellText {
  if (Number.isNaN(date.getTime())) return { unreadable: 'the cell holds a date Excel cannot show' };
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const seconds = date.getUTCHours() * 3600 + date.getUTCMinutes() * 60 + date.getUTCSeconds();
  if (seconds === 0) return { text: day };
  return { text: `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}` };
}

/** A cell's value as text; exported for its tests. */
export function cellText(value: ExcelJS.CellValue): CellText {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: value };
  // Excel keeps 15 significant digits: 0.1+0.2 is 0.3 there, as in its CSV
  if (typeof value === 'number') return Number.isFinite(value) ? { text: String(Number(value.toPrecision(15))) } : { unreadable: 'the cell holds a number that is not finite' };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) return dateText(value);
  if ('error' in value) return { unreadable: `the cell holds the error ${value.error}` };
  if ('richText' in value) return { text: value.richText.map((run) => run.text).join('') };
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) {
    if (value.result === undefined) return { unreadable: 'the cell holds a formula without a saved result; open the file in Excel and save it again' };
    return cellText(value.result);
  }
  return { unreadable: 'the cell holds a value of a kind this import does not read' };
}

/** What a zip that is not an .xlsx workbook is, by the parts it holds. */
function notAWorkbook(names: Set<string>): HttpError {
  const has = (prefix: string) => [...names].some((name) => name.startsWith(prefix));
  const what = names.has('xl/workbook.bin') ? 'an .xlsb (Excel binary workbook) file'
    : names.has('content.xml') && names.has('mimetype') ? 'an OpenDocument (.ods, WPS or LibreOffice) file'
      : has('word/') ? 'a Word (.docx) document'
        : has('ppt/') ? 'a PowerPoint (.pptx) file'
          : 'a zip archive, not an Excel workbook';
  return new HttpError(415, 'unsupported-file', `this looks like ${what}; save it as .xlsx or CSV`);
}

/** Reads the first worksheet; each row holds the cells up to its last non-empty one. */
export async function readXlsxSheet(bytes: Uint8Array, limits = ZIP_LIMITS): Promise<Sheet> {
  const contents = await checkZip(bytes, limits);
  if (!contents.names.has('xl/workbook.xml')) throw notAWorkbook(contents.names);
  const workbook = new (await loadExcelJs()).Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, 'unreadable-xlsx', `the .xlsx file could not be read (${reason}); open it in Excel and save it again`);
  }
  const worksheet = workbook.worksheets[0];
  if (!worksheet) throw new HttpError(400, 'unreadable-xlsx', 'the .xlsx file has no worksheet');
  const rows: SheetRow[] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const unreadable: Array<{ index: number; message: string }> = [];
    row.eachCell({ includeEmpty: false }, (cell, columnNumber) => {
      // a merged range's value is in its first cell only, as in a CSV saved from it
      const read = cell.isMerged && cell.master !== cell ? { text: '' } : cellText(cell.value);
      while (cells.length < columnNumber - 1) cells.push('');
      if ('text' in read) cells[columnNumber - 1] = read.text;
      else {
        cells[columnNumber - 1] = '';
        unreadable.push({ index: columnNumber - 1, message: read.unreadable });
      }
    });
    while (cells.length > 0 && cells.at(-1)!.trim() === '' && !unreadable.some((u) => u.index === cells.length - 1)) cells.pop();
    if (isBlankRow(cells) && unreadable.length === 0) return;
    rows.push({ row: rowNumber, cells, ...(unreadable.length ? { unreadable } : {}) });
  });
  return { format: 'xlsx', encoding: 'xlsx', rows };
}
