// Issue 10 §3, what the customer sees: the technician attests on their side (all four in one tap, each
// still changeable) and hands the phone over; the customer's screen shows, in large type, what they sign
// and only their own inputs — no control of the technician's, no tab — and keeps being theirs across a
// reload; "all kept" in one tap, each answer still changeable; handing the phone back shows what they
// entered; the sealed form holds exactly what the summary showed. The screen passes axe, 48 px targets
// and 360 px without sideways scrolling, in zh-CN and in en.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ValueSpec } from '../../src/domain/checklist';
import type { CatalogPart } from '../../src/domain/field-values';
import { fieldItems, fieldSpec } from '../../src/domain/field-spec';
import { customerItems, summaryItems } from '../../src/domain/hand-over';
import {
  addPart, ANSWERS, arrive, checklist, dispatchVisit, downloadVisits, drawSignature, fillText, handBack, handOver, openVisit, prepare,
  PROHIBITIONS, readSealedFromIndexedDB, repair, sealVisit, snap, useSignature, verify, WALK_TIMEOUT_MS,
} from './e2e-steps';
import { enrollThroughSettings, serverTest as test, setUpBrowserAndServer } from './real-server';
import { horizontalScroll, seriousViolations, smallTouchTargets } from './screen-checks';

setUpBrowserAndServer();

/** The text a sealed answer is shown as on the summary, for the value types the technician answers. */
function shownAs(spec: ValueSpec, value: unknown): string {
  switch (spec.type) {
    case 'short-text':
    case 'long-text':
      return String(value);
    case 'parts':
      return (value as CatalogPart[]).map((p) => `${p.code ? `${p.code} ` : ''}${p.name} × ${p.quantity}`).join('');
    default:
      throw new Error(`the summary test does not know how a ${spec.type} answer is shown`);
  }
}

const technicianFields = fieldItems(checklist).filter((item) => fieldSpec(item).by === 'technician');

/** Not one control for a technician's answer, a tick, a step, a log, a tab or the seal is on screen. */
async function expectNoTechnicianControl(page: Page): Promise<void> {
  for (const item of technicianFields) {
    expect(await page.getByTestId(`field-${item.id}`).count(), item.id).toBe(0);
    expect(await page.locator(`[data-item="${item.id}"]`).count(), item.id).toBe(0);
  }
  for (const testId of ['attest-all', 'part-add', 'step-seal', 'hand-over', 'offer-cigarette', 'test-technician-passed']) {
    expect(await page.getByTestId(testId).count(), testId).toBe(0);
  }
  for (const rule of PROHIBITIONS) expect(await page.getByTestId(`attest-${rule}`).count()).toBe(0);
  expect(await page.getByRole('tab').count()).toBe(0);
  expect(await page.locator('[data-testid^="tick-"]').count()).toBe(0);
  // what the customer may change is theirs alone: every field on screen is a customer's one
  const onScreen = await page.locator('[data-item]').evaluateAll((els) => els.map((el) => el.getAttribute('data-item')));
  expect(onScreen).toEqual(customerItems(checklist).map((item) => item.id));
}

async function screenFindings(page: Page, screen: string): Promise<string[]> {
  return [...(await seriousViolations(page, screen)), ...(await horizontalScroll(page, screen)), ...(await smallTouchTargets(page, screen))];
}

