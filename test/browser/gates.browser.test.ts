// Each gate of the visit refuses a step taken out of order, and says on screen, next to the control,
// which rule refuses it: the rule's own wording from checklists/onsite-service/v1.json, in Chinese and,
// after the language switch, in English. Production build, real server, real Chromium.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Locale } from '../../src/domain/checklist';
import {
  arrive, checklist, dispatchVisit, downloadVisits, drawSignature, fillForm, handBack, handOver, openVisit, prepare, recordTest, repair,
  ruleText, sealVisit, showPhase, snap, startRepair, step, tick, useSignature, verify, WALK_TIMEOUT_MS, waitForCurrentPhase,
} from './e2e-steps';
import { enrollThroughSettings, serverTest as test, setUpBrowserAndServer, type RealServer } from './real-server';

setUpBrowserAndServer();

const itemText = (id: string, locale: Locale) => checklist.items.find((item) => item.id === id)!.text[locale];

async function switchLocale(page: Page, locale: Locale): Promise<void> {
  await page.getByTestId('locale-switch').click();
  await page.locator(`html[lang="${locale}"]`).waitFor();
}

/**
 * The refusal shown under `itemId` names `rule` (and the `missing` item, when given) in Chinese, then,
 * after switching the language, in English; the language is switched back for the next step.
 */
async function expectRefusal(page: Page, itemId: string, rule: string, missing?: string): Promise<void> {
  const refusal = page.getByTestId(`refusal-${itemId}`);
  for (const locale of ['zh-CN', 'en'] as const) {
    if (locale === 'en') await switchLocale(page, 'en');
    await refusal.filter({ hasText: ruleText(rule, locale) }).waitFor();
    expect(await refusal.getAttribute('role')).toBe('alert');
    if (missing) expect(await refusal.textContent()).toContain(itemText(missing, locale));
  }
  await switchLocale(page, 'zh-CN');
}

async function openNewVisit(page: Page, server: RealServer, firstVisit = true): Promise<void> {
  const visit = await dispatchVisit(server, { firstVisit });
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  await openVisit(page, visit.id);
}

test('the visit does not start before the technician is dressed and has the kit', async ({ server, page }) => {
  await openNewVisit(page, server);
  await waitForCurrentPhase(page, 'prepare');

  await page.getByTestId('step-start-visit').click();
  await expectRefusal(page, 'step.start-visit', 'dress', 'dress.clothes');

  await tick(page, 'dress.clothes');
  await tick(page, 'dress.work-id');
  await page.getByTestId('step-start-visit').click();
  await expectRefusal(page, 'step.start-visit', 'five-treasures', 'kit.toolbox');

  for (const item of ['kit.toolbox', 'kit.towel', 'kit.gloves', 'kit.mat']) await tick(page, item);
  await page.getByTestId('step-start-visit').click();
  await waitForCurrentPhase(page, 'arrive');
}, WALK_TIMEOUT_MS);

test('a tick the rules refuse is never shown ticked, not even for a frame: its rule is beside it', async ({ server, page }) => {
  await openNewVisit(page, server);
  await waitForCurrentPhase(page, 'prepare');
  await showPhase(page, 'arrive');
  const box = page.getByTestId('tick-greet.hello');
  await box.evaluate((element) => {
    const seen: string[] = [];
    Object.assign(window, { __seen: seen });
    new MutationObserver(() => seen.push(`${element.getAttribute('aria-checked')}/${element.getAttribute('data-pending')}`)).observe(element, { attributes: true });
  });
  await box.click();
  await expectRefusal(page, 'greet.hello', 'five-treasures');
  expect(await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen.filter((s) => !s.startsWith('false/false')))).toEqual([]);
  expect(await box.getAttribute('aria-checked')).toBe('false');
}, WALK_TIMEOUT_MS);

test('in a festival the visit does not start without the small gift, and the festival is named', async ({ server, page }) => {
  // 2 October 2026, 10:00 in China: National Day (checklists/festivals.json)
  await page.clock.setFixedTime(new Date('2026-10-02T02:00:00Z'));
  await openNewVisit(page, server);
  await page.getByTestId('festival').filter({ hasText: '国庆节' }).waitFor();

  for (const item of ['dress.clothes', 'dress.work-id', 'kit.toolbox', 'kit.towel', 'kit.gloves', 'kit.mat']) await tick(page, item);
  await page.getByTestId('step-start-visit').click();
  await expectRefusal(page, 'step.start-visit', 'five-treasures', 'kit.gift');

  await tick(page, 'kit.gift');
  await page.getByTestId('step-start-visit').click();
  await waitForCurrentPhase(page, 'arrive');
}, WALK_TIMEOUT_MS);

test('the repair does not start before the greeting and the gloves', async ({ server, page }) => {
  await openNewVisit(page, server);
  await prepare(page);

  await showPhase(page, 'repair');
  await page.getByTestId('step-start-repair').click();
  await expectRefusal(page, 'step.start-repair', 'greeting', 'greet.hello');

  await showPhase(page, 'arrive');
  await arrive(page, true);
  await page.getByTestId('step-start-repair').click();
  await expectRefusal(page, 'step.start-repair', 'must-gloves', 'must.gloves');

  await step(page, 'confirm-gloves');
  await startRepair(page);
}, WALK_TIMEOUT_MS);

test("the customer's test run waits for the technician's; a failed one goes back to the repair and the technician tests again", async ({ server, page }) => {
  await openNewVisit(page, server, false);
  await prepare(page);
  await arrive(page, false);
  await repair(page);

  await showPhase(page, 'verify');
  await recordTest(page, 'customer', true);
  await expectRefusal(page, 'must.customer-test', 'must-test', 'must.technician-test');

  await recordTest(page, 'technician', true);
  await page.getByTestId('test-technician').locator('.done-note').waitFor();
  await recordTest(page, 'customer', false, '仍有异响');
  // back to the repair: the repair is the current phase again and the technician's run is open again
  await waitForCurrentPhase(page, 'repair');
  await showPhase(page, 'verify');
  await page.getByTestId('back-to-repair').waitFor();
  // the refused run left no trace: the technician's pass, then the customer's failure
  expect(await page.getByTestId('test-history').locator('li.warn').count()).toBe(1);
  expect(await page.getByTestId('test-history').locator('li').count()).toBe(2);
  await page.getByTestId('test-technician-passed').waitFor();
  await snap(page, 'gate-back-to-repair');

  await recordTest(page, 'customer', true);
  await expectRefusal(page, 'must.customer-test', 'must-test', 'must.technician-test');

  await recordTest(page, 'technician', true);
  await page.getByTestId('test-technician').locator('.done-note').waitFor();
  await recordTest(page, 'customer', true);
  await waitForCurrentPhase(page, 'sign');
}, WALK_TIMEOUT_MS);

test('the form is not sealed without the signature, and an empty pad cannot be used', async ({ server, page }) => {
  await openNewVisit(page, server, false);
  await prepare(page);
  await arrive(page, false);
  await repair(page);
  await verify(page);
  await fillForm(page);
  await handBack(page);

  await page.getByTestId('step-seal').click();
  await expectRefusal(page, 'step.seal', 'must-form', 'form.signature');

  await handOver(page);
  await page.getByTestId('signature-use').click();
  await page.getByTestId('signature-message').filter({ hasText: '请先签字' }).waitFor();
  expect(await page.getByTestId('signature-message').getAttribute('role')).toBe('alert');
  await snap(page, 'gate-seal-without-signature');

  await drawSignature(page);
  await useSignature(page);
  await sealVisit(page);
}, WALK_TIMEOUT_MS);
