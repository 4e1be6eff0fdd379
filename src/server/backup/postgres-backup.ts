// PostgreSQL backup and restore with PostgreSQL's own tools. The backup holds one transaction open,
// exports its snapshot and has pg_dump -Fc dump exactly that snapshot, while the counts and every
// form's seal are checked in the same snapshot; the dump itself is then read back whole by pg_restore
// and must name the Onsite tables. A restore checks the dump the same way, refuses a database that
// holds anything (unless forced), and runs pg_restore in one transaction.
import { renameSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { openPostgresStorage } from '../storage/postgres';
import { BackupError, fileProblem } from './backup-error';
import {
  backupKindOf, CONTENT_TABLES, fsyncFile, fsyncFolderOf, KNOWN_TABLES, ONSITE_TABLES, refuseExisting, removeWithCompanions, requireWritableFolder,
} from './backup-file';
import { checkStoredForms, requireSoundForms, storageFormRows, type BackupContents, type StoredFormRow } from './form-check';
import { runPgTool, toolConnection } from './pg-tools';

const PAGE = 500;

export interface PostgresBackupResult {
  file: string;
  bytes: number;
  contents: BackupContents;
}

export async function backupPostgres(options: { databaseUrl: string; file: string; force?: boolean }): Promise<PostgresBackupResult> {
  const file = resolve(options.file);
  refuseExisting(file, options.force ?? false);
  requireWritableFolder(file);
  const temporary = `${file}.partial-${process.pid}`;
  removeWithCompanions(temporary);
  const { dbname, env } = toolConnection(options.databaseUrl);
  try {
    const contents = await withClient(options.databaseUrl, async (client) => {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const snapshot = String((await client.query('SELECT pg_export_snapshot() AS s')).rows[0].s);
      const tables = await tablesOf(client);
      const missing = ONSITE_TABLES.filter((t) => !tables.includes(t));
      if (missing.length > 0) throw new BackupError(`the database at DATABASE_URL is not an Onsite database: it has no ${missing.join(', ')} table(s)`);
      // the dump and the checks below see the same committed state, whatever arrives meanwhile
      await runPgTool('pg_dump', ['--format=custom', `--snapshot=${snapshot}`, `--file=${temporary}`, `--dbname=${dbname}`], env);
      const forms = await checkStoredForms(formRows(client));
      requireSoundForms(forms, 'the database');
      const counts = await countRows(client);
      await client.query('COMMIT');
      return { forms: forms.count, newestReceivedAt: forms.newestReceivedAt, ...counts };
    });
    await checkDump(temporary, file);
    fsyncFile(temporary);
    renameSync(temporary, file);
    fsyncFolderOf(file);
    return { file, bytes: statSync(file).size, contents };
  } catch (error) {
    removeWithCompanions(temporary);
    if (error instanceof BackupError) throw error;
    throw fileProblem(error, file, 'write the backup');
  }
}

/** Refuses a file that is not a complete pg_dump archive of an Onsite database. */
export async function checkDump(path: string, named: string): Promise<void> {
  const kind = backupKindOf(path);
  if (kind === 'sqlite') throw new BackupError(`${named} is an SQLite backup: restore it without DATABASE_URL (into SQLITE_PATH, by default data/onsite.sqlite)`);
  let list: string;
  try {
    list = await runPgTool('pg_restore', ['--list', path]);
  } catch (error) {
    throw new BackupError(`${named} is not a readable PostgreSQL dump: ${(error as Error).message}`);
  }
  const tables = new Set([...list.matchAll(/^\d+; \d+ \d+ TABLE (?!DATA )\S+ (\S+) /gm)].map((m) => m[1]!));
  const missing = ONSITE_TABLES.filter((t) => !tables.has(t));
  if (missing.length > 0) {
    const has = [...tables].slice(0, 8).join(', ') || 'no tables at all';
    throw new BackupError(`${named} is not an Onsite backup: the dump has no ${missing.join(', ')} table(s) (it has ${has})`);
  }
  try {
    // reads every byte of the archive: a dump cut short fails here, before anything is restored
    await runPgTool('pg_restore', ['--file=/dev/null', path]);
  } catch (error) {
    throw new BackupError(`${named} is damaged or cut short: ${(error as Error).message}`);
  }
}

export interface PostgresRestoreResult {
  contents: BackupContents;
}

export async function restorePostgres(options: { databaseUrl: string; file: string; force?: boolean }): Promise<PostgresRestoreResult> {
  const file = resolve(options.file);
  await checkDump(file, file);
  const held = await withClient(options.databaseUrl, describeHeld);
  if (held && !options.force) {
    throw new BackupError(`the database at DATABASE_URL already holds ${held}: restore into a fresh, empty database (createdb), or pass --force to replace what the backup holds`);
  }
  const { dbname, env } = toolConnection(options.databaseUrl);
  // one transaction: a restore that fails part-way leaves the database as it was
  await runPgTool('pg_restore', ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', '--clean', '--if-exists', `--dbname=${dbname}`, file], env);

  // opened as the server opens it: a dump of an older schema is brought up to date here
  const storage = await openPostgresStorage({ connectionString: options.databaseUrl, max: 2 });
  try {
    const forms = await checkStoredForms(storageFormRows(storage));
    requireSoundForms(forms, `the database restored from ${file}`);
    const counts = await withClient(options.databaseUrl, countRows);
    return { contents: { forms: forms.count, newestReceivedAt: forms.newestReceivedAt, ...counts } };
  } finally {
    await storage.close();
  }
}

async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new BackupError(`cannot connect to the database at DATABASE_URL: ${(error as Error).message}`);
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function tablesOf(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
  return rows.map((r: { table_name: string }) => r.table_name);
}

async function countRows(client: pg.Client): Promise<{ visits: number; technicians: number }> {
  const { rows } = await client.query('SELECT (SELECT count(*) FROM visits) AS visits, (SELECT count(*) FROM technicians) AS technicians');
  return { visits: Number(rows[0].visits), technicians: Number(rows[0].technicians) };
}

/** The forms in the client's transaction, a page at a time in id order. */
async function* formRows(client: pg.Client): AsyncIterable<StoredFormRow> {
  let after = '';
  for (;;) {
    const { rows } = await client.query('SELECT id, form_json, signature_png, received_at FROM forms WHERE id > $1 ORDER BY id LIMIT $2', [after, PAGE]);
    for (const row of rows as { id: string; form_json: string; signature_png: Buffer; received_at: Date }[]) {
      yield { id: row.id, formJson: row.form_json, signature: row.signature_png, receivedAt: row.received_at.toISOString() };
    }
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1].id;
  }
}

/** What a database holds that a restore would replace, in words; null when it holds nothing. */
async function describeHeld(client: pg.Client): Promise<string | null> {
  const tables = await tablesOf(client);
  const foreign = tables.filter((t) => !KNOWN_TABLES.includes(t));
  if (foreign.length > 0) return `tables of another application (${foreign.slice(0, 5).join(', ')})`;
  const counts: string[] = [];
  for (const table of CONTENT_TABLES.filter((t) => tables.includes(t))) {
    const n = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    if (n > 0) counts.push(`${n} ${table.replace('_', ' ')}`);
  }
  return counts.length === 0 ? null : counts.join(', ');
}
