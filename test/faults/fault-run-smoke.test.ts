// The fault run in small, in `npm test`: 60 forms from 2 phones through every fault the proxy injects,
// with one server crash right after a batch committed and before its answer left (SQLite, in process).
// The long run on SQLite and PostgreSQL, with SIGKILLed server processes, is `npm run test:faults`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import { FAULT_KINDS } from './fault-proxy';
import { FAULT_RUN_RATES, formatFigures, runFaultRun } from './fault-run';
import { startInProcessServer } from './killable-server';

// any seed does: the proxy gives each phone every fault kind until it took effect, and the kill is armed before
// the 31st seal may start, so it meets a batch; the seed fixes which fault each phone's k-th request meets
const SEED = 20260316;

it('60 forms from 2 phones, every fault and a server crash mid-batch: each form lands once, as sealed, and no phone keeps one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'onsite-faults-smoke-'));
  const sqlitePath = join(dir, 'onsite.sqlite');
  const setupStorage = openSqliteStorage({ path: sqlitePath });
  const server = await startInProcessServer({ sqlitePath });
  try {
    const figures = await runFaultRun({
      label: 'SQLite, in process', seed: SEED, phones: 2, formsPerPhone: 30, faults: FAULT_RUN_RATES, server, setupStorage,
      database: { sqlitePath }, killAt: [0.5], maxDowntimeMs: 300, drainTimeoutMs: 120_000,
    });
    console.log(formatFigures(figures));

    expect(figures.audit.problems).toEqual([]);
    expect(figures.audit.landed).toBe(60);
    expect(figures.unsent).toEqual({ queued: 0, sending: 0, held: 0, rejected: 0 });
    expect(figures.phoneVerdicts.conflict + figures.server.conflict).toBe(0);
    expect(figures.kills).toEqual({ total: 1, midBatch: 1 });
    // the crash came after a commit and before its answer, and each phone met a reset after the server had
    // answered in full: the resend of those forms can only have been answered duplicate
    expect(figures.server.duplicate).toBeGreaterThan(0);
    expect(FAULT_KINDS.filter((kind) => figures.proxy.faults[kind] < 2)).toEqual([]);
    expect(figures.owing).toEqual({});
    expect(figures.proxy.proxyErrors).toEqual([]);
  } finally {
    await server.close();
    await setupStorage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 240_000);
