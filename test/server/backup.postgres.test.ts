import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupError } from '../../src/server/backup/backup-error';
import { backupPostgres, restorePostgres } from '../../src/server/backup/postgres-backup';
import { installHint, runPgTool, toolConnection } from '../../src/server/backup/pg-tools';
import { backupSqlite } from '../../src/server/backup/sqlite-backup';
import { ingestBatch } from '../../src/server/ingest';
import { openPostgresStorage } from '../../src/server/storage/postgres';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import { describeBackupUnderLoad, type BackupTarget } from './backup-load-suite';
import { makeForm, registry } from './helpers';
import { pgBinDir, startPgCluster, type PgCluster } from './pg-cluster';

let cluster: PgCluster;
let dir: string;
let files = 0;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'onsite-backup-pg-'));
  cluster = await startPgCluster();
});
afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** the CLI runs the pg_dump and pg_restore of the cluster's own version */
const originalPath = process.env.PATH ?? '';
const toolsPath = () => `${pgBinDir(originalPath)}${delimiter}${originalPath}`;

const postgres = (): BackupTarget => ({
  async fresh() {
    const url = await cluster.createDatabase();
    return { env: { DATABASE_URL: url, PATH: toolsPath() }, open: () => openPostgresStorage({ connectionString: url, max: 4 }) };
  },
  backupFile: () => join(dir, `backup-${++files}.dump`),
});

describeBackupUnderLoad('PostgreSQL', postgres);

