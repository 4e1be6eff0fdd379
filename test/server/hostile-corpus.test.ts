// The hostile-input corpus (test/corpus/) against the API and the import, on SQLite and PostgreSQL:
// each entry gets the answer its manifest names (never a 5xx), the server keeps answering, the valid
// forms in a batch land verbatim, and the database holds no trace of anything refused.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/server/config';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import { corpusFiles, CORPUS_DIR, loadManifest, targetsOf } from '../corpus/corpus';
import { checkDatabase, checkOutcome } from '../corpus/corpus-checks';
import { openCorpusServer, readImportReport, snapshot, type CorpusServer } from '../corpus/corpus-runner';
import { postgresFactory, PROCESS_TIMEOUT_MS, sqliteFactory, type StorageFactory } from './helpers';
import { startPgCluster, type PgCluster } from './pg-cluster';

const entries = loadManifest();

describe('the corpus', () => {
  it('holds at least 60 checked-in files, every one in the manifest and every manifest file on disk', () => {
    const files = corpusFiles();
    expect(files.length).toBeGreaterThanOrEqual(60);
    const named = new Set(entries.flatMap((e) => [e.file, e.generate?.kind === 'repeat' && typeof e.generate.unit !== 'string' ? e.generate.unit.file : null]));
    expect(files.filter((f) => !named.has(f))).toEqual([]);
    expect([...named].filter((f): f is string => f !== null && !files.includes(f))).toEqual([]);
  });

  it('says for every refusal what its message must contain', () => {
    for (const e of entries) {
      if (e.expect.status === '4xx') expect(e.expect.message, e.what).toBeTruthy();
      // a rejection names where, or, for the rules, the rule it breaks and the refusal (wherever in the log that is)
      for (const r of e.expect.results ?? []) if (r.status === 'rejected') expect(r.message && (r.path ?? r.breaks), e.what).toBeTruthy();
    }
  });

  it('covers each kind of hostile input the issue names, for each target', () => {
    const categories = new Set(entries.map((e) => e.category));
    for (const kind of ['broken-json', 'encoding', 'wrong-types', 'unknown-fields', 'huge', 'deep-nesting', 'seal', 'signature', 'event-log',
      'identity', 'enrollment', 'hostile-text', 'pollution', 'numbers', 'batch', 'oversize', 'bundle', 'csv', 'url']) expect(categories).toContain(kind);
    const targets = new Set(entries.flatMap(targetsOf));
    for (const t of ['forms-api', 'import-api', 'import-cli', 'enroll', 'visits-csv', 'admin-technicians', 'admin-visits', 'admin-resolve', 'admin-get']) {
      expect(targets).toContain(t);
    }
  });
});

function describeCorpus(name: string, factory: () => StorageFactory): void {
  describe(`hostile corpus on ${name}`, () => {
    let s: CorpusServer;
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    beforeAll(async () => {
      s = await openCorpusServer(factory());
    });
    afterAll(async () => {
      await s?.close();
    });

    for (const entry of entries) {
      for (const target of targetsOf(entry)) {
        it(`${entry.file ?? 'generated'} → ${target} (${entry.token}): ${entry.what.slice(0, 80)}`, async () => {
          const storage = target === 'import-cli' ? s.cliStorage : s.h.storage;
          const code = entry.setup ? await s.prepareCode(entry.setup) : undefined;
          const before = await snapshot(storage);
          const outcome = await s.send(entry, target, code);
          expect(await s.health()).toEqual([200, 200]);
          checkOutcome(entry, target, outcome);
          await checkDatabase(entry, outcome, before, await snapshot(storage), storage);
          expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
        });
      }
    }
  });
}

describeCorpus('SQLite', () => sqliteFactory());

let cluster: PgCluster | undefined;
describe('PostgreSQL', () => {
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, PROCESS_TIMEOUT_MS);
  afterAll(async () => {
    await cluster?.stop();
  });
  describeCorpus('PostgreSQL', () => postgresFactory(() => cluster!));
});

describe('npm run import on corpus files, as a real process', { timeout: PROCESS_TIMEOUT_MS }, () => {
  const spawned = entries.filter((e) => e.spawn);

  it('imports each file as its manifest says, and exits 1', async () => {
    expect(spawned.length).toBeGreaterThanOrEqual(3);
    const dir = mkdtempSync(join(tmpdir(), 'onsite-corpus-cli-'));
    try {
      const dbPath = join(dir, 'onsite.sqlite');
      const storage = openSqliteStorage({ path: dbPath });
      await storage.createTechnician({ id: 'tech-1', name: '张师傅', phone: '', createdAt: '2026-03-10T00:00:00.000Z' });
      await storage.close();
      // stdout and stderr into one file, so each file's lines stay under its heading
      const log = join(dir, 'import.log');
      const fd = openSync(log, 'w');
      const files = spawned.map((e) => join(CORPUS_DIR, e.file!));
      const child = spawn(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [join(REPO_ROOT, 'src', 'server', 'cli', 'import.ts'), ...files], {
        env: { ...process.env, SQLITE_PATH: dbPath, DATABASE_URL: '' }, stdio: ['ignore', fd, fd],
      });
      const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      closeSync(fd);
      expect(exitCode).toBe(1);
      const lines = readFileSync(log, 'utf8').split('\n').filter((l) => l !== '');
      spawned.forEach((entry, i) => {
        const section = lines.slice(lines.indexOf(`${files[i]}:`) + 1, i + 1 < files.length ? lines.indexOf(`${files[i + 1]}:`) : undefined);
        checkOutcome(entry, 'import-cli', readImportReport(section, section));
      });
      const after = openSqliteStorage({ path: dbPath });
      const landed = (await after.listForms({}, { after: null, limit: 100 })).forms.length;
      await after.close();
      expect(landed).toBe(spawned.flatMap((e) => e.expect.results ?? []).filter((r) => r.status === 'accepted').length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
