// The dashboard's queries, shared by both adapters: two aggregates over the period's rows from the
// covering indexes of migration 2 (per day, per technician), and the time-on-site percentiles (nearest
// rank): PostgreSQL's percentile_disc in one query, on SQLite an index seek and skip each (in process, no
// round trips). Node only adds up the per-day rows into weeks and puts it together.
import { OFFER_KINDS } from '../../domain/checklist';
import type { DashboardData, DashboardDay, DashboardQuery, DashboardTechnician, DashboardWeek } from '../../domain/api';
import { mondayOf } from '../../domain/form-facts';
import { OFFER_COLUMNS } from './form-facts-columns';
import type { Dialect } from './form-query';
import type { Row } from './rows';

export interface DashboardDialect extends Dialect {
  /** the clause that holds a query to one index (SQLite's INDEXED BY; PostgreSQL's planner picks it alone) */
  indexedBy(index: string): string;
  /**
   * The nearest-rank percentile as an aggregate, where the database has one (PostgreSQL's percentile_disc:
   * the first value whose cumulative share reaches p). Without it (SQLite) each percentile is an index seek.
   */
  percentile?(p: number, column: string): string;
}

export const sqliteDashboardDialect: DashboardDialect = {
  placeholder: () => '?',
  bool: (b) => (b ? '1' : '0'),
  indexedBy: (index) => `INDEXED BY ${index}`,
};

export const postgresDashboardDialect: DashboardDialect = {
  placeholder: (n) => `$${n}`,
  bool: (b) => (b ? 'TRUE' : 'FALSE'),
  indexedBy: () => '',
  percentile: (p, column) => `percentile_disc(${p / 100}) WITHIN GROUP (ORDER BY ${column})`,
};

export interface SqlPart {
  sql: string;
  params: unknown[];
}

export interface DashboardSql {
  days: SqlPart;
  /** with the dialect's percentile aggregate: each technician's median_ms too */
  technicians: SqlPart;
  /** with the dialect's percentile aggregate only: median_ms and p90_ms per week */
  weeks: SqlPart | null;
  /** the time on site at 0-based rank `offset` among the week's timed forms of the period */
  weekRank(week: string, offset: number): SqlPart;
  /** the same among one technician's timed forms of the period */
  technicianRank(technicianId: string, offset: number): SqlPart;
}

export function buildDashboardQueries(query: DashboardQuery, d: DashboardDialect): DashboardSql {
  // each query binds its own values, in the order they appear: SQLite's `?` placeholders are positional
  const filtered = (lead?: { column: string; value: unknown }) => {
    const params: unknown[] = [];
    const at = (value: unknown) => {
      params.push(value);
      return d.placeholder(params.length);
    };
    const where: string[] = [];
    if (lead) where.push(`${lead.column} = ${at(lead.value)}`);
    where.push(`f.visit_date >= ${at(query.from)}`, `f.visit_date <= ${at(query.to)}`);
    if (query.technician !== undefined) where.push(`f.technician_id = ${at(query.technician)}`);
    return { where: where.join(' AND '), params, at };
  };
  const yes = d.bool(true);
  const counts = `COUNT(*) AS forms, SUM(f.satisfaction) AS satisfaction_sum, COUNT(f.on_site_ms) AS timed,
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
  const median = d.percentile ? `, ${d.percentile(50, 'f.on_site_ms')} AS median_ms` : '';
  const technicians = {
    sql: `SELECT c.*, COALESCE(t.name, '') AS technician_name FROM (
        SELECT f.technician_id, ${counts}${median} FROM forms f WHERE ${all.where} GROUP BY f.technician_id
      ) AS c LEFT JOIN technicians t ON t.id = c.technician_id ORDER BY c.technician_id`,
    params: all.params,
  };
  const weeks = d.percentile
    ? {
        sql: `SELECT f.visit_week AS week, ${d.percentile(50, 'f.on_site_ms')} AS median_ms, ${d.percentile(90, 'f.on_site_ms')} AS p90_ms
          FROM forms f WHERE ${all.where} AND f.on_site_ms IS NOT NULL GROUP BY f.visit_week`,
        params: all.params,
      }
    : null;
  // a seek to the bucket in the index ordered by time on site, then a skip of `offset` entries
  const rank = (index: string, column: string, value: string, offset: number): SqlPart => {
    const q = filtered({ column, value });
    return {
      sql: `SELECT f.on_site_ms AS ms FROM forms f ${d.indexedBy(index)}
        WHERE ${q.where} AND f.on_site_ms IS NOT NULL ORDER BY f.on_site_ms LIMIT 1 OFFSET ${q.at(offset)}`,
      params: q.params,
    };
  };
  return {
    days,
    technicians,
    weeks,
    weekRank: (week, offset) => rank('forms_on_site_by_week', 'f.visit_week', week, offset),
    technicianRank: (technicianId, offset) => rank('forms_on_site_by_technician', 'f.technician_id', technicianId, offset),
  };
}

/** The nearest-rank percentile's 0-based position among n values: the value at rank ⌈p·n/100⌉. */
export function nearestRankOffset(n: number, p: number): number {
  return Math.ceil((p * n) / 100) - 1;
}

/**
 * The dashboard's queries in order, each answer fed back in: the per-day and per-technician
 * aggregates first, then the percentiles (one aggregate query, or one index seek each). An adapter drives it synchronously (SQLite,
 * inside one read transaction) or asynchronously (PostgreSQL, inside one snapshot).
 */
export function* dashboardSteps(query: DashboardQuery, d: DashboardDialect): Generator<SqlPart, DashboardData, Row[]> {
  const q = buildDashboardQueries(query, d);
  const days = yield q.days;
  const technicians = yield q.technicians;
  if (q.weeks) {
    const weeks = yield q.weeks;
    return assembleDashboard(query, { days, weeks, technicians, technicianMedians: technicians });
  }
  const timedByWeek = new Map<string, number>();
  for (const r of days) {
    const week = mondayOf(String(r.day));
    timedByWeek.set(week, (timedByWeek.get(week) ?? 0) + num(r.timed));
  }
  const weeks: Row[] = [];
  for (const [week, n] of timedByWeek) {
    if (n === 0) continue;
    const median = (yield q.weekRank(week, nearestRankOffset(n, 50)))[0]?.ms;
    const p90 = (yield q.weekRank(week, nearestRankOffset(n, 90)))[0]?.ms;
    weeks.push({ week, median_ms: median, p90_ms: p90 });
  }
  const technicianMedians: Row[] = [];
  for (const r of technicians) {
    const n = num(r.timed);
    if (n === 0) continue;
    technicianMedians.push({ technician_id: r.technician_id, median_ms: (yield q.technicianRank(String(r.technician_id), nearestRankOffset(n, 50)))[0]?.ms });
  }
  return assembleDashboard(query, { days, weeks, technicians, technicianMedians });
}

export function runStepsSync<T>(steps: Generator<SqlPart, T, Row[]>, run: (part: SqlPart) => Row[]): T {
  let step = steps.next();
  while (!step.done) step = steps.next(run(step.value));
  return step.value;
}

export async function runSteps<T>(steps: Generator<SqlPart, T, Row[]>, run: (part: SqlPart) => Promise<Row[]>): Promise<T> {
  let step = steps.next();
  while (!step.done) step = steps.next(await run(step.value));
  return step.value;
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
