// The browser-test harness. `browserTest` is vitest's `test` with fixtures:
//   browser         one headless Chromium per test file
//   app             the production build (dist/, built at most once per change) served once per file
//   context, page   a fresh incognito context and page per test: no worker, cache or IndexedDB carried over
//   profileContext  a context in a real profile (its own browser), for what Chrome refuses in incognito,
//                   such as installability
// Every context still open when a test fails is screenshotted to test-results/. A test that needs another
// server (the real Node server, a second build) starts it and sends its pages to its base URL; `app` is
// only the default. The pieces are exported for the benchmark, which runs outside vitest.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { test, vi } from 'vitest';
import { ensureProductionBuild, type Build } from './builds';
import { launchChromium, launchChromiumWithProfile } from './chromium';
import { newTestContext, screenshotPages } from './pages';
import { serveStatic, type StaticServer } from './static-server';
import { BROWSER_TEST_TIMEOUT_MS, EVENT_TIMEOUT_MS } from './waits';

export { ensureBuild, ensureProductionBuild, REPO_ROOT, type Build, type BuildSpec } from './builds';
export { CHROMIUM_ARGS, ChromiumNotFoundError, findChromium, launchChromium, launchChromiumWithProfile } from './chromium';
export { goOffline, newTestContext, RESULTS_DIR, screenshotPages } from './pages';
export { serveStatic, type StaticServer } from './static-server';
export { BROWSER_TEST_TIMEOUT_MS, EVENT_TIMEOUT_MS } from './waits';

// every browser test file imports this module: its tests get the browser bound, not the unit tests' 20 s
vi.setConfig({ testTimeout: BROWSER_TEST_TIMEOUT_MS });

/**
 * How long a file may take to build and serve what it needs before its first test: builds on a busy CI
 * box take longer than a test may, and one may first wait for another file's build of the same folder.
 */
export const SETUP_TIMEOUT_MS = 600_000;

/** The production build (dist/) and a static server over it. */
export interface ServedBuild extends Build {
  server: StaticServer;
  /** the server's base URL, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
}

export async function serveBuild(build: Build): Promise<ServedBuild> {
  const server = await serveStatic(build.outDir);
  return { ...build, server, baseUrl: server.baseUrl };
}

export const browserTest = test
  .extend('browser', { scope: 'file' }, async ({}, { onCleanup }): Promise<Browser> => {
    const browser = await launchChromium();
    onCleanup(() => browser.close());
    return browser;
  })
  .extend('app', { scope: 'file' }, async ({}, { onCleanup }): Promise<ServedBuild> => {
    const served = await serveBuild(await ensureProductionBuild());
    onCleanup(() => served.server.close());
    return served;
  })
  .extend('context', async ({ browser, task }, { onCleanup }): Promise<BrowserContext> => {
    const context = await newTestContext(browser);
    onCleanup(async () => {
      if (task.result?.state === 'fail') await screenshotPages(context, task.fullName);
      await context.close();
    });
    return context;
  })
  .extend('page', async ({ context }): Promise<Page> => context.newPage())
  .extend('profileContext', async ({ task }, { onCleanup }): Promise<BrowserContext> => {
    const userDataDir = await mkdtemp(join(tmpdir(), 'onsite-profile-'));
    const context = await launchChromiumWithProfile(userDataDir);
    context.setDefaultTimeout(EVENT_TIMEOUT_MS);
    onCleanup(async () => {
      if (task.result?.state === 'fail') await screenshotPages(context, task.fullName);
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    });
    return context;
  });

/**
 * Starts the file's browser and builds and serves the app before its first test, under SETUP_TIMEOUT_MS
 * (fixtures set up inside a test count against the test's timeout). Call it at the top of the file.
 */
export function setUpBrowserAndApp(): void {
  browserTest.beforeAll(async ({ browser, app }) => {
    // naming the fixtures is what sets them up; they stay for the file's tests
    void [browser, app];
  }, SETUP_TIMEOUT_MS);
}
