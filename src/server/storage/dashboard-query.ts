// The dashboard's queries, shared by both adapters: two sums over the period's counts (per day: one
// row per date over every technician, or per day for one technician; per technician: the whole
// months' rows and the days around them — kept as forms land, see form-day-counts.ts and
// dashboard-rollups.ts), and the exact time-on-site percentiles (nearest rank) from the forms, each an
// index seek and skip in the index ordered by time on site within a week or a technician. Where the
// buckets of time on site cover the week (every technician, a whole week) or the technician (a long
// period), the seek starts at the bucket the rank falls in and skips only that bucket's forms before
// it. On SQLite one query each (in process, no round trips), on PostgreSQL one query for all the
// weeks and one for all the technicians; a technician's median over a short period from the index by
// date instead. Node only adds up the per-day rows into weeks and puts it together.
import { OFFER_KINDS } from '../../domain/checklist';
import type { DashboardData, DashboardDay, DashboardQuery, DashboardTechnician, DashboardWeek } from '../../domain/api';
import { mondayOf } from '../../domain/form-facts';
import { monthOf, ON_SITE_BUCKET_MS } from './dashboard-rollups';
import { OFFER_COLUMNS } from './form-facts-columns';
import type { Dialect } from './form-query';
import type { Row } from './rows';

export interface DashboardDialect extends Dialect {
  /** the clause that holds a query to one index (SQLite's INDEXED BY; PostgreSQL's planner picks it alone) */
  indexedBy(index: string): string;
  /**
   * Whether a correlated subquery may skip a number of rows given by the outer query (PostgreSQL): then
   * every seek of a kind goes in one query. SQLite's OFFSET takes no outer column: a query per seek.
   */
  correlatedOffset: boolean;
}

export const sqliteDashboardDialect: DashboardDialect = {
  placeholder: () => '?',
  bool: (b) => (b ? '1' : '0'),
  indexedBy: (index) => `INDEXED BY ${index}`,
  correlatedOffset: false,
};

export const postgresDashboardDialect: DashboardDialect = {
  placeholder: (n) => `$${n}`,
  bool: (b) => (b ? 'TRUE' : 'FALSE'),
  indexedBy: () => '',
  correlatedOffset: true,
};

/** Which of the page's charts a query serves (the benchmark times them apart). */
export type DashboardPart = 'counts' | 'technicians' | 'on-site-weeks' | 'on-site-technicians';

export interface SqlPart {
  sql: string;
  params: unknown[];
  /** the dashboard's queries say which charts they serve */
  part?: DashboardPart;
}

/** One percentile to find: the value at 0-based rank `offset` among the timed forms of a week or a technician in the period. */
export interface RankSeek {
  /** the week's Monday, or the technician's id */
  key: string;
  /** 50 or 90: which percentile it is */
  p: number;
  offset: number;
  /** the seek starts at this time on site (a bucket's start, see dashboard-rollups.ts; 0: from the first) and skips `offset` from there */
  atLeast: number;
}

export interface DashboardSql {
  /** per visit date: every count the charts show (forms, satisfaction, flags, first tests, time-on-site counts, offers) */
  days: SqlPart;
  /** per technician: the compliance table's counts */
  technicians: SqlPart;
  /** the seeks among the weeks' timed forms: rows {key, p, ms}; one query per seek without correlatedOffset */
  weekRanks(seeks: readonly RankSeek[]): SqlPart[];
  /** the same among each technician's timed forms; `short`: the period holds a small share of the counted dates (technicianIndexIsByDate): the index by date */
  technicianRanks(seeks: readonly RankSeek[], short: boolean): SqlPart[];
  /** the first and last visit dates counted: rows {first, last} (an index's two ends) */
  span: SqlPart;
  /** the timed forms per bucket of the whole weeks from `first` to `last` (Mondays), every technician: rows {key, bucket, forms} */
  weekBuckets(first: string, last: string): SqlPart;
  /** the period's timed forms per technician and bucket, in parts to add up: rows {key, bucket, forms} */
  technicianBuckets: SqlPart[];
}

/**
 * The period cut into its whole calendar months (YYYY-MM, first and last; null if none) and the days
 * before and after them (at most two ranges of dates, inclusive).
 */
export function splitByMonths(from: string, to: string): { months: [string, string] | null; edges: Array<[string, string]> } {
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const t = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const firstOfNext = (d: string) => { const x = new Date(t(d)); return day(Date.UTC(x.getUTCFullYear(), x.getUTCMonth() + 1, 1)); };
  const start = from.endsWith('-01') ? from : firstOfNext(from);
  const end = day(t(firstOfNext(to)) - DAY_MS) === to ? to : day(t(`${monthOf(to)}-01`) - DAY_MS);
  if (start > end) return { months: null, edges: [[from, to]] };
  const edges: Array<[string, string]> = [];
  if (from < start) edges.push([from, day(t(start) - DAY_MS)]);
  if (end < to) edges.push([day(t(end) + DAY_MS), to]);
  return { months: [monthOf(start), monthOf(end)], edges };
}

