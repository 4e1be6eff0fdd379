// The page killed in the middle of saving a step, an answer and the seal (the renderer crashed with
// CDP Page.crash at a moment fixed by the save's own events or in the page's own time, across the
// save's transaction and just past its commit: see crash-steps.ts), offline as in a basement. Each time a new page starts the app, the
// visit opens (its log replays), and IndexedDB holds the state from just before the action or just
// after it, whole: never a sealed draft without its form in the outbox, never a form without its
// signature, never a draft record out of step with its log.
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import {
  cloneDraft, crashDuring, expectOutcome, expectWhole, installFreezeHook, killsAcross, measureTransactionMs, readDraftRecords, reopen, seedSignedDraft, settledRecords,
  SWEEP_TIMEOUT_MS, type DraftRecords,
} from './crash-steps';
import { dispatchVisit, downloadVisits, openVisit, prepare, tick } from './e2e-steps';
import { enrollThroughSettings, serverTest as test, setUpBrowserAndServer, type RealServer } from './real-server';
import { waitForServiceWorkerControl } from './service-worker';

setUpBrowserAndServer();

/** Kills per kind of save: after its first write, at its commit, and between, spread over its transaction (measured first) and half as long again. */
const KILLS = 15;

/** Enrolled, a visit of its own downloaded and open, the service worker in control, then offline. */
async function openVisitOffline(server: RealServer, context: BrowserContext, page: Page): Promise<string> {
  await installFreezeHook(context);
  const visit = await dispatchVisit(server);
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  const formId = await openVisit(page, visit.id);
  await waitForServiceWorkerControl(page);
  await context.setOffline(true);
  return formId;
}

const visitUrl = (server: RealServer, formId: string) => `${server.url}/#/visit/${formId}`;

/** The events saved before the crash are all still there, unchanged; at most the one being saved was added. */
function landed(before: DraftRecords, after: DraftRecords): boolean {
  expect(after.events.slice(0, before.events.length), 'what was saved before the crash').toEqual(before.events);
  expect([before.events.length, before.events.length + 1]).toContain(after.events.length);
  return after.events.length > before.events.length;
}

function report(action: string, spanMs: number, outcomes: { before: number; after: number }): void {
  const kills = outcomes.before + outcomes.after;
  console.log(`crash during ${action} (transaction ${spanMs.toFixed(1)} ms): ${kills} kills, reopened as before ${outcomes.before}, as after ${outcomes.after}, corrupt 0`);
}

test('a tick, with the page killed at 15 moments of its save: the app starts each time, and the tick is saved whole or not at all', async ({ server, context, page }) => {
  const formId = await openVisitOffline(server, context, page);
  const item = 'dress.clothes';
  const span = await measureTransactionMs(page, `tick-${item}`);
  const outcomes = { before: 0, after: 0 };
  let current = page;
  for (const kill of killsAcross(span, KILLS)) {
    const before = await readDraftRecords(current, formId);
    const wasTicked = (await current.getByTestId(`tick-${item}`).getAttribute('aria-checked')) === 'true';
    await crashDuring(context, current, `tick-${item}`, kill.moment);

    current = await reopen(context, visitUrl(server, formId));
    await current.getByTestId('phase-prepare').waitFor();
    const after = await readDraftRecords(current, formId);
    expectWhole(after);
    const saved = landed(before, after);
    expectOutcome(kill, saved);
    if (saved) expect(after.events.at(-1)!.action).toEqual({ type: wasTicked ? 'untick' : 'tick', item });
    // the screen shows what was saved
    expect(await current.getByTestId(`tick-${item}`).getAttribute('aria-checked')).toBe(String(wasTicked !== saved));
    outcomes[saved ? 'after' : 'before']++;
  }
  report('a tick', span, outcomes);
}, SWEEP_TIMEOUT_MS);

test("an answer, with the page killed at 15 moments of its save: the app starts each time, and the field holds the old text or the new, whole", async ({ server, context, page }) => {
  const formId = await openVisitOffline(server, context, page);
  await prepare(page);
  // a first visit: the self-introduction is left undone, so the visit stays on this phase
  await tick(page, 'greet.hello');
  // typed and the box left: saved at once (a pause after typing would save it too, at a moment not ours)
  const span = await measureTransactionMs(page, { testId: 'field-greet.account', type: '主刷不转。' });
  const outcomes = { before: 0, after: 0 };
  let current = page;
  for (const [i, kill] of killsAcross(span, KILLS).entries()) {
    const before = await readDraftRecords(current, formId);
    const shownBefore = await current.getByTestId('field-greet.account').inputValue();
    const text = `用户介绍（第 ${i + 1} 版）：主刷不转，运行时有异响。`;
    await crashDuring(context, current, { testId: 'field-greet.account', type: text }, kill.moment);

    current = await reopen(context, visitUrl(server, formId));
    await current.getByTestId('phase-arrive').waitFor();
    const after = await readDraftRecords(current, formId);
    expectWhole(after);
    const saved = landed(before, after);
    expectOutcome(kill, saved);
    if (saved) expect(after.events.at(-1)!.action).toEqual({ type: 'set', item: 'greet.account', value: text });
    expect(await current.getByTestId('field-greet.account').inputValue()).toBe(saved ? text : shownBefore);
    outcomes[saved ? 'after' : 'before']++;
  }
  report('an answer', span, outcomes);
}, SWEEP_TIMEOUT_MS);

