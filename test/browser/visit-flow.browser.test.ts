// How a visit leads the technician on a 360 × 740 phone: a refusal lists every missing item, each a link
// that shows and focuses it (switching the phase tab); a declined offer tapped too early names the log
// refused, not the prohibition; the one-tap logs of the four prohibitions are on every phase from the
// arrival to the seal; every phase ends in its next action, in a bar fixed to the foot of the screen that
// never hides what it leads to (a refusal's link, the signature pad, the last control); after 开始维修
// the screen moves on by itself to the technician's test run on the 试车 tab, unless the technician is
// typing. Production build, real server, real Chromium.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { checklist, dispatchVisit, downloadVisits, fillForm, handBack, openVisit, prepare, arrive, ruleText, showPhase, snap, step, verify, WALK_TIMEOUT_MS } from './e2e-steps';
import { enrollThroughSettings, serverTest as test, setUpBrowserAndServer } from './real-server';

setUpBrowserAndServer();

const zh = (id: string) => checklist.items.find((item) => item.id === id)!.text['zh-CN'];
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

/** The next-action bar: fixed to the foot of the 740 px screen, at least 48 px tall, its button wholly on screen and not covered. */
async function expectBarAtFoot(page: Page): Promise<{ top: number }> {
  const where = await page.getByTestId('next-action-bar').evaluate((bar) => {
    const button = bar.querySelector('button')!.getBoundingClientRect();
    const box = bar.getBoundingClientRect();
    const hit = document.elementFromPoint(button.left + button.width / 2, button.top + button.height / 2);
    return { position: getComputedStyle(bar).position, top: box.top, bottom: box.bottom, buttonTop: button.top, buttonBottom: button.bottom, buttonHeight: button.height, hit: bar.contains(hit) };
  });
  expect(where.position).toBe('fixed');
  expect(Math.round(where.bottom)).toBe(740);
  expect(where.buttonTop).toBeGreaterThanOrEqual(0);
  expect(where.buttonBottom).toBeLessThanOrEqual(740);
  expect(where.buttonHeight).toBeGreaterThanOrEqual(48);
  expect(where.hit).toBe(true);
  return { top: where.top };
}

/** The element's box lies wholly between the sticky tabs (if the screen has them) and the next-action bar. */
async function expectAboveBar(page: Page, selector: string): Promise<void> {
  const { top: barTop } = await expectBarAtFoot(page);
  const box = await page.locator(selector).evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
  // the customer's screen has no tabs: then only the top of the screen bounds it
  const tabs = page.locator('.tabs');
  const tabsBottom = (await tabs.count()) > 0 ? await tabs.evaluate((el) => el.getBoundingClientRect().bottom) : 0;
  // within half a pixel: a scroll position may fall between device pixels
  expect(box.bottom, `${selector} ends above the bar`).toBeLessThanOrEqual(barTop + 0.5);
  expect(box.top, `${selector} starts below the tabs`).toBeGreaterThanOrEqual(tabsBottom - 0.5);
}

