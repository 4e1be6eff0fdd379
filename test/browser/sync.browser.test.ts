// The phone and the back office, end to end through the real server: a visit walked and sealed in
// airplane mode waits in the outbox and lands exactly once, with its signature, when the network is
// back; a form sealed while the server is down is retried and lands later, once; and a sealed form
// exported to a bundle file imports as the very record the sync made (a duplicate of it on the same
// database, the same record on a fresh one).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { FormSummary, ImportSummary } from '../../src/domain/api';
import type { SealedForm } from '../../src/domain/form-schema';
import { verifySeal } from '../../src/domain/seal';
import {
  dispatchVisit, downloadVisits, openVisit, readSealedFromIndexedDB, snap, walkWholeVisit, WALK_TIMEOUT_MS, type SealedInIndexedDB,
} from './e2e-steps';
import { EVENT_TIMEOUT_MS, goOffline, REPO_ROOT } from './harness';
import { enrollTestDevice, enrollThroughSettings, serverTest as test, setUpBrowserAndServer, signInToBackOffice, startRealServer, type RealServer } from './real-server';
import { waitForServiceWorkerControl } from './service-worker';

setUpBrowserAndServer();

/** How long a form may take to land once the server can be reached: the outbox's first retries back off up to a few seconds, then the send is one more event. */
const LANDING_TIMEOUT_MS = 2 * EVENT_TIMEOUT_MS;

/** Enrolled, the visits downloaded, the app under its service worker (so it runs with no network). */
async function readyPhone(page: Page, server: RealServer, firstVisit = true): Promise<string> {
  const visit = await dispatchVisit(server, { firstVisit });
  await enrollThroughSettings(page, server);
  await waitForServiceWorkerControl(page);
  await downloadVisits(page);
  return visit.id;
}

async function formsWithId(server: RealServer, formId: string): Promise<FormSummary[]> {
  const { forms } = await server.admin<{ forms: FormSummary[] }>('/api/v1/admin/forms?limit=200');
  return forms.filter((form) => form.id === formId);
}

async function signaturePng(server: RealServer, formId: string): Promise<Uint8Array> {
  const response = await server.adminRequest(`/api/v1/admin/forms/${formId}/signature.png`);
  expect(response.headers.get('content-type')).toBe('image/png');
  return new Uint8Array(await response.arrayBuffer());
}

/** The sealed screen's sync status reaches `status` (the engine retries on its own; nothing here presses a button). */
async function waitForSyncStatus(page: Page, status: string, timeout = LANDING_TIMEOUT_MS): Promise<void> {
  await page.locator(`[data-testid="sync-status"][data-status="${status}"]`).waitFor({ timeout });
}

/** The form lands in the back office exactly once: in the API's list, and in the back-office page's forms table. */
async function expectInBackOfficeOnce(page: Page, server: RealServer, formId: string, sealed: SealedInIndexedDB): Promise<void> {
  expect(await formsWithId(server, formId)).toHaveLength(1);
  expect((await server.admin<{ conflicts: unknown[] }>('/api/v1/admin/conflicts')).conflicts).toEqual([]);
  expect(await signaturePng(server, formId)).toEqual(sealed.signature.bytes);
  const stored = await server.storage.getForm(formId);
  expect(JSON.parse(stored!.formJson)).toEqual(sealed.form);

  const office = await page.context().newPage();
  await office.setViewportSize({ width: 1280, height: 800 });
  await signInToBackOffice(office, server);
  await office.getByTestId('forms-table').waitFor();
  expect(await office.locator(`[data-testid="form-row"][data-form-id="${formId}"]`).count()).toBe(1);
  await office.locator(`[data-testid="form-row"][data-form-id="${formId}"] [data-testid="form-link"]`).click();
  // the back office re-checked the seal against the signature it received
  await office.locator('[data-testid="seal-check"][data-seal="verified"]').waitFor();
  await snap(office, 'sync-backoffice-form');
  await office.close();
}