export function buildDashboardQueries(query: DashboardQuery, d: DashboardDialect): DashboardSql {
  // each query binds its own values, in the order they appear: SQLite's `?` placeholders are positional
  const binder = () => {
    const params: unknown[] = [];
    const at = (value: unknown) => {
      params.push(value);
      return d.placeholder(params.length);
    };
    return { params, at };
  };
  const period = (table: string, at: (value: unknown) => string) => [
    `${table}.visit_date >= ${at(query.from)}`, `${table}.visit_date <= ${at(query.to)}`,
    ...(query.technician === undefined ? [] : [`${table}.technician_id = ${at(query.technician)}`]),
  ].join(' AND ');
  const sums = `SUM(c.forms) AS forms, SUM(c.satisfaction_sum) AS satisfaction_sum, SUM(c.timed) AS timed,
      SUM(c.disputes) AS disputes, SUM(c.conduct_breaches) AS conduct_breaches, SUM(c.first_tests_failed) AS first_tests_failed`;

  const dayQuery = binder();
  const days: SqlPart = {
    sql: `SELECT c.visit_date AS day, ${sums},
        ${[1, 2, 3, 4, 5].map((s) => `SUM(c.rated_${s}) AS rated_${s}`).join(', ')},
        ${OFFER_KINDS.map((k) => `SUM(c.${OFFER_COLUMNS[k]}) AS ${OFFER_COLUMNS[k]}`).join(', ')}
      FROM ${query.technician === undefined ? 'form_date_counts' : 'form_day_counts'} c WHERE ${period('c', dayQuery.at)} GROUP BY c.visit_date ORDER BY c.visit_date`,
    params: dayQuery.params,
    part: 'counts',
  };
  const technicianQuery = binder();
  const split = splitByMonths(query.from, query.to);
  const ofTechnician = (table: string, at: (value: unknown) => string) => (query.technician === undefined ? '' : ` AND ${table}.technician_id = ${at(query.technician)}`);
  // the whole months from their counts, the days around them from the day counts
  const summed = 'technician_id, forms, satisfaction_sum, timed, disputes, conduct_breaches, first_tests_failed';
  const alias = split.months === null ? 'c' : 'u';
  const technicianRows = split.months === null
    ? `form_day_counts c WHERE ${period('c', technicianQuery.at)}`
    : `(${[
      `SELECT ${summed} FROM form_month_counts m WHERE m.month >= ${technicianQuery.at(split.months[0])} AND m.month <= ${technicianQuery.at(split.months[1])}${ofTechnician('m', technicianQuery.at)}`,
      ...split.edges.map(([a, b]) => `SELECT ${summed} FROM form_day_counts e WHERE e.visit_date >= ${technicianQuery.at(a)} AND e.visit_date <= ${technicianQuery.at(b)}${ofTechnician('e', technicianQuery.at)}`),
    ].join(' UNION ALL ')}) AS u`;
  const technicians: SqlPart = {
    sql: `SELECT s.*, COALESCE(t.name, '') AS technician_name FROM (
        SELECT ${alias}.technician_id, ${sums.replaceAll('c.', `${alias}.`)} FROM ${technicianRows} GROUP BY ${alias}.technician_id
      ) AS s LEFT JOIN technicians t ON t.id = s.technician_id ORDER BY s.technician_id`,
    params: technicianQuery.params,
    part: 'technicians',
  };

  // a seek to the key in the index ordered by time on site, then a skip of `offset` entries; the
  // period's bounds (and the technician) are read from the index's later columns
  const ranks = (index: string, lead: string, part: DashboardPart) => (seeks: readonly RankSeek[]): SqlPart[] => {
    // (the values are bound in the order the SQL reads them)
    const seek = (q: ReturnType<typeof binder>, key: () => string, atLeast: () => string, offset: () => string) =>
      `SELECT f.on_site_ms FROM forms f ${d.indexedBy(index)}
        WHERE ${lead} = ${key()} AND f.on_site_ms >= ${atLeast()} AND ${period('f', q.at)} ORDER BY f.on_site_ms LIMIT 1 OFFSET ${offset()}`;
    if (seeks.length === 0) return [];
    if (!d.correlatedOffset) {
      return seeks.map((s) => {
        const q = binder();
        const sql = `SELECT ${q.at(s.key)} AS key, ${q.at(s.p)} AS p, (${seek(q, () => q.at(s.key), () => q.at(s.atLeast), () => q.at(s.offset))}) AS ms`;
        return { sql, params: q.params, part };
      });
    }
    const q = binder();
    const values = seeks.map((s) => `(${q.at(s.key)}, CAST(${q.at(s.p)} AS INTEGER), CAST(${q.at(s.atLeast)} AS BIGINT), CAST(${q.at(s.offset)} AS INTEGER))`).join(', ');
    return [{ sql: `WITH r (key, p, lo, k) AS (VALUES ${values}) SELECT r.key, r.p, (${seek(q, () => 'r.key', () => 'r.lo', () => 'r.k')}) AS ms FROM r`, params: q.params, part }];
  };
  const oneTechnician = query.technician !== undefined;
  const bucket = `on_site_ms / ${ON_SITE_BUCKET_MS}`;
  // the whole months' buckets: over a long period (technicianIndexIsByDate false), read along the
  // key (technician, bucket, month) and added up in its order, no sort; then the days around them
  // from the forms (a covering index by week, or by technician and date), in one query
  const technicianBuckets: SqlPart[] = [];
  if (split.months !== null) {
    const q = binder();
    technicianBuckets.push({
      sql: `SELECT m.technician_id AS key, m.bucket, SUM(m.forms) AS forms FROM form_month_on_site m
        WHERE ${query.technician === undefined ? '' : `m.technician_id = ${q.at(query.technician)} AND `}m.month >= ${q.at(split.months[0])} AND m.month <= ${q.at(split.months[1])}
        GROUP BY m.technician_id, m.bucket`,
      params: q.params,
      part: 'on-site-technicians',
    });
  }
  if (split.edges.length > 0) {
    const q = binder();
    const edges = split.edges.map(([a, b]) => {
      const where = oneTechnician
        ? `f.technician_id = ${q.at(query.technician)} AND f.visit_date >= ${q.at(a)} AND f.visit_date <= ${q.at(b)}`
        : `f.visit_week >= ${q.at(mondayOf(a))} AND f.visit_week <= ${q.at(b)} AND f.visit_date >= ${q.at(a)} AND f.visit_date <= ${q.at(b)}`;
      return `SELECT f.technician_id AS key, f.${bucket} AS bucket, COUNT(*) AS forms
        FROM forms f ${d.indexedBy(oneTechnician ? 'forms_on_site_by_technician_date' : 'forms_on_site_by_week')}
        WHERE ${where} AND f.on_site_ms IS NOT NULL GROUP BY f.technician_id, f.${bucket}`;
    });
    technicianBuckets.push({
      sql: edges.length === 1 ? edges[0]! : `SELECT b.key, b.bucket, SUM(b.forms) AS forms FROM (${edges.join(' UNION ALL ')}) AS b GROUP BY b.key, b.bucket`,
      params: q.params,
      part: 'on-site-technicians',
    });
  }
  return {
    weekBuckets: (first, last) => ({
      sql: `SELECT visit_week AS key, bucket, forms FROM form_week_on_site WHERE visit_week >= ${d.placeholder(1)} AND visit_week <= ${d.placeholder(2)}`,
      params: [first, last],
      part: 'on-site-weeks',
    }),
    technicianBuckets,
    days,
    technicians,
    weekRanks: oneTechnician
      ? ranks('forms_on_site_by_technician_week', 'f.visit_week', 'on-site-weeks')
      : ranks('forms_on_site_by_week', 'f.visit_week', 'on-site-weeks'),
    technicianRanks: (seeks, short) => (short
      ? ranks('forms_on_site_by_technician_date', 'f.technician_id', 'on-site-technicians')
      : ranks('forms_on_site_by_technician', 'f.technician_id', 'on-site-technicians'))(seeks),
    // one aggregate a query: each end is then read off the key's index
    span: {
      sql: 'SELECT (SELECT MIN(visit_date) FROM form_day_counts) AS first, (SELECT MAX(visit_date) FROM form_day_counts) AS last',
      params: [],
      part: 'on-site-technicians',
    },
  };
}