describe('PostgreSQL backup and restore refuse, naming what is wrong', { timeout: 120_000 }, () => {
  let onsiteUrl: string;
  let dump: string;
  const at = (name: string) => join(dir, name);
  const refusal = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a refusal'); }, (error: unknown) => {
    expect(error).toBeInstanceOf(BackupError);
    return (error as Error).message;
  });
  const query = async (url: string, sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    process.env.PATH = toolsPath();
    onsiteUrl = await cluster.createDatabase();
    const storage = await openPostgresStorage({ connectionString: onsiteUrl, max: 2 });
    try {
      await storage.createTechnician({ id: 'tech-1', name: '张师傅', phone: '', createdAt: '2026-03-10T00:00:00.000Z' });
      await ingestBatch({ storage, checklists: registry, now: () => new Date('2026-03-10T08:00:00.000Z') }, [await makeForm()], { kind: 'import' });
    } finally {
      await storage.close();
    }
    dump = at('onsite.dump');
    expect((await backupPostgres({ databaseUrl: onsiteUrl, file: dump })).contents)
      .toEqual({ forms: 1, visits: 0, technicians: 1, newestReceivedAt: '2026-03-10T08:00:00.000Z' });
  });
  afterAll(() => {
    process.env.PATH = originalPath;
  });

  it('a backup of a database that is not Onsite\'s, and with no pg_dump on the PATH, saying how to install it', async () => {
    const empty = await cluster.createDatabase();
    expect(await refusal(backupPostgres({ databaseUrl: empty, file: at('empty.dump') })))
      .toBe('the database at DATABASE_URL is not an Onsite database: it has no schema_migrations, admin, technicians, enrollment_codes, visits, forms, form_conflicts table(s)');
    const noTools = mkdtempSync(join(dir, 'bin-'));
    process.env.PATH = noTools;
    try {
      expect(await refusal(backupPostgres({ databaseUrl: onsiteUrl, file: at('no-tools.dump') }))).toBe(installHint('pg_dump'));
    } finally {
      process.env.PATH = toolsPath();
    }
    expect(readdirSync(dir).filter((f) => f.startsWith('empty.dump') || f.startsWith('no-tools.dump'))).toEqual([]);
  });

  it("a dump of another application's database, a dump cut short, an SQLite backup, a file that is no backup", async () => {
    const other = await cluster.createDatabase();
    await query(other, "CREATE TABLE notes (id serial PRIMARY KEY, text text); INSERT INTO notes (text) VALUES ('hello')");
    const { dbname } = toolConnection(other);
    await runPgTool('pg_dump', ['--format=custom', `--file=${at('other.dump')}`, `--dbname=${dbname}`]);
    const target = await cluster.createDatabase();
    expect(await refusal(restorePostgres({ databaseUrl: target, file: at('other.dump') })))
      .toBe(`${at('other.dump')} is not an Onsite backup: the dump has no schema_migrations, admin, technicians, enrollment_codes, visits, forms, form_conflicts table(s) (it has notes)`);

    const full = readFileSync(dump);
    writeFileSync(at('cut.dump'), full.subarray(0, full.length - 200));
    expect(await refusal(restorePostgres({ databaseUrl: target, file: at('cut.dump') })))
      .toBe(`${at('cut.dump')} is damaged or cut short: pg_restore failed:\n  pg_restore: error: could not read from input file: end of file`);

    const sqliteBackup = at('onsite.sqlite');
    const sqlite = openSqliteStorage({ path: at('source.sqlite') });
    await sqlite.close();
    await backupSqlite({ databasePath: at('source.sqlite'), file: sqliteBackup });
    expect(await refusal(restorePostgres({ databaseUrl: target, file: sqliteBackup })))
      .toBe(`${sqliteBackup} is an SQLite backup: restore it without DATABASE_URL (into SQLITE_PATH, by default data/onsite.sqlite)`);
    writeFileSync(at('notes.txt'), 'hello');
    expect(await refusal(restorePostgres({ databaseUrl: target, file: at('notes.txt') }))).toMatch(/notes\.txt is not an Onsite backup: it is neither/);
    expect(await query(target, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).toEqual([]);
  });

  it('to fill a database that holds anything, unless --force', async () => {
    const busy = await cluster.createDatabase();
    const storage = await openPostgresStorage({ connectionString: busy, max: 2 });
    await storage.createTechnician({ id: 'tech-9', name: '李师傅', phone: '', createdAt: '2026-03-10T00:00:00.000Z' });
    await storage.close();
    expect(await refusal(restorePostgres({ databaseUrl: busy, file: dump })))
      .toBe('the database at DATABASE_URL already holds 1 technicians: restore into a fresh, empty database (createdb), or pass --force to replace what the backup holds');
    expect(await query(busy, 'SELECT id FROM technicians')).toEqual([{ id: 'tech-9' }]);
    const foreign = await cluster.createDatabase();
    await query(foreign, 'CREATE TABLE notes (id int)');
    expect(await refusal(restorePostgres({ databaseUrl: foreign, file: dump }))).toMatch(/already holds tables of another application \(notes\)/);

    // a database a server has started on (its tables made, an admin token set) holds nothing yet
    const started = await cluster.createDatabase();
    const server = await openPostgresStorage({ connectionString: started, max: 2 });
    await server.setAdminTokenHash('f'.repeat(64), '2026-03-10T00:00:00.000Z');
    await server.close();
    expect((await restorePostgres({ databaseUrl: started, file: dump })).contents.forms).toBe(1);

    const done = await restorePostgres({ databaseUrl: busy, file: dump, force: true });
    expect(done.contents).toEqual({ forms: 1, visits: 0, technicians: 1, newestReceivedAt: '2026-03-10T08:00:00.000Z' });
    expect(await query(busy, 'SELECT id FROM technicians')).toEqual([{ id: 'tech-1' }]);
  });

  it('to write where it may not, and never passes the password on the command line', async () => {
    expect(await refusal(backupPostgres({ databaseUrl: onsiteUrl, file: at('no/such/folder/b.dump') })))
      .toBe(`cannot write in the folder ${at('no/such/folder')}: no such file or folder`);
    expect(toolConnection('postgresql://clerk:s%3Acret@db:5432/onsite')).toEqual({ dbname: 'postgresql://clerk@db:5432/onsite', env: { PGPASSWORD: 's:cret' } });
    expect(toolConnection('host=db dbname=onsite')).toEqual({ dbname: 'host=db dbname=onsite', env: {} });
  });
});