/** A visit filled up to the seal, signed (walking it is visit.browser.test.ts's part); its draft is the template each seal below is a copy of. */
async function visitReadyToSeal(server: RealServer, context: BrowserContext, page: Page): Promise<{ template: string; records: DraftRecords }> {
  const template = await openVisitOffline(server, context, page);
  await seedSignedDraft(page, template);
  const records = await readDraftRecords(page, template);
  expectWhole(records);
  return { template, records };
}

/** A fresh copy of the template, open on the sign phase. */
async function openCopy(page: Page, template: string): Promise<string> {
  const formId = await cloneDraft(page, template);
  await page.evaluate((id) => void (location.hash = `#/visit/${id}`), formId);
  await page.getByTestId('step-seal').waitFor();
  return formId;
}

/** Reopens a visit after a crash of its seal: the sign phase or the sealed form shows, and its records are whole. */
async function reopenSealing(context: BrowserContext, server: RealServer, formId: string): Promise<{ page: Page; records: DraftRecords }> {
  const page = await reopen(context, visitUrl(server, formId));
  await page.locator('[data-testid="phase-sign"], [data-testid="phase-sealed"]').first().waitFor();
  const records = await settledRecords(page, formId);
  expectWhole(records);
  return { page, records };
}

async function expectSealed(page: Page, records: DraftRecords, template: DraftRecords): Promise<void> {
  expect(records.events).toHaveLength(template.events.length + 1);
  expect(records.form!.status).toBe('queued');
  await page.getByTestId('sealed-saved').waitFor();
  // the screen says so too (a send may be under way, offline, until it has failed)
  await page.locator('[data-testid="sync-status"][data-status="queued"]').waitFor();
}

async function expectNotSealed(page: Page, records: DraftRecords, template: DraftRecords): Promise<void> {
  expect(records.events).toEqual(template.events);
  expect(records.form).toBeUndefined();
  await page.getByTestId('step-seal').waitFor();
}

test('the seal, with the page killed at 15 moments: each reopen shows the form open or sealed and queued with its signature, never half', async ({ server, context, page }) => {
  const { template, records: templateRecords } = await visitReadyToSeal(server, context, page);
  await openCopy(page, template);
  const span = await measureTransactionMs(page, 'step-seal');
  const outcomes = { before: 0, after: 0 };
  let current = page;
  for (const kill of killsAcross(span, KILLS)) {
    const formId = await openCopy(current, template);
    await crashDuring(context, current, 'step-seal', kill.moment);

    const reopened = await reopenSealing(context, server, formId);
    current = reopened.page;
    const sealed = landed(templateRecords, reopened.records);
    expectOutcome(kill, sealed);
    await (sealed ? expectSealed : expectNotSealed)(current, reopened.records, templateRecords);
    outcomes[sealed ? 'after' : 'before']++;
  }
  report('the seal', span, outcomes);
}, SWEEP_TIMEOUT_MS);

test("a kill once some of a transaction's writes are sent but before it commits keeps nothing of it; a kill after the seal has committed keeps all of it", async ({ server, context, page }) => {
  const { template, records: templateRecords } = await visitReadyToSeal(server, context, page);
  let current = page;
  // the seal writes its event, the draft and the form; clearing the signature writes its event, the draft and the bytes' removal
  for (const [testId, writes] of [['step-seal', 1], ['step-seal', 2], ['step-seal', 3], ['signature-redo', 1], ['signature-redo', 2], ['signature-redo', 3]] as const) {
    const formId = await openCopy(current, template);
    await current.getByTestId(testId).waitFor();
    await crashDuring(context, current, testId, { afterWrites: writes });

    const reopened = await reopenSealing(context, server, formId);
    current = reopened.page;
    await expectNotSealed(current, reopened.records, templateRecords);
    expect(reopened.records.signature, `${testId} killed after ${writes} writes: the signature is still there`).toBeDefined();
    await current.getByTestId('signature-redo').waitFor();
  }

  const formId = await openCopy(current, template);
  await current.getByTestId('step-seal').click();
  await current.getByTestId('sealed-saved').waitFor();
  await crashDuring(context, current, null, { afterMs: 0 });
  const reopened = await reopenSealing(context, server, formId);
  await expectSealed(reopened.page, reopened.records, templateRecords);
}, SWEEP_TIMEOUT_MS);
