// npm run backup -- FILE [--force]
// A checked copy of the server's database, made while the server runs: SQLite's online backup, or
// pg_dump -Fc when DATABASE_URL is set. FILE is written only once the copy has checked out.
import { BackupError } from '../backup/backup-error';
import { describeContents } from '../backup/form-check';
import { backupPostgres } from '../backup/postgres-backup';
import { backupSqlite } from '../backup/sqlite-backup';
import { configFromEnv } from '../config';
import { describeStorage } from '../storage/open';
import { parseFileArguments } from './file-arguments';

const args = parseFileArguments(process.argv.slice(2), 'usage: npm run backup -- FILE [--force]   (--force replaces an existing FILE)');
if ('exit' in args) process.exit(args.exit);

const config = configFromEnv();
try {
  const done = config.databaseUrl
    ? await backupPostgres({ databaseUrl: config.databaseUrl, file: args.file, force: args.force })
    : await backupSqlite({ databasePath: config.sqlitePath, file: args.file, force: args.force });
  console.log([
    `Backup of ${describeStorage(config)} written to ${done.file} (${formatBytes(done.bytes)}${config.databaseUrl ? ', pg_dump custom format' : ', an SQLite database'}).`,
    `Checked: ${config.databaseUrl ? 'the dump reads back whole and has every Onsite table' : 'SQLite\'s integrity check passes'}; it holds`,
    ...describeContents(done.contents),
    `Bring it back with: ${config.databaseUrl ? 'DATABASE_URL=… ' : ''}npm run restore -- ${done.file}`,
  ].join('\n'));
} catch (error) {
  console.error(error instanceof BackupError ? `backup not made: ${error.message}` : `backup not made (unexpected error, please report it): ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
}

function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
