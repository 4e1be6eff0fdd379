// npm run user:create: its arguments, and a real run that reads the password from stdin.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/server/auth/passwords';
import { createUserFromCli, parseUserCreateArgs } from '../../src/server/auth/user-cli';
import { REPO_ROOT } from '../../src/server/config';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import { sqliteFactory, TEST_SCRYPT } from './helpers';

describe('user:create arguments', () => {
  it('reads --name, --role and --display-name, and says what is wrong otherwise', () => {
    expect(parseUserCreateArgs(['--', '--name', 'boss', '--role', 'admin'])).toEqual({ name: 'boss', role: 'admin', displayName: 'boss' });
    expect(parseUserCreateArgs(['--name', 'li', '--role', 'viewer', '--display-name', '李四'])).toEqual({ name: 'li', role: 'viewer', displayName: '李四' });
    expect(parseUserCreateArgs(['--role', 'admin'])).toEqual({ error: '--name is required' });
    expect(parseUserCreateArgs(['--name', 'boss'])).toEqual({ error: '--role is required' });
    expect(parseUserCreateArgs(['--name', '--role', 'admin'])).toEqual({ error: '--name needs a value' });
    expect(parseUserCreateArgs(['--name', 'boss', '--rol', 'admin'])).toEqual({ error: 'unknown argument "--rol"' });
  });

  it('refuses a bad role, a short password and a taken name, naming the field', async () => {
    const storage = await sqliteFactory()();
    const now = new Date('2026-03-10T08:00:00.000Z');
    await expect(createUserFromCli(storage, { name: 'boss', role: 'root', displayName: 'x' }, 'long enough pass', now, TEST_SCRYPT)).rejects.toThrow(/^role: /);
    await expect(createUserFromCli(storage, { name: 'boss', role: 'admin', displayName: 'x' }, 'short', now, TEST_SCRYPT)).rejects.toThrow(/^password: expected at least 10/);
    await createUserFromCli(storage, { name: 'boss', role: 'admin', displayName: 'x' }, 'long enough pass', now, TEST_SCRYPT);
    await expect(createUserFromCli(storage, { name: 'BOSS', role: 'admin', displayName: 'x' }, 'long enough pass', now, TEST_SCRYPT)).rejects.toThrow(/already exists/);
    const audit = await storage.listAudit({}, { before: null, limit: 5 });
    expect(audit.entries.map((e) => [e.action, e.userName, e.target])).toEqual([['user.created', '(command line)', 'boss']]);
    await storage.close();
  });
});

describe('npm run user:create', () => {
  it('makes the user in the configured database with the password from stdin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onsite-user-cli-'));
    const sqlitePath = join(dir, 'onsite.sqlite');
    try {
      const child = spawn(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [join(REPO_ROOT, 'src/server/cli/user-create.ts'), '--', '--name', 'Boss', '--role', 'admin'], {
        env: { ...process.env, SQLITE_PATH: sqlitePath, DATABASE_URL: '' },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stdin.end('a password from stdin\n');
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code, output).toBe(0);
      expect(output).toMatch(/Created admin "boss" \(U-[0-9a-f]{8}\)/);
      const storage = openSqliteStorage({ path: sqlitePath });
      const made = await storage.getUserCredentials('boss');
      await storage.close();
      expect(made?.user.role).toBe('admin');
      expect(made?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$32\$/);
      expect(await verifyPassword('a password from stdin', made!.passwordHash)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
