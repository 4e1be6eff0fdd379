// Shared by the back-office benchmarks (ingest, import-export, forms-list): realistic sealed forms made
// through the real engine (a real-sized signature, Chinese text, a failed-then-passed test run, a
// declined offer), the database rows they become, the raw batched INSERT every figure is compared
// with, fresh databases made by the real migrations, and the peak memory of a child process.
import { published } from '../test/fixtures/checklists';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { PointGroup, SealedForm, Signature, SubmittedForm, VisitAction, VisitFacts } from '../src/domain/form-schema';
import { prohibitionRules } from '../src/domain/checklist';
import { festivalOn, parseFestivalsFile } from '../src/domain/festivals';
import { canonicalJson, sealForm, sha256Hex } from '../src/domain/seal';
import { buildFormBody, type VisitHeader } from '../src/domain/service-form';
import { createVisit } from '../src/domain/visit-workflow';
import { openPostgresStorage } from '../src/server/storage/postgres';
import { openSqliteStorage } from '../src/server/storage/sqlite';
import { formRecord } from '../src/server/ingest';
import type { NewFormRecord } from '../src/server/storage/storage';
import { arrivalActions, setAnswer, type FixtureFormat } from '../test/fixtures/visit-actions';
import { checklist, fakeClock, run } from '../test/fixtures/visits';
import { FACT_COLUMNS, factValues } from '../src/server/storage/form-facts-columns';

export const REPO_ROOT = join(import.meta.dirname, '..');

/** `BENCH_QUICK=1`: every count cut down, for a quick check that the benchmarks run. */
export const QUICK = process.env.BENCH_QUICK === '1';

/** A line on stderr while a long measurement works, as the runner writes its own. */
export function progress(measurement: string, text: string): void {
  process.stderr.write(`bench: ${measurement}: ${text}\n`);
}

/** A small deterministic generator (mulberry32): the same seed gives the same forms on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

export const SIGNATURE_SIZE = { strokes: [5, 10], points: [300, 800], bytes: [10_000, 30_000] } as const;

/**
 * A signature as signature_pad records one on a 600×240 canvas: 5–10 strokes of 300–800 points in all
 * (wall-clock times, fractional coordinates), and 10–30 KB of PNG-like bytes (a PNG's deflated pixels
 * do not compress further, so random bytes stand in for them).
 */
export function realisticSignature(seed: number): { points: PointGroup[]; png: Uint8Array<ArrayBuffer> } {
  const random = prng(seed);
  const strokes = between(random, SIGNATURE_SIZE.strokes[0], SIGNATURE_SIZE.strokes[1]);
  const total = between(random, SIGNATURE_SIZE.points[0], SIGNATURE_SIZE.points[1]);
  let time = 1_773_100_000_000 + seed * 1000;
  const points: PointGroup[] = [];
  for (let s = 0; s < strokes; s++) {
    // the points split evenly, the first strokes taking the remainder
    const count = Math.floor(total / strokes) + (s < total % strokes ? 1 : 0);
    let x = 40 + random() * 520;
    let y = 60 + random() * 120;
    let heading = random() * 2 * Math.PI;
    const stroke: PointGroup['points'] = [];
    for (let p = 0; p < count; p++) {
      heading += (random() - 0.5) * 0.6;
      x = Math.min(590, Math.max(10, x + Math.cos(heading) * 3));
      y = Math.min(230, Math.max(10, y + Math.sin(heading) * 3));
      time += between(random, 8, 17);
      stroke.push({ x: Math.round(x * 100) / 100, y: Math.round(y * 100) / 100, pressure: 0.5, time });
    }
    time += between(random, 150, 600);
    points.push({
      penColor: 'black', dotSize: 0, minWidth: 0.5, maxWidth: 2.5, velocityFilterWeight: 0.7, compositeOperation: 'source-over', points: stroke,
    });
  }
  const png = new Uint8Array(between(random, SIGNATURE_SIZE.bytes[0], SIGNATURE_SIZE.bytes[1]));
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let i = 8; i < png.length; i++) png[i] = Math.floor(random() * 256);
  return { points, png };
}

