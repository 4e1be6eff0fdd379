// One serial number's forms, newest visit first, for both adapters: keyset paging on (visit_date, id)
// over the index on (equipment_serial, visit_date, id), like the forms list.
import type { EquipmentHistoryEntry } from '../../domain/api';
import type { Checklist } from '../../domain/checklist';
import { historyWords, type HistoryWords } from '../../domain/form-view';
import type { Dialect } from './form-query';
import type { Row } from './rows';
import type { FormCursor } from './storage';

export function buildEquipmentHistoryQuery(serial: string, after: FormCursor | null, limit: number, dialect: Dialect): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return dialect.placeholder(params.length);
  };
  const where = [`f.equipment_serial = ${bind(serial)}`];
  if (after) {
    where.push(`f.visit_date <= ${bind(after.visitDate)} AND (f.visit_date < ${bind(after.visitDate)} OR f.id < ${bind(after.id)})`);
  }
  const sql = `SELECT f.id, f.visit_date, f.technician_id, COALESCE(t.name, '') AS technician_name, f.satisfaction,
      f.dispute, f.conduct_breach, f.form_json
    FROM forms f LEFT JOIN technicians t ON t.id = f.technician_id
    WHERE ${where.join(' AND ')}
    ORDER BY f.visit_date DESC, f.id DESC
    LIMIT ${bind(limit)}`;
  return { sql, params };
}

/** Reads a past repair's words from a form's JSON (historyWords, with the server's published checklists). */
export type HistoryWordsReader = (form: unknown) => HistoryWords;

/** Without the checklists: only the words of format-1 forms, which name their fields. */
export const namedFieldWords: HistoryWordsReader = (form) => historyWords(form, () => undefined);

/** The entry of one row; the repair's words come from the form JSON as sealed. */
export function historyEntryFromRow(row: Row, words: HistoryWordsReader = namedFieldWords): EquipmentHistoryEntry {
  let form: unknown = {};
  try {
    form = JSON.parse(String(row.form_json));
  } catch {
    // a row's JSON is the sealed form as received and always parses; an entry without words is still listed
  }
  return {
    formId: String(row.id),
    visitDate: String(row.visit_date),
    technicianId: String(row.technician_id),
    technicianName: String(row.technician_name),
    ...words(form),
    satisfaction: Number(row.satisfaction),
    dispute: row.dispute === true || row.dispute === 1,
    conductBreach: row.conduct_breach === true || row.conduct_breach === 1,
  };
}

export function historyPage(rows: Row[], limit: number, words?: HistoryWordsReader): { entries: EquipmentHistoryEntry[]; next: FormCursor | null } {
  const entries = rows.slice(0, limit).map((row) => historyEntryFromRow(row, words));
  const last = entries[entries.length - 1];
  return { entries, next: rows.length > limit && last ? { visitDate: last.visitDate, id: last.formId } : null };
}

/** The reader with the server's published checklists, so format-2 forms have their words too. */
export const historyReader = (checklists: { get(id: string, version: number): Checklist | undefined }): HistoryWordsReader =>
  (form) => historyWords(form, (id, version) => checklists.get(id, version));
