// Accessibility on every screen, in the production build behind the real server: axe-core finds no
// serious or critical violation (contrast for sunlight included) on the technician's screens — the
// visit list, a new visit, settings, each phase of a visit, a refusal, the sealed form, the customer
// copy — and on the back office's pages; and on the technician's screens at 360 px every control is
// at least 48 px tall, for gloved hands.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type AxeCore from 'axe-core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { BUNDLE_FORMAT, type SubmittedForm, type VisitAction } from '../../src/domain/form-schema';
import { sealForm } from '../../src/domain/seal';
import { buildFormBody } from '../../src/domain/service-form';
import { createVisit } from '../../src/domain/visit-workflow';
import {
  checklist, completeVisitActions, fakeClock, header, ordinaryDay, run, signatureBytes, signatureFor, submittedForm,
} from '../fixtures/visits';
import {
  arrive, dispatchVisit, downloadVisits, drawSignature, fillForm, openVisit, prepare, repair, sealVisit, showPhase, snap, useSignature,
  verify, WALK_TIMEOUT_MS,
} from './e2e-steps';
import { REPO_ROOT } from './harness';
import { TEST_PASSWORD } from '../server/helpers';
import { enrollTestDevice, enrollThroughSettings, serverTest as test, setUpBrowserAndServer } from './real-server';
import { publicKeyOf, signedBy } from '../server/helpers';

setUpBrowserAndServer();

// evaluated through the DevTools protocol: the server's CSP (script-src 'self') rightly blocks an injected <script>
const AXE_SOURCE = `${readFileSync(join(REPO_ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8')}\n;void 0`;
const TOUCH_PX = 48;

/** axe's serious and critical violations on the page as it is now, one line each, naming the screen. */
async function seriousViolations(page: Page, screen: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: typeof AxeCore };
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.targets.slice(0, 5).join(', ')}`);
}

/** Every visible control shorter than 48 px (a control inside its label: the label, which takes the tap), one line each, naming the screen. */
async function smallTouchTargets(page: Page, screen: string): Promise<string[]> {
  const small = await page.evaluate((min) => {
    const controls = document.querySelectorAll('button, input, textarea, select, a[href], [role=checkbox], [role=radio], [role=tab]');
    return [...controls].flatMap((el) => {
      const box = (el.closest('label') ?? el).getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') return [];
      if (box.height >= min) return [];
      const name = el.getAttribute('data-testid') ?? `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
      return [`${name}: ${Math.round(box.width)}×${Math.round(box.height)}`];
    });
  }, TOUCH_PX);
  return small.map((line) => `${screen}: ${line}`);
}

test('the technician screens: no serious axe violation, and 48 px touch targets at 360 px', async ({ server, page }) => {
  const visit = await dispatchVisit(server);
  const violations: string[] = [];
  const smallTargets: string[] = [];
  const check = async (screen: string) => {
    violations.push(...(await seriousViolations(page, screen)));
    smallTargets.push(...(await smallTouchTargets(page, screen)));
    await snap(page, `a11y-${screen}`);
  };
  expect(page.viewportSize()?.width).toBe(360);

  await enrollThroughSettings(page, server);
  await check('settings');
  await downloadVisits(page);
  await check('visit-list');
  await page.getByTestId('new-visit').click();
  await page.locator('form').waitFor();
  await check('new-visit');
  await page.getByTestId('nav-visits').click();

  await openVisit(page, visit.id);
  await page.getByTestId('step-start-visit').click();
  await page.getByTestId('refusal-step.start-visit').waitFor();
  await check('prepare-refused');
  await prepare(page);
  await check('arrive');
  await arrive(page, true);
  await check('repair');
  await repair(page);
  await check('repair-logged');
  await showPhase(page, 'verify');
  await check('verify');
  await verify(page);
  await fillForm(page);
  await drawSignature(page);
  await check('sign');
  await useSignature(page);
  await sealVisit(page);
  await check('sealed');
  await page.getByTestId('copy-link').click();
  await page.getByTestId('customer-copy').waitFor();
  await check('customer-copy');

  await page.getByTestId('locale-switch').click();
  await page.locator('html[lang="en"]').waitFor();
  await check('customer-copy-en');

  expect(violations).toEqual([]);
  expect(smallTargets).toEqual([]);
}, WALK_TIMEOUT_MS);