const FESTIVALS = parseFestivalsFile(JSON.parse(readFileSync(join(REPO_ROOT, 'checklists/festivals.json'), 'utf8')), 'festivals.json');

const CUSTOMERS = ['某市环卫处第三清扫队', '城东区市容环境卫生管理所', '高新区物业服务有限公司', '南湖公园管理处', '北站货运场保洁部'];
const EQUIPMENT = [
  { type: '洗扫车', model: 'XS-5000', serial: 'SN-2023-118734' },
  { type: '压缩式垃圾车', model: 'YS-8T', serial: 'SN-2022-090211' },
  { type: '高压清洗车', model: 'GQ-3600', serial: 'SN-2024-004512' },
  { type: '小型电动扫路车', model: 'DS-1200', serial: 'SN-2021-337820' },
];

export interface RealisticFormOptions {
  seed: number;
  technician?: { id: string; name: string };
  /** the visit date, YYYY-MM-DD */
  date?: string;
  satisfaction?: number;
  /** a dispute reported during the repair (flags the form for the back office) */
  dispute?: boolean;
  /** 1: as an app before value types made it (fields set by name, the signature's points twice); default 2 */
  formatVersion?: FixtureFormat;
}

/** The actions of a whole visit: a declined cigarette, a customer's failed test run, the repair again, then both passes. */
function visitActions(facts: VisitFacts, signature: Signature, options: RealisticFormOptions, random: () => number): VisitAction[] {
  const prohibitions = prohibitionRules(checklist).map((r) => r.id);
  const format = options.formatVersion ?? 2;
  const set = (what: Parameters<typeof setAnswer>[1], value: unknown) => setAnswer(checklist, what, value, format);
  return [
    ...arrivalActions(checklist, facts, '清扫车作业时主刷不转，伴有明显异响，左侧喷水嘴出水很小，已经影响到早班的正常作业，希望尽快修好。', format),
    { type: 'offer-declined', offer: 'cigarette', note: '用户递烟，已婉言谢绝' },
    ...(options.dispute ? [{ type: 'dispute' as const, description: '用户认为上次更换的碳刷属于质量问题，要求免费更换，已告知将反馈客服部处理。' }] : []),
    set('fault-found', '主刷电机碳刷严重磨损，电机接线端子松动；左侧喷水嘴被泥沙堵塞。'),
    { type: 'test', by: 'technician', passed: true, note: '主刷运转正常，喷水正常' },
    { type: 'test', by: 'customer', passed: false, note: '满载作业时主刷仍有异响' },
    set('work-done', '更换主刷电机碳刷两只，紧固接线端子，清洗左右喷水嘴，重新调整主刷离地间隙并满载试车。'),
    set('parts-used', [{ name: '主刷电机碳刷', quantity: 2 }, { name: '喷水嘴', quantity: 1 }, { name: '扎带', quantity: between(random, 2, 10) }]),
    { type: 'test', by: 'technician', passed: true, note: '满载试车二十分钟，无异响' },
    { type: 'test', by: 'customer', passed: true, note: '' },
    set('customer-opinion', '师傅很专业，讲解清楚，第一次试车发现的问题也当场处理好了。'),
    set('satisfaction', options.satisfaction ?? 5),
    set('conduct', Object.fromEntries(prohibitions.map((id) => [id, 'kept']))),
    set('attestation', prohibitions),
    set('signer-name', '王建国'),
    set('signature', signature),
    { type: 'step', step: 'seal' },
  ];
}

