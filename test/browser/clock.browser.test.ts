// The phone's clock wrong by days, or put back by hours in the middle of a visit (Playwright's clock in
// the phone's context: Date moves, performance.now does not). The form keeps the device's own times,
// an elapsed time the clock change does not touch, and the server stamps its own receipt time and the
// drift it saw; the back office flags the drift on the form and in the list.
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { FormDetail } from '../../src/domain/api';
import type { VisitEvent } from '../../src/domain/form-schema';
import { arrive, dispatchVisit, downloadVisits, drawSignature, fillForm, openVisit, prepare, repair, sealVisit, useSignature, verify, WALK_TIMEOUT_MS } from './e2e-steps';
import { enrollThroughSettings, serverTest as test, setUpBrowserAndServer, signInToBackOffice, type RealServer } from './real-server';

setUpBrowserAndServer();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function openVisitEnrolled(server: RealServer, page: Page): Promise<string> {
  const visit = await dispatchVisit(server);
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  return openVisit(page, visit.id);
}

/** Signs and seals the open visit, then waits until the phone's outbox has the server's answer; the form as the back office holds it. */
async function sealAndSync(server: RealServer, page: Page, formId: string): Promise<{ detail: FormDetail; sentFrom: number; sentBy: number }> {
  await drawSignature(page);
  await useSignature(page);
  const sentFrom = Date.now();
  await sealVisit(page);
  await page.locator('[data-testid="sync-status"][data-status="synced"]').waitFor();
  const sentBy = Date.now();
  return { detail: await server.admin<FormDetail>(`/api/v1/admin/forms/${formId}`), sentFrom, sentBy };
}

function expectElapsedNeverBack(events: readonly VisitEvent[]): void {
  const elapsed = events.map((event) => event.elapsedMs);
  expect(elapsed, 'elapsedMs never goes back').toEqual([...elapsed].sort((a, b) => a - b));
}

/** The back office, in a browser context of its own on the real clock: the form's flags and its drift warning. */
async function expectDriftShown(browser: Browser, server: RealServer, formId: string): Promise<void> {
  const office = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await office.newPage();
    await signInToBackOffice(page, server);
    const row = page.locator(`[data-testid="form-row"][data-form-id="${formId}"]`);
    await row.getByTestId('flag-clock-drift').waitFor();
    await row.getByTestId('form-link').click();
    await page.getByTestId('drift-warning').waitFor();
    await page.getByTestId('page-form').getByTestId('flag-clock-drift').waitFor();
    await expectDescribed(page);
  } finally {
    await office.close();
  }
}

/** The form's time line and incidents in the clerk's words (Chinese by default): the declined cigarette named, no code or placeholder. */
async function expectDescribed(page: Page): Promise<void> {
  const lines = await page.getByTestId('timeline-event').locator('td.prose').allTextContents();
  expect(lines.length).toBeGreaterThan(10);
  for (const line of lines) expect(line.trim(), 'a described event').not.toBe('');
  expect(lines.join('\n'), 'no placeholder or code in the time line').not.toMatch(/\{\w+\}|cigarette|kit\.|step\./);
  expect(lines).toContain('谢绝用户的香烟');
  expect(await page.getByTestId('incident-row').locator('td.prose').allTextContents()).toEqual(['香烟']);
}

test('a phone clock 3 days ahead: the form keeps the device times and a steady elapsed time, the server its own receipt time, and the back office flags the drift', async ({ server, browser, context, page }) => {
  const started = Date.now();
  await context.clock.install({ time: started + 3 * DAY });
  const formId = await openVisitEnrolled(server, page);
  await prepare(page);
  await arrive(page, true);
  await repair(page);
  await verify(page);
  await fillForm(page);
  const { detail, sentFrom, sentBy } = await sealAndSync(server, page, formId);
  // every reading of either clock in this test was taken within this span of real time: no reading can
  // be further off the 3 days than that, however slow the machine was
  const span = sentBy - started;

  const { summary, form } = detail;
  expect(Math.abs(summary.clockDriftMs! - 3 * DAY)).toBeLessThanOrEqual(span);
  expect(Date.parse(summary.receivedAt)).toBeGreaterThanOrEqual(sentFrom);
  expect(Date.parse(summary.receivedAt)).toBeLessThanOrEqual(sentBy);
  expect(Date.parse(form.sealedAt) - Date.parse(summary.receivedAt)).toBeGreaterThanOrEqual(3 * DAY - span);
  for (const event of form.events) {
    expect(Date.parse(event.at), `event ${event.seq} at device time`).toBeGreaterThanOrEqual(started + 3 * DAY);
    expect(Date.parse(event.at), `event ${event.seq} at device time`).toBeLessThanOrEqual(sentBy + 3 * DAY);
  }
  expectElapsedNeverBack(form.events);
  await expectDriftShown(browser, server, formId);
}, WALK_TIMEOUT_MS);

test('the clock put back 2 hours in the middle of a visit: device times step back, elapsed time does not, and the back office flags the drift', async ({ server, browser, context, page }) => {
  const started = Date.now();
  await context.clock.install({ time: started });
  const formId = await openVisitEnrolled(server, page);
  await prepare(page);
  await arrive(page, true);
  await context.clock.setSystemTime(Date.now() - 2 * HOUR);
  await repair(page);
  await verify(page);
  await fillForm(page);
  const { detail, sentBy } = await sealAndSync(server, page, formId);
  // every reading of either clock, and every step between two events, fell within this span of real time
  const span = sentBy - started;

  const { summary, form } = detail;
  expect(Math.abs(summary.clockDriftMs! + 2 * HOUR)).toBeLessThanOrEqual(span);
  const steps = form.events.slice(1).map((event, i) => ({
    wall: Date.parse(event.at) - Date.parse(form.events[i]!.at),
    elapsed: event.elapsedMs - form.events[i]!.elapsedMs,
  }));
  // exactly one step back on the wall clock, the size of the change; the elapsed time just goes on
  const back = steps.filter((step) => step.wall < 0);
  expect(back).toHaveLength(1);
  expect(Math.abs(back[0]!.wall + 2 * HOUR)).toBeLessThanOrEqual(span);
  expect(back[0]!.elapsed).toBeGreaterThanOrEqual(0);
  expect(back[0]!.elapsed).toBeLessThanOrEqual(span);
  expectElapsedNeverBack(form.events);
  await expectDriftShown(browser, server, formId);
}, WALK_TIMEOUT_MS);
