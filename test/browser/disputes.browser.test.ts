// A dispute worked to the end in the back office, in the production build behind the real server: a
// viewer sees the queue and its thread but no control that changes it; customer service assigns it
// (with the picker, then "assign to me"), adds a note, resolves it with an outcome and reopens it; the
// audit log holds each change with its user.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { AuditRecord } from '../../src/domain/accounts';
import { BUNDLE_FORMAT } from '../../src/domain/form-schema';
import { makeForm } from '../server/helpers';
import { WALK_TIMEOUT_MS } from './e2e-steps';
import { serverTest as test, setUpBrowserAndServer, signInToBackOffice } from './real-server';

setUpBrowserAndServer();

async function signOut(page: Page): Promise<void> {
  await page.getByTestId('sign-out').click();
  await page.getByTestId('page-sign-in').waitFor();
}

test('customer service assigns, notes, resolves and reopens a dispute; a viewer only reads it', async ({ server, context }) => {
  const form = await makeForm({ technicianId: server.demo.technician.id, dispute: '客户认为收费过高' });
  const bundle = { format: BUNDLE_FORMAT, formatVersion: 1, exportedAt: new Date().toISOString(), device: 'disputes', forms: [form] };
  await server.admin('/api/v1/admin/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bundle) });
  const adminUser = (await server.storage.getUserCredentials('admin-user'))!.user;
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  const card = () => page.locator(`[data-testid="dispute"][data-form-id="${form.form.id}"]`);
  const thread = () => card().getByTestId('dispute-event');

  await signInToBackOffice(page, server, 'viewer');
  await page.getByTestId('nav-disputes').click();
  await card().waitFor();
  expect(await card().getByTestId('dispute-assignee').textContent()).toMatch(/\S/);
  expect(await card().getByTestId('dispute-age').textContent()).toMatch(/\d/);
  await card().getByTestId('dispute-toggle').click();
  await card().getByTestId('dispute-detail').waitFor();
  expect(await card().getByTestId('dispute-actions').count()).toBe(0);
  await signOut(page);

  await signInToBackOffice(page, server, 'customer-service');
  await page.getByTestId('nav-disputes').click();
  await card().getByTestId('dispute-toggle').click();
  // the picker gives it to the admin, then "assign to me" takes it
  await card().getByTestId('dispute-assignee-picker').selectOption(adminUser.id);
  await card().getByTestId('dispute-assignee').filter({ hasText: adminUser.displayName }).waitFor();
  await card().getByTestId('dispute-assign-me').click();
  await card().getByTestId('dispute-assignee').filter({ hasText: 'customer-service 测试' }).waitFor();
  expect(await card().getByTestId('dispute-assign-me').count()).toBe(0);
  // "mine" keeps it in the list
  await page.getByTestId('disputes-filter-assignee').selectOption('mine');
  await card().waitFor();

  // an empty note is refused on the page, then a note is added to the thread
  await card().getByTestId('dispute-note-submit').click();
  await card().getByTestId('dispute-note-note-error').waitFor();
  await card().getByTestId('dispute-note-note').fill('已电话联系客户，约定明天回复');
  await card().getByTestId('dispute-note-submit').click();
  await thread().filter({ hasText: '已电话联系客户，约定明天回复' }).waitFor();

  // resolving needs an outcome; once resolved it leaves the open list
  await card().getByTestId('resolve-note').fill('补偿一次免费保养');
  await card().getByTestId('resolve-submit').click();
  await card().getByTestId('resolve-outcome-error').waitFor();
  await card().getByTestId('resolve-outcome').selectOption('compensated');
  await card().getByTestId('resolve-submit').click();
  await page.getByTestId('disputes-empty').waitFor();

  await page.getByTestId('disputes-tab-resolved').click();
  await card().getByTestId('dispute-outcome').filter({ hasText: 'Compensated' }).or(card().getByTestId('dispute-outcome').filter({ hasText: '已补偿' })).waitFor();
  await card().getByTestId('dispute-toggle').click();
  await card().getByTestId('reopen-note').fill('客户再次来电，保养未安排');
  await card().getByTestId('reopen-submit').click();
  await page.getByTestId('disputes-empty').waitFor();

  await page.getByTestId('disputes-tab-open').click();
  await card().getByTestId('dispute-toggle').click();
  await thread().nth(4).waitFor();
  const kinds = await thread().evaluateAll((lines) => lines.map((l) => l.getAttribute('data-kind')));
  expect(kinds).toEqual(['assigned', 'assigned', 'noted', 'resolved', 'reopened']);
  expect(await card().getByTestId('resolve-form').count()).toBe(1);

  const { entries } = await server.admin<{ entries: AuditRecord[] }>('/api/v1/admin/audit?limit=500');
  const lines = entries.filter((e) => e.target === form.form.id).map((e) => `${e.action} ${e.userName}`).reverse();
  expect(lines).toEqual(['dispute.assigned customer-service-user', 'dispute.assigned customer-service-user', 'dispute.noted customer-service-user',
    'dispute.resolved customer-service-user', 'dispute.reopened customer-service-user']);
}, WALK_TIMEOUT_MS);

test('the form page shows the dispute\'s thread and state; customer service works it there, a viewer only reads it', async ({ server, context }) => {
  const form = await makeForm({ technicianId: server.demo.technician.id, dispute: '客户投诉维修时间过长', seed: 7 });
  const calm = await makeForm({ technicianId: server.demo.technician.id, seed: 8 });
  const bundle = { format: BUNDLE_FORMAT, formatVersion: 1, exportedAt: new Date().toISOString(), device: 'form-page', forms: [form, calm] };
  await server.admin('/api/v1/admin/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bundle) });
  // a note made before, elsewhere: the page shows the thread as the API keeps it
  await server.admin(`/api/v1/admin/disputes/${form.form.id}/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: '主管已知悉，请跟进' }) });
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  const section = page.getByTestId('form-dispute');
  const thread = () => section.getByTestId('dispute-event');
  const openForm = async (id: string) => {
    await page.goto(`${server.url}/backoffice/#/forms/${id}`);
    await page.getByTestId('seal-check').waitFor();
  };

  await signInToBackOffice(page, server, 'viewer');
  await openForm(form.form.id);
  await thread().filter({ hasText: '主管已知悉，请跟进' }).waitFor();
  expect(await section.getByTestId('dispute-state').getAttribute('data-state')).toBe('open');
  expect(await section.getByTestId('dispute-assignee').textContent()).toMatch(/\S/);
  expect(await section.getByTestId('dispute-actions').count()).toBe(0);
  // a form with nothing flagged has no follow-up
  await openForm(calm.form.id);
  expect(await page.getByTestId('form-dispute').count()).toBe(0);
  await signOut(page);

  await signInToBackOffice(page, server, 'customer-service');
  await openForm(form.form.id);
  await section.getByTestId('dispute-assign-me').click();
  await section.getByTestId('dispute-assignee').filter({ hasText: 'customer-service 测试' }).waitFor();
  await section.getByTestId('dispute-note-note').fill('已与客户约定周五复查');
  await section.getByTestId('dispute-note-submit').click();
  await thread().filter({ hasText: '已与客户约定周五复查' }).waitFor();
  await section.getByTestId('resolve-outcome').selectOption('no-fault');
  await section.getByTestId('resolve-note').fill('复查无故障，客户认可');
  await section.getByTestId('resolve-submit').click();
  await section.locator('[data-testid="dispute-state"][data-state="resolved"]').waitFor();
  expect(await section.getByTestId('dispute-outcome').textContent()).toMatch(/^(No fault of ours|非我方责任)$/);
  await section.getByTestId('reopen-note').fill('客户反映问题复现');
  await section.getByTestId('reopen-submit').click();
  await section.locator('[data-testid="dispute-state"][data-state="open"]').waitFor();
  await thread().nth(4).waitFor();
  expect(await thread().evaluateAll((lines) => lines.map((l) => l.getAttribute('data-kind')))).toEqual(['noted', 'assigned', 'noted', 'resolved', 'reopened']);

  // the thread the page made is the one the API keeps
  const detail = await server.admin<{ events: Array<{ kind: string }> }>(`/api/v1/admin/disputes/${form.form.id}`);
  expect(detail.events.map((e) => e.kind)).toEqual(['noted', 'assigned', 'noted', 'resolved', 'reopened']);
}, WALK_TIMEOUT_MS);
