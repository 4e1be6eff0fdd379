// The back office's forms list on 1,000,000 forms, on SQLite and on PostgreSQL: p95 latency of the
// real listForms (pages of 50, as the back office asks) for the typical requests — the first page, a
// page deep in the list by keyset cursor, a date range and a technician, disputes only and
// satisfaction 1 (both paged on by cursor) — beside a primary-key lookup on the same table.
// The rows are generated with bulk SQL: varied dates, technicians, satisfaction and flags, and a stub
// form JSON and signature (the list reads neither). The SQLite file is kept in .bench/ between runs.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { FormFilter } from '../src/domain/api';
import { SQLITE_MIGRATIONS } from '../src/server/storage/migrations';
import { openPostgresStorage } from '../src/server/storage/postgres';
import { openSqliteStorage } from '../src/server/storage/sqlite';
import type { FormCursor, FormPage, Storage } from '../src/server/storage/storage';
import { startPgCluster } from '../test/server/pg-cluster';
import { percentile } from './fixtures/latency-stats';
import { compared, type BenchResult, type Measurement } from './measurement';
import { endBulkLoad, FORM_COLUMNS, generatedDate, generatedId, generatedSql, progress, prng, QUICK, REPO_ROOT, startBulkLoad, timeMs } from './server-fixtures';

const ROWS = QUICK ? 100_000 : 1_000_000;
const REQUESTS = QUICK ? 20 : 100;
const WARMUP = QUICK ? 3 : 10;
/** the back office's page (src/server/routes/admin-forms.ts) */
const PAGE = 50;
const TECHNICIANS = 200;
/** bump when the generated rows change, so a cached file is made again */
const GENERATOR_VERSION = 2;
const CHUNK = 100_000;
const AIM = { max: 50, of: 'value' } as const;

type Dialect = 'sqlite' | 'postgres';

/** INSERT … SELECT of the rows n = from … to−1 (bound as the two parameters). */
function generateSql(dialect: Dialect): string {
  const sqlite = dialect === 'sqlite';
  const { id, date } = generatedSql(dialect, 'n');
  // h: a well-mixed number per row; flags and ratings come from different parts of it
  const dispute = '(h / 100) % 50 = 0';
  const breach = '(h / 5000) % 200 = 0';
  const values: Record<(typeof FORM_COLUMNS)[number] | 'dispute_resolved_at' | 'has_conflict', string> = {
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
    dispute_resolved_at: `CASE WHEN (${dispute} OR ${breach}) AND n % 3 = 0 THEN ${sqlite ? `${date} || 'T12:00:00.000Z'` : `(${date} + TIME '12:00') AT TIME ZONE 'UTC'`} END`,
    has_conflict: '((h / 1000000) % 1000 = 0)',
    clock_drift_ms: 'NULL',
    customer_name: `'某市环卫处第' || (n % 5000) || '清扫队'`,
    equipment_type: "CASE n % 4 WHEN 0 THEN '洗扫车' WHEN 1 THEN '压缩式垃圾车' WHEN 2 THEN '高压清洗车' ELSE '小型电动扫路车' END",
    form_json: `'{"stub":"forms-list benchmark row"}'`,
    signature_png: sqlite ? "X'89504E47'" : "'\\x89504e47'::bytea",
    // the list reads none of the form facts: their defaults
    equipment_serial: "''",
    visit_week: "''",
    first_test_failed: sqlite ? '0' : 'FALSE',
    on_site_ms: 'NULL',
    declined_cigarette: '0',
    declined_food_drink: '0',
    declined_gift: '0',
  };
  const numbers = sqlite
    ? 'WITH RECURSIVE seq(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < ?) SELECT n, (n * 2654435761) % 4294967296 AS h FROM seq'
    : 'SELECT n, (n * 2654435761) % 4294967296 AS h FROM generate_series($1::bigint, $2::bigint - 1) AS g(n)';
  return `INSERT INTO forms (${Object.keys(values).join(', ')}) SELECT ${Object.values(values).join(', ')} FROM (${numbers}) AS s`;
}

const technicianIds = Array.from({ length: TECHNICIANS }, (_, i) => `tech-${String(i + 1).padStart(3, '0')}`);
const technicianValues = technicianIds.flatMap((id, i) => [id, `技师${i + 1}`]);
/** The technicians' rows; `placeholder` numbers from 1. */
const technicianRows = (placeholder: (n: number) => string) =>
  `INSERT INTO technicians (id, name, phone, created_at) VALUES ${technicianIds.map((_, i) => `(${placeholder(2 * i + 1)}, ${placeholder(2 * i + 2)}, '', '2024-01-01T00:00:00.000Z')`).join(', ')}`;

