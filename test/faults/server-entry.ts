// The server as the fault run starts it in a child process (server-process.ts), so that it can be
// killed with SIGKILL in the middle of a batch. API only, on 127.0.0.1; the storage from the
// environment: FAULT_DATABASE_URL (PostgreSQL) or FAULT_SQLITE_PATH, and FAULT_PORT (0 picks one).
// It tells its parent on stdout (a pipe, written synchronously on Linux, so a line is out before the
// next statement runs): `ready <port>` once listening, `store-begin <n>` as a batch starts landing,
// `store-end <accepted> <duplicate> <conflict>` once it has committed.
import { join } from 'node:path';
import { loadChecklists } from '../../src/server/checklists';
import { REPO_ROOT } from '../../src/server/config';
import { createServer } from '../../src/server/server';
import { openStorage } from '../../src/server/storage/open';
import type { Storage } from '../../src/server/storage/storage';

const port = Number(process.env.FAULT_PORT ?? '0');
const databaseUrl = process.env.FAULT_DATABASE_URL;
const sqlitePath = process.env.FAULT_SQLITE_PATH;
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`FAULT_PORT must be a port number, got "${process.env.FAULT_PORT}"`);
if (!databaseUrl && !sqlitePath) throw new Error('set FAULT_DATABASE_URL (PostgreSQL) or FAULT_SQLITE_PATH (SQLite)');

const say = (line: string) => process.stdout.write(`${line}\n`);
const storage = await openStorage({ databaseUrl, sqlitePath: sqlitePath ?? '' });
const reporting: Storage = {
  ...storage,
  async storeForms(forms) {
    say(`store-begin ${forms.length}`);
    const outcomes = await storage.storeForms(forms);
    const count = (status: string) => outcomes.filter((o) => o.status === status).length;
    say(`store-end ${count('accepted')} ${count('duplicate')} ${count('conflict')}`);
    return outcomes;
  },
};
const server = await createServer({
  storage: reporting, checklists: loadChecklists(join(REPO_ROOT, 'checklists')), port, host: '127.0.0.1', distDir: null, log: () => undefined,
});
say(`ready ${server.port}`);
// the parent holds our stdin open: when it goes (even killed), so do we, and no server is left behind
process.stdin.resume();
process.stdin.once('end', () => process.exit(0));
