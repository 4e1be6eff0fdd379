// A visit survives what phones do to pages: a reload mid-visit, and a page closed and opened again,
// resume exactly where the technician was (phase, ticks, steps, answers, logs), and the visit can be
// finished; a rotation or a resize keeps the signature being drawn (strokes and ink).
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { checkFormConsistency } from '../../src/domain/service-form';
import {
  addPart, ANSWERS, arrive, checklist, dispatchVisit, downloadVisits, drawSignature, fillCustomerAnswers, fillText, formIdOf, openVisit, prepare, readSealedFromIndexedDB,
  recordTest, repair, sealVisit, showPhase, snap, useSignature, verify, WALK_TIMEOUT_MS, waitForCurrentPhase,
} from './e2e-steps';
import { enrollThroughSettings, serverTest as test, setUpBrowserAndServer } from './real-server';

setUpBrowserAndServer();

const PHASES = ['prepare', 'arrive', 'repair', 'verify', 'sign'] as const;

interface PhaseOnScreen {
  /** `testid=aria-checked` of every tick box and choice */
  checked: string[];
  /** `testid=done|open` of every step */
  steps: string[];
  /** `testid=value` of every text box */
  values: string[];
  /** how many "done at" notes */
  done: number;
  /** the incidents and test runs logged */
  logs: Array<string | null>;
}

/** Everything the visit screen shows as saved, phase by phase, and the phase it calls current. */
async function visitOnScreen(page: Page): Promise<{ current: string | null; phases: Record<string, PhaseOnScreen> }> {
  const current = await page.locator('[role=tab][data-current="true"]').getAttribute('data-testid');
  const phases: Record<string, PhaseOnScreen> = {};
  for (const phase of PHASES) {
    await showPhase(page, phase);
    phases[phase] = await page.getByTestId(`phase-${phase}`).evaluate((panel) => ({
      checked: [...panel.querySelectorAll('[role=checkbox], [role=radio]')].map((el) => `${el.getAttribute('data-testid')}=${el.getAttribute('aria-checked')}`),
      steps: [...panel.querySelectorAll('[data-testid^="step-"]')].map((el) => `${el.getAttribute('data-testid')}=${el.getAttribute('data-done') ?? 'open'}`),
      values: [...panel.querySelectorAll('input, textarea')].map((el) => `${el.getAttribute('data-testid')}=${(el as HTMLInputElement).value}`),
      done: [...panel.querySelectorAll('.done-note')].length,
      logs: [...panel.querySelectorAll('[data-testid="incidents"] li, [data-testid="test-history"] li')].map((el) => el.textContent),
    }));
  }
  await page.getByTestId(current!).click();
  return { current, phases };
}

test('a reload mid-visit, and a page closed and opened again from the list, resume exactly; the visit then seals', async ({ server, context, page }) => {
  const visit = await dispatchVisit(server);
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  const formId = await openVisit(page, visit.id);
  await prepare(page);
  await arrive(page, true);
  await repair(page);
  await showPhase(page, 'verify');
  await recordTest(page, 'technician', true, '试车正常');
  await page.getByTestId('test-technician').locator('.done-note').waitFor();
  await waitForCurrentPhase(page, 'verify');
  // part of the sign phase too: the fault found and the parts used
  await showPhase(page, 'sign');
  await fillText(page, 'form.fault-found', ANSWERS.faultFound);
  await addPart(page);
  const before = await visitOnScreen(page);
  expect(before.current).toBe('phase-tab-verify');
  // what is compared holds the visit so far
  expect(before.phases.prepare!.checked.filter((tick) => tick.endsWith('=true'))).toHaveLength(6);
  expect(before.phases.arrive!.values).toContain(`field-greet.account=${ANSWERS.customerAccount}`);
  expect(before.phases.repair!.steps).toEqual(['step-confirm-gloves=true', 'step-start-repair=true']);
  expect(before.phases.repair!.logs).toHaveLength(1);
  expect(before.phases.verify!.logs).toHaveLength(1);
  expect(before.phases.sign!.values).toEqual(expect.arrayContaining([`field-form.fault-found=${ANSWERS.faultFound}`, `part-name-0=${ANSWERS.part.name}`]));

  await page.reload();
  await waitForCurrentPhase(page, 'verify');
  expect(formIdOf(page)).toBe(formId);
  expect(await visitOnScreen(page)).toEqual(before);

  await page.close();
  const reopened = await context.newPage();
  await reopened.goto(`${server.url}/#/`);
  await reopened.locator(`[data-testid="visit-${visit.id}"] [data-status="draft"]`).waitFor();
  await reopened.getByTestId(`visit-${visit.id}`).click();
  await waitForCurrentPhase(reopened, 'verify');
  expect(formIdOf(reopened)).toBe(formId);
  expect(await visitOnScreen(reopened)).toEqual(before);

  // the resumed draft goes on: the customer's run, the rest of the form, the signature, the seal
  await recordTest(reopened, 'customer', true);
  await waitForCurrentPhase(reopened, 'sign');
  await fillText(reopened, 'form.work-done', ANSWERS.workDone);
  await fillCustomerAnswers(reopened);
  await drawSignature(reopened);
  await useSignature(reopened);
  await sealVisit(reopened);
  const sealed = await readSealedFromIndexedDB(reopened, formId);
  expect(checkFormConsistency(sealed.form, checklist)).toEqual({ ok: true });
  expect(sealed.form.testRuns.map((run) => run.note)).toEqual(['试车正常', '']);
  // elapsed time runs on across page loads, never backwards
  const elapsed = sealed.form.events.map((event) => event.elapsedMs);
  expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));
}, WALK_TIMEOUT_MS);