/** A sealed form as the phone sends it, walked through the real engine and sealed by the real seal. */
export async function realisticForm(options: RealisticFormOptions): Promise<SubmittedForm> {
  const random = prng(options.seed * 7919 + 1);
  const { points, png } = realisticSignature(options.seed);
  const signature: Signature = { mime: 'image/png', byteLength: png.length, sha256: await sha256Hex(png), width: 600, height: 240, points };
  const date = options.date ?? '2026-03-10';
  // the server checks the festival against its calendar: the phone's facts come from the same one
  const festival = festivalOn(FESTIVALS, date)?.festival ?? null;
  const facts: VisitFacts = { date, firstVisit: options.seed % 4 === 0, festival: festival && { id: festival.id, name: festival.name } };
  const header: VisitHeader = {
    formId: crypto.randomUUID(),
    visitId: `V-${date.replaceAll('-', '')}-${String(options.seed).padStart(5, '0')}`,
    customer: { name: CUSTOMERS[options.seed % CUSTOMERS.length]!, phone: '0571-8888 6666', address: '浙江省杭州市西湖区文三路 90 号环卫停车场' },
    equipment: EQUIPMENT[options.seed % EQUIPMENT.length]!,
    technician: options.technician ?? { id: 'tech-1', name: '张师傅' },
  };
  const state = run(createVisit(checklist, facts), visitActions(facts, signature, options, random), fakeClock(`${date}T01:00:00.000Z`));
  const form = await sealForm(buildFormBody(state, header, options.formatVersion ?? 2), png);
  return { form, signaturePng: Buffer.from(png).toString('base64') };
}

/** A copy of a sealed form under a new id: its seal, the form's JSON text (as ingest stores it), and the submission's. */
export interface FormCopy {
  id: string;
  hash: string;
  formJson: string;
  /** `{"form":…,"signaturePng":…}`, as the phone sends it */
  text: string;
}

/**
 * Copies of a sealed form under new ids, each sealed as the real seal would seal it (the test holds it
 * to sealForm): only the id and the hash change, so the template's canonical JSON and JSON text are
 * made once and each copy costs one SHA-256.
 */
