// SQLite backup and restore. The backup is SQLite's online backup of the live database (the server may
// keep writing: a WAL reader sees one committed state), into a temporary file beside FILE that is
// checked — integrity, schema, every form's seal — before it is renamed into place. A restore copies
// the backup beside the server's database, checks the copy the same way (and brings an older schema
// up to date), and renames it into place only while no server has the database open.
import { constants, copyFileSync, existsSync, mkdirSync, realpathSync, renameSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS } from '../storage/migrations';
import { openSqliteStorage } from '../storage/sqlite';
import { BackupError, fileProblem } from './backup-error';
import {
  backupKindOf, CONTENT_TABLES, fsyncFile, fsyncFolderOf, KNOWN_TABLES, ONSITE_TABLES, refuseExisting, removeWithCompanions, requireWritableFolder,
} from './backup-file';
import { checkStoredForms, requireSoundForms, storageFormRows, type BackupContents } from './form-check';

const LATEST_SCHEMA = Math.max(...SQLITE_MIGRATIONS.map((m) => m.version));
/** every page in one step: one read transaction, so writes arriving meanwhile cannot restart the copy */
const ALL_PAGES = 0x7fffffff;

export interface SqliteBackupResult {
  file: string;
  bytes: number;
  contents: BackupContents;
}

export async function backupSqlite(options: { databasePath: string; file: string; force?: boolean }): Promise<SqliteBackupResult> {
  const file = resolve(options.file);
  const databasePath = resolve(options.databasePath);
  if (!existsSync(databasePath)) throw new BackupError(`there is no database at ${databasePath}: nothing to back up (is SQLITE_PATH set as for the server?)`);
  if (existsSync(file) && realpathSync(file) === realpathSync(databasePath)) throw new BackupError(`${file} is the server's database itself: write the backup to another file`);
  refuseExisting(file, options.force ?? false);
  requireWritableFolder(file);

  const temporary = `${file}.partial-${process.pid}`;
  removeWithCompanions(temporary);
  try {
    const source = openSqlite(databasePath, 'the server\'s database');
    try {
      await source.backup(temporary, { progress: () => ALL_PAGES });
    } catch (error) {
      throw sqliteProblem(error, databasePath, 'back up');
    } finally {
      source.close();
    }
    const contents = await inspectSqliteCopy(temporary, file);
    settleSingleFile(temporary);
    renameSync(temporary, file);
    fsyncFolderOf(file);
    return { file, bytes: statSync(file).size, contents };
  } catch (error) {
    removeWithCompanions(temporary);
    if (error instanceof BackupError) throw error;
    throw fileProblem(error, file, 'write the backup');
  }
}

export interface SqliteRestoreResult {
  databasePath: string;
  contents: BackupContents;
  /** where the database that was there before now is, if there was one */
  keptAs: string | null;
}

export async function restoreSqlite(options: { databasePath: string; file: string; force?: boolean; now?: () => Date }): Promise<SqliteRestoreResult> {
  const file = resolve(options.file);
  const databasePath = resolve(options.databasePath);
  requireKind(file);
  try {
    mkdirSync(dirname(databasePath), { recursive: true });
  } catch (error) {
    throw fileProblem(error, dirname(databasePath), 'make the folder');
  }
  requireWritableFolder(databasePath);

  const temporary = `${databasePath}.restoring-${process.pid}`;
  removeWithCompanions(temporary);
  try {
    copyBackup(file, temporary);
    const contents = await inspectSqliteCopy(temporary, file);
    settleSingleFile(temporary);
    const keptAs = existsSync(databasePath) ? setAsideCurrent(databasePath, options.force ?? false, (options.now ?? (() => new Date()))()) : null;
    renameSync(temporary, databasePath);
    fsyncFolderOf(databasePath);
    return { databasePath, contents, keptAs };
  } catch (error) {
    removeWithCompanions(temporary);
    if (error instanceof BackupError) throw error;
    throw fileProblem(error, databasePath, 'restore into');
  }
}

function requireKind(file: string): void {
  const kind = backupKindOf(file);
  if (kind === 'pg-dump') throw new BackupError(`${file} is a PostgreSQL dump: restore it with DATABASE_URL set to the database to fill`);
}

function copyBackup(from: string, to: string): void {
  try {
    copyFileSync(from, to, constants.COPYFILE_EXCL);
  } catch (error) {
    throw fileProblem(error, from, 'copy the backup');
  }
}

