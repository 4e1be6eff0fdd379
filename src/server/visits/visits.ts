// Dispatched visits: created one at a time by the back office or imported from a CSV file, both
// through the same checks (the shared DispatchedVisitSchema, a known and active technician, a free id).
import { randomUUID } from 'node:crypto';
import { DispatchedVisitSchema, type DispatchedVisit, type VisitImportResult } from '../../domain/api';
import { toFieldErrors, type FieldError } from '../../domain/validation-issues';
import { CsvSyntaxError, parseCsv } from '../csv/csv';
import { badRequest } from '../http/errors';
import type { Storage } from '../storage/storage';

export const VISIT_CSV_COLUMNS = [
  'id', 'technicianId', 'scheduledDate', 'firstVisit', 'customerName', 'customerPhone', 'customerAddress',
  'equipmentType', 'equipmentModel', 'equipmentSerial', 'notes',
] as const;
type VisitColumn = (typeof VISIT_CSV_COLUMNS)[number];

export function newVisitId(): string {
  return `V-${randomUUID().slice(0, 8).toUpperCase()}`;
}

/** Validates a visit; the errors' paths are the schema's (customer.name, …). */
export async function checkVisit(storage: Storage, candidate: unknown): Promise<{ visit: DispatchedVisit } | { errors: FieldError[] }> {
  const parsed = DispatchedVisitSchema.safeParse(candidate, { reportInput: true });
  if (!parsed.success) return { errors: toFieldErrors(parsed.error.issues) };
  const visit = parsed.data;
  const nul = findNul(visit);
  if (nul) return { errors: [{ path: nul, message: 'contains a NUL character (U+0000)' }] };
  const technician = await storage.getTechnician(visit.technicianId);
  if (!technician) return { errors: [{ path: 'technicianId', message: `no technician "${visit.technicianId}"` }] };
  if (technician.revokedAt) return { errors: [{ path: 'technicianId', message: `technician "${visit.technicianId}" has been revoked` }] };
  return { visit };
}

function findNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = findNul(inner, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}

const COLUMN_OF_PATH: Record<string, VisitColumn> = {
  'customer.name': 'customerName', 'customer.phone': 'customerPhone', 'customer.address': 'customerAddress',
  'equipment.type': 'equipmentType', 'equipment.model': 'equipmentModel', 'equipment.serial': 'equipmentSerial',
};

const TRUE_WORDS = new Set(['true', '1', 'yes', 'y', '是']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'n', '否', '']);

/** Imports visits from CSV: each valid row lands, each bad row is reported with its row and column. */
export async function importVisitsCsv(storage: Storage, text: string, now: Date): Promise<VisitImportResult> {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw badRequest(error.message, [{ path: `row ${error.row}`, message: error.message }]);
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) throw badRequest(`the CSV file is empty; its first row must name the columns: ${VISIT_CSV_COLUMNS.join(',')}`);
  const columns = header.fields.map((name) => name.trim());
  const missing = VISIT_CSV_COLUMNS.filter((name) => !columns.includes(name));
  const unknown = columns.filter((name) => !(VISIT_CSV_COLUMNS as readonly string[]).includes(name));
  const repeated = columns.filter((name, i) => columns.indexOf(name) !== i);
  if (missing.length || unknown.length || repeated.length) {
    const problems = [
      missing.length ? `missing ${missing.join(', ')}` : '',
      unknown.length ? `unknown ${unknown.map((c) => JSON.stringify(c)).join(', ')}` : '',
      repeated.length ? `repeated ${repeated.join(', ')}` : '',
    ].filter(Boolean).join('; ');
    throw badRequest(`the header row must name the columns ${VISIT_CSV_COLUMNS.join(',')} (${problems})`);
  }

  const result: VisitImportResult = { created: 0, errors: [] };
  for (const record of rows) {
    const error = (column: string, message: string) => result.errors.push({ row: record.row, column, message });
    if (record.fields.length !== columns.length) {
      error('(row)', `expected ${columns.length} fields, found ${record.fields.length}`);
      continue;
    }
    const cell = (name: VisitColumn) => record.fields[columns.indexOf(name)]!;
    const firstVisitText = cell('firstVisit').trim().toLowerCase();
    if (!TRUE_WORDS.has(firstVisitText) && !FALSE_WORDS.has(firstVisitText)) {
      error('firstVisit', `expected true or false (or 1/0, yes/no, 是/否), got ${JSON.stringify(cell('firstVisit'))}`);
      continue;
    }
    const checked = await checkVisit(storage, {
      id: cell('id').trim() || newVisitId(),
      technicianId: cell('technicianId').trim(),
      scheduledDate: cell('scheduledDate').trim(),
      firstVisit: TRUE_WORDS.has(firstVisitText),
      customer: { name: cell('customerName'), phone: cell('customerPhone').trim(), address: cell('customerAddress') },
      equipment: { type: cell('equipmentType'), model: cell('equipmentModel'), serial: cell('equipmentSerial') },
      notes: cell('notes'),
    });
    if ('errors' in checked) {
      for (const e of checked.errors) error(COLUMN_OF_PATH[e.path] ?? e.path, e.message);
      continue;
    }
    const { visit } = checked;
    if (!(await storage.createVisit(visit, now.toISOString()))) {
      error('id', `a visit with id "${visit.id}" already exists`);
      continue;
    }
    result.created++;
  }
  return result;
}
