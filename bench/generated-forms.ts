// What the database benchmarks on generated forms share (forms-list, dashboard): rows made by one
// INSERT … SELECT over a number series (SQLite's recursive CTE, PostgreSQL's generate_series), never
// through the API; the forms table's secondary indexes dropped while the rows go in and made again
// after (one sort each instead of a million inserts into each); the dashboard's day counts counted
// as migration 6 counts the rows stored before; then p50 and p95 latencies of each kind of request
// beside a primary-key lookup on the same table, measured in the same run. The SQLite file is kept
// in .bench/ per schema and generator version; PostgreSQL runs in a throwaway cluster.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { countAllRollupsSql, POSTGRES_ROLLUP_DIALECT, SQLITE_ROLLUP_DIALECT } from '../src/server/storage/dashboard-rollups';
import { countAllSql } from '../src/server/storage/form-day-counts';
import { SQLITE_MIGRATIONS } from '../src/server/storage/migrations';
import { openPostgresStorage, POSTGRES_TYPES } from '../src/server/storage/postgres';
import { openSqliteStorage } from '../src/server/storage/sqlite';
import type { Storage } from '../src/server/storage/storage';
import { startPgCluster } from '../test/server/pg-cluster';
import { percentile } from './fixtures/latency-stats';
import { compared, type BenchResult } from './measurement';
import { endBulkLoad, FORM_COLUMNS, generatedDate, generatedId, generatedSql, progress, prng, REPO_ROOT, startBulkLoad, timeMs } from './server-fixtures';

export type Dialect = 'sqlite' | 'postgres';

/** BENCH_DATABASES=sqlite (or postgres) runs one database only; both by default. */
export const DATABASES: readonly Dialect[] = (() => {
  const names = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => n !== 'sqlite' && n !== 'postgres');
  if (unknown.length > 0) throw new Error(`BENCH_DATABASES: unknown database ${unknown.join(', ')} (sqlite, postgres)`);
  return names as Dialect[];
})();

export const TECHNICIANS = 200;
export const technicianIds = Array.from({ length: TECHNICIANS }, (_, i) => `tech-${String(i + 1).padStart(3, '0')}`);
const technicianValues = technicianIds.flatMap((id, i) => [id, `技师${i + 1}`]);
/** The technicians' rows; `placeholder` numbers from 1. */
const technicianRows = (placeholder: (n: number) => string) =>
  `INSERT INTO technicians (id, name, phone, created_at) VALUES ${technicianIds.map((_, i) => `(${placeholder(2 * i + 1)}, ${placeholder(2 * i + 2)}, '', '2024-01-01T00:00:00.000Z')`).join(', ')}`;

/** The SQL expressions both generators share, over `n` (the row number) and `h` (a well-mixed number per row). */
export function baseFormValues(dialect: Dialect): Record<'id' | 'hash' | 'technician_id' | 'visit_id' | 'visit_date' | 'sealed_at' | 'received_at' | 'source'
  | 'satisfaction' | 'dispute' | 'conduct_breach' | 'flagged' | 'clock_drift_ms' | 'customer_name' | 'equipment_type' | 'signature_png', string> {
  const sqlite = dialect === 'sqlite';
  const { id, date } = generatedSql(dialect, 'n');
  // flags and ratings come from different parts of h
  const dispute = '(h / 100) % 50 = 0';
  const breach = '(h / 5000) % 200 = 0';
  return {
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
    signature_png: sqlite ? "X'89504E47'" : "'\\x89504e47'::bytea",
  };
}

/** The same condition as baseFormValues' dispute/breach, for generators that add columns from them. */
export const GENERATED_FLAGGED = '((h / 100) % 50 = 0 OR (h / 5000) % 200 = 0)';

/** `INSERT … SELECT` of the rows n = from … to−1 (bound as the two parameters), every ingest column given. */
export function generateFormsSql(dialect: Dialect, values: Record<(typeof FORM_COLUMNS)[number], string> & Record<string, string>): string {
  const numbers = dialect === 'sqlite'
    // bound JS numbers arrive as REAL: cast, so n, h and the serials are whole numbers (V-5108, not V-5108.0)
    ? 'WITH RECURSIVE seq(n) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < CAST(? AS INTEGER)) SELECT n, (n * 2654435761) % 4294967296 AS h FROM seq'
    : 'SELECT n, (n * 2654435761) % 4294967296 AS h FROM generate_series($1::bigint, $2::bigint - 1) AS g(n)';
  return `INSERT INTO forms (${Object.keys(values).join(', ')}) SELECT ${Object.values(values).join(', ')} FROM (${numbers}) AS s`;
}