interface Ink {
  strokes: string | null;
  cssWidth: number;
  width: number;
  height: number;
  /** pixels with any ink */
  inked: number;
  /** the ink's bounding box as fractions of the canvas */
  box: [number, number, number, number];
  /** a hash of every pixel's alpha */
  hash: number;
}

function inkOf(page: Page): Promise<Ink> {
  return page.getByTestId('signature-canvas').evaluate((canvas: HTMLCanvasElement) => {
    const { width, height } = canvas;
    const data = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
    let inked = 0;
    let hash = 0;
    let [x0, y0, x1, y1] = [width, height, -1, -1];
    for (let p = 0; p < width * height; p++) {
      const alpha = data[p * 4 + 3]!;
      hash = (Math.imul(hash, 31) + alpha) >>> 0;
      if (alpha === 0) continue;
      inked++;
      const x = p % width;
      const y = Math.floor(p / width);
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
    return {
      strokes: canvas.dataset.strokes ?? null,
      cssWidth: canvas.getBoundingClientRect().width,
      width,
      height,
      inked,
      box: [x0 / width, y0 / height, x1 / width, y1 / height] as [number, number, number, number],
      hash,
    };
  });
}

test('the app opened on another screen: the visit list shown later is read afresh, not the rows of the start', async ({ server, page }) => {
  const visit = await dispatchVisit(server);
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  await page.locator(`[data-testid="visit-${visit.id}"] [data-status="new"]`).waitFor();
  // a cold start straight into the visit (the list's rows are read at start: the visit is still new)
  await page.goto(`${server.url}/#/open/${encodeURIComponent(visit.id)}`);
  await page.reload();
  await page.waitForURL(/#\/visit\/[0-9a-f-]{36}$/);
  await page.getByTestId('save-status').waitFor({ state: 'attached' });
  await page.getByTestId('nav-visits').click();
  await page.locator(`[data-testid="visit-${visit.id}"] [data-status="draft"]`).waitFor();
}, WALK_TIMEOUT_MS);

test('turning the phone and a height-only resize keep the signature being drawn', async ({ server, page }) => {
  const visit = await dispatchVisit(server);
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  await openVisit(page, visit.id);
  // the pad takes strokes before the form is complete; only using them is gated
  await showPhase(page, 'sign');
  await drawSignature(page);
  const portrait = await inkOf(page);
  expect(portrait.strokes).toBe('2');
  expect(portrait.inked).toBeGreaterThan(200);

  await page.setViewportSize({ width: 740, height: 360 });
  await page.waitForFunction((width) => document.querySelector('[data-testid="signature-canvas"]')!.getBoundingClientRect().width > width, portrait.cssWidth);
  await page.waitForFunction(() => (document.querySelector('[data-testid="signature-canvas"]') as HTMLCanvasElement).width > 360);
  const landscape = await inkOf(page);
  await snap(page, 'signature-landscape');
  expect(landscape.strokes).toBe('2');
  expect(landscape.width).toBeGreaterThan(portrait.width);
  // redrawn from the point data at the new size: more ink, in the same place on the pad
  expect(landscape.inked).toBeGreaterThan(portrait.inked);
  landscape.box.forEach((edge, i) => expect(edge).toBeCloseTo(portrait.box[i]!, 1));

  // the address bar showing or hiding changes only the height: nothing is redrawn, not one pixel changes
  await page.setViewportSize({ width: 740, height: 600 });
  await page.waitForFunction(() => innerHeight === 600);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  expect(await inkOf(page)).toEqual(landscape);

  // and back to portrait: the strokes come back as they were drawn
  await page.setViewportSize({ width: 360, height: 740 });
  await page.waitForFunction((width) => (document.querySelector('[data-testid="signature-canvas"]') as HTMLCanvasElement).width === width, portrait.width);
  const back = await inkOf(page);
  expect(back.strokes).toBe('2');
  back.box.forEach((edge, i) => expect(edge).toBeCloseTo(portrait.box[i]!, 1));
  expect(back.inked).toBeGreaterThan(portrait.inked * 0.8);
}, WALK_TIMEOUT_MS);