export function formCopier(template: SubmittedForm): (formId: string) => Promise<FormCopy> {
  const { seal, ...body } = template.form;
  const [before, after] = splitOnce(canonicalJson(body), `"${body.id}"`, 'the canonical JSON');
  const [jsonBefore, rest] = splitOnce(JSON.stringify(template.form), `"${body.id}"`, 'the form JSON');
  const [jsonBetween, jsonAfter] = splitOnce(rest, `"${seal.hash}"`, 'the form JSON after the id');
  const encoder = new TextEncoder();
  const head = encoder.encode(`${before}"`);
  const tail = encoder.encode(`"${after}`);
  const png = Buffer.from(template.signaturePng, 'base64');
  // canonical JSON ‖ 0x00 ‖ signature bytes, as src/domain/seal.ts seals; the id's 36 bytes are written per copy
  const input = new Uint8Array(head.length + 36 + tail.length + 1 + png.length);
  input.set(head, 0);
  input.set(tail, head.length + 36);
  input.set(png, head.length + 36 + tail.length + 1);
  return async (id) => {
    if (!UUID.test(id)) throw new Error(`formCopier: "${id}" is not a lower-case UUID`);
    input.set(encoder.encode(id), head.length);
    const hash = await sha256Hex(input);
    const formJson = `${jsonBefore}"${id}"${jsonBetween}"${hash}"${jsonAfter}`;
    return { id, hash, formJson, text: `{"form":${formJson},"signaturePng":${JSON.stringify(template.signaturePng)}}` };
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function splitOnce(text: string, separator: string, what: string): [string, string] {
  const parts = text.split(separator);
  if (parts.length !== 2) throw new Error(`formCopier: ${separator} occurs ${parts.length - 1} times in ${what}, expected once`);
  return [parts[0]!, parts[1]!];
}

/** The row a form becomes, as ingest makes it (src/server/ingest.ts checkSubmission), for the raw INSERT baseline. */
export function recordOf(submitted: SubmittedForm, receivedAt: string, source: NewFormRecord['source']): NewFormRecord {
  return formRecord(submitted.form, published.get(submitted.form.checklist.id, submitted.form.checklist.version)!, Buffer.from(submitted.signaturePng, 'base64'), { receivedAt, source, clockDriftMs: null });
}

/** The columns ingest writes, in the order rowValues gives them. */
export const FORM_COLUMNS = [
  'id', 'hash', 'technician_id', 'visit_id', 'visit_date', 'sealed_at', 'received_at', 'source', 'satisfaction',
  'dispute', 'conduct_breach', 'flagged', 'clock_drift_ms', 'customer_name', 'equipment_type', 'form_json', 'signature_png',
  ...FACT_COLUMNS,
] as const;

/** A record's column values; SQLite stores the flags as 0/1, PostgreSQL as booleans. */
function rowValues(f: NewFormRecord, dialect: 'sqlite' | 'postgres'): unknown[] {
  const flag = (b: boolean) => (dialect === 'sqlite' ? +b : b);
  return [
    f.id, f.hash, f.technicianId, f.visitId, f.visitDate, f.sealedAt, f.receivedAt, f.source, f.satisfaction,
    flag(f.dispute), flag(f.conductBreach), flag(f.dispute || f.conductBreach), f.clockDriftMs, f.customerName, f.equipmentType, f.formJson, f.signature,
    ...factValues(f.facts, f.visitDate, flag),
  ];
}

/** One multi-row `INSERT … ON CONFLICT (id) DO NOTHING` of `rows` forms: the baseline every ingest figure is set beside. */
export function rawInsertSql(rows: number, dialect: 'sqlite' | 'postgres'): string {
  const width = FORM_COLUMNS.length;
  const tuple = (r: number) => `(${FORM_COLUMNS.map((_, c) => (dialect === 'sqlite' ? '?' : `$${r * width + c + 1}`)).join(', ')})`;
  return `INSERT INTO forms (${FORM_COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, (_, r) => tuple(r)).join(', ')} ON CONFLICT (id) DO NOTHING`;
}

export function batches<T>(items: readonly T[], size: number): T[][] {
  if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`batch size must be a whole number of at least 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Inserts the records raw into a SQLite `forms` table, `batchSize` rows a statement, one commit each. */
export function rawSqliteInsert(db: Database.Database, records: readonly NewFormRecord[], batchSize: number): void {
  const statements = new Map<number, Database.Statement>();
  for (const batch of batches(records, batchSize)) {
    let statement = statements.get(batch.length);
    if (!statement) statements.set(batch.length, (statement = db.prepare(rawInsertSql(batch.length, 'sqlite'))));
    statement.run(...batch.flatMap((r) => rowValues(r, 'sqlite')));
  }
}

/** The same into PostgreSQL: one multi-row statement (one round trip, one commit) a batch. */
export async function rawPostgresInsert(client: pg.ClientBase, records: readonly NewFormRecord[], batchSize: number): Promise<void> {
  for (const batch of batches(records, batchSize)) {
    await client.query(rawInsertSql(batch.length, 'postgres'), batch.flatMap((r) => rowValues(r, 'postgres')));
  }
}

/** A fresh SQLite database with the server's schema (made by its own migrations), opened raw with the server's durability: WAL, synchronous=FULL. */
export async function rawSqlite(path: string): Promise<Database.Database> {
  await openSqliteStorage({ path }).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  return db;
}

/**
 * Sets a SQLite journal mode, or throws: SQLite answers with the mode it kept when it refuses. Out of
 * WAL only by way of DELETE (better-sqlite3's SQLite refuses WAL → MEMORY directly).
 */
function setJournalMode(db: Database.Database, mode: 'wal' | 'memory'): void {
  if (mode !== 'wal') db.pragma('journal_mode = DELETE');
  const kept: unknown = db.pragma(`journal_mode = ${mode}`, { simple: true });
  if (kept !== mode) throw new Error(`SQLite kept journal_mode ${String(kept)} instead of ${mode}`);
}

/** Generated rows need no durability while they are made: journal in memory, no fsync. */
export function startBulkLoad(db: Database.Database): void {
  setJournalMode(db, 'memory');
  db.pragma('synchronous = OFF');
}

/** Back to how the server runs: WAL, synchronous=FULL. */
export function endBulkLoad(db: Database.Database): void {
  setJournalMode(db, 'wal');
  db.pragma('synchronous = FULL');
}

/** A fresh PostgreSQL database with the server's schema, and a raw connection to it. */
export async function rawPostgres(url: string): Promise<pg.Client> {
  await (await openPostgresStorage({ connectionString: url })).close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Wall time of some work, in ms. */
export async function timeMs(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** VmHWM (peak resident memory) from the text of /proc/<pid>/status, in bytes; null when absent. */
export function parseVmHwm(status: string): number | null {
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

export interface ChildRun {
  wallMs: number;
  /** the child's peak resident memory (VmHWM), sampled from /proc while it runs */
  peakBytes: number;
  stdout: string;
}

const SAMPLE_EVERY_MS = 10;

/**
 * Runs `node --import tsx ARGS…` and follows its peak memory in /proc/<pid>/status. VmHWM only grows,
 * so the last reading before the exit is the peak, short of what the last few milliseconds added.
 * A non-zero exit is an error carrying the end of the child's stderr.
 */
export function runChild(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let peakBytes = 0;
    const sample = () => {
      try {
        peakBytes = Math.max(peakBytes, parseVmHwm(readFileSync(`/proc/${child.pid}/status`, 'utf8')) ?? 0);
      } catch {
        // the child has just exited: the last reading stands
      }
    };
    const sampler = setInterval(sample, SAMPLE_EVERY_MS);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-4000)));
    child.on('error', (error) => {
      clearInterval(sampler);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearInterval(sampler);
      const wallMs = performance.now() - started;
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited with ${signal ?? code}:\n${stderr.trim()}`));
      else if (peakBytes === 0) reject(new Error(`node ${args.join(' ')}: no memory reading from /proc/${child.pid}/status (is /proc mounted?)`));
      else resolve({ wallMs, peakBytes, stdout });
    });
  });
}

