// The back-office benchmarks' fixtures: the forms are real (the server accepts them), the copies are
// sealed as the seal would seal them, the raw baseline writes the very rows ingest writes, and the
// generated rows are the ones the benchmark computes ids and dates for.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceKeyLookup } from '../../src/domain/device-signature';
import type { SubmittedForm } from '../../src/domain/form-schema';
import { bodyOf, sealForm } from '../../src/domain/seal';
import { checkSubmission, type IngestDeps } from '../../src/server/ingest';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import {
  batches, endBulkLoad, formCopier, FORM_COLUMNS, generatedDate, generatedId, generatedSql, parseVmHwm, prng, rawInsertSql, rawSqlite,
  rawSqliteInsert, realisticForm, realisticSignature, recordOf, runChild, SIGNATURE_SIZE, startBulkLoad,
} from '../../bench/server-fixtures';
import { registry } from '../server/helpers';
import { answerOf } from '../fixtures/visits';

const RECEIVED = new Date('2026-03-11T08:00:00.000Z');
const deps: IngestDeps = { storage: null as never, checklists: registry, now: () => RECEIVED };
const asPhone = (technicianId: string) => ({ kind: 'technician', technicianId, deviceTime: null }) as const;

/** A server where no device key is registered: unsigned forms are taken */
const noDeviceKeys: DeviceKeyLookup = { key: async () => null, hasCurrentKey: async () => false };

async function check(form: SubmittedForm) {
  return checkSubmission(deps, form, 0, asPhone(form.form.technician.id), RECEIVED, noDeviceKeys);
}

describe('realistic forms', () => {
  it('draws the same numbers from the same seed, each in [0, 1)', () => {
    const [a, b, c] = [prng(3), prng(3), prng(4)];
    const first = Array.from({ length: 100 }, a);
    expect(Array.from({ length: 100 }, b)).toEqual(first);
    expect(Array.from({ length: 100 }, c)).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('makes signatures of a real size: 5–10 strokes, 300–800 points, 10–30 KB of PNG bytes', () => {
    for (let seed = 0; seed < 30; seed++) {
      const { points, png } = realisticSignature(seed);
      const total = points.reduce((n, stroke) => n + stroke.points.length, 0);
      expect(points.length).toBeGreaterThanOrEqual(SIGNATURE_SIZE.strokes[0]);
      expect(points.length).toBeLessThanOrEqual(SIGNATURE_SIZE.strokes[1]);
      expect(total).toBeGreaterThanOrEqual(SIGNATURE_SIZE.points[0]);
      expect(total).toBeLessThanOrEqual(SIGNATURE_SIZE.points[1]);
      expect(png.length).toBeGreaterThanOrEqual(SIGNATURE_SIZE.bytes[0]);
      expect(png.length).toBeLessThanOrEqual(SIGNATURE_SIZE.bytes[1]);
      expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    }
    expect(realisticSignature(5)).toEqual(realisticSignature(5));
  });

  it('makes forms the server accepts, with Chinese text, a failed-then-passed test run and a declined offer', async () => {
    const submitted = await realisticForm({ seed: 1, technician: { id: 'tech-9', name: '陈师傅' }, satisfaction: 3, dispute: true });
    const checked = await check(submitted);
    expect(checked).toHaveProperty('record');
    const { form } = submitted;
    expect(answerOf(form, 'customer-account')).toMatch(/[\u4e00-\u9fff]/);
    expect(form.testRuns.map((r) => `${r.by}:${r.passed}`)).toEqual(['technician:true', 'customer:false', 'technician:true', 'customer:true']);
    expect(form.incidents.map((i) => i.kind)).toEqual(['declined-offer', 'dispute']);
    expect(form.flags.dispute).toBe(true);
    expect(answerOf(form, 'satisfaction')).toBe(3);
    // the raw baseline's row is the one ingest makes
    expect(recordOf(submitted, RECEIVED.toISOString(), 'api')).toEqual((checked as { record: unknown }).record);
  });

  it('dates a visit in a festival as the server\'s calendar does, so it is accepted too', async () => {
    const submitted = await realisticForm({ seed: 2, date: '2026-02-17' });
    expect(submitted.form.visit.festival?.id).toBeTruthy();
    expect(await check(submitted)).toHaveProperty('record');
  });
});

describe('copies under new ids', () => {
  let template: SubmittedForm;
  beforeAll(async () => {
    template = await realisticForm({ seed: 4 });
  });

  it('are sealed exactly as sealForm seals the form with the new id', async () => {
    const copy = formCopier(template);
    for (const id of [crypto.randomUUID(), crypto.randomUUID()]) {
      const expected = await sealForm({ ...bodyOf(template.form), id }, Buffer.from(template.signaturePng, 'base64'));
      const made = await copy(id);
      expect(JSON.parse(made.text)).toEqual({ form: expected, signaturePng: template.signaturePng });
      expect(made.formJson).toBe(JSON.stringify(expected));
      expect(made).toMatchObject({ id, hash: expected.seal.hash });
    }
  });

  it('refuses an id that is not a lower-case UUID, naming it', async () => {
    await expect(formCopier(template)('not-a-uuid')).rejects.toThrow('formCopier: "not-a-uuid" is not a lower-case UUID');
  });
});

describe('the raw INSERT baseline', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'onsite-bench-fixtures-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('binds every column of every row, numbered for PostgreSQL', () => {
    expect(rawInsertSql(2, 'sqlite').match(/\?/g)).toHaveLength(2 * FORM_COLUMNS.length);
    const sql = rawInsertSql(3, 'postgres');
    expect(sql).toContain(`$${3 * FORM_COLUMNS.length})`);
    expect(sql).not.toContain(`$${3 * FORM_COLUMNS.length + 1}`);
    expect(sql).toMatch(/ON CONFLICT \(id\) DO NOTHING$/);
  });

  it('writes the very rows storeForms writes, and a second time nothing', async () => {
    const forms = await Promise.all([realisticForm({ seed: 5 }), realisticForm({ seed: 6, dispute: true })]);
    const records = forms.map((f) => recordOf(f, RECEIVED.toISOString(), 'api'));
    const storage = openSqliteStorage({ path: join(dir, 'store.sqlite') });
    await storage.storeForms(records);
    await storage.close();
    const raw = await rawSqlite(join(dir, 'raw.sqlite'));
    rawSqliteInsert(raw, records, 1);
    rawSqliteInsert(raw, records, 2);
    const stored = new Database(join(dir, 'store.sqlite'), { readonly: true });
    const all = (db: Database.Database) => db.prepare('SELECT * FROM forms ORDER BY id').all();
    expect(all(raw)).toHaveLength(2);
    expect(all(raw)).toEqual(all(stored));
    stored.close();
    raw.close();
  });

  it('switches a WAL database to a bulk load and back, as it says', async () => {
    const db = await rawSqlite(join(dir, 'bulk.sqlite'));
    startBulkLoad(db);
    expect([db.pragma('journal_mode', { simple: true }), db.pragma('synchronous', { simple: true })]).toEqual(['memory', 0]);
    endBulkLoad(db);
    expect([db.pragma('journal_mode', { simple: true }), db.pragma('synchronous', { simple: true })]).toEqual(['wal', 2]);
    db.close();
  });

  it('cuts rows into batches, the last one shorter, and refuses a batch size that is not a whole number ≥ 1', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([], 50)).toEqual([]);
    expect(() => batches([1], 0)).toThrow('batch size must be a whole number of at least 1, got 0');
    expect(() => batches([1], 1.5)).toThrow('got 1.5');
  });
});

