// npm run backup / npm run restore from the command line: what they print, the exit codes people
// script against, and a clear line (never a stack) for what went wrong.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/server/config';
import { parseFileArguments } from '../../src/server/cli/file-arguments';
import { ingestBatch } from '../../src/server/ingest';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import { runCli } from './backup-load-suite';
import { makeForm, registry } from './helpers';

const run = promisify(execFile);
/** each case starts the command a few times; tsx takes a while to start on a busy machine */
const CLI_TIMEOUT = 180_000;

describe('backup and restore arguments', () => {
  const usage = 'usage: npm run backup -- FILE [--force]';
  const parse = (...argv: string[]) => {
    const said: string[] = [];
    return { parsed: parseFileArguments(argv, usage, (line) => said.push(line)), said };
  };

  it('takes one FILE, with or without --force and the -- npm passes on', () => {
    expect(parse('b.sqlite').parsed).toEqual({ file: 'b.sqlite', force: false });
    expect(parse('--', '--force', 'b.sqlite').parsed).toEqual({ file: 'b.sqlite', force: true });
  });

  it('prints the usage and answers 2 for no file, two files or an unknown option; 0 for --help', () => {
    expect(parse()).toEqual({ parsed: { exit: 2 }, said: [usage] });
    expect(parse('a', 'b')).toEqual({ parsed: { exit: 2 }, said: [usage] });
    expect(parse('--fast', 'a')).toEqual({ parsed: { exit: 2 }, said: [`unknown option --fast\n${usage}`] });
    expect(parse('--help')).toEqual({ parsed: { exit: 0 }, said: [usage] });
  });
});

describe('npm run backup / restore', () => {
  let dir: string;
  const at = (name: string) => join(dir, name);
  const sqlite = (path: string) => ({ SQLITE_PATH: path, DATABASE_URL: '' });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onsite-backup-cli-'));
    // the permission test runs the command as another user, who must reach the files
    chmodSync(dir, 0o755);
    const storage = openSqliteStorage({ path: at('onsite.sqlite') });
    await storage.createTechnician({ id: 'tech-1', name: '张师傅', phone: '', createdAt: '2026-03-10T00:00:00.000Z' });
    await ingestBatch({ storage, checklists: registry, now: () => new Date('2026-03-10T08:00:00.000Z') }, [await makeForm()], { kind: 'import' });
    await storage.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('backs up, printing what the backup holds and how to bring it back, and restores it', async () => {
    const backup = await runCli('backup', ['--', at('backup.sqlite')], sqlite(at('onsite.sqlite')));
    expect(backup).toMatchObject({ code: 0, stderr: '' });
    expect(backup.stdout.split('\n').slice(1)).toEqual([
      "Checked: SQLite's integrity check passes; it holds",
      '  1 form(s), every seal recomputes; 0 visit(s); 1 technician(s)',
      '  newest form received: 2026-03-10T08:00:00.000Z',
      `Bring it back with: npm run restore -- ${at('backup.sqlite')}`,
      '',
    ]);
    expect(backup.stdout).toMatch(new RegExp(`^Backup of SQLite at ${at('onsite.sqlite')} written to ${at('backup.sqlite')} \\(\\d+\\.\\d KiB, an SQLite database\\)\\.`));

    const restore = await runCli('restore', [at('backup.sqlite')], sqlite(at('restored/onsite.sqlite')));
    expect(restore).toMatchObject({ code: 0, stderr: '' });
    expect(restore.stdout).toContain(`Restored ${at('backup.sqlite')} into SQLite at ${at('restored/onsite.sqlite')}; it holds\n  1 form(s), every seal recomputes`);
    const again = await runCli('restore', [at('backup.sqlite')], sqlite(at('restored/onsite.sqlite')));
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toBe(`not restored: ${at('restored/onsite.sqlite')} already holds 1 technicians, 1 forms: restore into a fresh database (another SQLITE_PATH), or pass --force to replace it (it is kept beside, renamed)\n`);
  }, CLI_TIMEOUT);

  it('says what is wrong in one line and exits 1: a missing file, not a backup; 2 for a usage error', async () => {
    const missing = await runCli('restore', [at('nowhere.sqlite')], sqlite(at('r2/onsite.sqlite')));
    expect(missing).toEqual({ code: 1, stdout: '', stderr: `not restored: cannot read the backup ${at('nowhere.sqlite')}: no such file or folder\n` });
    writeFileSync(at('notes.txt'), 'hello');
    const foreign = await runCli('restore', [at('notes.txt')], sqlite(at('r2/onsite.sqlite')));
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/^not restored: .*notes\.txt is not an Onsite backup/);
    const usage = await runCli('backup', [], sqlite(at('onsite.sqlite')));
    expect(usage).toMatchObject({ code: 2, stderr: 'usage: npm run backup -- FILE [--force]   (--force replaces an existing FILE)\n' });
  }, CLI_TIMEOUT);

  it('says so when it may not write in the folder', async () => {
    mkdirSync(at('locked'));
    const asRoot = process.getuid?.() === 0;
    // root may write anywhere: the command then runs as the unprivileged user nobody, as PostgreSQL's tests do
    if (!asRoot) chmodSync(at('locked'), 0o555);
    const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
    const asUser = async (script: string, file: string, databasePath: string) => {
      const argv = [tsx, join(REPO_ROOT, 'src', 'server', 'cli', script), file];
      const [command, args] = asRoot ? ['runuser', ['-u', 'nobody', '--', ...argv]] : [argv[0]!, argv.slice(1)];
      return run(command, args, { env: { ...process.env, ...sqlite(databasePath) } })
        .then(() => ({ code: 0, stderr: '' }), (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }));
    };
    expect(await asUser('backup.ts', at('locked/backup.sqlite'), at('onsite.sqlite'))).toEqual({
      code: 1, stderr: `backup not made: cannot write in the folder ${at('locked')}: no permission (check who owns it, or run as the user the server runs as)\n`,
    });
    await runCli('backup', [at('for-locked.sqlite')], sqlite(at('onsite.sqlite')));
    expect(await asUser('restore.ts', at('for-locked.sqlite'), at('locked/onsite.sqlite'))).toEqual({
      code: 1, stderr: `not restored: cannot write in the folder ${at('locked')}: no permission (check who owns it, or run as the user the server runs as)\n`,
    });
  }, CLI_TIMEOUT);
});
