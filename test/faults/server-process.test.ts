// The killable server process the long fault run relies on: SIGKILLed while it lands a batch, it comes
// back on the same port over the same database, and the resent batch lands its form once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { API } from '../../src/domain/api';
import { issueEnrollmentCode } from '../../src/server/auth/enrollment';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import { submittedForm } from '../fixtures/visits';
import { readLandedForms } from './landed-forms';
import { seededRandom } from './seeded-random';
import { startServerProcess } from './server-process';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempSqlitePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'onsite-server-process-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'onsite.sqlite');
}

it('killed in the middle of a batch, it restarts on the same port and the resent form lands once', async () => {
  const sqlitePath = tempSqlitePath();
  const storage = openSqliteStorage({ path: sqlitePath });
  cleanups.push(() => storage.close());
  await storage.createTechnician({ id: 'tech-1', name: '张师傅', phone: '', createdAt: new Date().toISOString() });
  const { code } = await issueEnrollmentCode(storage, 'tech-1', new Date());
  const server = await startServerProcess({ storage: { sqlitePath }, random: seededRandom(1) });
  cleanups.push(() => server.close());

  const enrolled = await fetch(server.url + API.enroll, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  const { token } = (await enrolled.json()) as { token: string };
  const body = JSON.stringify({ forms: [await submittedForm({ technicianId: 'tech-1' })] });
  const send = () => fetch(server.url + API.forms, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });

  const killed = server.killDuringNextBatch(60_000);
  // the answer may or may not have left before the kill
  const first = send().then((r) => r.status, () => 'no answer');
  expect(await killed).toBe('mid-batch');
  await first;
  expect(server.kills()).toBe(1);
  await expect(send()).rejects.toThrow();
  await expect(server.killDuringNextBatch(1_000)).rejects.toThrow('the server is not running');

  await server.restart();
  await expect(server.restart()).rejects.toThrow('the server is still running: kill it first');
  const again = await send();
  expect(again.status).toBe(200);
  const { results } = (await again.json()) as { results: Array<{ status: string }> };
  expect(['accepted', 'duplicate']).toContain(results[0]!.status);
  expect((await readLandedForms({ sqlitePath })).forms).toHaveLength(1);
  expect(server.tally().batches).toBe(2);
  expect(server.unexpectedExits()).toEqual([]);
}, 60_000);

it('a server that cannot open its database fails to start with its own error', async () => {
  await expect(startServerProcess({ storage: { sqlitePath: '/dev/null/onsite.sqlite' }, random: seededRandom(1) }))
    .rejects.toThrow(/exited \(code 1, signal null\) before it listened:[\s\S]*mkdir '\/dev\/null'/);
}, 60_000);
