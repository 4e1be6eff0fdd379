// Ingest throughput: realistic forms with real-sized signatures through ingestBatch (schema, seal,
// event-log replay, storage) in batches of 50, on SQLite (WAL, synchronous=FULL, a temp file) and on
// PostgreSQL (the throwaway test cluster, which runs with fsync off) — each beside a raw batched
// INSERT … ON CONFLICT DO NOTHING of the same rows, batch size and durability, into the same schema.
// Then where the time goes: each stage of the check timed on its own over the same forms. Both form
// formats: 2 (this app: answers by item id, the signature's points once) and 1 (phones before value
// types: the points twice), the same visits.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_BATCH, SubmittedFormSchema, type SubmittedForm } from '../src/domain/form-schema';
import { verifySeal } from '../src/domain/seal';
import { checkFormConsistency } from '../src/domain/service-form';
import type { DeviceKeyLookup } from '../src/domain/device-signature';
import { checkSubmission, ingestBatch, type IngestDeps, type Submitter } from '../src/server/ingest';
import { openPostgresStorage } from '../src/server/storage/postgres';
import { openSqliteStorage } from '../src/server/storage/sqlite';
import type { NewFormRecord, Storage } from '../src/server/storage/storage';
import { published } from '../test/fixtures/checklists';
import { checklist } from '../test/fixtures/visits';
import { startPgCluster, type PgCluster } from '../test/server/pg-cluster';
import { compared, median, type BenchResult, type Measurement } from './measurement';
import {
  formCopier, QUICK, rawPostgres, rawPostgresInsert, rawSqlite, rawSqliteInsert, realisticForm, timeMs,
} from './server-fixtures';

const FORMS = QUICK ? 200 : 1000;
const ROUNDS = QUICK ? 1 : 3;
const TECHNICIANS = 5;
const TEMPLATES_PER_TECHNICIAN = 4;
const RECEIVED = new Date('2026-03-11T08:00:00.000Z');

/** One technician's forms, as their phone sends them. */
interface Batch {
  submitter: Submitter;
  forms: SubmittedForm[];
  records: NewFormRecord[];
}

/**
 * FORMS forms in batches of 50, each batch one technician's: copies (new ids, sealed again) of a few
 * realistic forms per technician, with their rows as ingest makes them (checked by the real check).
 */
async function makeBatches(formatVersion: 1 | 2): Promise<Batch[]> {
  const copiers: Array<Array<ReturnType<typeof formCopier>>> = [];
  for (let t = 0; t < TECHNICIANS; t++) {
    const technician = { id: `tech-${t + 1}`, name: ['张师傅', '李师傅', '王师傅', '赵师傅', '陈师傅'][t]! };
    const own: Array<ReturnType<typeof formCopier>> = [];
    for (let k = 0; k < TEMPLATES_PER_TECHNICIAN; k++) {
      const seed = t * TEMPLATES_PER_TECHNICIAN + k;
      const date = `2026-03-${String(1 + seed).padStart(2, '0')}`;
      own.push(formCopier(await realisticForm({ seed, technician, date, satisfaction: 1 + (seed % 5), dispute: seed % 7 === 3, formatVersion })));
    }
    copiers.push(own);
  }
  const deps = depsFor(null);
  const out: Batch[] = [];
  for (let b = 0; b * MAX_BATCH < FORMS; b++) {
    const t = b % TECHNICIANS;
    const submitter: Submitter = { kind: 'technician', technicianId: `tech-${t + 1}`, deviceTime: null };
    const forms: SubmittedForm[] = [];
    const records: NewFormRecord[] = [];
    for (let i = 0; i < Math.min(MAX_BATCH, FORMS - b * MAX_BATCH); i++) {
      const form = JSON.parse((await copiers[t]![i % TEMPLATES_PER_TECHNICIAN]!(crypto.randomUUID())).text) as SubmittedForm;
      const checked = await checkSubmission(deps, form, i, submitter, RECEIVED, NO_DEVICE_KEYS);
      if (!('record' in checked)) throw new Error(`a benchmark form was rejected: ${JSON.stringify(checked.rejected.errors)}`);
      forms.push(form);
      records.push(checked.record);
    }
    out.push({ submitter, forms, records });
  }
  return out;
}

/** The device keys of a server where none is registered (the technicians' phones predate them): the benchmark's forms are unsigned. */
const NO_DEVICE_KEYS: DeviceKeyLookup = { key: async () => null, hasCurrentKey: async () => false };

function depsFor(storage: Storage | null): IngestDeps {
  // the technician submitter never asks storage (the device keys come as NO_DEVICE_KEYS): a null one is only used for the checks
  return { storage: storage as Storage, checklists: published, now: () => RECEIVED };
}

