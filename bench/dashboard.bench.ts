// The dashboard and the equipment history on 1,000,000 forms, on SQLite and on PostgreSQL: p95 latency
// of the real storage.dashboard (every series of the page in one call) over periods of a month, a
// quarter and a year, for all technicians and for one, and of the first page of one serial's history —
// beside a primary-key lookup on the same table, measured in the same run. The aim: p95 within 200 ms.
// Rows are generated with bulk SQL (the form-facts columns included; a small form JSON with the words
// the history reads). `npm run bench -- dashboard`; BENCH_QUICK=1 for 100,000 forms, and
// BENCH_DATABASES=sqlite (or postgres) for one database only. The SQLite file is kept in .bench/.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { DashboardQuery } from '../src/domain/api';
import { SQLITE_MIGRATIONS } from '../src/server/storage/migrations';
import { openPostgresStorage } from '../src/server/storage/postgres';
import { openSqliteStorage } from '../src/server/storage/sqlite';
import type { Storage } from '../src/server/storage/storage';
import { startPgCluster } from '../test/server/pg-cluster';
import { percentile } from './fixtures/latency-stats';
import { compared, type BenchResult, type Measurement } from './measurement';
import { endBulkLoad, FORM_COLUMNS, generatedDate, generatedId, generatedSql, progress, prng, QUICK, REPO_ROOT, startBulkLoad, timeMs } from './server-fixtures';

const ROWS = QUICK ? 100_000 : 1_000_000;
const REQUESTS = QUICK ? 20 : 50;
const WARMUP = QUICK ? 3 : 5;
const TECHNICIANS = 200;
/** forms per serial, on average */
const SERIALS = Math.ceil(ROWS / 5);
/** the back office's page (src/backoffice/api-client.ts FORMS_PAGE_SIZE) */
const PAGE = 50;
/** bump when the generated rows change, so a cached file is made again */
const GENERATOR_VERSION = 2;
const CHUNK = 100_000;
const AIM = { max: 200, of: 'value' } as const;
const DATABASES = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',').map((s) => s.trim());

type Dialect = 'sqlite' | 'postgres';

/** INSERT … SELECT of the rows n = from … to−1 (bound as the two parameters). */
function generateSql(dialect: Dialect): string {
  const sqlite = dialect === 'sqlite';
  const { id, date } = generatedSql(dialect, 'n');
  const dispute = '(h / 100) % 50 = 0';
  const breach = '(h / 5000) % 200 = 0';
  const serial = `(h / 7) % ${SERIALS}`;
  const values: Record<(typeof FORM_COLUMNS)[number], string> = {
    id,
    hash: sqlite ? "printf('%064x', h)" : "lpad(to_hex(h), 64, '0')",
    technician_id: sqlite ? `printf('tech-%03d', (h / 13) % ${TECHNICIANS} + 1)` : `'tech-' || lpad(((h / 13) % ${TECHNICIANS} + 1)::text, 3, '0')`,
    visit_id: `'V-' || n`,
    visit_date: date,
    sealed_at: `${date} || 'T03:15:00.000Z'`,
    received_at: sqlite ? `${date} || 'T09:00:00.000Z'` : `(${date} + TIME '09:00') AT TIME ZONE 'UTC'`,
    source: "'api'",
    satisfaction: 'CASE WHEN h % 100 < 2 THEN 1 WHEN h % 100 < 5 THEN 2 WHEN h % 100 < 15 THEN 3 WHEN h % 100 < 40 THEN 4 ELSE 5 END',
    dispute: `(${dispute})`,
    conduct_breach: `(${breach})`,
    flagged: `(${dispute} OR ${breach})`,
    clock_drift_ms: 'NULL',
    customer_name: `'某市环卫处第' || (n % 5000) || '清扫队'`,
    equipment_type: "CASE n % 4 WHEN 0 THEN '洗扫车' WHEN 1 THEN '压缩式垃圾车' WHEN 2 THEN '高压清洗车' ELSE '小型电动扫路车' END",
    form_json: `'{"faultFound":"主刷电机碳刷磨损，刷盘转速不足","workDone":"更换碳刷，清理刷盘","partsUsed":[{"name":"碳刷","quantity":2}]}'`,
    signature_png: sqlite ? "X'89504E47'" : "'\\x89504e47'::bytea",
    equipment_serial: sqlite ? `'SN-' || (${serial})` : `'SN-' || (${serial})::text`,
    visit_week: sqlite ? `date(${date}, 'weekday 0', '-6 days')` : `to_char(date_trunc('week', ${date}), 'YYYY-MM-DD')`,
    first_test_failed: '((h / 3) % 20 = 0)',
    on_site_ms: '1800000 + (h % 7200) * 1000',
    declined_cigarette: 'CASE WHEN (h / 11) % 5 = 0 THEN 1 ELSE 0 END',
    declined_food_drink: 'CASE WHEN (h / 17) % 9 = 0 THEN 1 ELSE 0 END',
    declined_gift: 'CASE WHEN (h / 19) % 40 = 0 THEN 1 ELSE 0 END',
  };
  const numbers = sqlite
    // bound JS numbers arrive as REAL: cast, so n, h and the serials are whole numbers (SN-5108, not SN-5108.0)
    ? 'WITH RECURSIVE seq(n) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < CAST(? AS INTEGER)) SELECT n, (n * 2654435761) % 4294967296 AS h FROM seq'
    : 'SELECT n, (n * 2654435761) % 4294967296 AS h FROM generate_series($1::bigint, $2::bigint - 1) AS g(n)';
  return `INSERT INTO forms (${Object.keys(values).join(', ')}) SELECT ${Object.values(values).join(', ')} FROM (${numbers}) AS s`;
}

