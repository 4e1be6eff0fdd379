// Storage full while saving, with Chromium's real quota (CDP Storage.overrideQuotaForOrigin, honoured
// outside incognito only, hence a real profile): the origin starts with a small quota, which then
// shrinks to one byte; one large write puts the new quota in force at once (see requestStorage), so
// IndexedDB aborts the app's next write with QuotaExceededError. The technician is told plainly, in
// Chinese and in English; nothing saved before is lost, a reload still opens the visit; once space is
// freed the same step and the seal save as usual.
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { coreEn } from '../../src/app/i18n/en';
import { coreZh } from '../../src/app/i18n/zh-CN';
import { expectWhole, readDraftRecords, seedSignedDraft } from './crash-steps';
import { dispatchVisit, downloadVisits, openVisit, tick, WALK_TIMEOUT_MS } from './e2e-steps';
import { SETUP_TIMEOUT_MS } from './harness';
import { enrollThroughSettings, serverTest as test, type RealServer } from './real-server';

// the file's server; each test brings its own browser with a real profile (profileContext)
test.beforeAll(async ({ server }: { server: RealServer }) => void server, SETUP_TIMEOUT_MS);

/** The origin's storage quota, as Chromium enforces it. */
interface StorageQuota {
  /** sets the quota to `bytes`, or gives the origin its default quota back (null) */
  set(bytes: number | null): Promise<void>;
}

/**
 * Controls `origin`'s quota with CDP Storage.overrideQuotaForOrigin through a session on `page`. Chromium
 * honours the override only outside incognito (use a profile context), and only while that session
 * lives: keep the page open for as long as the quota must hold.
 */
async function storageQuota(context: BrowserContext, page: Page, origin: string): Promise<StorageQuota> {
  const cdp = await context.newCDPSession(page);
  return {
    async set(bytes) {
      await cdp.send('Storage.overrideQuotaForOrigin', bytes === null ? { origin } : { origin, quotaSize: bytes });
      const { quota, overrideActive } = await cdp.send('Storage.getUsageAndQuota', { origin });
      if (overrideActive !== (bytes !== null) || (bytes !== null && quota !== bytes)) {
        throw new Error(`Chromium did not take the quota override for ${origin} (asked ${bytes ?? 'default'}, has ${quota}, override active: ${overrideActive}); is this an incognito context?`);
      }
    },
  };
}

/**
 * Asks IndexedDB for `bytes` of incompressible data, in one transaction on a database of its own (deleted
 * afterwards), and resolves 'ok' or the name of the error the write aborted with. Chromium lets small
 * writes through on an allowance cached for up to 30 s (IndexedDB BucketContext::kBucketSpaceCacheTimeLimit);
 * a request larger than any allowance it can hold makes it ask the quota manager again, so a quota set
 * just before holds for every write after this one. The data goes in pieces under 64 KiB: Chromium
 * keeps larger values as blobs, which this check does not count.
 */
function requestStorage(page: Page, bytes: number): Promise<string> {
  return page.evaluate(async (bytes) => {
    const name = 'onsite-crash-test-filler';
    const piece = 32 * 1024;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore('filler');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction('filler', 'readwrite');
    for (let at = 0; at < bytes; at += piece) tx.objectStore('filler').put(crypto.getRandomValues(new Uint8Array(piece)), at);
    const outcome = await new Promise<string>((resolve) => {
      tx.oncomplete = () => resolve('ok');
      tx.onabort = () => resolve(tx.error?.name ?? 'AbortError');
    });
    db.close();
    await new Promise((resolve) => (indexedDB.deleteDatabase(name).onsuccess = resolve));
    return outcome;
  }, bytes);
}

/** The origin's quota from its first write on: room for the app, its cache and a visit, and a bound on Chromium's cached allowance. */
const STARTING_QUOTA = 16 * 1024 * 1024;

/** Enrolled under the starting quota, a visit of its own downloaded and open; the quota holds while `page` is open. */
async function openVisitEnrolled(server: RealServer, context: BrowserContext, page: Page): Promise<{ formId: string; quota: StorageQuota }> {
  const quota = await storageQuota(context, page, server.url);
  await quota.set(STARTING_QUOTA);
  const visit = await dispatchVisit(server);
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  return { formId: await openVisit(page, visit.id), quota };
}

