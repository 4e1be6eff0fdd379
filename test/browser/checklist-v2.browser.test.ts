// Issue 9's maintainer test: in a temporary checklists directory, a v2 is published with one more
// required prepare tick (a torch) and a required number field with a unit (the hour meter, 工作小时数)
// — data only, no source change. A form sealed under v1 by a phone not updated yet lands first; then a
// phone downloads v2 with its visits, walks a visit under it with the number widget, seals and syncs
// it; the back office shows both forms with their own versions and items, and the export has the new
// column, filled for the v2 form and empty for the v1 one.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { API } from '../../src/domain/api';
import { publishChecklist } from '../../src/server/checklists-publish';
import { tempChecklistsDir, valueTypedVersion } from '../fixtures/checklists';
import { makeForm } from '../server/helpers';
import {
  arrive, downloadVisits, drawSignature, fillForm, fillText, openVisit, prepare, readSealedFromIndexedDB, repair, sealVisit, tick, useSignature,
  verify, WALK_TIMEOUT_MS,
} from './e2e-steps';
import { EVENT_TIMEOUT_MS } from './waits';
import { browserTest } from './harness';
import { enrollThroughSettings, signInToBackOffice, startRealServer, type RealServer } from './real-server';

const temp = tempChecklistsDir();
const draft = join(temp.dir, '..', `v2-${crypto.randomUUID()}.json`);
writeFileSync(draft, `${JSON.stringify(valueTypedVersion(2, { torch: true, hourMeter: true }), null, 2)}\n`);
publishChecklist(temp.dir, draft);

const test = browserTest.extend('server', { scope: 'file' }, async ({}, { onCleanup }): Promise<RealServer> => {
  const server = await startRealServer({ checklistsDir: temp.dir });
  onCleanup(async () => {
    await server.close();
    temp.remove();
  });
  return server;
});

/** Submits a form as the demo technician's phone would, with a token of its own. */
async function submitAsPhone(server: RealServer, form: unknown): Promise<{ status: string }[]> {
  const enrolled = await fetch(server.url + API.enroll, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: await server.newEnrollmentCode(), deviceName: 'old phone' }),
  });
  const { token } = await enrolled.json() as { token: string };
  const response = await fetch(server.url + API.forms, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ forms: [form] }),
  });
  return ((await response.json()) as { results: { status: string }[] }).results;
}

test('a v2 published as data is walked, sealed, synced, shown and exported with its new column; a v1 form still lands beside it', async ({ server, page }) => {
  // a phone not updated yet sends a form sealed under v1, in format 1
  const v1 = await makeForm({ technicianId: server.demo.technician.id, formatVersion: 1, visitId: 'V-OLD-PHONE' });
  expect(v1.form).toMatchObject({ formatVersion: 1, checklist: { version: 1 } });
  expect(await submitAsPhone(server, v1)).toEqual([expect.objectContaining({ status: 'accepted' })]);

  const visit = server.demo.visits[0]!;
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  const formId = await openVisit(page, visit.id);

  // v2's new tick holds up the start like the others
  await page.getByTestId('tick-kit.torch').waitFor();
  await tick(page, 'kit.torch');
  await prepare(page);
  await arrive(page, visit.firstVisit);
  await repair(page);
  // the number widget: a unit beside it, a number that is not one is kept on screen and not saved
  const meter = page.getByTestId('field-meter.hours');
  await expect.poll(() => page.locator('[data-item="meter.hours"] .unit').textContent(), { timeout: EVENT_TIMEOUT_MS }).toBe('小时');
  await meter.fill('一千');
  await page.locator('[data-item="meter.hours"] .not-saved').waitFor();
  await fillText(page, 'meter.hours', '1234.5');
  await verify(page);
  await fillForm(page);
  await drawSignature(page);
  await useSignature(page);
  await sealVisit(page);

  const sealed = await readSealedFromIndexedDB(page, formId);
  expect(sealed.form).toMatchObject({ formatVersion: 2, checklist: { id: 'onsite-service', version: 2 }, answers: { 'meter.hours': 1234.5 } });
  expect(sealed.form.items.find((item) => item.id === 'kit.torch')?.outcome).toBe('done');
  await page.locator('[data-testid="sync-status"][data-status="synced"]').waitFor({ timeout: EVENT_TIMEOUT_MS });

  // the back office shows each form with its own version: v2's hour meter with its unit, v1's answers by their items
  await signInToBackOffice(page, server);
  await page.goto(`${server.url}/backoffice/#/forms/${formId}`);
  await page.getByTestId('checklist-ref').filter({ hasText: '第 2 版' }).waitFor();
  expect(await page.getByTestId('format-version').textContent()).toContain('2');
  expect(await page.getByTestId('answer-meter.hours').textContent()).toBe('1234.5 小时');
  await page.goto(`${server.url}/backoffice/#/forms/${v1.form.id}`);
  await page.getByTestId('checklist-ref').filter({ hasText: '第 1 版' }).waitFor();
  expect(await page.getByTestId('answer-form.fault-found').textContent()).toBe('主刷电机碳刷磨损');
  expect(await page.getByTestId('section-repair').textContent()).not.toContain('工作小时数');

  // the export: v1's columns as ever, then the new item's, filled only for the v2 form
  const csv = await server.admin<string>(API.admin.exportCsv);
  const [header, ...rows] = parse(csv.replace(/^\uFEFF/, '')) as string[][];
  const column = (name: string) => header!.indexOf(name);
  expect(header!.slice(0, 28)).toEqual(expect.arrayContaining(['faultFound', 'workDone', 'satisfaction', 'sealHash']));
  expect(column('meter.hours')).toBeGreaterThan(column('sealHash'));
  const row = (id: string) => rows.find((r) => r[column('id')] === id)!;
  expect(row(formId)[column('meter.hours')]).toBe('1234.5');
  expect(row(formId)[column('checklist')]).toBe('onsite-service v2');
  expect(row(v1.form.id)[column('meter.hours')]).toBe('');
  expect(row(v1.form.id)[column('faultFound')]).toBe('主刷电机碳刷磨损');
}, WALK_TIMEOUT_MS);
