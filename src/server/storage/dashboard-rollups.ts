// The dashboard's coarser summaries (migration 9), beside form_day_counts and kept the same way: ingest
// adds the accepted forms of a batch in its own transaction, the migration counts the forms stored
// before. A long period over every technician then reads a few hundred rows, not 365 × technicians:
//   form_date_counts    per visit date, every technician together: the per-day charts
//   form_month_counts   per calendar month (YYYY-MM) and technician: the compliance table's counts
//   form_week_on_site   per visit week and bucket of time on site: how many timed forms
//   form_month_on_site  per technician, bucket of time on site and month: how many timed forms
// A bucket is ON_SITE_BUCKET_MS of time on site (on_site_ms / ON_SITE_BUCKET_MS, whole). The
// percentiles stay exact (nearest rank): the buckets' counts say in which bucket the rank falls and
// how many of the period's forms lie below it, and one seek to the bucket's start in the index
// ordered by time on site skips only the rest (dashboard-query.ts).
import { mondayOf } from '../../domain/form-facts';
import { DAY_COUNT_COLUMNS, dayCountRows } from './form-day-counts';
import { columnText } from './rows';
import type { NewFormRecord } from './storage';

/** The width of a bucket of time on site: 15 minutes. */
export const ON_SITE_BUCKET_MS = 900_000;

/** The bucket of a time on site (never negative: form-facts.ts). */
export const onSiteBucket = (ms: number): number => Math.floor(ms / ON_SITE_BUCKET_MS);

/** The month (YYYY-MM) of a visit date. */
export const monthOf = (date: string): string => date.slice(0, 7);

interface Rollup {
  table: string;
  keys: readonly string[];
  counts: readonly string[];
}

export const ROLLUPS = {
  date: { table: 'form_date_counts', keys: ['visit_date'], counts: DAY_COUNT_COLUMNS },
  month: { table: 'form_month_counts', keys: ['month', 'technician_id'], counts: DAY_COUNT_COLUMNS },
  weekOnSite: { table: 'form_week_on_site', keys: ['visit_week', 'bucket'], counts: ['forms'] },
  // by technician and bucket first: a long period's months add up in the key's order, without a sort
  monthOnSite: { table: 'form_month_on_site', keys: ['technician_id', 'bucket', 'month'], counts: ['forms'] },
} as const satisfies Record<string, Rollup>;

export const ROLLUP_TABLES = Object.values(ROLLUPS).map((r) => r.table);

type Key = Array<string | number>;

/** Adds `counts` into the entry of `key` (kept in key order at the end). */
function adder(width: number) {
  const byKey = new Map<string, { key: Key; counts: number[] }>();
  return {
    add(key: Key, counts: readonly number[]) {
      const id = JSON.stringify(key);
      let entry = byKey.get(id);
      if (!entry) byKey.set(id, (entry = { key, counts: Array.from({ length: width }, () => 0) }));
      for (let i = 0; i < width; i++) entry.counts[i] = entry.counts[i]! + counts[i]!;
    },
    rows(): unknown[][] {
      const compare = (a: Key, b: Key) => {
        for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
        return 0;
      };
      return [...byKey.values()].sort((a, b) => compare(a.key, b.key)).map((e) => [...e.key, ...e.counts]);
    },
  };
}

/** Each rollup's rows for the forms (key columns, then counts), in key order. */
export function rollupRows(forms: readonly NewFormRecord[]): Array<{ rollup: Rollup; rows: unknown[][] }> {
  const days = dayCountRows(forms);
  const date = adder(DAY_COUNT_COLUMNS.length);
  const month = adder(DAY_COUNT_COLUMNS.length);
  for (const [visitDate, technicianId, ...counts] of days) {
    date.add([visitDate], counts);
    month.add([monthOf(visitDate), technicianId], counts);
  }
  const week = adder(1);
  const monthOnSite = adder(1);
  for (const f of forms) {
    if (f.facts.onSiteMs === null) continue;
    const bucket = onSiteBucket(f.facts.onSiteMs);
    week.add([mondayOf(f.visitDate), bucket], [1]);
    monthOnSite.add([columnText(f.technicianId), bucket, monthOf(f.visitDate)], [1]);
  }
  return [
    { rollup: ROLLUPS.date, rows: date.rows() },
    { rollup: ROLLUPS.month, rows: month.rows() },
    { rollup: ROLLUPS.weekOnSite, rows: week.rows() },
    { rollup: ROLLUPS.monthOnSite, rows: monthOnSite.rows() },
  ].filter((r) => r.rows.length > 0);
}

/** Parameters per statement: well under SQLite's 32,766. */
const PARAMS_PER_STATEMENT = 9000;

