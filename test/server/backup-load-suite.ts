// Backup under load, run on both databases: a server takes forms from two phones posting without a
// pause; `npm run backup` runs (as its own process) while they keep posting; the backup is restored
// with `npm run restore` into a fresh database. Every form acknowledged before the backup began must be
// there, once, its seal recomputing; the restored server must take new forms and know the old ones.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { API } from '../../src/domain/api';
import type { SubmittedForm } from '../../src/domain/form-schema';
import { bodyOf, sealForm } from '../../src/domain/seal';
import { createApp } from '../../src/server/app';
import { checkStoredForm, storageFormRows } from '../../src/server/backup/form-check';
import { REPO_ROOT } from '../../src/server/config';
import { createServer } from '../../src/server/server';
import type { Storage } from '../../src/server/storage/storage';
import { ensureUser, makeForm, registry, signInWith } from './helpers';

const execFileAsync = promisify(execFile);
const TSX = `${REPO_ROOT}node_modules/.bin/tsx`;

/** One database for a test to use: its storage opened in this process, and the environment that points the CLI at it. */
export interface BackupDatabase {
  env: NodeJS.ProcessEnv;
  open(): Promise<Storage>;
}

export interface BackupTarget {
  /** a fresh, empty database (not created yet on SQLite: the restore makes the file) */
  fresh(): Promise<BackupDatabase>;
  /** where the backup file goes */
  backupFile(): string;
}

export async function runCli(script: 'backup' | 'restore', args: string[], env: NodeJS.ProcessEnv) {
  const cli = `${REPO_ROOT}src/server/cli/${script}.ts`;
  return execFileAsync(TSX, [cli, ...args], { env: { ...process.env, ...env } })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
    .catch((error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }));
}

/** A new form for the same visit: the template's body under a fresh id, sealed again (cheap: one SHA-256). */
async function nextForm(template: SubmittedForm): Promise<SubmittedForm> {
  const signature = Buffer.from(template.signaturePng, 'base64');
  return { form: await sealForm({ ...bodyOf(template.form), id: crypto.randomUUID() }, signature), signaturePng: template.signaturePng };
}

/**
 * Phones posting forms one after another until stopped; every acknowledged id is recorded in order.
 * `whenAcknowledged(n)` resolves once n forms in all have been acknowledged.
 */
function phonesPosting(url: string, token: string, template: SubmittedForm, phones: number) {
  const acknowledged: string[] = [];
  const sent = new Map<string, SubmittedForm>();
  const waiters: { n: number; resolve: () => void }[] = [];
  let stopped = false;
  let failure: Error | null = null;
  const phone = async () => {
    while (!stopped) {
      const form = await nextForm(template);
      sent.set(form.form.id, form);
      const res = await fetch(`${url}${API.forms}`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ forms: [form] }),
      });
      const body = (await res.json()) as { results: { id: string; status: string }[] };
      if (res.status !== 200 || body.results[0]?.status !== 'accepted') throw new Error(`form not accepted: ${res.status} ${JSON.stringify(body)}`);
      acknowledged.push(form.form.id);
      for (const waiter of waiters.filter((w) => acknowledged.length >= w.n)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  const running = Promise.all(Array.from({ length: phones }, () => phone().catch((error: Error) => {
    failure = error;
    stopped = true;
    for (const waiter of waiters.splice(0)) waiter.resolve();
  })));
  return {
    acknowledged,
    sent,
    whenAcknowledged: (n: number) => new Promise<void>((resolve, reject) => {
      if (failure) return reject(failure);
      if (acknowledged.length >= n) return resolve();
      waiters.push({ n, resolve: () => (failure ? reject(failure) : resolve()) });
    }),
    async stop() {
      stopped = true;
      await running;
      if (failure) throw failure;
    },
  };
}