describe('generated rows', () => {
  it('have the ids and dates the benchmark computes, each id unique', () => {
    const db = new Database(':memory:');
    const { id, date } = generatedSql('sqlite', 'n');
    const row = db.prepare(`SELECT ${id} AS id, ${date} AS date FROM (SELECT ? AS n)`);
    for (const n of [0, 1, 2, 999, 123_456, 999_999, 2 ** 21 - 1]) {
      expect(row.get(n)).toEqual({ id: generatedId(n), date: generatedDate(n) });
    }
    db.close();
    const ids = Array.from({ length: 20_000 }, (_, n) => generatedId(n));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((i) => /^[0-9a-f]{8}-0000-4000-8000-[0-9a-f]{12}$/.test(i))).toBe(true);
    expect(generatedDate(0)).toBe('2024-01-01');
  });

  it('writes the same ids and dates in PostgreSQL\'s SQL', () => {
    const { id, date } = generatedSql('postgres', 'n');
    expect(id).toContain('to_hex((n::bigint * 2654435761) % 4294967296)');
    expect(date).toBe("DATE '2024-01-01' + ((n::bigint * 7919) % 1096)::int");
  });

  it('refuses a row number it cannot compute exactly', () => {
    expect(() => generatedId(2 ** 21)).toThrow('generatedId: n must be a whole number below 2097152, got 2097152');
    expect(() => generatedId(-1)).toThrow('got -1');
  });
});

describe('child processes', () => {
  it('reads the peak memory from /proc/<pid>/status', () => {
    expect(parseVmHwm('Name:\tnode\nVmPeak:\t  900 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 1000 kB\n')).toBe(123_456 * 1024);
    expect(parseVmHwm('Name:\tnode\n')).toBeNull();
  });

  it('runs one, answering its output and its peak memory; a failure carries its exit code and stderr', async () => {
    const ok = await runChild(['-e', 'process.stdout.write("done")']);
    expect(ok.stdout).toBe('done');
    expect(ok.peakBytes).toBeGreaterThan(10 * 1024 * 1024);
    await expect(runChild(['-e', 'console.error("broken on purpose"); process.exit(3)'])).rejects.toThrow(/exited with 3:\nbroken on purpose/);
  });
});