async function ingestAll(storage: Storage, all: readonly Batch[]): Promise<number> {
  return timeMs(async () => {
    for (const batch of all) {
      const results = await ingestBatch(depsFor(storage), batch.forms, batch.submitter);
      const refused = results.find((r) => r.status !== 'accepted');
      if (refused) throw new Error(`ingest answered ${refused.status} for a fresh form: ${JSON.stringify(refused.errors ?? [])}`);
    }
  });
}

async function storeAll(storage: Storage, all: readonly Batch[]): Promise<number> {
  return timeMs(async () => {
    for (const batch of all) {
      if ((await storage.storeForms(batch.records)).some((o) => o.status !== 'accepted')) throw new Error('storeForms did not accept a fresh form');
    }
  });
}

const allRecords = (all: readonly Batch[]) => all.flatMap((b) => b.records);

function expectRows(counted: { n: number | string }, all: readonly Batch[]): void {
  const expected = all.reduce((n, b) => n + b.records.length, 0);
  if (Number(counted.n) !== expected) throw new Error(`the raw insert left ${counted.n} rows, expected ${expected}`);
}

interface Round {
  ingest: number;
  raw: number;
  storage: number;
}

/** Times the three passes, each into its own fresh database; the raw insert goes first or last by turns. */
async function timeRound(rawFirst: boolean, passes: { [K in keyof Round]: () => Promise<number> }): Promise<Round> {
  const order: Array<keyof Round> = rawFirst ? ['raw', 'ingest', 'storage'] : ['ingest', 'storage', 'raw'];
  const times: Round = { ingest: 0, raw: 0, storage: 0 };
  for (const pass of order) times[pass] = await passes[pass]();
  return times;
}

async function sqliteRound(all: readonly Batch[], rawFirst: boolean): Promise<Round> {
  const dir = await mkdtemp(join(tmpdir(), 'onsite-bench-ingest-'));
  const forIngest = openSqliteStorage({ path: join(dir, 'ingest.sqlite') });
  const forStorage = openSqliteStorage({ path: join(dir, 'storage.sqlite') });
  const forRaw = await rawSqlite(join(dir, 'raw.sqlite'));
  try {
    return await timeRound(rawFirst, {
      raw: async () => {
        const ms = await timeMs(() => rawSqliteInsert(forRaw, allRecords(all), MAX_BATCH));
        expectRows(forRaw.prepare('SELECT count(*) AS n FROM forms').get() as { n: number }, all);
        return ms;
      },
      ingest: () => ingestAll(forIngest, all),
      storage: () => storeAll(forStorage, all),
    });
  } finally {
    forRaw.close();
    await Promise.all([forIngest.close(), forStorage.close()]);
    await rm(dir, { recursive: true, force: true });
  }
}

async function postgresRound(cluster: PgCluster, all: readonly Batch[], rawFirst: boolean): Promise<Round> {
  const forIngest = await openPostgresStorage({ connectionString: await cluster.createDatabase() });
  const forStorage = await openPostgresStorage({ connectionString: await cluster.createDatabase() });
  const forRaw = await rawPostgres(await cluster.createDatabase());
  try {
    return await timeRound(rawFirst, {
      raw: async () => {
        const ms = await timeMs(() => rawPostgresInsert(forRaw, allRecords(all), MAX_BATCH));
        expectRows((await forRaw.query<{ n: string }>('SELECT count(*) AS n FROM forms')).rows[0]!, all);
        return ms;
      },
      ingest: () => ingestAll(forIngest, all),
      storage: () => storeAll(forStorage, all),
    });
  } finally {
    await Promise.all([forRaw.end(), forIngest.close(), forStorage.close()]);
  }
}

/** The check's stages, each over every form on its own: ms per form. */
async function stageTimes(all: readonly Batch[]): Promise<{ schema: number; seal: number; replay: number }> {
  const forms = all.flatMap((b) => b.forms);
  const schema = await timeMs(() => {
    for (const f of forms) if (!SubmittedFormSchema.safeParse(f, { reportInput: true }).success) throw new Error('schema refused a benchmark form');
  });
  const seal = await timeMs(async () => {
    for (const f of forms) if (!(await verifySeal(f.form, Buffer.from(f.signaturePng, 'base64'))).ok) throw new Error('seal refused a benchmark form');
  });
  const replay = await timeMs(() => {
    for (const f of forms) if (!checkFormConsistency(f.form, checklist, { shapeChecked: true }).ok) throw new Error('replay refused a benchmark form');
  });
  return { schema: schema / forms.length, seal: seal / forms.length, replay: replay / forms.length };
}

const medianOf = <T>(rounds: readonly T[], pick: (r: T) => number) => median(rounds.map(pick));