/**
 * Whether a technician's median is cheaper from the index by date (the period's forms read and
 * sorted: cost ∝ the period's forms × the sort's factor, about 5) than from the index ordered by time
 * on site (skipped through until the median: cost ∝ half the technician's forms of every date). With
 * forms spread over the counted dates, the second reads about half the period's forms / its share:
 * by date wins when the period holds less than a tenth of the counted dates.
 */
export function technicianIndexIsByDate(query: DashboardQuery, span: { first: string; last: string } | null): boolean {
  if (!span) return true;
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY_MS;
  const counted = day(span.last) - day(span.first) + 1;
  const overlap = Math.min(day(query.to), day(span.last)) - Math.max(day(query.from), day(span.first)) + 1;
  return overlap <= 0 || overlap / counted < 0.1;
}

/** The nearest-rank percentile's 0-based position among n values: the value at rank ⌈p·n/100⌉. */
export function nearestRankOffset(n: number, p: number): number {
  return Math.ceil((p * n) / 100) - 1;
}

/**
 * The dashboard's queries in order, each answer fed back in: the per-day and per-technician sums
 * first, then the percentiles' seeks, whose offsets come from the sums' counts of timed forms. An
 * adapter drives it synchronously (SQLite, inside one read transaction) or asynchronously
 * (PostgreSQL, inside one snapshot), so the counts and the forms seeked among agree.
 */
