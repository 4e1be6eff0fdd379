// The dashboard's counts per visit date and technician (table form_day_counts, migration 6), shared
// by both adapters. A form is counted once, when it lands: ingest adds the accepted forms of a batch
// in its own transaction (a duplicate or a conflicting resubmission adds nothing), and the migration
// counts the forms stored before. The dashboard then adds up at most one row per day and technician
// instead of reading every form of the period.
//
// The forms' counted columns (visit date, technician, satisfaction, flags, facts) never change once a
// form has landed; a later migration that changes them must count its rows again (COUNT_ALL_SQL).
import { OFFER_KINDS } from '../../domain/checklist';
import { OFFER_COLUMNS } from './form-facts-columns';
import { columnText } from './rows';
import type { NewFormRecord } from './storage';

/** The counted columns, after the key (visit_date, technician_id), in the order of dayCountRows' values. */
export const DAY_COUNT_COLUMNS = [
  'forms', 'satisfaction_sum', 'rated_1', 'rated_2', 'rated_3', 'rated_4', 'rated_5',
  'disputes', 'conduct_breaches', 'first_tests_failed', 'timed',
  // OFFER_COLUMNS' names (a test holds them together)
  'declined_cigarette', 'declined_food_drink', 'declined_gift',
] as const;

type DayCountColumn = (typeof DAY_COUNT_COLUMNS)[number];
const COLUMN_INDEX = Object.fromEntries(DAY_COUNT_COLUMNS.map((c, i) => [c, i])) as Record<DayCountColumn, number>;
const isDayCountColumn = (name: string): name is DayCountColumn => Object.hasOwn(COLUMN_INDEX, name);

const KEY_COLUMNS = ['visit_date', 'technician_id'] as const;

/** One row of counts: the key, then DAY_COUNT_COLUMNS. */
export type DayCountRow = [visitDate: string, technicianId: string, ...counts: number[]];

/**
 * The forms' counts per (visit date, technician), in key order: concurrent batches take the rows'
 * locks in the same order, so two batches wait for each other instead of deadlocking.
 */
export function dayCountRows(forms: readonly NewFormRecord[]): DayCountRow[] {
  const byKey = new Map<string, { visitDate: string; technicianId: string; counts: number[] }>();
  for (const f of forms) {
    const technicianId = columnText(f.technicianId);
    const key = `${f.visitDate}\u0000${technicianId}`;
    let entry = byKey.get(key);
    if (!entry) byKey.set(key, (entry = { visitDate: f.visitDate, technicianId, counts: DAY_COUNT_COLUMNS.map(() => 0) }));
    const counts = entry.counts;
    const add = (column: DayCountColumn, n: number) => { counts[COLUMN_INDEX[column]] = counts[COLUMN_INDEX[column]]! + n; };
    add('forms', 1);
    add('satisfaction_sum', f.satisfaction);
    const rated = `rated_${f.satisfaction}`;
    if (isDayCountColumn(rated)) add(rated, 1);
    add('disputes', +f.dispute);
    add('conduct_breaches', +f.conductBreach);
    add('first_tests_failed', +f.facts.firstTestFailed);
    add('timed', f.facts.onSiteMs === null ? 0 : 1);
    for (const k of OFFER_KINDS) add(OFFER_COLUMNS[k] as DayCountColumn, f.facts.declinedOffers[k]);
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, e]): DayCountRow => [e.visitDate, e.technicianId, ...e.counts]);
}

/** Rows per statement: 18 values each, well under SQLite's 32,766 bound parameters. */
export const DAY_COUNT_ROWS_PER_STATEMENT = 500;

/** `INSERT … ON CONFLICT DO UPDATE` adding `rows` rows of counts to what is there; `placeholder` numbers from 1. */
export function addDayCountsSql(rows: number, placeholder: (n: number) => string): string {
  const width = KEY_COLUMNS.length + DAY_COUNT_COLUMNS.length;
  const tuple = (r: number) => `(${Array.from({ length: width }, (_, c) => placeholder(r * width + c + 1)).join(', ')})`;
  return `INSERT INTO form_day_counts (${[...KEY_COLUMNS, ...DAY_COUNT_COLUMNS].join(', ')})
    VALUES ${Array.from({ length: rows }, (_, r) => tuple(r)).join(', ')}
    ON CONFLICT (visit_date, technician_id) DO UPDATE SET
    ${DAY_COUNT_COLUMNS.map((c) => `${c} = form_day_counts.${c} + excluded.${c}`).join(', ')}`;
}

/** The statements (SQL and values) that add the accepted forms' counts, in key order. */
export function addDayCounts(forms: readonly NewFormRecord[], placeholder: (n: number) => string): Array<{ sql: string; params: unknown[] }> {
  const rows = dayCountRows(forms);
  const out = [];
  for (let i = 0; i < rows.length; i += DAY_COUNT_ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + DAY_COUNT_ROWS_PER_STATEMENT);
    out.push({ sql: addDayCountsSql(chunk.length, placeholder), params: chunk.flat() });
  }
  return out;
}

/** Counts every stored form into the (empty) table: migration 6, and the benchmark after its bulk load. */
export function countAllSql(yes: string): string {
  const offers = OFFER_KINDS.map((k) => `SUM(${OFFER_COLUMNS[k]})`);
  return `INSERT INTO form_day_counts (${[...KEY_COLUMNS, ...DAY_COUNT_COLUMNS].join(', ')})
    SELECT visit_date, technician_id, COUNT(*), SUM(satisfaction),
      ${[1, 2, 3, 4, 5].map((s) => `COUNT(*) FILTER (WHERE satisfaction = ${s})`).join(', ')},
      COUNT(*) FILTER (WHERE dispute = ${yes}), COUNT(*) FILTER (WHERE conduct_breach = ${yes}),
      COUNT(*) FILTER (WHERE first_test_failed = ${yes}), COUNT(on_site_ms), ${offers.join(', ')}
    FROM forms GROUP BY visit_date, technician_id ORDER BY visit_date, technician_id`;
}