/** `INSERT … ON CONFLICT DO UPDATE` adding `rows` rows to what is there; `placeholder` numbers from 1. */
export function addRollupSql(rollup: Rollup, rows: number, placeholder: (n: number) => string): string {
  const width = rollup.keys.length + rollup.counts.length;
  const tuple = (r: number) => `(${Array.from({ length: width }, (_, c) => placeholder(r * width + c + 1)).join(', ')})`;
  return `INSERT INTO ${rollup.table} (${[...rollup.keys, ...rollup.counts].join(', ')})
    VALUES ${Array.from({ length: rows }, (_, r) => tuple(r)).join(', ')}
    ON CONFLICT (${rollup.keys.join(', ')}) DO UPDATE SET
    ${rollup.counts.map((c) => `${c} = ${rollup.table}.${c} + excluded.${c}`).join(', ')}`;
}

/**
 * The statements adding the accepted forms to every rollup: the tables always in the same order and
 * each table's rows in key order, so concurrent batches wait for each other instead of deadlocking.
 */
export function addRollups(forms: readonly NewFormRecord[], placeholder: (n: number) => string): Array<{ sql: string; params: unknown[] }> {
  const out = [];
  for (const { rollup, rows } of rollupRows(forms)) {
    const perStatement = Math.floor(PARAMS_PER_STATEMENT / (rollup.keys.length + rollup.counts.length));
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      out.push({ sql: addRollupSql(rollup, chunk.length, placeholder), params: chunk.flat() });
    }
  }
  return out;
}

/** The dialect's parts of the tables' SQL. */
export interface RollupDialect {
  /** the type of a visit date */
  date: string;
  /** the SQL of a visit date's month, YYYY-MM */
  month(column: string): string;
  /** WITHOUT ROWID on SQLite */
  table: string;
}

export const SQLITE_ROLLUP_DIALECT: RollupDialect = { date: 'TEXT', month: (c) => `substr(${c}, 1, 7)`, table: ' WITHOUT ROWID' };
export const POSTGRES_ROLLUP_DIALECT: RollupDialect = { date: 'DATE', month: (c) => `to_char(${c}, 'YYYY-MM')`, table: '' };

/** Migration 9's tables. */
export function createRollupsSql(d: RollupDialect): string {
  const counts = DAY_COUNT_COLUMNS.map((c) => `${c} INTEGER NOT NULL`).join(', ');
  return `
      CREATE TABLE form_date_counts (visit_date ${d.date} NOT NULL PRIMARY KEY, ${counts})${d.table};
      CREATE TABLE form_month_counts (month TEXT NOT NULL, technician_id TEXT NOT NULL, ${counts}, PRIMARY KEY (month, technician_id))${d.table};
      CREATE TABLE form_week_on_site (visit_week TEXT NOT NULL, bucket INTEGER NOT NULL, forms INTEGER NOT NULL, PRIMARY KEY (visit_week, bucket))${d.table};
      CREATE TABLE form_month_on_site (technician_id TEXT NOT NULL, bucket INTEGER NOT NULL, month TEXT NOT NULL, forms INTEGER NOT NULL,
        PRIMARY KEY (technician_id, bucket, month))${d.table};`;
}

/** Counts every stored form into the (empty) rollups: migration 9, and the benchmark after its bulk load. Needs form_day_counts counted. */
export function countAllRollupsSql(d: RollupDialect): string {
  const sums = DAY_COUNT_COLUMNS.map((c) => `SUM(${c})`).join(', ');
  const columns = DAY_COUNT_COLUMNS.join(', ');
  const bucket = `on_site_ms / ${ON_SITE_BUCKET_MS}`;
  return `
      INSERT INTO form_date_counts (visit_date, ${columns})
        SELECT visit_date, ${sums} FROM form_day_counts GROUP BY visit_date ORDER BY visit_date;
      INSERT INTO form_month_counts (month, technician_id, ${columns})
        SELECT ${d.month('visit_date')}, technician_id, ${sums} FROM form_day_counts GROUP BY ${d.month('visit_date')}, technician_id ORDER BY 1, 2;
      INSERT INTO form_week_on_site (visit_week, bucket, forms)
        SELECT visit_week, ${bucket}, COUNT(*) FROM forms WHERE on_site_ms IS NOT NULL GROUP BY visit_week, ${bucket} ORDER BY 1, 2;
      INSERT INTO form_month_on_site (technician_id, bucket, month, forms)
        SELECT technician_id, ${bucket}, ${d.month('visit_date')}, COUNT(*) FROM forms WHERE on_site_ms IS NOT NULL
        GROUP BY technician_id, ${bucket}, ${d.month('visit_date')} ORDER BY 1, 2, 3;`;
}
