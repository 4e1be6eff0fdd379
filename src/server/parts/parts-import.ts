// The parts catalog from a spreadsheet (CSV in UTF-8 or GB18030, or .xlsx, read by ../sheets): the header
// row names the columns in Chinese or English; each valid row adds its part or changes the part with its
// code, and each bad row is reported with its row number and its column's header as the file has them.
import { CatalogPartSchema, PART_COLUMN_SPECS, PART_COLUMNS, partColumnOfHeader, type CatalogPart, type PartColumn, type PartsImportResult } from '../../domain/parts-catalog';
import { badRequest } from '../http/errors';
import { headerReader } from '../sheets/sheet-header';
import { columnLetters, type Sheet, type SheetRow } from '../sheets/sheet';

const HEADER = headerReader(PART_COLUMNS, PART_COLUMN_SPECS, partColumnOfHeader);
const COLUMNS_RULE = HEADER.rule;
type Layout = ReturnType<typeof HEADER.read>;
const readHeader = (header: SheetRow): Layout => HEADER.read(header);

/** The parts of the sheet's valid rows and the errors of the others; a code on an earlier row is an error on the later one. */
export function readPartsSheet(sheet: Sheet): { parts: CatalogPart[]; errors: PartsImportResult['errors'] } {
  const [header, ...rows] = sheet.rows;
  if (!header) throw badRequest(`the file has no rows; ${COLUMNS_RULE}`);
  const layout = readHeader(header);
  const headerOf = (column: PartColumn) => {
    const at = layout.index[column];
    return at === undefined ? column : layout.headers[at]!;
  };
  const parts: CatalogPart[] = [];
  const errors: PartsImportResult['errors'] = [];
  const rowOfCode = new Map<string, number>();
  for (const record of rows) {
    const error = (column: string, message: string) => errors.push({ row: record.row, column, message });
    const width = layout.headers.length;
    const past = record.cells.findIndex((cell, i) => i >= width && cell.trim() !== '');
    if (sheet.format === 'csv' && record.cells.length !== width) {
      error('(row)', `expected ${width} fields, found ${record.cells.length}`);
      continue;
    }
    if (past !== -1) {
      error('(row)', `cell ${columnLetters(past)}${record.row} holds a value, right of the last named column`);
      continue;
    }
    if (record.unreadable?.length) {
      for (const u of record.unreadable) error(layout.headers[u.index] || columnLetters(u.index), u.message);
      continue;
    }
    const cell = (column: PartColumn) => {
      const at = layout.index[column];
      return at === undefined ? '' : (record.cells[at] ?? '');
    };
    const parsed = CatalogPartSchema.safeParse({ code: cell('code'), name: cell('name'), unit: cell('unit') });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = PART_COLUMNS.find((c) => c === issue.path[0]);
        error(column ? headerOf(column) : '(row)', issue.message);
      }
      continue;
    }
    const earlier = rowOfCode.get(parsed.data.code);
    if (earlier !== undefined) {
      error(headerOf('code'), `the code "${parsed.data.code}" is already on row ${earlier}; each part once`);
      continue;
    }
    rowOfCode.set(parsed.data.code, record.row);
    parts.push(parsed.data);
  }
  return { parts, errors };
}
