// The forms-list query, shared by both adapters: filters from fixed SQL fragments and bound values
// only, and keyset paging on (visit_date, id) so page 10,000 costs what page 1 costs.
import type { FormFilter } from '../../domain/api';
import type { FormCursor } from './storage';

/** The few ways the two SQL dialects differ in this query. */
export interface Dialect {
  /** the placeholder for the n-th bound value (1-based) */
  placeholder(n: number): string;
  /** a boolean literal; literals (not bound values) let the partial indexes be used */
  bool(value: boolean): string;
}

export const sqliteDialect: Dialect = { placeholder: () => '?', bool: (b) => (b ? '1' : '0') };
export const postgresDialect: Dialect = { placeholder: (n) => `$${n}`, bool: (b) => (b ? 'TRUE' : 'FALSE') };

export const SUMMARY_COLUMNS = `f.id, f.visit_id, f.visit_date, f.technician_id, COALESCE(t.name, '') AS technician_name,
  f.customer_name, f.equipment_type, f.satisfaction, f.dispute, f.conduct_breach, f.dispute_resolved_at,
  f.dispute_resolution_note, f.has_conflict, f.sealed_at, f.received_at, f.clock_drift_ms, f.source`;

export interface FormQueryOptions {
  after: FormCursor | null;
  limit: number;
  order: 'asc' | 'desc';
  /** extra columns beyond the summary */
  extra?: string;
  /** one form by id */
  id?: string;
}

export function buildFormQuery(filter: FormFilter, options: FormQueryOptions, dialect: Dialect): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return dialect.placeholder(params.length);
  };
  const where: string[] = [];
  if (options.id !== undefined) where.push(`f.id = ${bind(options.id)}`);
  if (filter.from !== undefined) where.push(`f.visit_date >= ${bind(filter.from)}`);
  if (filter.to !== undefined) where.push(`f.visit_date <= ${bind(filter.to)}`);
  if (filter.technician !== undefined) where.push(`f.technician_id = ${bind(filter.technician)}`);
  if (filter.state !== undefined) where.push(`f.has_conflict = ${dialect.bool(filter.state === 'conflict')}`);
  if (filter.dispute !== undefined) where.push(`f.dispute = ${dialect.bool(filter.dispute)}`);
  if (filter.satisfaction !== undefined) where.push(`f.satisfaction = ${bind(filter.satisfaction)}`);
  const cmp = options.order === 'desc' ? '<' : '>';
  if (options.after) {
    // the first term bounds the index range; the second drops the rows of the cursor's own date already shown
    // (each value bound where it is used: SQLite's `?` placeholders are positional)
    const { visitDate, id } = options.after;
    where.push(`f.visit_date ${cmp}= ${bind(visitDate)} AND (f.visit_date ${cmp} ${bind(visitDate)} OR f.id ${cmp} ${bind(id)})`);
  }
  const dir = options.order === 'desc' ? 'DESC' : 'ASC';
  const sql = `SELECT ${SUMMARY_COLUMNS}${options.extra ? `, ${options.extra}` : ''}
    FROM forms f LEFT JOIN technicians t ON t.id = f.technician_id
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY f.visit_date ${dir}, f.id ${dir}
    LIMIT ${bind(options.limit)}`;
  return { sql, params };
}

/** Cursors travel as opaque base64url text; anything else is refused by decodeCursor. */
export function encodeCursor(cursor: FormCursor): string {
  return Buffer.from(JSON.stringify([cursor.visitDate, cursor.id]), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): FormCursor | null {
  if (text.length > 200 || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [visitDate, id] = value as unknown[];
    if (typeof visitDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(visitDate)) return null;
    if (typeof id !== 'string' || id.length === 0 || id.length > 64) return null;
    return { visitDate, id };
  } catch {
    return null;
  }
}
