// The long fault run (`npm run test:faults`, not in `npm test`): 1,000 sealed forms from 5 phones
// through every fault the proxy injects, while the server process is SIGKILLed in the middle of batches
// and restarted, on SQLite and on PostgreSQL; and on PostgreSQL through two server processes behind a
// round-robin balancer, one of them killed mid-batch each time while the other goes on serving. Then every form must be in the database exactly once, as
// sealed, its seal verified; no phone may still hold an unsent form; nothing rejected, no conflict.
// The seed comes from the clock and is printed; FAULT_SEED=<seed> replays a run: each phone's k-th request
// meets the same fault. Every fault kind on every phone and a kill in a batch each time hold for any seed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStorage } from '../../src/server/storage/postgres';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import type { Storage } from '../../src/server/storage/storage';
import { startPgCluster, type PgCluster } from '../server/pg-cluster';
import { FAULT_KINDS } from './fault-proxy';
import { FAULT_RUN_RATES, formatFigures, runFaultRun, type FaultRunFigures } from './fault-run';
import type { DatabaseLocation } from './landed-forms';
import { seededRandom } from './seeded-random';
import { startServerPair } from './server-pair';
import { startServerProcess, type ServerProcess } from './server-process';

const SEED = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : Date.now();
if (!Number.isSafeInteger(SEED)) throw new Error(`FAULT_SEED must be a whole number, got "${process.env.FAULT_SEED}"`);
console.log(`fault run seed ${SEED} (replay with FAULT_SEED=${SEED})`);
const PHONES = 5;
const FORMS_PER_PHONE = 200;
const KILL_AT = [0.15, 0.35, 0.55, 0.75, 0.9];

async function runOn(
  label: string, location: DatabaseLocation, setupStorage: Storage, seed: number,
  start: (random: ReturnType<typeof seededRandom>) => Promise<ServerProcess> = (random) => startServerProcess({ storage: location, random }),
  afterRun: (server: ServerProcess) => void = () => undefined,
): Promise<FaultRunFigures> {
  const server = await start(seededRandom(seed + 7));
  try {
    const figures = await runFaultRun({
      label, seed, phones: PHONES, formsPerPhone: FORMS_PER_PHONE, faults: FAULT_RUN_RATES, server, setupStorage, database: location,
      killAt: KILL_AT, maxDowntimeMs: 1_000, drainTimeoutMs: 180_000, log: (line) => console.log(line),
    });
    console.log(formatFigures(figures));
    expect(server.unexpectedExits()).toEqual([]);
    afterRun(server);
    return figures;
  } finally {
    await server.close();
  }
}

function expectNothingLostDuplicatedOrAltered(figures: FaultRunFigures): void {
  expect(figures.audit.problems, `seed ${figures.seed}`).toEqual([]);
  expect(figures.formsSealed).toBe(PHONES * FORMS_PER_PHONE);
  expect(figures.audit.landed).toBe(PHONES * FORMS_PER_PHONE);
  expect(figures.unsent, `seed ${figures.seed}`).toEqual({ queued: 0, sending: 0, held: 0, rejected: 0 });
  expect(figures.phoneVerdicts.conflict + figures.server.conflict).toBe(0);
  // the run is only worth something if it did what it says
  expect(figures.kills.total).toBe(KILL_AT.length);
  // each kill is armed before the seal past its point may start, so each meets a batch
  expect(figures.kills.midBatch).toBe(KILL_AT.length);
  // every phone is owed every kind until it took effect
  expect(FAULT_KINDS.filter((kind) => figures.proxy.faults[kind] < PHONES)).toEqual([]);
  expect(figures.owing, `seed ${figures.seed}`).toEqual({});
  expect(figures.server.duplicate).toBeGreaterThan(0);
  expect(figures.proxy.proxyErrors).toEqual([]);
}

describe(`fault run, seed ${SEED} (replay with FAULT_SEED=${SEED})`, () => {
  it('SQLite: 1,000 forms from 5 phones, every fault, the server SIGKILLed mid-batch 5 times', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onsite-faults-sqlite-'));
    const sqlitePath = join(dir, 'onsite.sqlite');
    const setupStorage = openSqliteStorage({ path: sqlitePath });
    try {
      expectNothingLostDuplicatedOrAltered(await runOn('SQLite', { sqlitePath }, setupStorage, SEED));
    } finally {
      await setupStorage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('PostgreSQL', () => {
    let cluster: PgCluster;
    beforeAll(async () => {
      cluster = await startPgCluster();
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    it('PostgreSQL: 1,000 forms from 5 phones, every fault, the server SIGKILLed mid-batch 5 times', async () => {
      const databaseUrl = await cluster.createDatabase();
      const setupStorage = await openPostgresStorage({ connectionString: databaseUrl, max: 2 });
      try {
        expectNothingLostDuplicatedOrAltered(await runOn('PostgreSQL', { databaseUrl }, setupStorage, SEED + 1));
      } finally {
        await setupStorage.close();
      }
    });

    it('PostgreSQL, two server processes behind a balancer: 1,000 forms, every fault, one process SIGKILLed mid-batch 5 times', async () => {
      const databaseUrl = await cluster.createDatabase();
      const setupStorage = await openPostgresStorage({ connectionString: databaseUrl, max: 2 });
      try {
        const figures = await runOn('PostgreSQL, 2 processes', { databaseUrl }, setupStorage, SEED + 2,
          (random) => startServerPair({ storage: { databaseUrl }, random }),
          (server) => {
            const pair = server as Awaited<ReturnType<typeof startServerPair>>;
            console.log(`  two processes: connections ${pair.connectionsPerProcess().join(' / ')}, kills ${pair.killsPerProcess().join(' / ')}`);
            // both served: the requests went to each in turn
            expect(Math.min(...pair.connectionsPerProcess())).toBeGreaterThan(0);
          });
        expectNothingLostDuplicatedOrAltered(figures);
      } finally {
        await setupStorage.close();
      }
    });
  });
});
