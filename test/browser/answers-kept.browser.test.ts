// What a technician types or picks is never replaced by an older saved answer (src/app/phases/fields.tsx):
// not when it is typed in the very first frame a field is on screen, before the field's effects ran, and
// not when it is typed while a save of the same field is still in flight. The CPU is throttled 4× as on a
// cheap phone. Nothing here waits for a time: the save is held in flight by a transaction of the test's
// own that keeps the draft stores busy, and "after the field's effects" is two animation frames and a task
// later, which is when Preact runs them.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { arrive, dispatchVisit, downloadVisits, handOver, openVisit, PROHIBITIONS, prepare, repair, verify, WALK_TIMEOUT_MS } from './e2e-steps';
import { EVENT_TIMEOUT_MS } from './harness';
import { enrollThroughSettings, serverTest as test, setUpBrowserAndServer } from './real-server';

setUpBrowserAndServer();

const FIRST = '主刷电机碳刷磨损';
const MORE = '，刷盘轴承松动';

/**
 * Arms the page: the moment an element with `testId` is put on the page, `text` is typed into it (its value
 * set and an input event sent, as a keyboard would), before any effect of that render could run.
 * `window.__typedInFirstFrame` resolves with the box's value once the effects after that render have run.
 */
function armFirstFrameTyping(page: Page, testId: string, text: string): Promise<void> {
  return page.evaluate(({ testId, text }) => {
    const afterEffects = () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve))));
    const w = window as unknown as { __typedInFirstFrame: Promise<string> };
    w.__typedInFirstFrame = new Promise<string>((resolve) => {
      const observer = new MutationObserver(() => {
        const box = document.querySelector<HTMLTextAreaElement>(`[data-testid="${testId}"]`);
        if (!box) return;
        observer.disconnect();
        box.value = text;
        box.dispatchEvent(new Event('input', { bubbles: true }));
        void afterEffects().then(() => resolve(box.value));
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
  }, { testId, text });
}

/**
 * Holds a read-write transaction on the draft stores until `releaseDraftStores` is called, so every save the
 * app starts meanwhile waits behind it: a save in flight, for as long as the test needs.
 */
async function holdDraftStores(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve, reject) => {
    const request = indexedDB.open('onsite');
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction(['drafts', 'draftEvents'], 'readwrite');
      const w = window as unknown as { __releaseDraftStores?: () => void };
      let held = true;
      w.__releaseDraftStores = () => {
        held = false;
      };
      // a transaction stays open while it has requests: keep asking until released
      const keepBusy = () => {
        const get = tx.objectStore('drafts').count();
        get.onsuccess = () => (held ? keepBusy() : undefined);
      };
      keepBusy();
      tx.oncomplete = () => db.close();
      resolve();
    };
  }));
}

const releaseDraftStores = (page: Page) => page.evaluate(() => (window as unknown as { __releaseDraftStores: () => void }).__releaseDraftStores());

/** Resolves once the page's effects of the last render have run (see the file's comment). */
const afterEffects = (page: Page) => page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve)))));

/** The values the draft saved for the field item `item`, in order, read from IndexedDB. */
function savedValues(page: Page, formId: string, item: string): Promise<unknown[]> {
  return page.evaluate(({ formId, item }) => new Promise<unknown[]>((resolve, reject) => {
    const request = indexedDB.open('onsite');
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const all = db.transaction('draftEvents', 'readonly').objectStore('draftEvents').getAll(IDBKeyRange.bound([formId, 0], [formId, Infinity]));
      all.onerror = () => reject(all.error);
      all.onsuccess = () => {
        db.close();
        const events = all.result as Array<{ event: { action: { type: string; item?: string; value?: unknown } } }>;
        resolve(events.map((r) => r.event.action).filter((a) => a.type === 'set' && a.item === item).map((a) => a.value));
      };
    };
  }), { formId, item });
}

async function throttleCpu(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}

/**
 * In one task: types `text` into the box with `testId` (an input event), sends `event` (the page hidden or
 * closed) and lets a zero-delay timer run, which is before any save after a typing pause could; resolves
 * whether the visit was saving by then.
 */