test('the customer signs on a screen of their own: what they sign, their inputs only, and the sealed form holds what was shown', async ({ server, page }) => {
  const visit = await dispatchVisit(server, { firstVisit: true });
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  const formId = await openVisit(page, visit.id);
  await prepare(page);
  await arrive(page, true);
  await repair(page);
  await verify(page);

  // the technician's side: their answers, then the attestation, all four in one tap, each still changeable
  await fillText(page, 'form.fault-found', ANSWERS.faultFound);
  await fillText(page, 'form.work-done', ANSWERS.workDone);
  await addPart(page);
  const attestAll = page.getByRole('button', { name: /^技师承诺.*：四条全部承诺$/ });
  expect(await attestAll.getAttribute('data-testid')).toBe('attest-all');
  await attestAll.click();
  await page.locator('[data-testid="attest-all"][aria-pressed="true"]').waitFor();
  await page.getByTestId('saved-form.attestation').waitFor();
  for (const rule of PROHIBITIONS) expect(await page.getByTestId(`attest-${rule}`).getAttribute('aria-checked')).toBe('true');
  // one taken back clears the saved attestation (nothing partial stands), one tap gives all four again
  await page.getByTestId(`attest-${PROHIBITIONS[1]}`).click();
  await page.locator('[data-testid="attest-all"][aria-pressed="false"]').waitFor();
  await expect.poll(() => page.getByTestId('saved-form.attestation').count()).toBe(0);
  await attestAll.click();
  await page.getByTestId('saved-form.attestation').waitFor();
  // the customer's inputs are not the technician's to give: on this side they are read only
  for (const item of customerItems(checklist)) expect(await page.locator(`[data-testid="entered-${item.id}"] :is(input, textarea, button)`).count(), item.id).toBe(0);

  await handOver(page);
  await expectNoTechnicianControl(page);
  // the summary, in large type: the customer, the equipment, the technician's answers, both test runs
  const summary = page.getByTestId('hand-over-summary');
  expect(await page.getByTestId('summary-customer').textContent()).toBe(visit.customer.name);
  expect(await page.getByTestId('summary-equipment').textContent()).toBe(`${visit.equipment.type} · ${visit.equipment.model} · ${visit.equipment.serial}`);
  expect(await page.getByTestId('summary-test-technician').textContent()).toBe('技师：通过');
  expect(await page.getByTestId('summary-test-customer').textContent()).toBe('用户：通过');
  expect(await summary.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(20);
  const shown = new Map<string, string>();
  for (const item of summaryItems(checklist)) shown.set(item.id, (await page.getByTestId(`summary-${item.id}`).textContent()) ?? '');
  expect(shown.get('form.fault-found')).toBe(ANSWERS.faultFound);
  expect(shown.get('greet.account')).toBe(ANSWERS.customerAccount);

  // the customer's part: all four kept in one tap, each still changeable one by one
  await fillText(page, 'form.opinion', ANSWERS.customerOpinion);
  await page.getByTestId(`choice-form.satisfaction-${ANSWERS.satisfaction}`).click();
  await page.locator(`[data-testid="choice-form.satisfaction-${ANSWERS.satisfaction}"][aria-checked="true"]`).waitFor();
  const allKept = page.getByRole('button', { name: /^用户确认.*：四条全部遵守$/ });
  expect(await allKept.getAttribute('data-testid')).toBe('conduct-all-kept');
  await allKept.click();
  await page.getByTestId('saved-form.conduct').waitFor();
  for (const rule of PROHIBITIONS) expect(await page.getByTestId(`conduct-${rule}-kept`).getAttribute('aria-checked')).toBe('true');
  const changed = PROHIBITIONS.at(-1)!;
  await page.getByTestId(`conduct-${changed}-not-kept`).click();
  await page.locator('[data-testid="conduct-all-kept"][aria-pressed="false"]').waitFor();
  await page.getByTestId('saved-form.conduct').waitFor();
  await allKept.click();
  await page.locator('[data-testid="conduct-all-kept"][aria-pressed="true"]').waitFor();
  await page.getByTestId('saved-form.conduct').waitFor();
  await fillText(page, 'form.signer-name', ANSWERS.signerName);
  await drawSignature(page);
  await useSignature(page);
  await snap(page, 'hand-over-customer');
  expect(await screenFindings(page, 'hand-over (zh-CN)')).toEqual([]);

  // a reload, or a look at another screen and back, keeps the phone the customer's
  await page.reload();
  await page.getByTestId('hand-over-screen').waitFor();
  await page.getByTestId('signature-redo').waitFor();
  await expectNoTechnicianControl(page);
  for (const item of summaryItems(checklist)) expect(await page.getByTestId(`summary-${item.id}`).textContent(), item.id).toBe(shown.get(item.id));

  // in English too
  await page.getByTestId('locale-switch').click();
  await page.locator('html[lang="en"]').waitFor();
  await page.getByRole('button', { name: /: All four kept$/ }).waitFor();
  await page.getByRole('button', { name: 'Done: hand the phone back' }).waitFor();
  expect(await screenFindings(page, 'hand-over (en)')).toEqual([]);
  await page.getByTestId('locale-switch').click();
  await page.locator('html[lang="zh-CN"]').waitFor();

  // handed back: the technician sees what the customer entered
  await handBack(page);
  await page.getByTestId('hand-over-screen').waitFor({ state: 'detached' });
  expect(await page.getByTestId('entered-form.opinion').locator('dd').textContent()).toContain(ANSWERS.customerOpinion);
  expect(await page.getByTestId('entered-form.signer-name').locator('dd').textContent()).toContain(ANSWERS.signerName);
  expect(await page.getByTestId('entered-form.satisfaction').locator('dd').textContent()).toContain(`${ANSWERS.satisfaction} 分（满分 5 分）`);
  expect(await page.getByTestId('entered-form.conduct').locator('li').allTextContents()).toEqual(PROHIBITIONS.map((rule) => `${checklist.rules.find((r) => r.id === rule)!.text['zh-CN']} — 遵守`));
  expect(await page.getByTestId('entered-form.signature').locator('dd').textContent()).toContain('已签字');
  await snap(page, 'hand-over-handed-back');
  expect(await screenFindings(page, 'handed back')).toEqual([]);

  await sealVisit(page);
  const sealed = await readSealedFromIndexedDB(page, formId);
  expect(sealed.form.formatVersion).toBe(2);
  const answers = (sealed.form as { answers: Record<string, unknown> }).answers;
  // exactly what was shown: each summary text is the sealed answer, the customer and the equipment too
  for (const item of summaryItems(checklist)) expect(shown.get(item.id), item.id).toBe(shownAs(fieldSpec(item).value, answers[item.id]));
  expect(sealed.form.customer.name).toBe(visit.customer.name);
  expect(sealed.form.equipment).toMatchObject(visit.equipment);
  expect(sealed.form.testRuns.map((run) => `${run.by}:${run.passed}`)).toEqual(['technician:true', 'customer:true']);
  expect(answers).toMatchObject({
    'form.opinion': ANSWERS.customerOpinion,
    'form.satisfaction': ANSWERS.satisfaction,
    'form.signer-name': ANSWERS.signerName,
    'form.conduct': Object.fromEntries(PROHIBITIONS.map((rule) => [rule, 'kept'])),
    'form.attestation': PROHIBITIONS,
  });
}, WALK_TIMEOUT_MS);

test('handed over, the technician\'s answers cannot be changed: the engine refuses them once the customer has signed, and redoing the signature hands the phone back to the customer', async ({ server, page }) => {
  const visit = await dispatchVisit(server, { firstVisit: false });
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  await openVisit(page, visit.id);
  await prepare(page);
  await arrive(page, false);
  await repair(page);
  await verify(page);
  await fillText(page, 'form.fault-found', ANSWERS.faultFound);
  await fillText(page, 'form.work-done', ANSWERS.workDone);
  await page.getByTestId('attest-all').click();
  await page.getByTestId('saved-form.attestation').waitFor();
  await handOver(page);
  await fillText(page, 'form.opinion', ANSWERS.customerOpinion);
  await page.getByTestId(`choice-form.satisfaction-${ANSWERS.satisfaction}`).click();
  await page.getByTestId('conduct-all-kept').click();
  await page.getByTestId('saved-form.conduct').waitFor();
  await fillText(page, 'form.signer-name', ANSWERS.signerName);
  await drawSignature(page);
  await useSignature(page);
  await handBack(page);

  // signed: the technician's answer the signature stands on is refused a change, and stays as signed
  await page.getByTestId('field-form.fault-found').fill('改过的故障');
  await page.getByTestId('field-form.fault-found').blur();
  await page.getByTestId('refusal-form.fault-found').waitFor();
  expect(await page.getByTestId('refusal-form.fault-found').textContent()).toContain('用户签字');
  // redoing the signature clears it and hands the phone to the customer again
  await page.getByTestId('signature-redo').click();
  await page.getByTestId('hand-over-screen').waitFor();
  await page.getByTestId('signature-canvas').waitFor();
  await expectNoTechnicianControl(page);
  expect(await page.getByTestId('summary-form.fault-found').textContent()).toBe(ANSWERS.faultFound);
}, WALK_TIMEOUT_MS);
