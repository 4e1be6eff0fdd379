import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import { describeBackupUnderLoad, type BackupTarget } from './backup-load-suite';

let dir: string;
let files = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'onsite-backup-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sqlite = (): BackupTarget => ({
  async fresh() {
    const path = join(dir, `onsite-${++files}.sqlite`);
    return { env: { SQLITE_PATH: path, DATABASE_URL: '' }, open: async () => openSqliteStorage({ path }) };
  },
  backupFile: () => join(dir, `backup-${++files}.sqlite`),
});

describeBackupUnderLoad('SQLite', sqlite);
