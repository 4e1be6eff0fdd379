// A new build deployed while a visit is open. The production build (A) is served from a static origin
// whose root is then switched to a second production build (B, another build id, so another service
// worker); the API goes to the real server. The app says an update is there and does not reload by
// itself; the visit goes on under A; "update and reload" brings the page back under B with the draft
// as it was, and the next step saves. Worst case: the update is pressed while a write waits for
// IndexedDB: the new worker takes over only once that write is saved, and nothing is lost.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectWhole, readDraftRecords } from './crash-steps';
import { dispatchVisit, downloadVisits, fillText, openVisit, prepare, tick, waitForCurrentPhase, WALK_TIMEOUT_MS } from './e2e-steps';
import { ensureBuild, ensureProductionBuild, REPO_ROOT, serveStatic, SETUP_TIMEOUT_MS, type Build, type StaticServer } from './harness';
import { serverTest, type RealServer } from './real-server';
import { controllingBuildId, waitForServiceWorkerControl, waitingBuildId } from './service-worker';
import { showAgainUntilUpdateFound } from './show-again';

/** Build B: the production build again under another build id (the inputs are ensureProductionBuild's). */
function ensureBuildB(): Promise<Build> {
  return ensureBuild({
    configFile: 'vite.config.ts',
    outDir: join(REPO_ROOT, 'test-results/builds/onsite-update-b'),
    inputs: ['index.html', 'backoffice/index.html', 'verify/index.html', 'vite.config.ts', 'package-lock.json', 'public', 'checklists', 'src', 'types'],
    buildId: 'sw-update-mid-visit-b',
  });
}

const test = serverTest
  .extend('builds', { scope: 'file' }, async (): Promise<{ a: Build; b: Build }> => ({ a: await ensureProductionBuild(), b: await ensureBuildB() }))
  // the app's own origin, on build A; its API requests go on to the real server
  .extend('site', async ({ builds, server, context }, { onCleanup }): Promise<StaticServer> => {
    const site = await serveStatic(builds.a.outDir);
    onCleanup(() => site.close());
    await context.route(`${site.baseUrl}/api/**`, (route) => {
      const { pathname, search } = new URL(route.request().url());
      return route.continue({ url: server.url + pathname + search });
    });
    return site;
  });

test.beforeAll(async ({ browser, server, builds }) => {
  // naming the fixtures is what sets them up; they stay for the file's tests
  void [browser, server, builds];
}, SETUP_TIMEOUT_MS);

/** Enrolled through the settings screen of the app on `site`, a visit of its own downloaded and open, under build A's worker. */
async function openVisitOnSite(server: RealServer, site: StaticServer, builds: { a: Build }, page: Page): Promise<string> {
  const visit = await dispatchVisit(server);
  await page.goto(`${site.baseUrl}/#/settings`);
  await page.getByTestId('enroll-code').fill(await server.newEnrollmentCode());
  await page.getByTestId('enroll-submit').click();
  await page.getByTestId('enrolled-as').filter({ hasText: server.demo.technician.id }).waitFor();
  await downloadVisits(page);
  const formId = await openVisit(page, visit.id);
  await waitForServiceWorkerControl(page);
  expect(await controllingBuildId(page)).toBe(builds.a.buildId);
  return formId;
}

/** Deploys B, shows the page again until the browser has found it, and waits until the app offers the update. */
async function deployB(site: StaticServer, builds: { b: Build }, page: Page): Promise<void> {
  site.root = builds.b.outDir;
  await showAgainUntilUpdateFound(page);
  await page.getByTestId('update-available').waitFor();
  expect(await page.getByTestId('update-available').count()).toBe(1);
  expect(await waitingBuildId(page)).toBe(builds.b.buildId);
}

/** Marks this document, so a test can tell whether the page has been reloaded since. */
const markDocument = (page: Page) => page.evaluate(() => void Object.assign(window, { __sameDocument: true }));
const sameDocument = (page: Page) => page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument === true);