test('a visit walked and sealed offline waits in the outbox, then lands in the back office exactly once, with its signature', async ({ server, context, page }) => {
  const visitId = await readyPhone(page, server);
  await goOffline(context);
  const formId = await openVisit(page, visitId);
  await walkWholeVisit(page, { firstVisit: true });

  await waitForSyncStatus(page, 'queued');
  const queued = await readSealedFromIndexedDB(page, formId);
  expect(queued.status).toBe('queued');
  expect(await formsWithId(server, formId)).toEqual([]);
  await snap(page, 'sync-offline-queued');

  await context.setOffline(false);
  await waitForSyncStatus(page, 'synced');
  const synced = await readSealedFromIndexedDB(page, formId);
  expect(synced.status).toBe('synced');
  expect(synced.form).toEqual(queued.form);
  await expectInBackOfficeOnce(page, server, formId, synced);
  // the list on the phone says so too
  await page.getByTestId('nav-visits').click();
  await page.locator(`[data-testid="visit-${visitId}"] [data-status="synced"]`).waitFor();
}, WALK_TIMEOUT_MS);

test('a form sealed while the server is down stays queued and retrying, and lands once when the server is back', async ({ server, page }) => {
  const visitId = await readyPhone(page, server, false);
  const formId = await openVisit(page, visitId);
  await server.stop();
  try {
    await walkWholeVisit(page, { firstVisit: false });
    // the seal tried at once and failed; the outbox keeps the form and tries again by itself
    await expect.poll(async () => (await readSealedFromIndexedDB(page, formId)).attempts, { timeout: LANDING_TIMEOUT_MS }).toBeGreaterThanOrEqual(2);
    const waiting = await readSealedFromIndexedDB(page, formId);
    expect(waiting.status).toMatch(/^(queued|sending)$/);
    expect(waiting.lastError).not.toBeNull();
    await waitForSyncStatus(page, 'queued');
    await snap(page, 'sync-server-down');
  } finally {
    await server.restart();
  }
  expect(await formsWithId(server, formId)).toEqual([]);

  await waitForSyncStatus(page, 'synced');
  await expectInBackOfficeOnce(page, server, formId, await readSealedFromIndexedDB(page, formId));
}, WALK_TIMEOUT_MS);

/** A second technician enrolled on the server: the token and record the phone would keep. */
async function enrollAnotherTechnician(server: RealServer): Promise<{ token: string; technician: { id: string; name: string } }> {
  const { technician } = await server.admin<{ technician: { id: string } }>('/api/v1/admin/technicians', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '李师傅' }),
  });
  const { code } = await server.admin<{ code: string }>(`/api/v1/admin/technicians/${technician.id}/code`, { method: 'POST' });
  const response = await fetch(`${server.url}/api/v1/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  expect(response.status).toBe(200);
  return (await response.json()) as { token: string; technician: { id: string; name: string } };
}

test('a form the back office rejects says why in the technician\'s language, and stays on the phone', async ({ server, context, page }) => {
  const visitId = await readyPhone(page, server, false);
  await goOffline(context);
  const formId = await openVisit(page, visitId);
  await walkWholeVisit(page, { firstVisit: false });
  await waitForSyncStatus(page, 'queued');

  // the phone is handed to another technician, enrolled while the form still waits to be sent
  const other = await enrollAnotherTechnician(server);
  await page.evaluate(async ({ token, technician }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('onsite');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const tx = db.transaction('settings', 'readwrite');
    tx.objectStore('settings').put(token, 'token');
    tx.objectStore('settings').put(technician, 'technician');
    await new Promise((resolve, reject) => Object.assign(tx, { oncomplete: resolve, onerror: () => reject(tx.error) }));
    db.close();
  }, other);

  await context.setOffline(false);
  await waitForSyncStatus(page, 'rejected');
  const reason = page.getByTestId('rejection-reason');
  await reason.filter({ hasText: `这份服务单属于技师“${server.demo.technician.id}”，但本机现在登记的是技师“${other.technician.id}”` }).waitFor();
  expect(await reason.getAttribute('title')).toContain('form.technician.id');
  await snap(page, 'sync-rejected-zh');
  await page.getByTestId('locale-switch').click();
  await reason.filter({ hasText: `This form is technician "${server.demo.technician.id}"'s, but this phone is now enrolled as technician "${other.technician.id}"` }).waitFor();

  const rejected = await readSealedFromIndexedDB(page, formId);
  expect(rejected.status).toBe('rejected');
  expect(rejected.rejection).toEqual([expect.objectContaining({ path: 'form.technician.id', reason: { code: 'technician-mismatch', params: { claimed: server.demo.technician.id, sender: other.technician.id } } })]);
  expect(await formsWithId(server, formId)).toEqual([]);
}, WALK_TIMEOUT_MS);

