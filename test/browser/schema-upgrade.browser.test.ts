// The first schema upgrade with the app open in two tabs: a newer version of the app opens the phone's
// database one version up in one tab. Its upgrade must go through at once, not wait for the other
// tabs to be closed by hand: every tab of the older version closes its connection and says plainly,
// in the user's language, that the page stopped saving and must be reloaded; a step tapped there after
// that is refused with the same words, and nothing saved before is lost.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { coreZh } from '../../src/app/i18n/zh-CN';
import { DB_NAME, DB_VERSION } from '../../src/device/db';
import { readDraftRecords } from './crash-steps';
import { dispatchVisit, downloadVisits, openVisit, tick, WALK_TIMEOUT_MS } from './e2e-steps';
import { enrollThroughSettings, serverTest as test, setUpBrowserAndServer } from './real-server';

setUpBrowserAndServer();

/** How long the newer version's open may wait before it counts as stalled: far beyond any machine's pace. */
const UPGRADE_BOUND_MS = 30_000;

/**
 * What the newer version of the app does at start-up, from `page`: open the database one version up,
 * adding a store. Resolves 'upgraded' when the open succeeded; 'blocked' is noted on the way (an older
 * connection held on), and 'stalled' means the open never finished within the bound.
 */
function openNewerVersion(page: Page): Promise<{ outcome: 'upgraded' | 'stalled'; blocked: boolean; stores: string[] }> {
  return page.evaluate(({ name, version, bound }) => new Promise((resolve, reject) => {
    let blocked = false;
    const request = indexedDB.open(name, version);
    const stalled = setTimeout(() => resolve({ outcome: 'stalled', blocked, stores: [] }), bound);
    request.onupgradeneeded = () => request.result.createObjectStore('photos');
    request.onblocked = () => (blocked = true);
    request.onsuccess = () => {
      clearTimeout(stalled);
      const stores = [...request.result.objectStoreNames];
      request.result.close();
      resolve({ outcome: 'upgraded', blocked, stores });
    };
    request.onerror = () => reject(request.error);
  }), { name: DB_NAME, version: DB_VERSION + 1, bound: UPGRADE_BOUND_MS });
}

test('a newer schema opened in one tab upgrades at once; the older tabs stop saving and ask for a reload', async ({ server, context, page: older }) => {
  const uncaught: string[] = [];
  older.on('pageerror', (error) => uncaught.push(error.message));
  const visit = await dispatchVisit(server);
  await enrollThroughSettings(older, server);
  await downloadVisits(older);
  const formId = await openVisit(older, visit.id);
  await tick(older, 'dress.clothes');

  // a second tab of the same app, on the visit list: it holds its own connection too
  const newer = await context.newPage();
  await newer.goto(server.url);
  await newer.getByTestId(`visit-${visit.id}`).waitFor();

  const upgrade = await openNewerVersion(newer);
  expect(upgrade.outcome).toBe('upgraded');
  expect(upgrade.stores).toContain('photos');

  for (const page of [older, newer]) {
    const banner = page.getByTestId('storage-closed');
    await banner.waitFor();
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.getAttribute('data-reason')).toBe('newer-version');
    expect(await banner.textContent()).toContain(coreZh['banner.closed.newer-version']);
  }

  // a step tapped in the older tab is not saved, and says why instead of an unexplained failure
  await older.getByTestId('tick-dress.work-id').click();
  const failure = older.getByTestId('write-failure');
  await failure.waitFor();
  expect(await failure.textContent()).toContain(coreZh['error.closed']);
  await older.locator('[data-testid="tick-dress.work-id"][aria-checked="false"][data-pending="false"]').waitFor();

  // what was saved before the upgrade is there under the new version
  const records = await readDraftRecords(newer, formId);
  expect(records.events.map((event) => event.action)).toEqual([{ type: 'tick', item: 'dress.clothes' }]);
  expect(uncaught).toEqual([]);

  // the banner's button reloads the page (the newer version's code, once its service worker serves it)
  await Promise.all([older.waitForEvent('load'), older.getByTestId('storage-closed-reload').click()]);
}, WALK_TIMEOUT_MS);
