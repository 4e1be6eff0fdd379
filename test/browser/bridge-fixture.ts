// `bridgeTest`: browserTest with the bridge fixture page (fixtures/bridge-page) built under two build
// ids, A and B, and a static server per test that starts on A (set `server.root` to deploy B).
import type { Page } from 'playwright-core';
import { ensureBridgeFixtureBuild, type Build } from './builds';
import { browserTest, serveStatic, SETUP_TIMEOUT_MS, type StaticServer } from './harness';

export const bridgeTest = browserTest
  .extend('builds', { scope: 'file' }, async (): Promise<{ a: Build; b: Build }> => {
    const a = await ensureBridgeFixtureBuild('bridge-a');
    return { a, b: await ensureBridgeFixtureBuild('bridge-b') };
  })
  .extend('server', async ({ builds }, { onCleanup }): Promise<StaticServer> => {
    const server = await serveStatic(builds.a.outDir);
    onCleanup(() => server.close());
    return server;
  });

/** Builds both fixtures and starts the browser before the file's first test, under the setup timeout. */
export function setUpBridgeBuilds(): void {
  bridgeTest.beforeAll(async ({ builds, browser }) => {
    // naming the fixtures is what sets them up; they stay for the file's tests
    void [builds, browser];
  }, SETUP_TIMEOUT_MS);
}

/** What the bridge reported on this page load, in order. */
export async function reported(page: Page): Promise<string[]> {
  return ((await page.locator('#log').textContent()) ?? '').split('\n').filter(Boolean);
}
