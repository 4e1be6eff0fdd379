// Picks the adapter: PostgreSQL when a connection string is given (DATABASE_URL), SQLite otherwise.
import { openPostgresStorage } from './postgres';
import { openSqliteStorage } from './sqlite';
import type { Storage } from './storage';

export interface StorageConfig {
  databaseUrl?: string | undefined;
  sqlitePath: string;
}

export async function openStorage(config: StorageConfig): Promise<Storage> {
  if (config.databaseUrl) return openPostgresStorage({ connectionString: config.databaseUrl });
  return openSqliteStorage({ path: config.sqlitePath });
}

/** Where the storage lives, for the start-up banner; never prints a password. */
export function describeStorage(config: StorageConfig): string {
  if (!config.databaseUrl) return `SQLite at ${config.sqlitePath}`;
  try {
    const url = new URL(config.databaseUrl);
    return `PostgreSQL at ${url.hostname || 'local socket'}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}