/** The serial of row n, as the generator gives it. */
function generatedSerial(n: number): string {
  const h = (n * 2654435761) % 4294967296;
  return `SN-${Math.floor(h / 7) % SERIALS}`;
}

const technicianIds = Array.from({ length: TECHNICIANS }, (_, i) => `tech-${String(i + 1).padStart(3, '0')}`);
const technicianValues = technicianIds.flatMap((id, i) => [id, `技师${i + 1}`]);
const technicianRows = (placeholder: (n: number) => string) =>
  `INSERT INTO technicians (id, name, phone, created_at) VALUES ${technicianIds.map((_, i) => `(${placeholder(2 * i + 1)}, ${placeholder(2 * i + 2)}, '', '2024-01-01T00:00:00.000Z')`).join(', ')}`;

async function sqliteDatabase(): Promise<string> {
  const version = SQLITE_MIGRATIONS.at(-1)!.version;
  const path = join(REPO_ROOT, '.bench', `dashboard-${ROWS}-schema${version}-gen${GENERATOR_VERSION}.sqlite`);
  if (existsSync(path)) return path;
  await mkdir(join(REPO_ROOT, '.bench'), { recursive: true });
  const partial = `${path}.partial`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
  await openSqliteStorage({ path: partial }).close();
  const db = new Database(partial);
  startBulkLoad(db);
  db.pragma('cache_size = -262144');
  const ms = await timeMs(() => {
    db.prepare(technicianRows(() => '?')).run(...technicianValues);
    const insert = db.prepare(generateSql('sqlite'));
    for (let from = 0; from < ROWS; from += CHUNK) insert.run(from, Math.min(from + CHUNK, ROWS));
    db.exec('ANALYZE');
  });
  endBulkLoad(db);
  db.close();
  renameSync(partial, path);
  progress('dashboard', `generated ${ROWS} SQLite rows in ${(ms / 1000).toFixed(1)} s, kept in ${path}`);
  return path;
}

async function postgresDatabase(url: string): Promise<void> {
  await (await openPostgresStorage({ connectionString: url })).close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ms = await timeMs(async () => {
      await client.query(technicianRows((n) => `$${n}`), technicianValues);
      await client.query(generateSql('postgres'), [0, ROWS]);
      // what autovacuum does on its own soon after a bulk load (and what index-only scans need)
      await client.query('VACUUM ANALYZE forms');
    });
    progress('dashboard', `generated ${ROWS} PostgreSQL rows in ${(ms / 1000).toFixed(1)} s`);
  } finally {
    await client.end();
  }
}

const DAY_MS = 86_400_000;
const LAST_GENERATED_DAY = '2026-12-31';

