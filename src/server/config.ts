// Where things are and which port to use, from the environment: PORT, HOST, DATABASE_URL, SQLITE_PATH,
// CHECKLISTS_DIR (the published checklists; checklists/ of the repository by default).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerConfig {
  port: number;
  host: string;
  /** PostgreSQL when set */
  databaseUrl: string | undefined;
  sqlitePath: string;
  distDir: string;
  checklistsDir: string;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (0–65535), not "${env.PORT}"`);
  return {
    port,
    // this machine only unless told otherwise: phones reach it through a TLS proxy or HOST=0.0.0.0
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    sqlitePath: env.SQLITE_PATH || join(REPO_ROOT, 'data', 'onsite.sqlite'),
    distDir: join(REPO_ROOT, 'dist'),
    checklistsDir: env.CHECKLISTS_DIR || join(REPO_ROOT, 'checklists'),
  };
}