function openSqlite(path: string, what: string): Database.Database {
  try {
    const db = new Database(path, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (error) {
    throw sqliteProblem(error, path, `open ${what}`);
  }
}

/** SQLite's refusals in words; other errors pass through. */
function sqliteProblem(error: unknown, path: string, doing: string): Error {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_NOTADB') return new BackupError(`cannot ${doing} ${path}: it is not an SQLite database`);
  if (code === 'SQLITE_CORRUPT') return new BackupError(`cannot ${doing} ${path}: it is damaged or cut short (SQLite says: ${(error as Error).message}); use another backup`);
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') return new BackupError(`cannot ${doing} ${path}: ${(error as Error).message} (check the folder exists and who may write in it)`);
  if (code === 'SQLITE_BUSY') return new BackupError(`cannot ${doing} ${path}: another program holds it locked; try again in a moment`);
  if (code === 'SQLITE_FULL') return new BackupError(`cannot ${doing} ${path}: the disk is full`);
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Checks an SQLite file that is ours to change (a copy): SQLite's integrity check, the Onsite tables and
 * schema version, then opened by the storage adapter (which brings an older schema up to date) with
 * every form's seal recomputed. `named` is the file the user knows it as.
 */
async function inspectSqliteCopy(path: string, named: string): Promise<BackupContents> {
  const db = openSqlite(path, 'the backup');
  let counts: { visits: number; technicians: number };
  try {
    let problems: string[];
    try {
      problems = (db.pragma('integrity_check(20)') as { integrity_check: string }[]).map((r) => r.integrity_check);
    } catch (error) {
      throw sqliteProblem(error, named, 'check');
    }
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new BackupError(`${named} is damaged (SQLite's integrity check: ${problems.slice(0, 3).join('; ')}); it cannot be restored — use another backup`);
    }
    const tables = new Set((db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    const missing = ONSITE_TABLES.filter((t) => !tables.has(t));
    if (missing.length > 0) {
      const has = [...tables].slice(0, 8).join(', ') || 'no tables at all';
      throw new BackupError(`${named} is not an Onsite backup: it has no ${missing.join(', ')} table(s) (it has ${has})`);
    }
    const schema = Number((db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0);
    if (schema > LATEST_SCHEMA) {
      throw new BackupError(`${named} was made by a newer Onsite (database schema ${schema}; this one knows up to ${LATEST_SCHEMA}): update Onsite before restoring it`);
    }
    const count = (table: string) => Number((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
    counts = { visits: count('visits'), technicians: count('technicians') };
  } finally {
    db.close();
  }

  const storage = openSqliteStorage({ path });
  try {
    const forms = await checkStoredForms(storageFormRows(storage));
    requireSoundForms(forms, named);
    return { forms: forms.count, newestReceivedAt: forms.newestReceivedAt, ...counts };
  } catch (error) {
    throw sqliteProblem(error, named, 'read the forms of');
  } finally {
    await storage.close();
  }
}

/** One self-contained file: the write-ahead log folded in and switched off (the server turns it back on). */
function settleSingleFile(path: string): void {
  const db = openSqlite(path, 'the backup');
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
  fsyncFile(path);
}

/**
 * Moves the current database aside, under a name saying when, so that a restore never destroys one.
 * Refuses one that holds anything (unless forced) and one a server has open.
 */
function setAsideCurrent(databasePath: string, force: boolean, now: Date): string {
  let db: Database.Database | null = null;
  try {
    db = new Database(databasePath, { fileMustExist: true });
    db.pragma('busy_timeout = 200');
    db.pragma('locking_mode = EXCLUSIVE');
    try {
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_BUSY') {
        throw new BackupError(`${databasePath} is in use (a server is running on it?): stop the server, then restore`);
      }
      throw error;
    }
    const held = describeHeld(db);
    db.exec('ROLLBACK');
    if (held && !force) {
      throw new BackupError(`${databasePath} already holds ${held}: restore into a fresh database (another SQLITE_PATH), or pass --force to replace it (it is kept beside, renamed)`);
    }
    // fold its log in and remove it, so nothing of it is left beside the restored file
    db.pragma('journal_mode = DELETE');
  } catch (error) {
    if (error instanceof BackupError) throw error;
    const code = (error as { code?: unknown }).code;
    if ((code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') && !force) {
      throw new BackupError(`${databasePath} is a file that is not a sound Onsite database: move it away, or pass --force to replace it (it is kept beside, renamed)`);
    }
    if (code !== 'SQLITE_NOTADB' && code !== 'SQLITE_CORRUPT') throw error;
  } finally {
    db?.close();
  }
  const keptAs = `${databasePath}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(databasePath + suffix)) renameSync(databasePath + suffix, keptAs + suffix);
  }
  return keptAs;
}

/** What a database holds that a restore would replace, in words; null when it holds nothing. */
function describeHeld(db: Database.Database): string | null {
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
  const foreign = tables.filter((t) => !KNOWN_TABLES.includes(t) && !t.startsWith('sqlite_'));
  if (foreign.length > 0) return `tables of another application (${foreign.slice(0, 5).join(', ')})`;
  const counts = CONTENT_TABLES.filter((t) => tables.includes(t))
    .map((t) => [t, Number((db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n)] as const)
    .filter(([, n]) => n > 0);
  return counts.length === 0 ? null : counts.map(([t, n]) => `${n} ${t.replace('_', ' ')}`).join(', ');
}