// Rows generated in bulk SQL (forms-list, export) are numbered n = 0, 1, …; their ids and dates are
// functions of n the benchmarks can also compute here, to look rows up and page from them.
const GOLDEN = 2654435761;
const GENERATED_DAYS = 1096;
const MAX_GENERATED = 2 ** 21;

/** The n-th generated row's id: UUID-shaped and unique (n·2654435761 mod 2³² is a bijection), in no order of n. */
export function generatedId(n: number): string {
  if (!(Number.isInteger(n) && n >= 0 && n < MAX_GENERATED)) throw new RangeError(`generatedId: n must be a whole number below ${MAX_GENERATED}, got ${n}`);
  const mixed = (n * GOLDEN) % 2 ** 32; // exact: the product stays below 2^53
  return `${mixed.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** The n-th generated row's visit date: spread over the three years from 2024-01-01. */
export function generatedDate(n: number): string {
  return new Date(Date.UTC(2024, 0, 1) + ((n * 7919) % GENERATED_DAYS) * 86_400_000).toISOString().slice(0, 10);
}

/** generatedId and generatedDate as SQL over the integer expression `n`. */
export function generatedSql(dialect: 'sqlite' | 'postgres', n: string): { id: string; date: string } {
  return dialect === 'sqlite'
    ? {
        id: `printf('%08x-0000-4000-8000-%012x', (${n} * ${GOLDEN}) % 4294967296, ${n})`,
        date: `date('2024-01-01', '+' || ((${n} * 7919) % ${GENERATED_DAYS}) || ' days')`,
      }
    : {
        id: `lpad(to_hex((${n}::bigint * ${GOLDEN}) % 4294967296), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(${n}::bigint), 12, '0')`,
        date: `DATE '2024-01-01' + ((${n}::bigint * 7919) % ${GENERATED_DAYS})::int`,
      };
}
