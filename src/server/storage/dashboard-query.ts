// The dashboard's queries, shared by both adapters: four aggregates over the period's rows, read from
// the covering indexes of migration 2 (per day; on-site percentiles per week; per technician; on-site
// median per technician), then put together here. Node only adds up the per-day rows into weeks.
import { OFFER_KINDS } from '../../domain/checklist';
import type { DashboardData, DashboardDay, DashboardQuery, DashboardTechnician, DashboardWeek } from '../../domain/api';
import { OFFER_COLUMNS } from './form-facts-columns';
import type { Dialect } from './form-query';
import type { Row } from './rows';

export interface DashboardDialect extends Dialect {
  /** the Monday (YYYY-MM-DD text) of the ISO week of a DATE column */
  weekOf(column: string): string;
}

export const sqliteDashboardDialect: DashboardDialect = {
  placeholder: () => '?',
  bool: (b) => (b ? '1' : '0'),
  // 'weekday 0' moves on to the Sunday ending the week (or stays on it), six days back is its Monday
  weekOf: (column) => `date(${column}, 'weekday 0', '-6 days')`,
};

export const postgresDashboardDialect: DashboardDialect = {
  placeholder: (n) => `$${n}`,
  bool: (b) => (b ? 'TRUE' : 'FALSE'),
  weekOf: (column) => `to_char(date_trunc('week', ${column}::timestamp), 'YYYY-MM-DD')`,
};

export interface DashboardSql {
  days: { sql: string; params: unknown[] };
  weeks: { sql: string; params: unknown[] };
  technicians: { sql: string; params: unknown[] };
  technicianMedians: { sql: string; params: unknown[] };
}

export function buildDashboardQueries(query: DashboardQuery, d: DashboardDialect): DashboardSql {
  // each query binds its own values: SQLite's `?` placeholders are positional
  const filtered = (extra = '') => {
    const params: unknown[] = [query.from, query.to];
    const where = [`f.visit_date >= ${d.placeholder(1)}`, `f.visit_date <= ${d.placeholder(2)}`];
    if (query.technician !== undefined) {
      params.push(query.technician);
      where.push(`f.technician_id = ${d.placeholder(3)}`);
    }
    if (extra) where.push(extra);
    return { where: where.join(' AND '), params };
  };
  const yes = d.bool(true);
  const counts = `COUNT(*) AS forms, SUM(f.satisfaction) AS satisfaction_sum,
      COUNT(*) FILTER (WHERE f.dispute = ${yes}) AS disputes,
      COUNT(*) FILTER (WHERE f.conduct_breach = ${yes}) AS conduct_breaches,
      COUNT(*) FILTER (WHERE f.first_test_failed = ${yes}) AS first_tests_failed`;

  const all = filtered();
  const days = {
    sql: `SELECT f.visit_date AS day, ${counts},
        ${[1, 2, 3, 4, 5].map((s) => `COUNT(*) FILTER (WHERE f.satisfaction = ${s}) AS rated_${s}`).join(', ')},
        ${OFFER_KINDS.map((k) => `SUM(f.${OFFER_COLUMNS[k]}) AS ${OFFER_COLUMNS[k]}`).join(', ')}
      FROM forms f WHERE ${all.where} GROUP BY f.visit_date ORDER BY f.visit_date`,
    params: all.params,
  };

  // nearest rank: the median is the value at rank ⌈n/2⌉, the 90th percentile at ⌈9n/10⌉ (integer division on both databases)
  const timed = filtered('f.on_site_ms IS NOT NULL');
  const ranked = (partition: string) => `SELECT ${partition} AS bucket, f.on_site_ms AS ms,
      ROW_NUMBER() OVER (PARTITION BY ${partition} ORDER BY f.on_site_ms) AS rn,
      COUNT(*) OVER (PARTITION BY ${partition}) AS n
    FROM forms f WHERE ${timed.where}`;
  const weeks = {
    sql: `SELECT bucket AS week, MAX(CASE WHEN rn = (n + 1) / 2 THEN ms END) AS median_ms,
        MAX(CASE WHEN rn = (9 * n + 9) / 10 THEN ms END) AS p90_ms
      FROM (${ranked(d.weekOf('f.visit_date'))}) AS r GROUP BY bucket ORDER BY bucket`,
    params: timed.params,
  };
  const technicianMedians = {
    sql: `SELECT bucket AS technician_id, MAX(CASE WHEN rn = (n + 1) / 2 THEN ms END) AS median_ms
      FROM (${ranked('f.technician_id')}) AS r GROUP BY bucket`,
    params: timed.params,
  };
  const technicians = {
    sql: `SELECT c.*, COALESCE(t.name, '') AS technician_name FROM (
        SELECT f.technician_id, ${counts} FROM forms f WHERE ${all.where} GROUP BY f.technician_id
      ) AS c LEFT JOIN technicians t ON t.id = c.technician_id ORDER BY c.technician_id`,
    params: all.params,
  };
  return { days, weeks, technicians, technicianMedians };
}

