// The production build, offline: after one online load the service worker has everything, so a cold
// start in airplane mode opens the app without a single request reaching the network; the back office
// and the verify page are not cached; a precache left by an older Workbox format is deleted when the worker activates.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page, Response } from 'playwright-core';
import { expect } from 'vitest';
import { reachableFiles } from './first-load';
import { browserTest, goOffline, setUpBrowserAndApp } from './harness';
import { cachedPaths, cacheNames, stopServiceWorkers, waitForServiceWorkerControl } from './service-worker';

setUpBrowserAndApp();

/** The app's root element has rendered something. */
const APP_RENDERED = '#app > *';

function collectResponses(page: Page): Response[] {
  const responses: Response[] = [];
  page.on('response', (response) => responses.push(response));
  return responses;
}

browserTest('after one online load, a cold start offline opens the app from the service worker alone', async ({ app, context, page }) => {
  await page.goto(`${app.baseUrl}/`);
  expect(await waitForServiceWorkerControl(page)).toBe(`${app.baseUrl}/sw.js`);
  await page.waitForSelector(APP_RENDERED);

  await goOffline(context);
  await stopServiceWorkers(context, page);
  await page.close();
  const requestsBefore = app.server.requests.length;

  const cold = await context.newPage();
  const responses = collectResponses(cold);
  const navigation = await cold.goto(`${app.baseUrl}/`);
  await cold.waitForSelector(APP_RENDERED);

  expect(navigation?.ok()).toBe(true);
  expect(responses.length).toBeGreaterThan(1);
  expect(responses.filter((response) => !response.fromServiceWorker()).map((response) => response.url())).toEqual([]);
  expect(app.server.requests.slice(requestsBefore)).toEqual([]);
});

browserTest('offline, any in-app path opens the app; the back office, the verify page and the API are not answered from the cache', async ({ app, context, page }) => {
  await page.goto(`${app.baseUrl}/`);
  await waitForServiceWorkerControl(page);
  await goOffline(context);

  const deepLink = await page.goto(`${app.baseUrl}/visits/some-visit`);
  expect(deepLink?.fromServiceWorker()).toBe(true);
  await page.waitForSelector(APP_RENDERED);

  await expect(page.goto(`${app.baseUrl}/backoffice/`)).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
  await expect(page.goto(`${app.baseUrl}/verify#f=x&s=y`)).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
  await expect(page.goto(`${app.baseUrl}/api/v1/visits`)).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
});

browserTest('the precache holds every file of the app, lazy chunks included, and nothing only the back office or the verify page loads', async ({ app, page }) => {
  await page.goto(`${app.baseUrl}/`);
  await waitForServiceWorkerControl(page);
  const cached = await cachedPaths(page);

  const appFiles = await reachableFiles(app.outDir, 'index.html');
  const manifest = JSON.parse(await readFile(join(app.outDir, 'manifest.webmanifest'), 'utf8')) as { icons: Array<{ src: string }> };
  for (const path of ['/index.html', '/manifest.webmanifest', ...manifest.icons.map((icon) => icon.src), ...appFiles]) {
    expect(cached, `${path} should be precached`).toContain(path);
  }

  const backofficeOnly = (await reachableFiles(app.outDir, 'backoffice/index.html')).filter((path) => !appFiles.includes(path));
  expect(backofficeOnly.length).toBeGreaterThan(0); // at least the back office's entry script
  for (const path of ['/backoffice/index.html', ...backofficeOnly]) expect(cached, `${path} must not be precached`).not.toContain(path);
  const verifyOnly = (await reachableFiles(app.outDir, 'verify/index.html')).filter((path) => !appFiles.includes(path));
  expect(verifyOnly.length).toBeGreaterThan(0);
  for (const path of ['/verify/index.html', ...verifyOnly]) expect(cached, `${path} must not be precached`).not.toContain(path);
});

browserTest('a precache left by an older Workbox format is deleted when the worker activates', async ({ app, page }) => {
  // a page of the origin that does not register the worker, to plant the old cache first
  await page.goto(`${app.baseUrl}/manifest.webmanifest`);
  const stale = `workbox-precache-v1-${app.baseUrl}/`;
  const unrelated = 'someone-elses-cache';
  await page.evaluate(async (names) => {
    for (const name of names) await (await caches.open(name)).put('/old.js', new Response('old'));
  }, [stale, unrelated]);

  await page.goto(`${app.baseUrl}/`);
  await waitForServiceWorkerControl(page);

  const names = await cacheNames(page);
  expect(names).not.toContain(stale);
  expect(names).toContain(unrelated);
  expect(names).toContain(`workbox-precache-v2-${app.baseUrl}/`);
});