const ingest: Measurement = {
  name: 'ingest',
  async run() {
    const all = await makeBatches(2);
    const all1 = await makeBatches(1);
    const cluster = await startPgCluster();
    const sqlite: Round[] = [];
    const postgres: Round[] = [];
    const sqlite1: Round[] = [];
    const postgres1: Round[] = [];
    const stages: Array<Awaited<ReturnType<typeof stageTimes>>> = [];
    const stages1: Array<Awaited<ReturnType<typeof stageTimes>>> = [];
    try {
      // one unmeasured pass of each first: the JIT's warm-up is not the ingest's cost
      await sqliteRound(all.slice(0, 2), true);
      await sqliteRound(all1.slice(0, 2), true);
      await postgresRound(cluster, all.slice(0, 2), true);
      await stageTimes(all.slice(0, 2));
      await stageTimes(all1.slice(0, 2));
      for (let round = 0; round < ROUNDS; round++) {
        const rawFirst = round % 2 === 0;
        // the two formats by turns, so neither always runs on the warmer machine
        for (const format of rawFirst ? [2, 1] : [1, 2]) {
          const batches = format === 2 ? all : all1;
          (format === 2 ? sqlite : sqlite1).push(await sqliteRound(batches, rawFirst));
          (format === 2 ? postgres : postgres1).push(await postgresRound(cluster, batches, rawFirst));
          (format === 2 ? stages : stages1).push(await stageTimes(batches));
        }
      }
    } finally {
      await cluster.stop();
    }

    const formsPerS = (ms: number) => FORMS / (ms / 1000);
    const perForm = (ms: number) => ms / FORMS;
    const batchNote = `${FORMS} forms, batches of ${MAX_BATCH}`;
    const throughput = (db: string, rounds: Round[]): BenchResult => compared({
      metric: `ingest throughput, ${db} (${batchNote}; aim ratio ≥ 0.5)`,
      value: medianOf(rounds, (r) => formsPerS(r.ingest)),
      unit: 'forms/s',
      baseline: 'raw batched INSERT … ON CONFLICT DO NOTHING, same rows',
      baselineValue: medianOf(rounds, (r) => formsPerS(r.raw)),
      samples: { value: rounds.map((r) => formsPerS(r.ingest)), baseline: rounds.map((r) => formsPerS(r.raw)) },
    });
    const rawSqliteMs = medianOf(sqlite, (r) => perForm(r.raw));
    const stage = (label: string, value: number, baseline = 'raw INSERT per form, SQLite', baselineValue = rawSqliteMs): BenchResult =>
      compared({ metric: `ingest stage: ${label}, per form`, value, unit: 'ms', baseline, baselineValue });
    const formats = (db: string, two: Round[], one: Round[]): BenchResult => compared({
      metric: `ingest throughput, format 2 against format 1, ${db} (${batchNote})`,
      value: medianOf(two, (r) => formsPerS(r.ingest)),
      unit: 'forms/s',
      baseline: 'the same visits in format 1 (the points twice), same ingest',
      baselineValue: medianOf(one, (r) => formsPerS(r.ingest)),
      samples: { value: two.map((r) => formsPerS(r.ingest)), baseline: one.map((r) => formsPerS(r.ingest)) },
    });
    const bytes = (batches: readonly Batch[]) => median(batches.flatMap((b) => b.forms.map((f) => JSON.stringify(f).length)));
    return [
      throughput('SQLite (WAL, synchronous=FULL)', sqlite),
      throughput('PostgreSQL (test cluster: fsync off)', postgres),
      formats('SQLite', sqlite, sqlite1),
      formats('PostgreSQL', postgres, postgres1),
      compared({ metric: 'submitted form size, format 2', value: bytes(all), unit: 'bytes', baseline: 'the same visit in format 1', baselineValue: bytes(all1) }),
      throughput('format 1, SQLite', sqlite1),
      stage('whole ingest, SQLite', medianOf(sqlite, (r) => perForm(r.ingest))),
      stage('schema parse (SubmittedFormSchema)', medianOf(stages, (s) => s.schema)),
      stage('seal check (base64 + verifySeal)', medianOf(stages, (s) => s.seal)),
      stage('event-log replay (checkFormConsistency)', medianOf(stages, (s) => s.replay)),
      stage('format 1: whole ingest, SQLite', medianOf(sqlite1, (r) => perForm(r.ingest)), 'raw INSERT per form, SQLite, format 1', medianOf(sqlite1, (r) => perForm(r.raw))),
      stage('format 1: schema parse', medianOf(stages1, (s) => s.schema)),
      stage('format 1: seal check', medianOf(stages1, (s) => s.seal)),
      stage('format 1: event-log replay', medianOf(stages1, (s) => s.replay)),
      stage('storage, SQLite (storeForms)', medianOf(sqlite, (r) => perForm(r.storage))),
      stage('storage, PostgreSQL (storeForms)', medianOf(postgres, (r) => perForm(r.storage)), 'raw INSERT per form, PostgreSQL', medianOf(postgres, (r) => perForm(r.raw))),
    ];
  },
};

export default ingest;
