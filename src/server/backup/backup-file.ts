// What a file handed to backup or restore is, read from its first bytes, and the file-system steps
// both share: a temporary name beside the destination, fsync, and an atomic rename into place.
import { accessSync, closeSync, constants, fsyncSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { BackupError, fileProblem } from './backup-error';

/** The tables every Onsite database has, whatever its schema version. */
export const ONSITE_TABLES = ['schema_migrations', 'admin', 'technicians', 'enrollment_codes', 'visits', 'forms', 'form_conflicts'] as const;
/** Every table some schema version of Onsite makes (a test holds this against a freshly migrated database). */
export const KNOWN_TABLES: readonly string[] = [...ONSITE_TABLES, 'users', 'sessions', 'rate_limits', 'audit_log', 'dispute_events', 'form_day_counts', 'parts', 'device_keys', 'form_date_counts', 'form_month_counts', 'form_week_on_site', 'form_month_on_site'];
/** Tables whose rows make a database "in use": a restore does not replace them without --force. */
export const CONTENT_TABLES = ['technicians', 'visits', 'forms', 'form_conflicts', 'users', 'audit_log', 'dispute_events'] as const;

export type BackupKind = 'sqlite' | 'pg-dump';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');
const PG_DUMP_MAGIC = Buffer.from('PGDMP', 'latin1');

/** Which kind of backup the file is; refuses a missing, empty or foreign file, naming it. */
export function backupKindOf(path: string): BackupKind {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new BackupError(`${path} is a folder, not a backup file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw fileProblem(error, path, 'read the backup');
  }
  if (size === 0) throw new BackupError(`${path} is empty: it is not a backup (was the copy cut short?)`);
  const head = Buffer.alloc(SQLITE_MAGIC.length);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw fileProblem(error, path, 'read the backup');
  }
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.equals(SQLITE_MAGIC)) return 'sqlite';
  if (head.subarray(0, PG_DUMP_MAGIC.length).equals(PG_DUMP_MAGIC)) return 'pg-dump';
  throw new BackupError(`${path} is not an Onsite backup: it is neither an SQLite database (npm run backup without DATABASE_URL) nor a PostgreSQL dump (pg_dump -Fc)`);
}

/** The file and what SQLite may have left beside it. */
export function removeWithCompanions(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
}

export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename in `path`'s folder durable. */
export function fsyncFolderOf(path: string): void {
  try {
    fsyncFile(dirname(path));
  } catch {
    // some file systems cannot fsync a folder; the rename itself is still atomic
  }
}

/** Refuses to go on when a file is already at `path` (unless replacing it was asked for). */
export function refuseExisting(path: string, force: boolean): void {
  if (force) return;
  try {
    statSync(path);
  } catch {
    return;
  }
  throw new BackupError(`${path} already exists: choose a new file name, or pass --force to replace it`);
}

/** Refuses early when the folder a file is to be written in cannot be written. */
export function requireWritableFolder(path: string): void {
  const folder = dirname(path);
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw fileProblem(error, folder, 'write in the folder');
  }
}
