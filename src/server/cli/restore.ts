// npm run restore -- FILE [--force]
// Brings a backup made by `npm run backup` back into the server's database (SQLITE_PATH, or the
// DATABASE_URL database), after checking it. Refuses a database that already holds anything unless
// --force; on SQLite the one it replaces is kept beside it, renamed. Stop the server first.
import { BackupError } from '../backup/backup-error';
import { describeContents } from '../backup/form-check';
import { restorePostgres } from '../backup/postgres-backup';
import { restoreSqlite } from '../backup/sqlite-backup';
import { configFromEnv } from '../config';
import { describeStorage } from '../storage/open';
import { parseFileArguments } from './file-arguments';

const args = parseFileArguments(process.argv.slice(2), 'usage: npm run restore -- FILE [--force]   (--force replaces a database that already holds data)');
if ('exit' in args) process.exit(args.exit);

const config = configFromEnv();
try {
  const lines = [`Restored ${args.file} into ${describeStorage(config)}; it holds`];
  if (config.databaseUrl) {
    const done = await restorePostgres({ databaseUrl: config.databaseUrl, file: args.file, force: args.force });
    lines.push(...describeContents(done.contents));
  } else {
    const done = await restoreSqlite({ databasePath: config.sqlitePath, file: args.file, force: args.force });
    lines.push(...describeContents(done.contents));
    if (done.keptAs) lines.push(`The database that was there is kept as ${done.keptAs}`);
  }
  lines.push('Start the server with `npm start`. The admin token and the phones\' tokens are those of the backed-up database (`npm run admin:token` makes a new admin token).');
  console.log(lines.join('\n'));
} catch (error) {
  console.error(error instanceof BackupError ? `not restored: ${error.message}` : `not restored (unexpected error, please report it): ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
}