/** `npm run import -- FILE` against the server's SQLite file (src/server/config.ts: SQLITE_PATH); its exit code and output. */
function importWithCli(server: RealServer, file: string): Promise<{ code: number | null; out: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SQLITE_PATH: server.sqlitePath };
  delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src/server/cli/import.ts', file], { cwd: REPO_ROOT, env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('a bundle exported from the settings imports as a duplicate of the synced form, and on a fresh server as the same record', async ({ server, context, page }) => {
  const visitId = await readyPhone(page, server, false);
  await goOffline(context);
  const formId = await openVisit(page, visitId);
  await walkWholeVisit(page, { firstVisit: false });
  await waitForSyncStatus(page, 'queued');

  // no network at all: the technician saves the sealed forms to a file
  const dir = await mkdtemp(join(tmpdir(), 'onsite-bundle-'));
  try {
    await page.getByTestId('nav-settings').click();
    const downloading = page.waitForEvent('download');
    await page.getByTestId('export-bundle').click();
    const download = await downloading;
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    expect(await page.getByTestId('export-outcome').getAttribute('role')).toBe('status');
    const bundle = JSON.parse(await readFile(file, 'utf8')) as { format: string; forms: Array<{ form: SealedForm }> };
    expect(bundle.format).toBe('onsite.bundle');
    expect(bundle.forms.map((entry) => entry.form.id)).toEqual([formId]);

    // then the network comes back and the outbox sends it
    await context.setOffline(false);
    await expect.poll(async () => (await readSealedFromIndexedDB(page, formId)).status, { timeout: LANDING_TIMEOUT_MS }).toBe('synced');
    const synced = await server.storage.getForm(formId);
    expect(synced?.source).toBe('api');

    // the file, imported on the same database by the CLI: a duplicate, and the stored record unchanged
    const imported = await importWithCli(server, file);
    expect(imported.out).toContain('accepted 0, duplicate 1, conflict 0, rejected 0');
    expect(imported.code).toBe(0);
    expect(await server.storage.getForm(formId)).toEqual(synced);
    expect(await formsWithId(server, formId)).toHaveLength(1);

    // and on a fresh server, through the back office's import: refused while the phone's device key is
    // unknown there (a bundle's own keys never make one known), then, once that phone enrolled there
    // too, the same record as the sync made
    const fresh = await startRealServer();
    try {
      const devices = (JSON.parse(await readFile(file, 'utf8')) as { devices: Array<{ keyId: string; publicKey: string }> }).devices;
      expect(devices).toHaveLength(1);
      const unknown = await fresh.admin<ImportSummary>('/api/v1/admin/import', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: await readFile(file),
      });
      expect(unknown).toMatchObject({ accepted: 0, rejected: 1 });
      expect(unknown.results[0]!.errors![0]!.reason!.code).toBe('device-key-unknown');
      await enrollTestDevice(fresh, devices[0]!.publicKey);
      const summary = await fresh.admin<ImportSummary>('/api/v1/admin/import', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: await readFile(file),
      });
      expect(summary).toMatchObject({ accepted: 1, duplicate: 0, conflict: 0, rejected: 0 });
      const record = (await fresh.storage.getForm(formId))!;
      expect(record.formJson).toBe(synced!.formJson);
      expect(record.signature).toEqual(synced!.signature);
      const form = JSON.parse(record.formJson) as SealedForm;
      expect(form.seal.hash).toBe((JSON.parse(synced!.formJson) as SealedForm).seal.hash);
      expect(await verifySeal(form, record.signature!)).toEqual({ ok: true });
      const { receivedAt: _a, clockDriftMs: _b, ...importedSummary } = record.summary;
      const { receivedAt: _c, clockDriftMs: _d, ...syncedSummary } = synced!.summary;
      expect(importedSummary).toEqual(syncedSummary);
      expect(record.source).toBe('import');
    } finally {
      await fresh.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, WALK_TIMEOUT_MS);