/** The one-tap decline of a cigarette on the phase shown: on screen within the phone's width, a 48 px target; tapped, it is logged. */
async function declineCigaretteHere(page: Page): Promise<void> {
  const button = page.getByTestId('offer-cigarette');
  await button.scrollIntoViewIfNeeded();
  const box = (await button.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(360);
  expect(box.height).toBeGreaterThanOrEqual(48);
  await button.click();
  // nothing refused it (that it was logged, the repair tab's list of incidents shows at the end)
  await page.locator('[data-testid="save-status"][data-saving="false"]').waitFor();
  expect(await page.locator('[data-testid^="refusal-"]').count()).toBe(0);
}

test('a refusal lists every missing item, each a link to it; an offer declined too early names the log refused', async ({ server, page }) => {
  expect(page.viewportSize()).toEqual({ width: 360, height: 740 });
  const visit = await dispatchVisit(server, { firstVisit: true });
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  await openVisit(page, visit.id);

  await page.getByTestId('step-start-visit').click();
  const links = page.getByTestId('missing-step.start-visit').locator('button');
  await links.first().waitFor();
  const required = ['dress.clothes', 'dress.work-id', 'kit.toolbox', 'kit.towel', 'kit.gloves', 'kit.mat'];
  expect(await links.allTextContents()).toEqual(required.map(zh));
  expect(await page.getByTestId('refusal-step.start-visit').textContent()).toContain(`请先完成以下 6 项，再进行“${zh('step.start-visit')}”`);
  // the refusal itself came into view above the bar, and its link scrolls the item above the bar too
  await expectAboveBar(page, '[data-testid="refusal-step.start-visit"]');
  await page.getByTestId('goto-kit.mat').click();
  await expect.poll(() => focusedTestId(page)).toBe('tick-kit.mat');
  await expectAboveBar(page, '[data-item="kit.mat"]');
  await snap(page, 'flow-refusal-links');

  // before the visit starts, declining a cigarette cannot be logged yet: the refusal says so in those words
  await showPhase(page, 'arrive');
  await page.getByTestId('offer-cigarette').click();
  const refusal = page.getByTestId('refusal-ban.smoking');
  await refusal.waitFor();
  expect(await refusal.textContent()).toContain(`再进行“婉拒香烟”`);
  expect(await refusal.textContent()).not.toContain(zh('ban.smoking'));

  // a link to an item on another phase's tab switches to it
  await showPhase(page, 'repair');
  await page.getByTestId('step-start-repair').click();
  const repairLinks = page.getByTestId('missing-step.start-repair').locator('button');
  await repairLinks.first().waitFor();
  expect(await repairLinks.allTextContents()).toEqual(['greet.hello', 'greet.introduce', 'greet.account', 'must.gloves'].map(zh));
  expect(await page.getByTestId('refusal-step.start-repair').textContent()).toContain(ruleText('greeting', 'zh-CN'));
  await page.getByTestId('goto-greet.account').click();
  await page.locator('[data-testid="phase-tab-arrive"][aria-selected="true"]').waitFor();
  await expect.poll(() => focusedTestId(page)).toBe('field-greet.account');
}, WALK_TIMEOUT_MS);

test('the one-tap logs are on every phase from the arrival to the seal, and each phase ends in its next action', async ({ server, page }) => {
  const visit = await dispatchVisit(server, { firstVisit: false });
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  await openVisit(page, visit.id);
  await page.locator('[data-testid="next-action"]').first().waitFor();
  expect(await page.getByTestId('next-action').getAttribute('data-next')).toBe('dress.clothes');
  await prepare(page);

  await declineCigaretteHere(page);
  await arrive(page, false);
  await declineCigaretteHere(page);
  await step(page, 'confirm-gloves');
  await page.getByTestId('step-start-repair').click();
  // the repair has started and nothing more is required on its tab: the screen moves on by itself to
  // what is next, the technician's test run on the 试车 tab, with the focus on its first button
  await page.locator('[data-testid="phase-tab-verify"][aria-selected="true"]').waitFor();
  await expect.poll(() => focusedTestId(page)).toBe('test-technician-passed');
  expect(await page.locator('[data-testid="phase-tab-repair"]').getAttribute('data-current')).toBe('true');
  // the next-action bar names it, at the bottom of the screen within reach of a thumb, without scrolling
  const next = page.getByTestId('next-action');
  expect(await next.getAttribute('data-next')).toBe('must.technician-test');
  await expectBarAtFoot(page);
  await snap(page, 'flow-next-after-start-repair');

  await declineCigaretteHere(page);
  await verify(page);
  await declineCigaretteHere(page);
  await fillForm(page);
  await page.locator('[data-testid="next-action"][data-next="form.signature"]').waitFor();
  // the bar leads to the signature pad (the customer's, on their screen) and leaves the whole pad clear of it, to draw on
  await page.getByTestId('next-action').click();
  await expectAboveBar(page, '[data-testid="signature-canvas"]');
  await handBack(page);
  // and at the foot of the technician's page (the signature not drawn yet: the hand-over is the last control) it stops above the bar
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expectAboveBar(page, '[data-testid="hand-over"]');

  // every decline was logged: the repair tab's list of incidents shows the four
  await showPhase(page, 'repair');
  expect(await page.getByTestId('incidents').locator('li').count()).toBe(4);
}, WALK_TIMEOUT_MS);

test('while the technician is typing, 开始维修 leaves the screen where it is and the bar names the next step', async ({ server, page }) => {
  const visit = await dispatchVisit(server, { firstVisit: false });
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  await openVisit(page, visit.id);
  await prepare(page);
  await arrive(page, false);
  await step(page, 'confirm-gloves');
  // typing a dispute's description on the repair tab when the step is taken (by the keyboard's focus
  // staying in the box: the click is dispatched, not a tap that would move the focus)
  const box = page.getByTestId('dispute-text');
  await box.fill('用户对收费有疑问');
  await page.getByTestId('step-start-repair').dispatchEvent('click');
  await page.locator('[data-testid="step-start-repair"][data-done="true"]').waitFor();
  await page.locator('[data-testid="next-action"][data-next="must.technician-test"]').waitFor();
  expect(await page.locator('[data-testid="phase-tab-repair"]').getAttribute('aria-selected')).toBe('true');
  expect(await focusedTestId(page)).toBe('dispute-text');
  expect(await box.inputValue()).toBe('用户对收费有疑问');
  // the bar names the test run and its tab; a tap on it goes there when the technician is done
  expect(await page.getByTestId('next-action').textContent()).toContain('试车');
  await expectBarAtFoot(page);
  await page.getByTestId('next-action').click();
  await page.locator('[data-testid="phase-tab-verify"][aria-selected="true"]').waitFor();
  await expect.poll(() => focusedTestId(page)).toBe('test-technician-passed');
  expect(await page.locator('[data-testid="phase-tab-repair"]').getAttribute('data-current')).toBe('true');
}, WALK_TIMEOUT_MS);