export function* dashboardSteps(query: DashboardQuery, d: DashboardDialect): Generator<SqlPart, DashboardData, Row[]> {
  const q = buildDashboardQueries(query, d);
  const days = yield q.days;
  const technicians = yield q.technicians;
  const timedByWeek = new Map<string, number>();
  for (const r of days) {
    const week = mondayOf(String(r.day));
    timedByWeek.set(week, (timedByWeek.get(week) ?? 0) + num(r.timed));
  }
  const found = new Map<string, unknown>();
  const seekAll = function* (parts: SqlPart[]): Generator<SqlPart, void, Row[]> {
    for (const part of parts) for (const r of yield part) found.set(`${String(r.key)}|${Number(r.p)}`, r.ms);
  };
  // every technician's whole weeks: the rank's bucket from the weeks' buckets, then a seek from its start
  const wholeWeeks = query.technician === undefined
    ? [...timedByWeek.keys()].filter((week) => week >= query.from && addDays(week, 6) <= query.to).sort()
    : [];
  const weekBuckets = wholeWeeks.length === 0 ? new Map<string, Map<number, number>>() : bucketsOf(yield q.weekBuckets(wholeWeeks[0]!, wholeWeeks.at(-1)!));
  const weekSeeks = [...timedByWeek].filter(([, n]) => n > 0)
    .flatMap(([week, n]) => [50, 90].map((p) => rankSeek(week, p, n, weekBuckets.get(week))));
  yield* seekAll(q.weekRanks(weekSeeks));
  const timedTechnicians = technicians.filter((r) => num(r.timed) > 0);
  let short = true;
  if (timedTechnicians.length > 0) {
    const [span] = yield q.span;
    short = technicianIndexIsByDate(query, span?.first == null || span.last == null ? null : { first: String(span.first), last: String(span.last) });
  }
  // over a long period, each technician's rank's bucket from the months' buckets and the days around them
  const technicianBuckets = new Map<string, Map<number, number>>();
  if (!short) for (const part of q.technicianBuckets) bucketsOf(yield part, technicianBuckets);
  const technicianSeeks = timedTechnicians.map((r) => rankSeek(String(r.technician_id), 50, num(r.timed), short ? undefined : technicianBuckets.get(String(r.technician_id))));
  yield* seekAll(q.technicianRanks(technicianSeeks, short));
  const weeks: Row[] = [...timedByWeek.keys()].map((week) => ({ week, median_ms: found.get(`${week}|50`), p90_ms: found.get(`${week}|90`) }));
  const technicianMedians = technicians.map((r) => ({ technician_id: r.technician_id, median_ms: found.get(`${String(r.technician_id)}|50`) }));
  return assembleDashboard(query, { days, weeks, technicians, technicianMedians });
}

/** Rows {key, bucket, forms} added up per key and bucket (into `into`). */
export function bucketsOf(rows: readonly Row[], into = new Map<string, Map<number, number>>()): Map<string, Map<number, number>> {
  for (const r of rows) {
    const key = String(r.key);
    let buckets = into.get(key);
    if (!buckets) into.set(key, (buckets = new Map()));
    const bucket = Number(r.bucket);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + num(r.forms));
  }
  return into;
}

/**
 * The seek of the nearest-rank percentile p among the n timed forms of a week or technician: with
 * their counts per bucket (which must add up to n, else the seek starts from the first form), from the
 * start of the bucket the rank falls in, skipping only the forms of that bucket before it.
 */
export function rankSeek(key: string, p: number, n: number, buckets: ReadonlyMap<number, number> | undefined): RankSeek {
  const offset = nearestRankOffset(n, p);
  if (buckets) {
    const sorted = [...buckets].sort(([a], [b]) => a - b);
    if (sorted.reduce((sum, [, c]) => sum + c, 0) === n) {
      let below = 0;
      for (const [bucket, count] of sorted) {
        if (offset < below + count) return { key, p, offset: offset - below, atLeast: bucket * ON_SITE_BUCKET_MS };
        below += count;
      }
    }
  }
  return { key, p, offset, atLeast: 0 };
}

const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

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
