// The parts picker on a 360 px phone, offline: the catalog the back office imported comes down with the
// visits; at the repair the technician finds a part by code and another by name as they type, steps a
// quantity with 48 px buttons, types a part the catalog does not hold, and the sealed form's parts are
// [{name, quantity, code?}] — the code only for the catalog's parts. Production build, real server.
import { expect } from 'vitest';
import { API } from '../../src/domain/api';
import { ANSWERS, arrive, dispatchVisit, downloadVisits, drawSignature, fillCustomerAnswers, fillText, formIdOf, openVisit, prepare, readSealedFromIndexedDB, repair, sealVisit, useSignature, verify, WALK_TIMEOUT_MS } from './e2e-steps';
import { goOffline } from './harness';
import { enrollThroughSettings, serverTest as test, setUpBrowserAndServer } from './real-server';
import { waitForServiceWorkerControl } from './service-worker';

setUpBrowserAndServer();

const CSV = '零件编号,零件名称,单位\nXS-1002,主刷电机碳刷,个\nXS-1001,主刷电机,台\nVP-0007,真空泵密封圈,个\n';

test('parts picked by code and by name offline, a quantity stepped, a part typed; the form holds them with their codes', async ({ server, context, page }) => {
  const imported = await server.admin<{ created: number }>(API.admin.partsImport, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: CSV });
  expect(imported.created).toBe(3);
  const visit = await dispatchVisit(server, { firstVisit: false });
  await enrollThroughSettings(page, server);
  await waitForServiceWorkerControl(page);
  await downloadVisits(page);
  expect(await page.locator('.actions + p[role="status"]').textContent()).toContain('零件目录 3 项');
  await goOffline(context);
  await page.reload();
  await page.getByTestId(`visit-${visit.id}`).waitFor();
  await openVisit(page, visit.id);
  await prepare(page);
  await arrive(page, false);
  await repair(page);
  await verify(page);
  await fillText(page, 'form.fault-found', ANSWERS.faultFound);
  await fillText(page, 'form.work-done', ANSWERS.workDone);

  const search = page.getByTestId('part-search');
  await search.scrollIntoViewIfNeeded();
  // by code, typed without the dash, as it is typed
  await search.pressSequentially('xs1002');
  await page.getByTestId('part-pick-XS-1002').click();
  expect(await page.getByTestId('part-name-0').inputValue()).toBe('主刷电机碳刷');
  expect(await page.getByTestId('part-code-0').textContent()).toContain('XS-1002');
  // a quantity stepped up twice and down once with 48 px buttons
  for (const id of ['part-more-0', 'part-less-0']) {
    const box = (await page.getByTestId(id).boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(48);
    expect(box.width).toBeGreaterThanOrEqual(48);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
  }
  await page.getByTestId('part-more-0').click();
  await page.getByTestId('part-more-0').click();
  await page.getByTestId('part-less-0').click();
  expect(await page.getByTestId('part-quantity-0').inputValue()).toBe('2');
  // by name
  await search.pressSequentially('密封');
  expect(await page.getByTestId('part-results').locator('button').allTextContents()).toEqual(['VP-0007 真空泵密封圈（个）']);
  await page.getByTestId('part-pick-VP-0007').click();
  // not in the catalog: typed and added as it is
  await search.pressSequentially('客户自备皮带');
  expect(await page.getByTestId('part-results').count()).toBe(0);
  await page.getByTestId('part-add').click();
  expect(await page.getByTestId('part-name-2').inputValue()).toBe('客户自备皮带');
  await page.locator('fieldset', { has: page.getByTestId('part-search') }).locator('.done-note').waitFor();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

  await fillCustomerAnswers(page);
  await drawSignature(page);
  await useSignature(page);
  await sealVisit(page);
  const sealed = await readSealedFromIndexedDB(page, formIdOf(page));
  expect(sealed.form.formatVersion === 2 && sealed.form.answers['form.parts-used']).toEqual([
    { name: '主刷电机碳刷', quantity: 2, code: 'XS-1002' },
    { name: '真空泵密封圈', quantity: 1, code: 'VP-0007' },
    { name: '客户自备皮带', quantity: 1 },
  ]);
}, WALK_TIMEOUT_MS);
