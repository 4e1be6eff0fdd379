// Visits imported from a spreadsheet (CSV or .xlsx, read by ../sheets): the header row names the
// columns in Chinese or English, each valid row lands, and each bad row is reported with its row
// number and its column's header as the file has them.
import type { VisitImportResult } from '../../domain/api';
import { VISIT_COLUMN_SPECS, VISIT_COLUMNS, visitColumnOfHeader, type VisitColumn } from '../../domain/visit-columns';
import { badRequest } from '../http/errors';
import { headerReader } from '../sheets/sheet-header';
import { columnLetters, type Sheet, type SheetRow } from '../sheets/sheet';
import type { Storage } from '../storage/storage';
import { checkVisit, newVisitId } from './visits';

const COLUMN_OF_PATH: Record<string, VisitColumn> = {
  'customer.name': 'customerName', 'customer.phone': 'customerPhone', 'customer.address': 'customerAddress',
  'equipment.type': 'equipmentType', 'equipment.model': 'equipmentModel', 'equipment.serial': 'equipmentSerial',
};

const TRUE_WORDS = new Set(['true', '1', 'yes', 'y', '是']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'n', '否', '']);

const HEADER = headerReader(VISIT_COLUMNS, VISIT_COLUMN_SPECS, visitColumnOfHeader);
const COLUMNS_RULE = HEADER.rule;
type Layout = ReturnType<typeof HEADER.read>;
const readHeader = (header: SheetRow): Layout => HEADER.read(header);

/** 2026/3/12, 2026-3-12, 2026.3.12 or 2026年3月12日 (what Chinese Excel shows) → 2026-03-12; anything else as it is. */
export function normalizeDate(text: string): string {
  const parts = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text);
  return parts ? `${parts[1]}-${parts[2]!.padStart(2, '0')}-${parts[3]!.padStart(2, '0')}` : text;
}

/** Why a row's width is wrong, or null: a CSV row has one field per header; an .xlsx row no cell past the last header. */
function widthProblem(sheet: Sheet, row: SheetRow, width: number): string | null {
  if (sheet.format === 'csv') return row.cells.length === width ? null : `expected ${width} fields, found ${row.cells.length}`;
  const past = row.cells.findIndex((cell, i) => i >= width && cell.trim() !== '');
  return past === -1 ? null : `cell ${columnLetters(past)}${row.row} holds a value, right of the last named column`;
}

export async function importVisits(storage: Storage, sheet: Sheet, now: Date): Promise<VisitImportResult> {
  const [header, ...rows] = sheet.rows;
  if (!header) throw badRequest(`the file has no rows; ${COLUMNS_RULE}`);
  const layout = readHeader(header);
  const headerOf = (column: VisitColumn) => {
    const at = layout.index[column];
    return at === undefined ? column : layout.headers[at]!;
  };

  const result: VisitImportResult = { created: 0, errors: [] };
  for (const record of rows) {
    const error = (column: string, message: string) => result.errors.push({ row: record.row, column, message });
    const width = widthProblem(sheet, record, layout.headers.length);
    if (width) {
      error('(row)', width);
      continue;
    }
    if (record.unreadable?.length) {
      for (const u of record.unreadable) error(layout.headers[u.index] || columnLetters(u.index), u.message);
      continue;
    }
    const cell = (column: VisitColumn) => {
      const at = layout.index[column];
      return at === undefined ? '' : (record.cells[at] ?? '');
    };
    const firstVisitText = cell('firstVisit').trim().toLowerCase();
    if (!TRUE_WORDS.has(firstVisitText) && !FALSE_WORDS.has(firstVisitText)) {
      error(headerOf('firstVisit'), `expected true or false (or 1/0, yes/no, 是/否), got ${JSON.stringify(cell('firstVisit'))}`);
      continue;
    }
    const checked = await checkVisit(storage, {
      id: cell('id').trim() || newVisitId(),
      technicianId: cell('technicianId').trim(),
      scheduledDate: normalizeDate(cell('scheduledDate').trim()),
      firstVisit: TRUE_WORDS.has(firstVisitText),
      customer: { name: cell('customerName'), phone: cell('customerPhone').trim(), address: cell('customerAddress') },
      equipment: { type: cell('equipmentType'), model: cell('equipmentModel'), serial: cell('equipmentSerial') },
      notes: cell('notes'),
    });
    if ('errors' in checked) {
      for (const e of checked.errors) {
        const column = COLUMN_OF_PATH[e.path] ?? (VISIT_COLUMNS as readonly string[]).find((c) => c === e.path) as VisitColumn | undefined;
        error(column ? headerOf(column) : e.path, e.message);
      }
      continue;
    }
    const { visit } = checked;
    if (!(await storage.createVisit(visit, now.toISOString()))) {
      error(headerOf('id'), `a visit with id "${visit.id}" already exists`);
      continue;
    }
    result.created++;
  }
  return result;
}