export interface Generated {
  /** names the kept SQLite file and the progress lines */
  name: string;
  rows: number;
  /** bump when the generated rows change, so a kept file is made again */
  generatorVersion: number;
  /** generateFormsSql's statement for the dialect */
  sql(dialect: Dialect): string;
}

const CHUNK = 100_000;

/** The SQLite file of generated forms, made once per schema and generator version and kept in .bench/. */
export async function sqliteGenerated(g: Generated): Promise<string> {
  const version = SQLITE_MIGRATIONS.at(-1)!.version;
  const path = join(REPO_ROOT, '.bench', `${g.name}-${g.rows}-schema${version}-gen${g.generatorVersion}.sqlite`);
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
    const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'forms' AND sql IS NOT NULL").all() as Array<{ name: string; sql: string }>;
    for (const { name } of indexes) db.exec(`DROP INDEX ${name}`);
    const insert = db.prepare(g.sql('sqlite'));
    for (let from = 0; from < g.rows; from += CHUNK) insert.run(from, Math.min(from + CHUNK, g.rows));
    for (const { sql } of indexes) db.exec(sql);
    db.exec(countAllSql('1'));
    db.exec(countAllRollupsSql(SQLITE_ROLLUP_DIALECT));
    db.exec('ANALYZE');
  });
  endBulkLoad(db);
  db.close();
  renameSync(partial, path);
  progress(g.name, `generated ${g.rows} SQLite rows in ${(ms / 1000).toFixed(1)} s, kept in ${path}`);
  return path;
}

/** The generated forms in a fresh PostgreSQL database (with the server's schema). */
export async function postgresGenerated(url: string, g: Generated): Promise<void> {
  await (await openPostgresStorage({ connectionString: url })).close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ms = await timeMs(async () => {
      await client.query(technicianRows((n) => `$${n}`), technicianValues);
      const indexes = (await client.query("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'forms' AND indexname <> 'forms_pkey'")).rows as Array<{ indexname: string; indexdef: string }>;
      for (const { indexname } of indexes) await client.query(`DROP INDEX ${indexname}`);
      await client.query(g.sql('postgres'), [0, g.rows]);
      await client.query("SET maintenance_work_mem = '256MB'");
      for (const { indexdef } of indexes) await client.query(indexdef);
      await client.query(countAllSql('TRUE'));
      await client.query(countAllRollupsSql(POSTGRES_ROLLUP_DIALECT));
      // what autovacuum does on its own soon after a bulk load (and what index-only scans need)
      await client.query('VACUUM ANALYZE');
    });
    progress(g.name, `generated ${g.rows} PostgreSQL rows in ${(ms / 1000).toFixed(1)} s`);
  } finally {
    await client.end();
  }
}

/** A kind of request; `previous` is its own last answer (null the first time), so a paged kind follows its cursor. */
export interface RequestKind<A = unknown> {
  name: string;
  /** the answer, and optionally the time its parts took (ms by part name) */
  request(previous: A | null): Promise<{ answer: A; parts?: Record<string, number> }>;
}

export interface Latencies {
  /** wall times per kind, and per part of a kind as `kind: part` */
  kinds: Array<{ name: string; ms: number[] }>;
  lookupMs: number[];
}

export interface Sampling {
  rows: number;
  warmup: number;
  requests: number;
}

