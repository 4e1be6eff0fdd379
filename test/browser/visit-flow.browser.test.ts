// How a visit leads the technician on a 360 × 740 phone: a refusal lists every missing item, each a link
// that shows and focuses it (switching the phase tab); a declined offer tapped too early names the log
// refused, not the prohibition; the one-tap logs of the four prohibitions are on every phase from the
// arrival to the seal; and every phase ends in its next action, which after 开始维修 is the technician's
// test run on the 试车 tab. Production build, real server, real Chromium.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { checklist, dispatchVisit, downloadVisits, fillForm, handBack, openVisit, prepare, arrive, ruleText, showPhase, snap, step, verify, WALK_TIMEOUT_MS } from './e2e-steps';
import { enrollThroughSettings, serverTest as test, setUpBrowserAndServer } from './real-server';

setUpBrowserAndServer();

const zh = (id: string) => checklist.items.find((item) => item.id === id)!.text['zh-CN'];
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

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
  await page.getByTestId('goto-kit.mat').click();
  await expect.poll(() => focusedTestId(page)).toBe('tick-kit.mat');
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
  await step(page, 'start-repair');
  // the repair has started: what comes next is the technician's test run, on the 试车 tab
  const next = page.getByTestId('next-action');
  await page.locator('[data-testid="next-action"][data-next="must.technician-test"]').waitFor();
  expect(await next.textContent()).toContain('试车');
  expect(await next.textContent()).toContain(zh('must.technician-test'));
  const box = (await next.boundingBox())!;
  // at the bottom of the screen, within reach of a thumb, without scrolling
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(740);
  await snap(page, 'flow-next-after-start-repair');
  await next.click();
  await page.locator('[data-testid="phase-tab-verify"][aria-selected="true"]').waitFor();
  await expect.poll(() => focusedTestId(page)).toBe('test-technician-passed');

  await declineCigaretteHere(page);
  await verify(page);
  await declineCigaretteHere(page);
  await fillForm(page);
  await page.locator('[data-testid="next-action"][data-next="form.signature"]').waitFor();
  await handBack(page);

  // every decline was logged: the repair tab's list of incidents shows the four
  await showPhase(page, 'repair');
  expect(await page.getByTestId('incidents').locator('li').count()).toBe(4);
}, WALK_TIMEOUT_MS);
