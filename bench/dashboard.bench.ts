// The dashboard and the equipment history on 1,000,000 forms, on SQLite and on PostgreSQL: p50 and p95
// latency of the real storage.dashboard (every chart of the page in one call) over periods of a month,
// a quarter, a year and the longest period the API allows (DASHBOARD_MAX_DAYS), for all technicians and a year for one, and of the first page of one serial's
// history — beside a primary-key lookup on the same table, measured in the same run. Each chart's own
// share is timed too: the same queries (dashboardSteps) on a raw connection, timed query by query —
// the per-day counts (forms per day, satisfaction trend and distribution, disputes and conduct
// breaches per week, declined offers, first technician tests failed), the time on site per week, and
// the compliance table (its counts and each technician's median time on site). The aim: every p95
// within 200 ms. Rows are generated with bulk SQL (generated-forms.ts: the form-facts columns
// included, and the day counts counted as migration 6 does; a small form JSON with the words the
// history reads). `npm run bench -- dashboard`; BENCH_QUICK=1 for 100,000 forms, and
// BENCH_DATABASES=sqlite (or postgres) for one database only. The SQLite file is kept in .bench/.
import { isDeepStrictEqual } from 'node:util';
import { DASHBOARD_MAX_DAYS, type DashboardData, type DashboardQuery } from '../src/domain/api';
import { dashboardSteps, postgresDashboardDialect, runSteps, sqliteDashboardDialect, type DashboardPart } from '../src/server/storage/dashboard-query';
import type { BenchResult, Measurement } from './measurement';
import {
  baseFormValues, DATABASE_NAMES, DATABASES, generateFormsSql, latencyResults, onPostgres, onSqlite,
  technicianIds, TECHNICIANS, type Dialect, type Generated, type Opened, type RequestKind,
} from './generated-forms';
import { prng, QUICK } from './server-fixtures';

const ROWS = QUICK ? 100_000 : 1_000_000;
const SAMPLING = { rows: ROWS, requests: QUICK ? 20 : 50, warmup: QUICK ? 3 : 5 };
/** forms per serial, on average */
const SERIALS = Math.ceil(ROWS / 5);
/** the back office's page (src/backoffice/api-client.ts FORMS_PAGE_SIZE) */
const PAGE = 50;
const AIM = { max: 200, of: 'value' } as const;

function generateSql(dialect: Dialect): string {
  const sqlite = dialect === 'sqlite';
  const base = baseFormValues(dialect);
  const serial = `(h / 7) % ${SERIALS}`;
  return generateFormsSql(dialect, {
    ...base,
    form_json: `'{"faultFound":"主刷电机碳刷磨损，刷盘转速不足","workDone":"更换碳刷，清理刷盘","partsUsed":[{"name":"碳刷","quantity":2}]}'`,
    equipment_serial: sqlite ? `'SN-' || (${serial})` : `'SN-' || (${serial})::text`,
    visit_week: sqlite ? `date(${base.visit_date}, 'weekday 0', '-6 days')` : `to_char(date_trunc('week', ${base.visit_date}), 'YYYY-MM-DD')`,
    first_test_failed: '((h / 3) % 20 = 0)',
    on_site_ms: '1800000 + (h % 7200) * 1000',
    declined_cigarette: 'CASE WHEN (h / 11) % 5 = 0 THEN 1 ELSE 0 END',
    declined_food_drink: 'CASE WHEN (h / 17) % 9 = 0 THEN 1 ELSE 0 END',
    declined_gift: 'CASE WHEN (h / 19) % 40 = 0 THEN 1 ELSE 0 END',
  });
}

const GENERATED: Generated = { name: 'dashboard', rows: ROWS, generatorVersion: 4, sql: generateSql };

/** The serial of row n, as the generator gives it. */
function generatedSerial(n: number): string {
  const h = (n * 2654435761) % 4294967296;
  return `SN-${Math.floor(h / 7) % SERIALS}`;
}

const DAY_MS = 86_400_000;
const FIRST_GENERATED_DAY = '2024-01-01';
const LAST_GENERATED_DAY = '2026-12-31';

