// The equipment history and the dashboard in the production back office, against the real server:
// a form's serial leads to the unit's history, the search finds it too, and the dashboard draws its
// charts with uPlot — loaded by the dashboard alone, never by the technician app — each with a table
// holding the same figures.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { formRecord } from '../../src/server/ingest';
import { checklist, sealedForm } from '../fixtures/visits';
import { snap } from './e2e-steps';
import { firstLoadFiles, reachableFiles } from './first-load';
import { ensureProductionBuild } from './harness';
import { serverTest as test, setUpBrowserAndServer, signInToBackOffice, type RealServer } from './real-server';

setUpBrowserAndServer();

const DATES = ['2026-03-05', '2026-03-09', '2026-03-10'];

async function storeForms(server: RealServer): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, date] of DATES.entries()) {
    const { form, bytes } = await sealedForm({ facts: { date, firstVisit: false, festival: null }, technicianId: server.demo.technician.id, seed: i + 1 });
    const [outcome] = await server.storage.storeForms([formRecord(form, checklist, Buffer.from(bytes), { receivedAt: new Date().toISOString(), source: 'import', clockDriftMs: null })]);
    expect(outcome!.status).toBe('accepted');
    ids.push(form.id);
  }
  return ids;
}

async function signIn(page: Page, server: RealServer): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signInToBackOffice(page, server, 'viewer');
  await page.getByTestId('forms-table').waitFor();
}

const rowDates = (page: Page) => page.locator('[data-testid="equipment-row"] td:first-child').allTextContents();

test('a form\'s serial opens the unit\'s history, newest first; the search finds the same', async ({ server, context }) => {
  const ids = await storeForms(server);
  const page = await context.newPage();
  await signIn(page, server);
  await page.goto(`${server.url}/backoffice/#/forms/${ids[0]}`);
  await page.getByTestId('serial-link').click();
  await page.getByTestId('equipment-table').waitFor();
  expect(await rowDates(page)).toEqual(['2026-03-10', '2026-03-09', '2026-03-05']);
  expect(await page.locator('[data-testid="equipment-row"]').first().textContent()).toContain('主刷电机碳刷磨损');
  await snap(page, 'backoffice-equipment');

  await page.goto(`${server.url}/backoffice/#/equipment`);
  await page.getByTestId('equipment-serial').fill('SN-123456');
  await page.getByTestId('equipment-submit').click();
  await page.getByTestId('equipment-table').waitFor();
  expect(await rowDates(page)).toEqual(['2026-03-10', '2026-03-09', '2026-03-05']);
  await page.locator('[data-testid="equipment-row"]').last().getByTestId('equipment-form-link').click();
  await page.locator('[data-testid="seal-check"][data-seal="verified"]').waitFor();
  expect(page.url()).toContain(`#/forms/${ids[0]}`);

  await page.goto(`${server.url}/backoffice/#/equipment?serial=SN-NONE`);
  await page.getByTestId('equipment-empty').waitFor();
});

test('the dashboard draws every chart with uPlot, each with its table, and uPlot is the dashboard\'s alone', async ({ server, context }) => {
  const page = await context.newPage();
  await signIn(page, server);
  const scripts: string[] = [];
  page.on('request', (request) => request.resourceType() === 'script' && scripts.push(new URL(request.url()).pathname));
  await page.goto(`${server.url}/backoffice/#/dashboard?from=2026-03-01&to=2026-03-31`);
  await page.getByTestId('compliance-table').waitFor();
  const charts = page.locator('figure.chart');
  expect(await charts.count()).toBe(8);
  for (const chart of await charts.all()) await chart.locator('canvas').first().waitFor();
  await snap(page, 'backoffice-dashboard');

  // the figures, as the tables give them: three forms (stored by the first test), all rated 5
  expect(await page.getByTestId('dashboard-total').textContent()).toContain('3');
  await page.locator('[data-testid="chart-satisfaction-distribution"] summary').click();
  const distribution = await page.locator('[data-testid="chart-table-satisfaction-distribution"] tbody td').allTextContents();
  expect(distribution).toEqual(['0', '0', '0', '0', '3']);
  expect(await page.locator('[data-testid="compliance-row"] td').first().textContent()).toBe('3');

  // uPlot: in a chunk the dashboard fetched, in none of the technician app's files nor the back office's first load
  const build = await ensureProductionBuild();
  // the library's own code (its plot overlay's class name), not a file name that merely points at its chunk
  const hasUplot = async (path: string) => (await readFile(join(build.outDir, path), 'utf8')).includes('u-over');
  const appFiles = (await reachableFiles(build.outDir, 'index.html')).filter((p) => p.endsWith('.js') || p.endsWith('.css'));
  expect(appFiles.length).toBeGreaterThan(0);
  for (const file of appFiles) expect(await hasUplot(file), file).toBe(false);
  for (const file of await firstLoadFiles(build.outDir, 'backoffice/index.html')) expect(await hasUplot(file), file).toBe(false);
  const fetched = await Promise.all(scripts.filter((p) => p.startsWith('/assets/')).map(hasUplot));
  expect(fetched).toContain(true);
});