export interface DashboardRows {
  days: Row[];
  weeks: Row[];
  technicians: Row[];
  technicianMedians: Row[];
}

const num = (v: unknown): number => Number(v ?? 0);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const mean = (sum: number, n: number): number | null => (n === 0 ? null : sum / n);
const DAY_MS = 86_400_000;

/** The YYYY-MM-DD of each day from `from` to `to`, inclusive. */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** The Monday of the ISO week holding the date, as the databases' weekOf gives it. */
export function mondayOf(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  const sinceMonday = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

export function assembleDashboard(query: DashboardQuery, rows: DashboardRows): DashboardData {
  const byDay = new Map(rows.days.map((r) => [String(r.day), r]));
  const satisfaction: DashboardData['satisfaction'] = [0, 0, 0, 0, 0];
  const declinedOffers = Object.fromEntries(OFFER_KINDS.map((k) => [k, 0])) as DashboardData['declinedOffers'];
  const onSite = new Map(rows.weeks.map((r) => [String(r.week), r]));
  const weeks = new Map<string, DashboardWeek & { satisfactionSum: number }>();
  const days: DashboardDay[] = [];
  let forms = 0;
  for (const date of daysOf(query.from, query.to)) {
    const r = byDay.get(date);
    const n = num(r?.forms);
    const sum = num(r?.satisfaction_sum);
    days.push({ date, forms: n, meanSatisfaction: mean(sum, n) });
    forms += n;
    const key = mondayOf(date);
    let week = weeks.get(key);
    if (!week) {
      const timed = onSite.get(key);
      week = {
        week: key, forms: 0, meanSatisfaction: null, disputes: 0, conductBreaches: 0, firstTestsFailed: 0,
        onSiteMedianMs: numOrNull(timed?.median_ms), onSiteP90Ms: numOrNull(timed?.p90_ms), satisfactionSum: 0,
      };
      weeks.set(key, week);
    }
    if (!r) continue;
    week.forms += n;
    week.satisfactionSum += sum;
    week.disputes += num(r.disputes);
    week.conductBreaches += num(r.conduct_breaches);
    week.firstTestsFailed += num(r.first_tests_failed);
    satisfaction.forEach((count, i) => (satisfaction[i] = count + num(r[`rated_${i + 1}`])));
    for (const k of OFFER_KINDS) declinedOffers[k] += num(r[OFFER_COLUMNS[k]]);
  }
  const medians = new Map(rows.technicianMedians.map((r) => [String(r.technician_id), numOrNull(r.median_ms)]));
  const technicians: DashboardTechnician[] = rows.technicians.map((r) => ({
    technicianId: String(r.technician_id),
    technicianName: String(r.technician_name),
    forms: num(r.forms),
    conductBreaches: num(r.conduct_breaches),
    disputes: num(r.disputes),
    meanSatisfaction: num(r.satisfaction_sum) / Math.max(1, num(r.forms)),
    firstTestsFailed: num(r.first_tests_failed),
    onSiteMedianMs: medians.get(String(r.technician_id)) ?? null,
  }));
  return {
    query,
    forms,
    days,
    weeks: [...weeks.values()].map(({ satisfactionSum, ...week }) => ({ ...week, meanSatisfaction: mean(satisfactionSum, week.forms) })),
    satisfaction,
    declinedOffers,
    technicians,
  };
}