/** The SQLite file of ROWS generated forms, made once per schema and generator version and kept in .bench/. */
async function sqliteDatabase(): Promise<string> {
  const version = SQLITE_MIGRATIONS.at(-1)!.version;
  const path = join(REPO_ROOT, '.bench', `forms-list-${ROWS}-schema${version}-gen${GENERATOR_VERSION}.sqlite`);
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
  });
  endBulkLoad(db);
  db.close();
  renameSync(partial, path);
  progress('forms-list', `generated ${ROWS} SQLite rows in ${(ms / 1000).toFixed(1)} s, kept in ${path}`);
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
      // what autovacuum does on its own soon after a bulk load
      await client.query('VACUUM ANALYZE forms');
    });
    progress('forms-list', `generated ${ROWS} PostgreSQL rows in ${(ms / 1000).toFixed(1)} s`);
  } finally {
    await client.end();
  }
}

interface Request {
  filter: FormFilter;
  after: FormCursor | null;
}

/** The typical requests; each gets the previous answer, so the paged ones follow their own cursor. */
function requestKinds(): Array<{ name: string; next(previous: FormPage | null): Request }> {
  const random = prng(42);
  const row = () => Math.floor(random() * ROWS);
  const paging = (filter: FormFilter) => (previous: FormPage | null): Request => ({ filter, after: previous?.next ?? null });
  return [
    { name: 'first page', next: () => ({ filter: {}, after: null }) },
    {
      name: 'a deep page by keyset cursor',
      next() {
        // a row visited before 2026: the whole of 2026, a third of the list, comes before it
        let n = row();
        while (generatedDate(n) >= '2026-01-01') n = row();
        return { filter: {}, after: { visitDate: generatedDate(n), id: generatedId(n) } };
      },
    },
    {
      name: 'date range (a month) + technician',
      next() {
        // a month that lies within the generated years
        let from = generatedDate(row());
        while (from > '2026-12-01') from = generatedDate(row());
        const to = new Date(Date.parse(from) + 30 * 86_400_000).toISOString().slice(0, 10);
        return { filter: { from, to, technician: technicianIds[Math.floor(random() * TECHNICIANS)]! }, after: null };
      },
    },
    { name: 'disputes only, paging on', next: paging({ dispute: true }) },
    { name: 'satisfaction = 1, paging on', next: paging({ satisfaction: 1 }) },
  ];
}

interface Latencies {
  kinds: Array<{ name: string; ms: number[] }>;
  lookupMs: number[];
}

async function latencies(storage: Storage, lookup: (id: string) => Promise<unknown>): Promise<Latencies> {
  // the generator and this file must agree on what row n is: the cursors and lookups are built from it
  const probe = await storage.getForm(generatedId(12345 % ROWS));
  if (probe?.summary.visitDate !== generatedDate(12345 % ROWS)) throw new Error('the generated rows are not the ones generatedId/generatedDate describe');
  const kinds = [];
  for (const kind of requestKinds()) {
    let previous: FormPage | null = null;
    const ms: number[] = [];
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const { filter, after } = kind.next(previous);
      const started = performance.now();
      previous = await storage.listForms(filter, { after, limit: PAGE });
      if (i >= WARMUP) ms.push(performance.now() - started);
      if (previous.forms.length === 0 && after === null) throw new Error(`${kind.name}: the first page is empty`);
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
  progress('forms-list', `SQLite: ${ROWS} forms (made once, then kept in .bench/)…`);
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
    progress('forms-list', `PostgreSQL: generating ${ROWS} forms…`);
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
    metric: `forms list p95 over ${REQUESTS}, ${db}, ${ROWS} forms: ${name}`,
    value: percentile(ms, 95),
    unit: 'ms',
    baseline: 'primary-key lookup p95, same table',
    baselineValue,
    aim: AIM,
    samples: { value: ms, baseline: measured.lookupMs },
  }));
}

const formsList: Measurement = {
  name: 'forms-list',
  async run() {
    return [...results('SQLite', await sqliteLatencies()), ...results('PostgreSQL (fsync off)', await postgresLatencies())];
  },
};

export default formsList;
