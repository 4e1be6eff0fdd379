import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openPostgresStorage } from '../../src/server/storage/postgres';
import { describeBackupUnderLoad, type BackupTarget } from './backup-load-suite';
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
const toolsPath = () => `${pgBinDir()}${delimiter}${process.env.PATH ?? ''}`;

const postgres = (): BackupTarget => ({
  async fresh() {
    const url = await cluster.createDatabase();
    return { env: { DATABASE_URL: url, PATH: toolsPath() }, open: () => openPostgresStorage({ connectionString: url, max: 4 }) };
  },
  backupFile: () => join(dir, `backup-${++files}.dump`),
});

describeBackupUnderLoad('PostgreSQL', postgres);