/** Periods that lie within the generated years, starting on a random day. */
function period(random: () => number, days: number, technician: boolean): DashboardQuery {
  const span = Date.parse(LAST_GENERATED_DAY) - Date.parse(FIRST_GENERATED_DAY) - (days - 1) * DAY_MS;
  const from = new Date(Date.parse(FIRST_GENERATED_DAY) + Math.floor((random() * span) / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  const to = new Date(Date.parse(from) + (days - 1) * DAY_MS).toISOString().slice(0, 10);
  return { from, to, ...(technician ? { technician: technicianIds[Math.floor(random() * TECHNICIANS)]! } : {}) };
}

/** The charts each query of the dashboard serves. */
const CHARTS: Record<DashboardPart, string> = {
  // forms per day, satisfaction trend and distribution, disputes and breaches per week, declined offers, first tests failed
  counts: 'the per-day counts charts',
  'on-site-weeks': 'time on site per week',
  technicians: 'compliance table',
  'on-site-technicians': 'compliance table',
};

const PERIODS: Array<{ name: string; days: number; technician: boolean }> = [
  { name: 'a month, all technicians', days: 30, technician: false },
  { name: 'a quarter, all technicians', days: 91, technician: false },
  { name: 'a year, all technicians', days: 365, technician: false },
  { name: 'a year, one technician', days: 365, technician: true },
  { name: `${DASHBOARD_MAX_DAYS} days (the longest period the API allows), all technicians`, days: DASHBOARD_MAX_DAYS, technician: false },
];

function requestKinds({ storage, query }: Opened, dialect: Dialect): RequestKind[] {
  const d = dialect === 'sqlite' ? sqliteDashboardDialect : postgresDashboardDialect;
  const kinds: RequestKind[] = [];
  for (const p of PERIODS) {
    // both kinds of a period ask for the same periods in the same order
    const wholeRandom = prng(42 + p.days);
    const chartRandom = prng(42 + p.days);
    kinds.push({
      name: `dashboard, ${p.name}, every chart (storage.dashboard)`,
      async request() {
        return { answer: await storage.dashboard(period(wholeRandom, p.days, p.technician)) };
      },
    });
    let checked = false;
    kinds.push({
      name: `dashboard, ${p.name}, by chart`,
      async request() {
        const q = period(chartRandom, p.days, p.technician);
        const parts: Record<string, number> = {};
        const answer: DashboardData = await runSteps(dashboardSteps(q, d), async (part) => {
          const started = performance.now();
          const found = await query(part.sql, part.params);
          const chart = CHARTS[part.part ?? 'counts'];
          parts[chart] = (parts[chart] ?? 0) + performance.now() - started;
          return found;
        });
        if (!checked) {
          // the queries timed apart are the ones storage.dashboard runs: the same figures
          if (!isDeepStrictEqual(answer, await storage.dashboard(q))) throw new Error(`dashboard ${JSON.stringify(q)}: the queries timed by chart answer other figures than storage.dashboard`);
          checked = true;
        }
        return { answer, parts };
      },
    });
  }
  const random = prng(43);
  kinds.push({
    name: 'equipment history, first page of one serial',
    async request() {
      const page = await storage.listEquipmentHistory(generatedSerial(Math.floor(random() * ROWS)), { after: null, limit: PAGE });
      if (page.entries.length === 0) throw new Error('equipment history: a generated serial has no forms');
      return { answer: page };
    },
  });
  return kinds;
}

const dashboard: Measurement = {
  name: 'dashboard',
  async run() {
    const out: BenchResult[] = [];
    for (const dialect of DATABASES) {
      const measured = await (dialect === 'sqlite' ? onSqlite : onPostgres)(GENERATED, SAMPLING, (opened) => requestKinds(opened, dialect));
      // the "by chart" kind's own wall time adds nothing to the whole call's: only its parts are kept
      measured.kinds = measured.kinds.filter((k) => !k.name.endsWith(', by chart'));
      out.push(...latencyResults(`${DATABASE_NAMES[dialect]}, ${ROWS} forms`, measured, AIM));
    }
    return out;
  },
};

export default dashboard;