/** A complete visit from the real engine in which a dispute was reported during the repair. */
async function disputedForm(technicianId: string): Promise<SubmittedForm> {
  const bytes = signatureBytes(7);
  const actions: VisitAction[] = completeVisitActions(ordinaryDay, await signatureFor(bytes));
  const afterRepairStarts = actions.findIndex((a) => a.type === 'step' && a.step === 'start-repair') + 1;
  actions.splice(afterRepairStarts, 0, { type: 'dispute', description: '用户对收费有异议' });
  const state = run(createVisit(checklist, ordinaryDay), actions, fakeClock());
  const form = await sealForm(buildFormBody(state, header(crypto.randomUUID(), technicianId)), bytes);
  return { form, signaturePng: Buffer.from(bytes).toString('base64') };
}

test('the back office pages: no serious axe violation', async ({ server, context }) => {
  // forms from the real engine, imported as a device bundle would be, so every page has rows: a plain
  // form, a disputed one, and the plain one sealed again differently (a conflict)
  const technicianId = server.demo.technician.id;
  const plain = await submittedForm({ technicianId, seed: 1 });
  // the demo technician's phone (enrolled above) has a device key, so these forms are signed by one too
  const key = (await enrollTestDevice(server))!;
  const unsigned = [plain, await disputedForm(technicianId), await submittedForm({ technicianId, formId: plain.form.id, seed: 2 })];
  const forms = await Promise.all(unsigned.map((form) => signedBy(form, key)));
  const bundle = { format: BUNDLE_FORMAT, formatVersion: 1, exportedAt: new Date().toISOString(), device: 'a11y', forms, devices: [publicKeyOf(key)] };
  const imported = await server.admin('/api/v1/admin/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bundle) });
  expect(imported).toMatchObject({ accepted: 2, conflict: 1, rejected: 0 });

  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  const violations: string[] = [];
  const check = async (screen: string, ready: string) => {
    await page.getByTestId(ready).waitFor();
    await page.getByTestId('loading').waitFor({ state: 'detached' });
    violations.push(...(await seriousViolations(page, screen)));
    await snap(page, `a11y-backoffice-${screen}`);
  };

  await page.goto(`${server.url}/backoffice/`);
  await check('sign-in', 'page-sign-in');
  await page.getByTestId('sign-in-name').fill(server.userName('admin'));
  await page.getByTestId('sign-in-password').fill(TEST_PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await check('forms', 'forms-table');
  await page.goto(`${server.url}/backoffice/#/forms/${forms[0]!.form.id}`);
  await check('form-detail', 'seal-check');
  await page.goto(`${server.url}/backoffice/#/disputes`);
  await check('disputes', 'disputes-list');
  await page.goto(`${server.url}/backoffice/#/conflicts`);
  await check('conflicts', 'conflicts-table');
  await page.goto(`${server.url}/backoffice/#/technicians`);
  await check('technicians', 'technicians-table');
  await page.goto(`${server.url}/backoffice/#/visits`);
  await check('visits', 'visits-table');
  await page.goto(`${server.url}/backoffice/#/import`);
  await check('import', 'page-import');
  await page.goto(`${server.url}/backoffice/#/checklists`);
  await check('checklists', 'checklist-versions');
  expect(await page.getByTestId('checklist-version').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-checklist')))).toContain('onsite-service v1');
  await page.goto(`${server.url}/backoffice/#/equipment?serial=SN-123456`);
  await check('equipment', 'equipment-table');
  await page.goto(`${server.url}/backoffice/#/dashboard?from=2026-03-01&to=2026-03-31`);
  await page.locator('[data-testid="chart-forms-per-day"] canvas').waitFor();
  await check('dashboard', 'compliance-table');
  await page.goto(`${server.url}/backoffice/#/users`);
  await check('users', 'users-table');
  await page.goto(`${server.url}/backoffice/#/audit`);
  await check('audit', 'audit-table');

  expect(violations).toEqual([]);
}, WALK_TIMEOUT_MS);
