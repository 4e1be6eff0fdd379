// A real server in a process of its own, for memory-bound.test.ts to measure from outside (/proc/<pid>/status):
// SQLite in a temporary directory, loopback only, three technicians enrolled (one then revoked), an admin
// user signed in. It prints one line `READY {url, tokens, adminHeaders}` and stops on SIGTERM. Started with
// --expose-gc and an IPC channel: the message 'gc' collects all garbage and is answered 'gc' once done, so
// the test measures from a settled heap.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureAdminToken } from '../../src/server/auth/admin-token';
import { issueEnrollmentCode, redeemEnrollmentCode } from '../../src/server/auth/enrollment';
import { createServer } from '../../src/server/server';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import { ensureUser, registry, signInWith } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'onsite-memory-'));
const storage = openSqliteStorage({ path: join(dir, 'onsite.sqlite') });
const now = new Date('2026-03-10T08:00:00.000Z');
const admin = (await ensureAdminToken(storage, now))!;
const enroll = async (id: string) => {
  await storage.createTechnician({ id, name: id, phone: '', createdAt: now.toISOString() });
  return (await redeemEnrollmentCode(storage, (await issueEnrollmentCode(storage, id, now)).code, now)).token;
};
const tokens = { admin, technician: await enroll('tech-1'), 'other-technician': await enroll('tech-2'), revoked: await enroll('tech-3'), none: null };
await storage.revokeTechnician('tech-3', now.toISOString());

const server = await createServer({ storage, checklists: registry, distDir: null, port: 0, host: '127.0.0.1', log: () => {}, clock: () => now });
const session = await signInWith((path, init) => fetch(server.url + path, init), (await ensureUser(storage, 'admin')).name);
console.log(`READY ${JSON.stringify({ url: server.url, tokens, adminHeaders: session.headers('POST') })}`);

process.on('message', (message) => {
  if (message !== 'gc') return;
  // twice: the first pass lets finalizers free external memory (Buffers) that the second then returns
  globalThis.gc!();
  globalThis.gc!();
  process.send!('gc');
});

process.once('SIGTERM', () => {
  void server.close(1000).then(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
