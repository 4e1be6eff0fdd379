// Background Sync through the bridge and the worker, in the bridge fixture page: asking for it
// registers the outbox tag once a worker is active, and the sync event that follows runs the outbox
// sync in the worker (seen by the device database it opens: the fixture page itself opens none).
// Where no worker is active, asking resolves false.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { bridgeTest as test, reported, setUpBridgeBuilds } from './bridge-fixture';
import { EVENT_TIMEOUT_MS } from './harness';
import { waitForServiceWorkerControl } from './service-worker';

setUpBridgeBuilds();

const databaseNames = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name));

test('with an active worker, asking for background sync registers it, and the sync event runs the outbox sync in the worker', async ({ server, page }) => {
  await page.goto(`${server.baseUrl}/`);
  await waitForServiceWorkerControl(page);
  expect(await databaseNames(page)).toEqual([]);

  await page.locator('#sync').click();
  await page.locator('#log', { hasText: 'background-sync:' }).waitFor();
  expect(await reported(page)).toContain('background-sync:true');
  // online, the browser fires the event at once; the worker's run opens the phone's database
  await expect.poll(() => databaseNames(page), { timeout: EVENT_TIMEOUT_MS }).toEqual(['onsite']);
  // not enrolled: the run stops before asking the server anything
  expect(server.requests.filter((path) => path.startsWith('/api/'))).toEqual([]);
});

test('without an active worker, asking for background sync resolves false', async ({ server, page }) => {
  server.missing.add('/sw.js');
  await page.goto(`${server.baseUrl}/`);
  await page.locator('#sync').click();
  await page.locator('#log', { hasText: 'background-sync:' }).waitFor();
  expect(await reported(page)).toEqual(['background-sync:false']);
});