function savingRightAfter(page: Page, testId: string, text: string, event: 'pagehide' | 'visibilitychange'): Promise<boolean> {
  return page.evaluate(async ({ testId, text, event }) => {
    const box = document.querySelector<HTMLTextAreaElement>(`[data-testid="${testId}"]`)!;
    box.value = text;
    box.dispatchEvent(new Event('input', { bubbles: true }));
    if (event === 'visibilitychange') {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    } else window.dispatchEvent(new Event('pagehide'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    return document.querySelector('[data-testid="save-status"]')?.getAttribute('data-saving') === 'true';
  }, { testId, text, event });
}

const MORE_STILL = '，已润滑';
const ANSWER_WORK = '更换碳刷';

test('text typed in the first frame of a phase, and more typed while its save is in flight, stays on screen and is saved, with no save button', async ({ server, page }) => {
  const visit = await dispatchVisit(server);
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  const formId = await openVisit(page, visit.id);
  await throttleCpu(page);
  await prepare(page);
  await arrive(page, true);
  await repair(page);

  // the sign phase comes on screen when the customer's test run passes: the fault found is typed into at once
  await armFirstFrameTyping(page, 'field-form.fault-found', FIRST);
  await verify(page);
  const box = page.getByTestId('field-form.fault-found');
  expect(await page.evaluate(() => (window as unknown as { __typedInFirstFrame: Promise<string> }).__typedInFirstFrame)).toBe(FIRST);
  expect(await box.inputValue()).toBe(FIRST);
  expect(await page.getByTestId('save-faultFound').count()).toBe(0);
  // saved as typed, the box not left: after the pause in the typing
  await expect.poll(() => savedValues(page, formId, 'form.fault-found'), { timeout: EVENT_TIMEOUT_MS }).toEqual([FIRST]);
  await page.getByTestId('saved-form.fault-found').waitFor();

  // type on and leave the box (its change event): the save starts, held in flight; more is typed meanwhile
  await holdDraftStores(page);
  await box.press('End');
  await box.pressSequentially(MORE);
  await box.dispatchEvent('change');
  await page.getByTestId('saving-form.fault-found').waitFor();
  await box.pressSequentially(MORE_STILL);
  await releaseDraftStores(page);
  // every save is of what was on screen then, and the last is all of it; nothing typed was lost on screen
  const whole = FIRST + MORE + MORE_STILL;
  await expect.poll(async () => (await savedValues(page, formId, 'form.fault-found')).at(-1), { timeout: EVENT_TIMEOUT_MS }).toBe(whole);
  for (const value of await savedValues(page, formId, 'form.fault-found')) expect(whole.startsWith(String(value))).toBe(true);
  await afterEffects(page);
  expect(await box.inputValue()).toBe(whole);
  await page.getByTestId('saved-form.fault-found').waitFor();
  expect(await page.getByTestId('save-status').getAttribute('data-unsaved')).toBe('false');

  // the page hidden or closed saves at once, before any pause in the typing could
  await holdDraftStores(page);
  expect(await savingRightAfter(page, 'field-form.fault-found', `${whole}。`, 'pagehide')).toBe(true);
  await releaseDraftStores(page);
  await expect.poll(async () => (await savedValues(page, formId, 'form.fault-found')).at(-1), { timeout: EVENT_TIMEOUT_MS }).toBe(`${whole}。`);
  await holdDraftStores(page);
  expect(await savingRightAfter(page, 'field-form.work-done', ANSWER_WORK, 'visibilitychange')).toBe(true);
  await releaseDraftStores(page);
  await expect.poll(async () => (await savedValues(page, formId, 'form.work-done')).at(-1), { timeout: EVENT_TIMEOUT_MS }).toBe(ANSWER_WORK);
}, WALK_TIMEOUT_MS);


test('a conduct answer changed while the conduct is being saved stays changed and is saved next', async ({ server, page }) => {
  const visit = await dispatchVisit(server);
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  const formId = await openVisit(page, visit.id);
  await throttleCpu(page);
  await prepare(page);
  await arrive(page, true);
  await repair(page);
  await verify(page);
  // the conduct confirmation is the customer's: on their screen
  await handOver(page);

  const allKept = Object.fromEntries(PROHIBITIONS.map((rule) => [rule, 'kept']));
  const changed = PROHIBITIONS.at(-1)!;
  for (const rule of PROHIBITIONS.slice(0, -1)) await page.getByTestId(`conduct-${rule}-kept`).click();
  // three of four answered: nothing to save yet, and it says so
  await page.getByTestId('unsaved-form.conduct').waitFor();
  expect(await savedValues(page, formId, 'form.conduct')).toEqual([]);
  await holdDraftStores(page);
  // the fourth answer saves the confirmation, with no button; the save is held in flight
  await page.getByTestId(`conduct-${changed}-kept`).click();
  await page.getByTestId('saving-form.conduct').waitFor();
  // the customer changes their mind while the first answer is being saved
  await page.getByTestId(`conduct-${changed}-not-kept`).click();
  await releaseDraftStores(page);
  await expect.poll(() => savedValues(page, formId, 'form.conduct'), { timeout: EVENT_TIMEOUT_MS }).toEqual([allKept, { ...allKept, [changed]: 'not-kept' }]);
  await afterEffects(page);
  expect(await page.getByTestId(`conduct-${changed}-not-kept`).getAttribute('aria-checked')).toBe('true');
  expect(await page.getByTestId(`conduct-${changed}-kept`).getAttribute('aria-checked')).toBe('false');
  await page.getByTestId('saved-form.conduct').waitFor();
}, WALK_TIMEOUT_MS);
