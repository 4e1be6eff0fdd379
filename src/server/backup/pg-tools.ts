// PostgreSQL's own programs, pg_dump and pg_restore, run with the connection from DATABASE_URL; the
// password travels in the environment, not on a command line others can read.
import { execFile } from 'node:child_process';
import { BackupError } from './backup-error';

export type PgTool = 'pg_dump' | 'pg_restore';

/** libpq arguments for a connection string: the string without its password, and the password aside. */
export function toolConnection(databaseUrl: string): { dbname: string; env: NodeJS.ProcessEnv } {
  try {
    const url = new URL(databaseUrl);
    if (!url.password) return { dbname: databaseUrl, env: {} };
    const password = decodeURIComponent(url.password);
    url.password = '';
    return { dbname: url.toString(), env: { PGPASSWORD: password } };
  } catch {
    // a keyword=value connection string: libpq reads it as it is
    return { dbname: databaseUrl, env: {} };
  }
}

export function installHint(tool: PgTool): string {
  return `${tool} was not found on the PATH: install PostgreSQL's client programs, of the server's major version or newer ` +
    '(Debian/Ubuntu: apt-get install postgresql-client; RHEL: dnf install postgresql; macOS: brew install libpq), ' +
    'or put the folder that holds them (e.g. /usr/lib/postgresql/15/bin) first on PATH';
}

/** Runs the tool; its standard output. A missing tool or a failure is a BackupError with the tool's own words. */
export function runPgTool(tool: PgTool, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(tool, args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new BackupError(installHint(tool)));
      const said = stderr.trim().split('\n').slice(-5).join('\n  ') || error.message;
      reject(new BackupError(`${tool} failed:\n  ${said}`));
    });
  });
}