/** Periods that lie within the generated years, starting on a random day. */
function period(random: () => number, days: number, technician: boolean): DashboardQuery {
  const span = Date.parse(LAST_GENERATED_DAY) - Date.parse('2024-01-01') - (days - 1) * DAY_MS;
  const from = new Date(Date.parse('2024-01-01') + Math.floor((random() * span) / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  const to = new Date(Date.parse(from) + (days - 1) * DAY_MS).toISOString().slice(0, 10);
  return { from, to, ...(technician ? { technician: technicianIds[Math.floor(random() * TECHNICIANS)]! } : {}) };
}

interface Kind {
  name: string;
  request(storage: Storage): Promise<unknown>;
}

function requestKinds(): Kind[] {
  const random = prng(42);
  const dashboard = (name: string, days: number, technician: boolean): Kind => ({
    name, request: (storage) => storage.dashboard(period(random, days, technician)),
  });
  return [
    dashboard('dashboard, a month, all technicians', 30, false),
    dashboard('dashboard, a quarter, all technicians', 91, false),
    dashboard('dashboard, a year, all technicians', 365, false),
    dashboard('dashboard, a year, one technician', 365, true),
    {
      name: 'equipment history, first page of one serial',
      async request(storage) {
        const page = await storage.listEquipmentHistory(generatedSerial(Math.floor(random() * ROWS)), { after: null, limit: PAGE });
        if (page.entries.length === 0) throw new Error('equipment history: a generated serial has no forms');
        return page;
      },
    },
  ];
}

interface Latencies {
  kinds: Array<{ name: string; ms: number[] }>;
  lookupMs: number[];
}

async function latencies(storage: Storage, lookup: (id: string) => Promise<unknown>): Promise<Latencies> {
  const probe = await storage.getForm(generatedId(12345 % ROWS));
  if (probe?.summary.visitDate !== generatedDate(12345 % ROWS)) throw new Error('the generated rows are not the ones generatedId/generatedDate describe');
  const kinds = [];
  for (const kind of requestKinds()) {
    const ms: number[] = [];
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const started = performance.now();
      await kind.request(storage);
      if (i >= WARMUP) ms.push(performance.now() - started);
    }
    kinds.push({ name: kind.name, ms });
  }
  const random = prng(7);
  const lookupMs: number[] = [];
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    const id = generatedId(Math.floor(random() * ROWS));
    const started = performance.now();
    if (!(await lookup(id))) throw new Error(`primary-key lookup: no row ${id}`);
    if (i >= WARMUP) lookupMs.push(performance.now() - started);
  }
  return { kinds, lookupMs };
}

async function sqliteLatencies(): Promise<Latencies> {
  progress('dashboard', `SQLite: ${ROWS} forms (made once, then kept in .bench/)…`);
  const path = await sqliteDatabase();
  const storage = openSqliteStorage({ path });
  const raw = new Database(path, { readonly: true });
  const byId = raw.prepare('SELECT * FROM forms WHERE id = ?');
  try {
    return await latencies(storage, async (id) => byId.get(id));
  } finally {
    raw.close();
    await storage.close();
  }
}

async function postgresLatencies(): Promise<Latencies> {
  const cluster = await startPgCluster();
  try {
    const url = await cluster.createDatabase();
    progress('dashboard', `PostgreSQL: generating ${ROWS} forms…`);
    await postgresDatabase(url);
    const storage = await openPostgresStorage({ connectionString: url });
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    try {
      return await latencies(storage, async (id) => (await raw.query('SELECT * FROM forms WHERE id = $1', [id])).rows[0]);
    } finally {
      await Promise.all([raw.end(), storage.close()]);
    }
  } finally {
    await cluster.stop();
  }
}

function results(db: string, measured: Latencies): BenchResult[] {
  const baselineValue = percentile(measured.lookupMs, 95);
  return measured.kinds.map(({ name, ms }) => compared({
    metric: `p95 over ${REQUESTS}, ${db}, ${ROWS} forms: ${name}`,
    value: percentile(ms, 95),
    unit: 'ms',
    baseline: 'primary-key lookup p95, same table',
    baselineValue,
    aim: AIM,
    samples: { value: ms, baseline: measured.lookupMs },
  }));
}

const dashboard: Measurement = {
  name: 'dashboard',
  async run() {
    const out: BenchResult[] = [];
    if (DATABASES.includes('sqlite')) out.push(...results('SQLite', await sqliteLatencies()));
    if (DATABASES.includes('postgres')) out.push(...results('PostgreSQL (fsync off)', await postgresLatencies()));
    return out;
  },
};

export default dashboard;
