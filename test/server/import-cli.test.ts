import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/server/config';
import { importFiles } from '../../src/server/import/import-files';
import { ndjsonExport } from '../../src/server/export/form-export';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import type { Storage } from '../../src/server/storage/storage';
import { bundleOf, makeForm, PROCESS_TIMEOUT_MS, registry } from './helpers';
import { alterAnswer } from '../fixtures/visits';

const run = promisify(execFile);

describe('npm run import', { timeout: PROCESS_TIMEOUT_MS }, () => {
  let dir: string;
  let storage: Storage;
  let out: string[];
  let err: string[];
  const io = { out: (line: string) => out.push(line), err: (line: string) => err.push(line) };
  const deps = () => ({ storage, checklists: registry, now: () => new Date('2026-03-10T08:00:00.000Z') });
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onsite-import-'));
    storage = openSqliteStorage({ path: join(dir, 'onsite.sqlite') });
    await storage.createTechnician({ id: 'tech-1', name: '张师傅', phone: '', createdAt: '2026-03-10T00:00:00.000Z' });
    out = [];
    err = [];
  });
  afterEach(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a bundle, lists each rejected form with its reasons, and exits 1', async () => {
    const good = await makeForm();
    const altered = await makeForm({ seed: 2 });
    alterAnswer(altered.form, 'work-done', '没修');
    const code = await importFiles([file('phone.json', bundleOf([good, altered, 'junk']))], deps(), io);
    expect(code).toBe(1);
    expect(out).toEqual([`${join(dir, 'phone.json')}:`, '  accepted 1, duplicate 0, conflict 0, rejected 2']);
    expect(err).toEqual([
      `  rejected form #2 (${altered.form.id}):`,
      '    form.seal.hash: the seal does not match the form: it was changed after the customer signed',
      '  rejected form #3:',
      expect.stringMatching(/^ {4}\(root\): expected object/),
    ]);
  });

  it('exits 0 when every form landed, and a second import of the same file gives duplicates', async () => {
    const path = file('phone.json', bundleOf([await makeForm(), await makeForm({ seed: 2 })]));
    expect(await importFiles([path], deps(), io)).toBe(0);
    expect(await importFiles([path], deps(), io)).toBe(0);
    expect(out.at(-1)).toBe('  accepted 0, duplicate 2, conflict 0, rejected 0');
  });

  it('imports an NDJSON export (the same records: duplicates), and totals several files', async () => {
    const forms = [await makeForm(), await makeForm({ seed: 2 })];
    await importFiles([file('a.json', bundleOf(forms))], deps(), io);
    let ndjson = '';
    for await (const line of ndjsonExport(storage, {})) ndjson += line;
    out = [];
    const code = await importFiles([file('export.ndjson', ndjson), file('b.json', bundleOf([await makeForm({ seed: 3 })]))], deps(), io);
    expect(code).toBe(0);
    expect(out).toEqual([
      `${join(dir, 'export.ndjson')}:`, '  accepted 0, duplicate 2, conflict 0, rejected 0',
      `${join(dir, 'b.json')}:`, '  accepted 1, duplicate 0, conflict 0, rejected 0',
      'total: accepted 1, duplicate 2, conflict 0, rejected 0',
    ]);
  });

  it('imports nothing from a file that is cut short or missing, and says why', async () => {
    const text = bundleOf([await makeForm(), await makeForm({ seed: 2 })]);
    const code = await importFiles([file('cut.json', text.slice(0, text.length - 100)), join(dir, 'nowhere.json')], deps(), io);
    expect(code).toBe(1);
    expect(err[0]).toMatch(/^ {2}not imported: the file is not valid JSON: malformed JSON at line 1, column \d+: the JSON ends too early/);
    expect(err[1]).toBe('  not imported: cannot read the file');
    expect(out.at(-1)).toBe('total: accepted 0, duplicate 0, conflict 0, rejected 0, 2 file(s) not imported');
    expect((await storage.listForms({}, { after: null, limit: 10 })).forms).toEqual([]);
  });

  it('runs from the command line with the exit codes people script against', async () => {
    const dbPath = join(dir, 'onsite.sqlite');
    const bad = await makeForm({ seed: 5 });
    alterAnswer(bad.form, 'fault-found', '改过');
    const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
    const cli = join(REPO_ROOT, 'src', 'server', 'cli', 'import.ts');
    const env = { ...process.env, SQLITE_PATH: dbPath, DATABASE_URL: '' };
    const ok = await run(tsx, [cli, file('ok.json', bundleOf([await makeForm()]))], { env });
    expect(ok.stdout).toContain('accepted 1, duplicate 0, conflict 0, rejected 0');
    const rejected = await run(tsx, [cli, '--', file('bad.json', bundleOf([bad]))], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(rejected).toMatchObject({ code: 1, stderr: expect.stringContaining('form.seal.hash') });
    const usage = await run(tsx, [cli], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run import -- FILE') });
  });
});