/** Every kind `warmup + requests` times (the warm-up not counted), then as many primary-key lookups of random generated rows. */
export async function measure(storage: Storage, kinds: readonly RequestKind[], lookup: (id: string) => Promise<unknown>, s: Sampling): Promise<Latencies> {
  // the generator and the benchmarks must agree on what row n is: the lookups and cursors are built from it
  const probe = await storage.getForm(generatedId(12345 % s.rows));
  if (probe?.summary.visitDate !== generatedDate(12345 % s.rows)) throw new Error('the generated rows are not the ones generatedId/generatedDate describe');
  const out: Latencies['kinds'] = [];
  for (const kind of kinds) {
    const ms: number[] = [];
    const parts = new Map<string, number[]>();
    let previous: unknown = null;
    for (let i = 0; i < s.warmup + s.requests; i++) {
      const started = performance.now();
      const done = await kind.request(previous);
      const took = performance.now() - started;
      previous = done.answer;
      if (i < s.warmup) continue;
      ms.push(took);
      for (const [part, partMs] of Object.entries(done.parts ?? {})) parts.set(part, [...(parts.get(part) ?? []), partMs]);
    }
    out.push({ name: kind.name, ms }, ...[...parts].map(([part, partMs]) => ({ name: `${kind.name}: ${part}`, ms: partMs })));
  }
  const random = prng(7);
  const lookupMs: number[] = [];
  for (let i = 0; i < s.warmup + s.requests; i++) {
    const id = generatedId(Math.floor(random() * s.rows));
    const started = performance.now();
    if (!(await lookup(id))) throw new Error(`primary-key lookup: no row ${id}`);
    if (i >= s.warmup) lookupMs.push(performance.now() - started);
  }
  return { kinds: out, lookupMs };
}

/** What a benchmark runs against one database: the server's storage and a raw connection to the same database. */
export interface Opened {
  storage: Storage;
  /** runs one query on the raw connection */
  query(sql: string, params: readonly unknown[]): Promise<Array<Record<string, unknown>>>;
}

/** Opens the kept SQLite file of generated forms, measures, closes. */
export async function onSqlite(g: Generated, s: Sampling, kinds: (opened: Opened) => RequestKind[]): Promise<Latencies> {
  progress(g.name, `SQLite: ${g.rows} forms (made once, then kept in .bench/)…`);
  const path = await sqliteGenerated(g);
  const storage = openSqliteStorage({ path });
  const raw = new Database(path, { readonly: true });
  const byId = raw.prepare('SELECT * FROM forms WHERE id = ?');
  const statements = new Map<string, Database.Statement>();
  const query = async (sql: string, params: readonly unknown[]) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = raw.prepare(sql)));
    return statement.all(...params) as Array<Record<string, unknown>>;
  };
  try {
    return await measure(storage, kinds({ storage, query }), async (id) => byId.get(id), s);
  } finally {
    raw.close();
    await storage.close();
  }
}

/** Generates the forms in a throwaway PostgreSQL cluster, measures, stops it. */
export async function onPostgres(g: Generated, s: Sampling, kinds: (opened: Opened) => RequestKind[]): Promise<Latencies> {
  const cluster = await startPgCluster();
  try {
    const url = await cluster.createDatabase();
    progress(g.name, `PostgreSQL: generating ${g.rows} forms…`);
    await postgresGenerated(url, g);
    const storage = await openPostgresStorage({ connectionString: url });
    // read as the storage reads: dates as text, timestamps as ISO text, bigints as numbers
    const raw = new pg.Client({ connectionString: url, types: POSTGRES_TYPES });
    await raw.connect();
    const query = async (sql: string, params: readonly unknown[]) => (await raw.query(sql, [...params])).rows as Array<Record<string, unknown>>;
    try {
      return await measure(storage, kinds({ storage, query }), async (id) => (await raw.query('SELECT * FROM forms WHERE id = $1', [id])).rows[0], s);
    } finally {
      await Promise.all([raw.end(), storage.close()]);
    }
  } finally {
    await cluster.stop();
  }
}

export const DATABASE_NAMES: Record<Dialect, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL (fsync off)' };

/**
 * Each kind's p50 and p95 beside the primary-key lookup's p50 and p95 of the same run; the aim (when
 * given) on the p95s.
 */
export function latencyResults(title: string, measured: Latencies, aim?: BenchResult['aim']): BenchResult[] {
  return measured.kinds.flatMap(({ name, ms }) => ([50, 95] as const).map((p) => compared({
    metric: `${title}: ${name} — p${p} over ${ms.length}`,
    value: percentile(ms, p),
    unit: 'ms',
    baseline: `primary-key lookup p${p}, same table`,
    baselineValue: percentile(measured.lookupMs, p),
    ...(p === 95 && aim ? { aim } : {}),
    samples: { value: ms, baseline: measured.lookupMs },
  })));
}
