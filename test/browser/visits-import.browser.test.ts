// The back office's visits page in Chromium, behind the real server: the .xlsx template downloads,
// filled in it imports, a GB18030 CSV with Chinese headers imports, and a .xls is refused with what
// it is; each bad row is listed with its row and column.
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { gb18030 } from '../server/sheets/gb18030';
import { WALK_TIMEOUT_MS } from './e2e-steps';
import { serverTest as test, setUpBrowserAndServer, signInToBackOffice, type RealServer } from './real-server';

setUpBrowserAndServer();

async function openVisitsPage(page: Page, server: RealServer): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInToBackOffice(page, server, 'dispatcher');
  await page.goto(`${server.url}/backoffice/#/visits`);
  await page.getByTestId('visit-import').waitFor();
}

async function importFile(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
  await page.getByTestId('visit-csv').setInputFiles({ name, mimeType, buffer });
  await page.getByTestId('visit-import-submit').click();
}

test('imports the filled-in .xlsx template and a GB18030 CSV, and says what a .xls is', async ({ server, page }) => {
  const technicianId = server.demo.technician.id;
  await openVisitsPage(page, server);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('visit-template-xlsx').click()]);
  expect(download.suggestedFilename()).toBe('派单模板.xlsx');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile((await download.path())!);
  const sheet = workbook.worksheets[0]!;
  sheet.addRow(['V-XLSX-1', technicianId, new Date(Date.UTC(2026, 2, 12)), '是', '某市环卫处', '0571 8888 0001', '环卫路 1 号', '洗扫车']);
  sheet.addRow(['V-XLSX-2', technicianId, '2026-02-30', '否', '李先生', '', '', '扫路车']);
  await importFile(page, '派单.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', Buffer.from(await workbook.xlsx.writeBuffer()));
  await expect.poll(() => page.getByTestId('visit-import-created').textContent(), { timeout: 30_000 }).toMatch(/1/);
  const errorRow = page.getByTestId('visit-import-error-row');
  expect(await errorRow.count()).toBe(1);
  expect((await errorRow.locator('td').allTextContents()).slice(0, 2)).toEqual(['3', '上门日期']);
  await page.locator('[data-visit-id="V-XLSX-1"]').waitFor();

  // Windows labels a .csv an Excel file; the bytes say what it is
  const csv = gb18030(`派单编号,技师编号,上门日期,首次上门,客户名称,设备类型\r\nV-CSV-1,${technicianId},2026/3/13,否,王女士,垃圾车\r\n`);
  await importFile(page, '派单.csv', 'application/vnd.ms-excel', Buffer.from(csv));
  await page.locator('[data-visit-id="V-CSV-1"]').waitFor();
  expect(await page.getByTestId('visit-import-error-row').count()).toBe(0);
  expect(await page.locator('[data-visit-id="V-CSV-1"]').textContent()).toContain('王女士');

  await importFile(page, 'old.xls', 'application/vnd.ms-excel', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0)]));
  await expect.poll(() => page.getByTestId('visit-import-error').textContent(), { timeout: 30_000 }).toMatch(/\.xls \(Excel 97–2003\).*save it as \.xlsx or CSV/);
}, WALK_TIMEOUT_MS);
