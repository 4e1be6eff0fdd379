// Import and export on SQLite (the default store), each run in a child process whose peak resident
// memory (VmHWM) is followed in /proc:
// - import: a device bundle of 20,000 forms through the real CLI (`npm run import`), beside a raw
//   batched INSERT of the same rows, read from an NDJSON file of them, 100 a commit as the importer does;
// - export: 100,000 forms as CSV and as NDJSON through the real streamed export, beside a raw SELECT
//   of the same rows written to /dev/null; and each export's peak at 10,000 forms as well, to show
//   that memory does not grow with the count.
// This file is also the children's entry: `node --import tsx bench/import-export.bench.ts TASK …`.
import { published } from '../test/fixtures/checklists';
import { once } from 'node:events';
import { closeSync, createReadStream, createWriteStream, openSync, statSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { csvExport, ndjsonExport, textStream } from '../src/server/export/form-export';
import { openSqliteStorage } from '../src/server/storage/sqlite';
import type { NewFormRecord } from '../src/server/storage/storage';
import { compared, type BenchResult, type Measurement } from './measurement';
import {
  endBulkLoad, FORM_COLUMNS, formCopier, generatedSql, progress, QUICK, rawSqlite, rawSqliteInsert, realisticForm, recordOf, REPO_ROOT, runChild,
  startBulkLoad, timeMs,
  type ChildRun,
} from './server-fixtures';

const IMPORT_FORMS = QUICK ? 1_000 : 20_000;
const [EXPORT_SMALL, EXPORT_LARGE] = QUICK ? [1_000, 10_000] : [10_000, 100_000];
/** the importer's group of forms per commit (src/server/import/import-forms.ts) */
const RAW_BATCH = 100;
const TECHNICIANS = [{ id: 'tech-1', name: '张师傅' }, { id: 'tech-2', name: '李师傅' }, { id: 'tech-3', name: '王师傅' }, { id: 'tech-4', name: '赵师傅' }];
const TEMPLATES = 8;
const RECEIVED = '2026-03-11T08:00:00.000Z';
const THIS_FILE = fileURLToPath(import.meta.url);
const MB = 1e6;

/** A few realistic forms the imported and exported ones are copies of, with their rows. */
async function templates(): Promise<Array<{ copy: ReturnType<typeof formCopier>; record: NewFormRecord }>> {
  const out = [];
  for (let k = 0; k < TEMPLATES; k++) {
    const form = await realisticForm({
      seed: 100 + k, technician: TECHNICIANS[k % TECHNICIANS.length]!, date: `2026-0${4 + (k % 5)}-1${k}`, satisfaction: 1 + (k % 5), dispute: k % 4 === 1,
    });
    out.push({ copy: formCopier(form), record: recordOf(form, RECEIVED, 'import') });
  }
  return out;
}

/** An empty database with the server's schema and the technicians the forms name. */
async function databaseWithTechnicians(path: string): Promise<void> {
  const storage = openSqliteStorage({ path });
  for (const t of TECHNICIANS) await storage.createTechnician({ ...t, phone: '', createdAt: RECEIVED });
  await storage.close();
}

/** The bundle (copies of the templates under new ids) and, for the raw baseline, an NDJSON file of the same rows. */
async function writeImportFiles(dir: string): Promise<{ bundle: string; rows: string }> {
  const made = await templates();
  const paths = { bundle: join(dir, 'bundle.json'), rows: join(dir, 'rows.ndjson') };
  const bundle = createWriteStream(paths.bundle);
  const rows = createWriteStream(paths.rows);
  const write = async (out: typeof bundle, text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(bundle, '{"format":"onsite.bundle","formatVersion":1,"exportedAt":"2026-03-11T16:00:00.000+08:00","device":"benchmark","forms":[');
  for (let i = 0; i < IMPORT_FORMS; i++) {
    const template = made[i % TEMPLATES]!;
    const copy = await template.copy(crypto.randomUUID());
    await write(bundle, `${i === 0 ? '' : ','}${copy.text}`);
    const row = { ...template.record, id: copy.id, hash: copy.hash, formJson: copy.formJson, signature: Buffer.from(template.record.signature).toString('base64') };
    await write(rows, `${JSON.stringify(row)}\n`);
  }
  await write(bundle, ']}');
  for (const out of [bundle, rows]) {
    out.end();
    await once(out, 'finish');
  }
  return paths;
}

/**
 * Adds generated copies n = from … to−1 of the templates, with new ids and spread dates. The first call
 * finds only the templates in `forms` and numbers them 0 … templateCount−1 for the later calls.
 */
function addCopies(db: Database.Database, templateCount: number, from: number, to: number): void {
  const { id, date } = generatedSql('sqlite', 'n');
  const copied = FORM_COLUMNS.map((c) => (c === 'id' ? id : c === 'visit_date' ? date : `t.${c}`)).join(', ');
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS bench_templates AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, * FROM forms`);
  const insert = db.prepare(`WITH RECURSIVE seq(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < ?)
    INSERT INTO forms (${FORM_COLUMNS.join(', ')}) SELECT ${copied} FROM seq JOIN bench_templates t ON t.k = seq.n % ${templateCount}`);
  // a few commits rather than one: the write-ahead log stays small
  for (let start = from; start < to; start += 10_000) insert.run(start, Math.min(start + 10_000, to));
}

// ---- the children ----

/** Reads the rows file and inserts it raw, RAW_BATCH rows a statement and a commit. */
async function rawInsertChild(rowsPath: string, dbPath: string): Promise<object> {
  const db = await rawSqlite(dbPath);
  let count = 0;
  let batch: NewFormRecord[] = [];
  for await (const line of createInterface({ input: createReadStream(rowsPath, { highWaterMark: 1024 * 1024 }), crlfDelay: Infinity })) {
    const row = JSON.parse(line) as NewFormRecord & { signature: string };
    batch.push({ ...row, signature: Buffer.from(row.signature, 'base64') });
    if (batch.length === RAW_BATCH) {
      rawSqliteInsert(db, batch, RAW_BATCH);
      count += batch.length;
      batch = [];
    }
  }
  rawSqliteInsert(db, batch, RAW_BATCH);
  db.close();
  return { count: count + batch.length };
}

/** Counts the lines of what it writes to /dev/null. */
function devNull() {
  const fd = openSync('/dev/null', 'w');
  let lines = 0;
  return {
    write(bytes: Uint8Array) {
      writeSync(fd, bytes);
      for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) lines++;
    },
    close: () => (closeSync(fd), lines),
  };
}

/** The real export, read as the HTTP response reads it, written to /dev/null. */
async function exportChild(dbPath: string, format: string): Promise<object> {
  const storage = openSqliteStorage({ path: dbPath });
  const out = devNull();
  const ms = await timeMs(async () => {
    const reader = textStream(format === 'csv' ? csvExport(storage, {}, published) : ndjsonExport(storage, {})).getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) out.write(next.value);
  });
  await storage.close();
  const lines = out.close();
  return { ms, count: format === 'csv' ? lines - 1 : lines };
}

/** The baseline: every column of the same rows, in the export's order, to /dev/null. */
async function rawSelectChild(dbPath: string): Promise<object> {
  const db = await rawSqlite(dbPath);
  const out = devNull();
  let count = 0;
  const ms = await timeMs(() => {
    for (const row of db.prepare('SELECT * FROM forms ORDER BY visit_date, id').iterate() as Iterable<{ id: string; form_json: string; signature_png: Buffer }>) {
      out.write(Buffer.from(`${row.id}\t${row.form_json}\t`));
      out.write(row.signature_png);
      count++;
    }
  });
  db.close();
  out.close();
  return { ms, count };
}

const CHILD_TASKS: Record<string, (...args: string[]) => Promise<object>> = {
  'raw-insert': rawInsertChild, export: exportChild, 'raw-select': rawSelectChild,
};

type ChildReport = ChildRun & { report: { ms?: number; count: number } };

async function child(task: string, ...args: string[]): Promise<ChildReport> {
  const run = await runChild([relative(REPO_ROOT, THIS_FILE), task, ...args]);
  return { ...run, report: JSON.parse(run.stdout) as { ms?: number; count: number } };
}

function expectCount(what: string, got: number, expected: number): void {
  if (got !== expected) throw new Error(`${what}: ${got} forms, expected ${expected}`);
}

// ---- the measurement ----

async function importFigures(dir: string): Promise<BenchResult[]> {
  progress('import-export', `writing a bundle of ${IMPORT_FORMS} forms…`);
  const { bundle, rows } = await writeImportFiles(dir);
  const [importDb, rawDb] = [join(dir, 'import.sqlite'), join(dir, 'raw.sqlite')];
  await databaseWithTechnicians(importDb);
  await databaseWithTechnicians(rawDb);
  progress('import-export', 'raw insert of the same rows…');
  const raw = await child('raw-insert', rows, rawDb);
  expectCount('raw insert', raw.report.count, IMPORT_FORMS);
  progress('import-export', 'npm run import…');
  const cli = await runChild(['src/server/cli/import.ts', bundle], { SQLITE_PATH: importDb, DATABASE_URL: '' });
  if (!cli.stdout.includes(`accepted ${IMPORT_FORMS}, duplicate 0, conflict 0, rejected 0`)) throw new Error(`the import did not accept every form:\n${cli.stdout.slice(-2000)}`);
  const size = `${(statSync(bundle).size / MB).toFixed(0)} MB bundle`;
  const baseline = `raw INSERT of the same rows from NDJSON, ${RAW_BATCH} a commit`;
  return [
    compared({
      metric: `import of ${IMPORT_FORMS} forms (${size}) by npm run import, SQLite, process start to exit`,
      value: IMPORT_FORMS / (cli.wallMs / 1000), unit: 'forms/s', baseline, baselineValue: IMPORT_FORMS / (raw.wallMs / 1000),
    }),
    compared({ metric: `import of ${IMPORT_FORMS} forms: peak memory (VmHWM)`, value: cli.peakBytes / MB, unit: 'MB', baseline, baselineValue: raw.peakBytes / MB }),
  ];
}

async function exportFigures(dir: string): Promise<BenchResult[]> {
  const dbPath = join(dir, 'export.sqlite');
  await databaseWithTechnicians(dbPath);
  const made = await templates();
  const db = await rawSqlite(dbPath);
  const exports = new Map<number, { csv: ChildReport; ndjson: ChildReport }>();
  let raw: ChildReport | null = null;
  let rows = 0;
  for (const count of [EXPORT_SMALL, EXPORT_LARGE]) {
    progress('import-export', `generating ${count} forms to export, then exporting them…`);
    startBulkLoad(db);
    if (rows === 0) {
      rawSqliteInsert(db, made.map((t) => t.record), TEMPLATES);
      rows = TEMPLATES;
    }
    addCopies(db, TEMPLATES, rows, count);
    rows = count;
    endBulkLoad(db);
    const csv = await child('export', dbPath, 'csv');
    expectCount('CSV export', csv.report.count, count);
    const ndjson = await child('export', dbPath, 'ndjson');
    expectCount('NDJSON export', ndjson.report.count, count);
    exports.set(count, { csv, ndjson });
    // the raw SELECT is only the large export's baseline
    if (count === EXPORT_LARGE) {
      raw = await child('raw-select', dbPath);
      expectCount('raw SELECT', raw.report.count, count);
    }
  }
  db.close();

  const large = exports.get(EXPORT_LARGE)!;
  const small = exports.get(EXPORT_SMALL)!;
  const rawBaseline = 'raw SELECT of the same rows → /dev/null';
  const time = (format: 'csv' | 'ndjson') => compared({
    metric: `export of ${EXPORT_LARGE} forms as ${format.toUpperCase()}, streamed → /dev/null`,
    value: large[format].report.ms!, unit: 'ms', baseline: rawBaseline, baselineValue: raw!.report.ms!,
  });
  const memory = (format: 'csv' | 'ndjson') => compared({
    metric: `${format.toUpperCase()} export peak memory (VmHWM), ${EXPORT_LARGE} forms`,
    value: large[format].peakBytes / MB, unit: 'MB', baseline: `the same export of ${EXPORT_SMALL} forms`, baselineValue: small[format].peakBytes / MB,
  });
  return [
    time('csv'), time('ndjson'), memory('csv'), memory('ndjson'),
    compared({
      metric: `NDJSON export peak memory (VmHWM), ${EXPORT_LARGE} forms, beside a raw SELECT`,
      value: large.ndjson.peakBytes / MB, unit: 'MB', baseline: rawBaseline, baselineValue: raw!.peakBytes / MB,
    }),
  ];
}

const importExport: Measurement = {
  name: 'import-export',
  async run() {
    const dir = await mkdtemp(join(tmpdir(), 'onsite-bench-transfer-'));
    try {
      return [...await importFigures(dir), ...await exportFigures(dir)];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default importExport;

if (process.argv[1] === THIS_FILE) {
  const [task = '', ...args] = process.argv.slice(2);
  const work = CHILD_TASKS[task];
  if (!work) throw new Error(`unknown task "${task}" (there are: ${Object.keys(CHILD_TASKS).join(', ')})`);
  process.stdout.write(JSON.stringify(await work(...args)));
}
