// A throwaway PostgreSQL cluster for the tests: initdb and pg_ctl on a temporary directory, a free
// local port, its unix socket in that directory. As root (CI containers), PostgreSQL refuses to run,
// so the cluster runs as the unprivileged user `nobody`. No mock: if PostgreSQL cannot start, the
// tests that need it fail with the reason.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const RUN_AS = 'nobody';

export interface PgCluster {
  /** a connection string to the cluster's `postgres` database */
  url: string;
  /** a fresh empty database; its connection string */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

function asRoot(): boolean {
  return process.getuid?.() === 0;
}

/** argv to run a PostgreSQL binary, as `nobody` when we are root */
function command(binary: string, args: string[]): [string, string[]] {
  return asRoot() ? ['runuser', ['-u', RUN_AS, '--', binary, ...args]] : [binary, args];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function explain(step: string, error: unknown, logFile?: string): Error {
  const stderr = (error as { stderr?: string }).stderr?.trim();
  let log = '';
  try {
    if (logFile) log = readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n');
  } catch {
    // no log written yet
  }
  return new Error(
    `PostgreSQL for the tests could not start (${step}). The PostgreSQL tests need initdb, pg_ctl and postgres on PATH` +
    `${asRoot() ? ` and runuser with the user "${RUN_AS}" (PostgreSQL refuses to run as root)` : ''}.\n` +
    `${error instanceof Error ? error.message : String(error)}${stderr ? `\n${stderr}` : ''}${log ? `\n--- server log ---\n${log}` : ''}`,
  );
}

export async function startPgCluster(): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'onsite-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  if (asRoot()) {
    try {
      chownSync(dir, Number(execFileSync('id', ['-u', RUN_AS], { encoding: 'utf8' }).trim()), Number(execFileSync('id', ['-g', RUN_AS], { encoding: 'utf8' }).trim()));
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw explain(`preparing ${dir} for the user "${RUN_AS}"`, error);
    }
  }
  try {
    await run(...command('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw explain('initdb', error);
  }

  let port = 0;
  // a port found free can be taken before postgres binds it: try a few
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    // durability settings off: a test cluster is thrown away, and this keeps the suite quick
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    try {
      await run(...command('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '120', 'start']));
      break;
    } catch (error) {
      if (attempt < 3) continue;
      rmSync(dir, { recursive: true, force: true });
      throw explain('pg_ctl start', error, logFile);
    }
  }

  const stopNow = () => {
    try {
      execFileSync(...command('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']), { stdio: 'ignore' });
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // a test run that dies must not leave a postgres behind
  process.once('exit', stopNow);

  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    url,
    async createDatabase() {
      const name = `t${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgresql://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      process.removeListener('exit', stopNow);
      stopNow();
    },
  };
}

/**
 * The folder of the PostgreSQL programs the tests' clusters run (initdb's, links resolved), which must
 * also hold pg_dump and pg_restore: tools of another version may not read that server's dumps.
 */
export function pgBinDir(path = process.env.PATH): string {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir || !existsSync(join(dir, 'initdb'))) continue;
    const bin = dirname(realpathSync(join(dir, 'initdb')));
    const missing = ['pg_dump', 'pg_restore'].filter((tool) => !existsSync(join(bin, tool)));
    if (missing.length > 0) throw new Error(`the PostgreSQL backup tests need ${missing.join(' and ')} beside initdb in ${bin}`);
    return bin;
  }
  throw new Error('the PostgreSQL tests need initdb on PATH');
}