/** Presses "update and reload"; resolves once the page has loaded again. */
async function applyUpdate(page: Page): Promise<void> {
  const reloaded = page.waitForEvent('load');
  await page.getByTestId('update-reload').click();
  await reloaded;
}

test('a new build mid-visit waits while the visit goes on; "update and reload" brings the draft back intact under the new worker, and the next step saves', async ({ server, site, builds, page }) => {
  const formId = await openVisitOnSite(server, site, builds, page);
  await prepare(page);
  await tick(page, 'greet.hello');
  await markDocument(page);

  await deployB(site, builds, page);
  // the visit goes on under A; the page has not reloaded
  await tick(page, 'greet.introduce');
  expect(await sameDocument(page)).toBe(true);
  expect(await controllingBuildId(page)).toBe(builds.a.buildId);
  const before = await readDraftRecords(page, formId);

  await applyUpdate(page);
  expect(await sameDocument(page)).toBe(false);
  expect(await controllingBuildId(page)).toBe(builds.b.buildId);
  expect(await waitingBuildId(page)).toBeNull();
  await waitForCurrentPhase(page, 'arrive');
  for (const item of ['greet.hello', 'greet.introduce']) expect(await page.getByTestId(`tick-${item}`).getAttribute('aria-checked'), item).toBe('true');
  expect(await readDraftRecords(page, formId)).toEqual(before);

  await fillText(page, 'greet.account', '主刷不转，运行时有异响。', { waitSaved: false });
  await waitForCurrentPhase(page, 'repair');
  const after = await readDraftRecords(page, formId);
  expectWhole(after);
  expect(after.events.slice(0, before.events.length)).toEqual(before.events);
  expect(after.events.at(-1)!.action).toEqual({ type: 'set', item: 'greet.account', value: '主刷不转，运行时有异响。' });
}, WALK_TIMEOUT_MS);

/**
 * Holds a readwrite transaction on the 'drafts' store open (a request chain) until released, so that
 * any write of a visit queues behind it. Resolves once the transaction is running.
 */
function holdDrafts(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('onsite');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const store = db.transaction('drafts', 'readwrite').objectStore('drafts');
          const spin = () => {
            if ((window as { __releaseDrafts?: boolean }).__releaseDrafts) return db.close();
            store.get('held').onsuccess = spin;
          };
          store.get('held').onsuccess = () => {
            spin();
            resolve();
          };
        };
      }),
  );
}

test('"update and reload" pressed while a step is still waiting to be written: the new worker takes over only after it is saved, and it is there after the reload', async ({ server, site, builds, page }) => {
  const formId = await openVisitOnSite(server, site, builds, page);
  await prepare(page);
  await deployB(site, builds, page);
  const before = await readDraftRecords(page, formId);
  await markDocument(page);

  await holdDrafts(page);
  // the tick's write queues behind the held transaction; the update is asked for in the same moment
  await page.evaluate(() => {
    for (const testId of ['tick-greet.hello', 'update-reload']) (document.querySelector(`[data-testid="${testId}"]`) as HTMLElement).click();
  });
  await page.locator('[data-testid="update-reload"][disabled]').waitFor();
  expect(await waitingBuildId(page)).toBe(builds.b.buildId);
  expect(await sameDocument(page)).toBe(true);

  const reloaded = page.waitForEvent('load');
  await page.evaluate(() => void Object.assign(window, { __releaseDrafts: true }));
  await reloaded;
  expect(await controllingBuildId(page)).toBe(builds.b.buildId);
  expect(await waitingBuildId(page)).toBeNull();
  await page.locator('[data-testid="tick-greet.hello"][aria-checked="true"]').waitFor();
  const after = await readDraftRecords(page, formId);
  expectWhole(after);
  expect(after.events.slice(0, before.events.length)).toEqual(before.events);
  expect(after.events.slice(before.events.length).map((event) => event.action)).toEqual([{ type: 'tick', item: 'greet.hello' }]);
}, WALK_TIMEOUT_MS);
