// The bridge (src/app/sw-bridge.ts) and the service worker through an update, in a fixture page that
// shows what the bridge reports: "ready to work offline" once; a new build waits while the app is
// open, whatever the tabs do, and takes over only when the page calls applyUpdate, which reloads that
// page alone; the old build's files leave the cache when the new worker activates.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { bridgeTest as test, reported, setUpBridgeBuilds } from './bridge-fixture';
import type { Build } from './builds';
import { firstLoadFiles } from './first-load';
import { EVENT_TIMEOUT_MS, type StaticServer } from './harness';
import { cachedPaths, controllingBuildId, waitForActivated, waitForServiceWorkerControl, waitingBuildId } from './service-worker';
import { showAgainUntilUpdateFound } from './show-again';

setUpBridgeBuilds();

const loadId = (page: Page) => page.evaluate(() => document.body.dataset.loadId);
const shownBuild = (page: Page) => page.locator('#build').textContent();

/** Deploys `build`, shows the page again until the browser has found it, and waits until the bridge reports the update. */
async function deployAndShowAgain(server: StaticServer, build: Build, page: Page): Promise<void> {
  server.root = build.outDir;
  await showAgainUntilUpdateFound(page);
  await page.locator('#log', { hasText: 'update-available' }).waitFor();
}

async function applyUpdate(page: Page): Promise<void> {
  const reloaded = page.waitForEvent('load');
  await page.locator('#apply:enabled').click();
  await reloaded;
}

test('the first install reports "ready to work offline", once; later loads do not', async ({ server, builds, page }) => {
  await page.goto(`${server.baseUrl}/`);
  await page.locator('#log', { hasText: 'offline-ready' }).waitFor();
  expect(await waitForServiceWorkerControl(page)).toBe(`${server.baseUrl}/sw.js`);
  expect(await controllingBuildId(page)).toBe(builds.a.buildId);
  expect(await reported(page)).toEqual(['offline-ready']);

  await page.reload();
  await waitForServiceWorkerControl(page);
  // once this load's bridge has found the update, it has reported everything it would for this load
  await deployAndShowAgain(server, builds.b, page);
  expect(await reported(page)).toEqual(['update-available']);
});

test('a new build waits while the app is open and takes over only after applyUpdate, reloading that page alone', async ({ server, builds, context, page }) => {
  await page.goto(`${server.baseUrl}/`);
  await waitForServiceWorkerControl(page);
  await deployAndShowAgain(server, builds.b, page);
  expect(await waitingBuildId(page)).toBe(builds.b.buildId);
  expect(await controllingBuildId(page)).toBe(builds.a.buildId);

  // neither a second tab nor a reload lets it take over while the app is open
  const other = await context.newPage();
  await other.goto(`${server.baseUrl}/`);
  await other.locator('#log', { hasText: 'update-available' }).waitFor(); // found waiting when this tab registered
  await page.reload();
  await page.locator('#log', { hasText: 'update-available' }).waitFor();
  expect(await shownBuild(page)).toBe(builds.a.buildId);
  expect(await controllingBuildId(page)).toBe(builds.a.buildId);
  expect(await controllingBuildId(other)).toBe(builds.a.buildId);

  const otherLoad = await loadId(other);
  await applyUpdate(page);

  expect(await shownBuild(page)).toBe(builds.b.buildId);
  expect(await controllingBuildId(page)).toBe(builds.b.buildId);
  expect(await waitingBuildId(page)).toBeNull();
  // the other tab is served by B now but keeps its page (a visit may be open there); it is told to reload
  await expect.poll(() => reported(other), { timeout: EVENT_TIMEOUT_MS }).toEqual(['update-available', 'update-available']);
  expect(await loadId(other)).toBe(otherLoad);
  expect(await controllingBuildId(other)).toBe(builds.b.buildId);
});

test("once the new worker has activated, the cache holds the new build's files and not the old build's", async ({ server, builds, page }) => {
  const [entryA] = await firstLoadFiles(builds.a.outDir);
  const [entryB] = await firstLoadFiles(builds.b.outDir);
  expect(entryA).not.toBe(entryB); // the page shows its build id, so its script differs
  await page.goto(`${server.baseUrl}/`);
  await waitForServiceWorkerControl(page);
  expect(await cachedPaths(page)).toContain(entryA);

  await deployAndShowAgain(server, builds.b, page);
  await applyUpdate(page);
  await waitForActivated(page);

  const cached = await cachedPaths(page);
  expect(cached).toContain(entryB);
  expect(cached).toContain('/index.html');
  expect(cached).not.toContain(entryA);
});

test('when the worker cannot be registered, the page still runs and warns that it will not work offline', async ({ server, builds, page }) => {
  server.missing.add('/sw.js');
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await page.goto(`${server.baseUrl}/`);
  await expect.poll(() => warnings.some((text) => text.includes('service worker registration failed')), { timeout: EVENT_TIMEOUT_MS }).toBe(true);
  expect(await shownBuild(page)).toBe(builds.a.buildId);
  expect(await reported(page)).toEqual([]);
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()) === undefined)).toBe(true);
});
