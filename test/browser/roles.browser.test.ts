// The back office by role, in the production build behind the real server: a viewer signs in and sees
// no button that would change anything (and is refused a page typed into the address bar); customer
// service signs in, exports the forms as CSV, and signs out; the audit log holds all of it.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { AuditRecord } from '../../src/domain/accounts';
import { BUNDLE_FORMAT } from '../../src/domain/form-schema';
import { submittedForm } from '../fixtures/visits';
import { WALK_TIMEOUT_MS } from './e2e-steps';
import { serverTest as test, setUpBrowserAndServer, signInToBackOffice, type RealServer } from './real-server';

setUpBrowserAndServer();

async function importForms(server: RealServer): Promise<void> {
  const technicianId = server.demo.technician.id;
  const forms = [await submittedForm({ technicianId, seed: 1 }), await submittedForm({ technicianId, seed: 2 })];
  const bundle = { format: BUNDLE_FORMAT, formatVersion: 1, exportedAt: new Date().toISOString(), device: 'roles', forms };
  await server.admin('/api/v1/admin/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bundle) });
}

async function signOut(page: Page): Promise<void> {
  await page.getByTestId('sign-out').click();
  await page.getByTestId('page-sign-in').waitFor();
}

test('a viewer sees no change buttons; customer service exports the forms; each signs out', async ({ server, context }) => {
  await importForms(server);
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });

  await signInToBackOffice(page, server, 'viewer');
  await page.getByTestId('forms-table').waitFor();
  const nav = await page.locator('[data-testid^="nav-"]').evaluateAll((links) => links.map((a) => a.getAttribute('data-testid')));
  expect(nav).toEqual(['nav-forms', 'nav-disputes', 'nav-conflicts', 'nav-technicians', 'nav-visits', 'nav-parts', 'nav-checklists', 'nav-equipment', 'nav-dashboard']);
  expect(await page.getByTestId('export-csv').count()).toBe(0);
  await page.getByTestId('nav-technicians').click();
  await page.getByTestId('technicians-table').waitFor();
  for (const id of ['add-technician', 'make-code', 'revoke']) expect(await page.getByTestId(id).count(), id).toBe(0);
  await page.getByTestId('nav-visits').click();
  await page.getByTestId('visits-table').waitFor();
  for (const id of ['visit-create', 'visit-import']) expect(await page.getByTestId(id).count(), id).toBe(0);
  await page.goto(`${server.url}/backoffice/#/users`);
  await page.getByTestId('page-not-allowed').waitFor();
  expect(await page.getByTestId('users-table').count()).toBe(0);
  await signOut(page);

  await signInToBackOffice(page, server, 'customer-service');
  await page.getByTestId('forms-table').waitFor();
  expect(await page.getByTestId('nav-import').count()).toBe(1);
  expect(await page.getByTestId('nav-users').count()).toBe(0);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^onsite-forms-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = (await download.createReadStream());
  const chunks: Buffer[] = [];
  for await (const chunk of csv) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  expect(text.startsWith('\uFEFF"id"')).toBe(true);
  expect(text.trimEnd().split('\r\n')).toHaveLength(3);
  await signOut(page);
  // the cookie is gone with the session: a reload lands on the sign-in page again
  await page.reload();
  await page.getByTestId('page-sign-in').waitFor();

  const { entries } = await server.admin<{ entries: AuditRecord[] }>('/api/v1/admin/audit?limit=500');
  const lines = entries.map((e) => `${e.action} ${e.userName}`);
  for (const line of ['session.signed-in viewer-user', 'session.signed-out viewer-user', 'session.signed-in customer-service-user',
    'export.made customer-service-user', 'session.signed-out customer-service-user']) expect(lines).toContain(line);
}, WALK_TIMEOUT_MS);