/** Storage full: one byte of quota, in force from the next write on (see requestStorage). */
async function fillStorage(quota: StorageQuota, page: Page): Promise<void> {
  await quota.set(1);
  expect(await requestStorage(page, STARTING_QUOTA)).toBe('QuotaExceededError');
}

async function writeFailure(page: Page): Promise<string> {
  return (await page.getByTestId('write-failure').textContent()) ?? '';
}

test('storage full while ticking: the technician is told in Chinese and in English, nothing saved is lost, and once space is freed the tick saves', async ({ server, profileContext: context }) => {
  const page = await context.newPage();
  const { formId, quota } = await openVisitEnrolled(server, context, page);
  await tick(page, 'dress.clothes');
  await tick(page, 'dress.work-id');
  const saved = await readDraftRecords(page, formId);
  expect(saved.events).toHaveLength(2);

  await fillStorage(quota, page);
  await page.getByTestId('tick-kit.toolbox').click();
  await page.getByTestId('write-failure').waitFor();
  expect(await writeFailure(page)).toContain(coreZh['error.quota']);
  // the tap showed at once; the failed write flips it back
  await page.locator('[data-testid="tick-kit.toolbox"][data-pending="false"]').waitFor();
  expect(await page.getByTestId('tick-kit.toolbox').getAttribute('aria-checked')).toBe('false');

  await page.getByTestId('write-failure').getByRole('button').click();
  await page.getByTestId('locale-switch').click();
  await page.locator('html[lang="en"]').waitFor();
  // the switch itself could not be saved either: said, not swallowed
  await page.getByTestId('app-notice').filter({ hasText: coreEn['banner.localeNotSaved'].split('(')[0]!.trim() }).waitFor();
  expect(await page.getByTestId('app-notice').textContent()).toContain(coreEn['error.storageFull']);
  await page.getByTestId('tick-kit.toolbox').click();
  await page.getByTestId('write-failure').waitFor();
  expect(await writeFailure(page)).toContain(coreEn['error.quota']);
  expect(await readDraftRecords(page, formId)).toEqual(saved);

  // still full: the app starts and the visit opens with everything saved before
  await page.reload();
  await page.getByTestId('phase-prepare').waitFor();
  for (const [item, checked] of [['dress.clothes', 'true'], ['dress.work-id', 'true'], ['kit.toolbox', 'false']]) {
    expect(await page.getByTestId(`tick-${item}`).getAttribute('aria-checked'), item).toBe(checked);
  }
  expect(await readDraftRecords(page, formId)).toEqual(saved);

  await quota.set(null);
  await tick(page, 'kit.toolbox');
  expect(await page.getByTestId('write-failure').count()).toBe(0);
  await page.reload();
  await page.locator('[data-testid="tick-kit.toolbox"][aria-checked="true"]').waitFor();
  const after = await readDraftRecords(page, formId);
  expectWhole(after);
  expect(after.events.slice(0, 2)).toEqual(saved.events);
  expect(after.events.at(-1)!.action).toEqual({ type: 'tick', item: 'kit.toolbox' });
}, WALK_TIMEOUT_MS);

test('storage full at the seal: the form stays open with its signature and nothing in the outbox; once space is freed it seals', async ({ server, profileContext: context }) => {
  const page = await context.newPage();
  const { formId, quota } = await openVisitEnrolled(server, context, page);
  await seedSignedDraft(page, formId);
  await page.reload();
  await page.getByTestId('step-seal').waitFor();
  const signed = await readDraftRecords(page, formId);
  expectWhole(signed);

  await fillStorage(quota, page);
  await page.getByTestId('step-seal').click();
  await page.getByTestId('write-failure').waitFor();
  expect(await writeFailure(page)).toContain(coreZh['error.quota']);
  expect(await page.getByTestId('sealed-saved').count()).toBe(0);
  const refused = await readDraftRecords(page, formId);
  expect(refused).toEqual(signed);
  expect(refused.form).toBeUndefined();
  expect(refused.signature).toBeDefined();

  await quota.set(null);
  await page.getByTestId('step-seal').click();
  await page.getByTestId('sealed-saved').waitFor();
  const sealed = await readDraftRecords(page, formId);
  expectWhole(sealed);
  expect(sealed.events.slice(0, -1)).toEqual(signed.events);
  expect(sealed.form).toBeDefined();
}, WALK_TIMEOUT_MS);