/** Enrolls a phone for tech-1 as the back office does: an admin user signed in, the technician made, a code issued. */
async function enrollPhone(url: string, storage: Storage): Promise<string> {
  const adminUser = await ensureUser(storage, 'admin');
  const session = await signInWith((path, init) => fetch(`${url}${path}`, init), adminUser.name);
  const admin = (method: string) => ({ ...session.headers(method), 'content-type': 'application/json' });
  const created = await fetch(`${url}${API.admin.technicians}`, { method: 'POST', headers: admin('POST'), body: JSON.stringify({ id: 'tech-1', name: '张师傅', phone: '138 0000 0000' }) });
  expect(created.status).toBe(201);
  const { code } = (await (await fetch(`${url}${API.admin.technicians}/tech-1/code`, { method: 'POST', headers: admin('POST') })).json()) as { code: string };
  const enrolled = await fetch(`${url}${API.enroll}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  expect(enrolled.status).toBe(200);
  return ((await enrolled.json()) as { token: string }).token;
}

export function describeBackupUnderLoad(name: string, target: () => BackupTarget) {
  describe(`backup under load and restore (${name})`, () => {
    it('keeps every form acknowledged before the backup began, once and sealed; the restored server takes new forms and knows the old', async () => {
      const source = await target().fresh();
      const storage = await source.open();
      const server = await createServer({ storage, checklists: registry, distDir: null, port: 0, log: () => {} });
      const restoredDb = await target().fresh();
      let restored: Storage | null = null;
      try {
        const token = await enrollPhone(server.url, storage);
        await storage.createVisit({
          id: 'V-2026-0001', technicianId: 'tech-1', scheduledDate: '2026-03-10', firstVisit: false, notes: '',
          customer: { name: '某市环卫处', phone: '138 0000 0000', address: '某市某区某路 1 号' },
          equipment: { type: '洗扫车', model: 'XS-5000', serial: 'SN-123456' },
        }, new Date().toISOString());
        const phones = phonesPosting(server.url, token, await makeForm({ technicianId: 'tech-1' }), 2);

        await phones.whenAcknowledged(10);
        const beforeBackup = [...phones.acknowledged];
        const file = target().backupFile();
        const backup = await runCli('backup', [file], source.env);
        const atBackupEnd = phones.acknowledged.length;
        // the phones were never stopped: they go on being answered after the backup too
        await phones.whenAcknowledged(atBackupEnd + 5);
        await phones.stop();
        expect(backup.stderr).toBe('');
        expect(backup.code).toBe(0);
        const held = Number(/(\d+) form\(s\), every seal recomputes/.exec(backup.stdout)?.[1]);
        expect(held).toBeGreaterThanOrEqual(beforeBackup.length);
        expect(held).toBeLessThan(phones.acknowledged.length);
        expect(backup.stdout).toContain('1 visit(s); 1 technician(s)');

        const restore = await runCli('restore', [file], restoredDb.env);
        expect(restore.stderr).toBe('');
        expect(restore.code).toBe(0);
        expect(restore.stdout).toContain(`${held} form(s), every seal recomputes; 1 visit(s); 1 technician(s)`);

        restored = await restoredDb.open();
        const ids: string[] = [];
        for await (const row of storageFormRows(restored)) {
          ids.push(row.id);
          expect(await checkStoredForm(row), `form ${row.id}`).toBeNull();
        }
        expect(ids).toHaveLength(held);
        expect(new Set(ids).size).toBe(ids.length);
        const everAcknowledged = new Set(phones.acknowledged);
        expect(ids.filter((id) => !everAcknowledged.has(id))).toEqual([]);
        const restoredIds = new Set(ids);
        expect(beforeBackup.filter((id) => !restoredIds.has(id))).toEqual([]);

        // the restored server: the phone's token still works, an old form is a duplicate, a new one lands
        const app = createApp({ storage: restored, checklists: registry, distDir: null, log: () => {} });
        const post = async (forms: SubmittedForm[]) => {
          const res = await app.request(API.forms, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ forms }) });
          expect(res.status).toBe(200);
          return ((await res.json()) as { results: { id: string; status: string }[] }).results.map((r) => r.status);
        };
        const fresh = await nextForm(phones.sent.get(beforeBackup[0]!)!);
        expect(await post([phones.sent.get(beforeBackup[0]!)!, phones.sent.get(beforeBackup.at(-1)!)!, fresh])).toEqual(['duplicate', 'duplicate', 'accepted']);
        expect((await restored.getForm(fresh.form.id))?.summary.id).toBe(fresh.form.id);
      } finally {
        await server.close();
        await storage.close();
        await restored?.close();
      }
    }, 240_000);
  });
}
