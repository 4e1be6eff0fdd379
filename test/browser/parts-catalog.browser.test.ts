// The back office's parts catalog page in Chromium, behind the real server: customer service imports a
// GB18030 CSV with Chinese headers (each bad row listed with its row and column), adds a part, changes
// one, finds and removes one; the dispatcher sees the catalog but no control that changes it.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Role } from '../../src/domain/accounts';
import { gb18030 } from '../server/sheets/gb18030';
import { serverTest as test, setUpBrowserAndServer, signInToBackOffice, type RealServer } from './real-server';

setUpBrowserAndServer();

async function openPartsPage(page: Page, server: RealServer, role: Role): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInToBackOffice(page, server, role);
  await page.goto(`${server.url}/backoffice/#/parts`);
  await page.getByTestId('page-parts').waitFor();
}

const codes = (page: Page) => page.getByTestId('part-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-code')));

test('customer service imports, adds, changes and removes parts; the dispatcher only reads them', async ({ server, page, context }) => {
  await openPartsPage(page, server, 'customer-service');
  const csv = gb18030('零件编号,零件名称,单位\r\nXS-1002,主刷电机碳刷,个\r\nVP-0007,真空泵密封圈,个\r\nXS-1002,重复的编号,个\r\n,没有编号,个\r\n');
  await page.getByTestId('parts-file').setInputFiles({ name: '配件目录.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('parts-import-submit').click();
  await page.getByTestId('parts-import-counts').waitFor();
  expect(await page.getByTestId('parts-import-counts').textContent()).toBe('新增 2 个配件，更新 0 个。');
  const errors = await page.getByTestId('parts-import-error-row').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)));
  expect(errors).toEqual([['4', '零件编号'], ['5', '零件编号']]);
  await expect.poll(() => codes(page)).toEqual(['VP-0007', 'XS-1002']);

  // one added by hand, one changed (its code stays)
  await page.getByTestId('part-field-code').fill('BR-0100');
  await page.getByTestId('part-field-name').fill('边刷');
  await page.getByTestId('part-field-unit').fill('把');
  await page.getByTestId('part-save').click();
  await page.getByTestId('part-saved').waitFor();
  await expect.poll(() => codes(page)).toEqual(['BR-0100', 'VP-0007', 'XS-1002']);
  await page.getByRole('button', { name: '修改配件 XS-1002' }).click();
  expect(await page.getByTestId('part-field-code').inputValue()).toBe('XS-1002');
  await page.getByTestId('part-field-name').fill('主刷电机碳刷（加长）');
  await page.getByTestId('part-save').click();
  await expect.poll(() => page.locator('[data-testid="part-row"][data-code="XS-1002"] td').nth(1).textContent()).toBe('主刷电机碳刷（加长）');

  // found by name, then removed
  await page.getByTestId('parts-search').fill('密封');
  await expect.poll(() => codes(page)).toEqual(['VP-0007']);
  await page.getByRole('button', { name: '删除配件 VP-0007' }).click();
  await page.getByTestId('parts-empty').waitFor();
  await page.getByTestId('parts-search').fill('');
  await expect.poll(() => codes(page)).toEqual(['BR-0100', 'XS-1002']);
  const audit = (await server.storage.listAudit({}, { before: null, limit: 50 })).entries.filter((e) => e.action.startsWith('part')).map((e) => e.action).reverse();
  expect(audit).toEqual(['parts.imported', 'part.saved', 'part.saved', 'part.removed']);

  await context.clearCookies();
  await openPartsPage(page, server, 'dispatcher');
  await expect.poll(() => codes(page)).toEqual(['BR-0100', 'XS-1002']);
  expect(await page.getByTestId('parts-import').count()).toBe(0);
  expect(await page.getByTestId('part-form').count()).toBe(0);
  expect(await page.getByRole('button', { name: /删除配件/ }).count()).toBe(0);
});
