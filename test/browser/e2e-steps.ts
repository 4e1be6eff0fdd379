// Walking a visit in the technician app as a technician would: clicks, typing and a signature drawn
// with the pointer, phase by phase. Every step waits for what the screen shows once the step is saved
// (the app shows only saved state), never for a time. Also: dispatching a visit from the back office,
// reading the sealed form back out of IndexedDB, and the rule texts a refusal must show.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { DispatchedVisit } from '../../src/domain/api';
import { prohibitionRules, ruleById, type Locale } from '../../src/domain/checklist';
import { toIsoDate } from '../../src/domain/festivals';
import type { FieldError } from '../../src/domain/validation-issues';
import type { SealedForm } from '../../src/domain/form-schema';
import { checklist } from '../fixtures/visits';
import { RESULTS_DIR } from './pages';
import type { RealServer } from './real-server-core';

export { checklist };

/**
 * A test that walks a visit clicks a hundred times; on a busy 2-core box that can take far longer than
 * the suite's default test timeout, so these tests give themselves this much. Nothing is timed.
 */
export const WALK_TIMEOUT_MS = 300_000;

/** What the technician and the customer put on the form; the customer copy must show each again. */
export const ANSWERS = {
  customerAccount: '主刷不转，运行时有异响。',
  faultFound: '主刷电机碳刷磨损。',
  workDone: '更换主刷电机碳刷，清理刷盘。',
  part: { name: '主刷电机碳刷', quantity: 2 },
  customerOpinion: '修得很好，师傅很专业。',
  satisfaction: 5,
  signerName: '李经理',
} as const;

/** The four prohibitions' rule ids, in the checklist's order. */
export const PROHIBITIONS: readonly string[] = prohibitionRules(checklist).map((rule) => rule.id);

/** A rule's own wording in the checklist: what a refusal on screen must quote. */
export function ruleText(ruleId: string, locale: Locale): string {
  const rule = ruleById(checklist, ruleId);
  if (!rule) throw new Error(`the checklist has no rule "${ruleId}"`);
  return rule.text[locale];
}

let dispatched = 0;

/** A visit for the demo technician, made through the back-office API, so each test has one of its own. */
export async function dispatchVisit(server: RealServer, change: Partial<DispatchedVisit> = {}): Promise<DispatchedVisit> {
  dispatched++;
  const visit: DispatchedVisit = {
    id: `E2E-${process.pid}-${dispatched}`,
    technicianId: server.demo.technician.id,
    scheduledDate: toIsoDate(new Date()),
    firstVisit: true,
    customer: { name: `测试客户 ${dispatched}`, phone: '0571-8888 0000', address: '某市某区测试路 1 号' },
    equipment: { type: '洗扫车', model: 'XS-5000', serial: `SN-E2E-${dispatched}` },
    notes: '',
    ...change,
  };
  await server.admin('/api/v1/admin/visits', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(visit) });
  return visit;
}

/** On the visit list (reached by the top bar, so no page load): downloads this phone's visits. */
export async function downloadVisits(page: Page): Promise<void> {
  await page.getByTestId('nav-visits').click();
  await page.getByTestId('download-visits').click();
  // the outcome is a status or an alert right under the buttons (the empty list's note has no role)
  const outcome = page.locator('.actions + p[role]');
  await outcome.waitFor();
  if ((await outcome.getAttribute('role')) !== 'status') throw new Error(`downloading the visits failed: ${await outcome.textContent()}`);
}

/** Opens a visit from the list; resolves its draft's form id once the visit screen shows it. */
export async function openVisit(page: Page, visitId: string): Promise<string> {
  await page.getByTestId(`visit-${visitId}`).click();
  await page.waitForURL(/#\/visit\/[0-9a-f-]{36}$/);
  await page.getByTestId('save-status').waitFor({ state: 'attached' });
  return formIdOf(page);
}

export function formIdOf(page: Page): string {
  const match = /#\/visit\/([0-9a-f-]{36})/.exec(page.url());
  if (!match) throw new Error(`not on a visit: ${page.url()}`);
  return match[1]!;
}

/** Waits until `phase` is the visit's current phase, and shows it. */
export async function waitForCurrentPhase(page: Page, phase: string): Promise<void> {
  await page.locator(`[data-testid="phase-tab-${phase}"][data-current="true"]`).waitFor();
  await page.getByTestId(`phase-${phase}`).waitFor();
}

export async function showPhase(page: Page, phase: string): Promise<void> {
  await page.getByTestId(`phase-tab-${phase}`).click();
  await page.getByTestId(`phase-${phase}`).waitFor();
}

export async function tick(page: Page, itemId: string): Promise<void> {
  await page.getByTestId(`tick-${itemId}`).click();
  // shown at once, saved when data-pending turns false
  await page.locator(`[data-testid="tick-${itemId}"][aria-checked="true"][data-pending="false"]`).waitFor();
}

export async function step(page: Page, name: string): Promise<void> {
  await page.getByTestId(`step-${name}`).click();
  await page.locator(`[data-testid="step-${name}"][data-done="true"]`).waitFor();
}

/**
 * Types into a text field and stays in it: the answer is saved as typed, with no button (a pause after the
 * typing saves it). Waits for the field's "saved" note unless the phase moves on.
 */
export async function fillText(page: Page, field: string, value: string, { waitSaved = true } = {}): Promise<void> {
  await page.getByTestId(`field-${field}`).fill(value);
  if (waitSaved) await page.locator('.item.field', { has: page.getByTestId(`field-${field}`) }).locator('.done-note').waitFor();
}

/** Whether the prepare phase says today is a festival (the gift is then required). */
export async function isFestival(page: Page): Promise<boolean> {
  return (await page.getByTestId('festival').getAttribute('class'))?.includes('notice') ?? false;
}

/** Prepare: dress and kit (the gift only in a festival), then start the visit. */
export async function prepare(page: Page): Promise<void> {
  await waitForCurrentPhase(page, 'prepare');
  const items = ['dress.clothes', 'dress.work-id', 'kit.toolbox', 'kit.towel', 'kit.gloves', 'kit.mat'];
  if (await isFestival(page)) items.push('kit.gift');
  for (const item of items) await tick(page, item);
  await page.getByTestId('step-start-visit').click();
  await waitForCurrentPhase(page, 'arrive');
}

/** Arrive: the greeting (the self-introduction on a first visit) and the customer's account. */
export async function arrive(page: Page, firstVisit: boolean): Promise<void> {
  await tick(page, 'greet.hello');
  if (firstVisit) await tick(page, 'greet.introduce');
  // the account is the phase's last item: once saved, the visit moves on to the repair
  await fillText(page, 'greet.account', ANSWERS.customerAccount, { waitSaved: false });
  await waitForCurrentPhase(page, 'repair');
}

/**
 * 开始维修 on the repair tab: nothing more is required there, so the screen moves on by itself to the
 * technician's test run on the 试车 tab; resolves once it has.
 */
export async function startRepair(page: Page): Promise<void> {
  await page.getByTestId('step-start-repair').click();
  await page.locator('[data-testid="phase-tab-verify"][aria-selected="true"]').waitFor();
  await page.getByTestId('test-technician-passed').waitFor();
}

/** Repair: gloves on, start (the screen moves on to the test run), then back on the repair tab one declined cigarette logged in one tap. */
export async function repair(page: Page): Promise<void> {
  await step(page, 'confirm-gloves');
  await startRepair(page);
  await showPhase(page, 'repair');
  await page.locator('[data-testid="step-start-repair"][data-done="true"]').waitFor();
  await page.getByTestId('offer-cigarette').click();
  await page.getByTestId('incidents').locator('li').first().waitFor();
}

/** A test run: a pass in one tap (its note typed first); a failure tapped, its note typed, then confirmed. */
export async function recordTest(page: Page, by: 'technician' | 'customer', passed: boolean, note = ''): Promise<void> {
  if (passed) {
    if (note) await page.getByTestId(`test-${by}-note`).fill(note);
    await page.getByTestId(`test-${by}-passed`).click();
    return;
  }
  await page.getByTestId(`test-${by}-failed`).click();
  if (note) await page.getByTestId(`test-${by}-note`).fill(note);
  await page.getByTestId(`test-${by}-record`).click();
}

/** Verify: the technician's test run, then the customer's; both pass and the visit moves on to signing. */
export async function verify(page: Page): Promise<void> {
  // until the technician's own run passes the repair is still the current phase: the technician opens the test run
  await showPhase(page, 'verify');
  await recordTest(page, 'technician', true);
  await page.getByTestId('test-technician').locator('.done-note').waitFor();
  await recordTest(page, 'customer', true);
  await waitForCurrentPhase(page, 'sign');
}

/** Adds the part of ANSWERS to the parts used; waits until the parts are saved (as typed, no button). */
export async function addPart(page: Page): Promise<void> {
  await page.getByTestId('part-add').click();
  await page.getByTestId('part-name-0').fill(ANSWERS.part.name);
  await page.getByTestId('part-quantity-0').fill(String(ANSWERS.part.quantity));
  await page.locator('fieldset', { has: page.getByTestId('part-add') }).locator('.done-note').waitFor();
}

/** The technician's attestation of the four prohibitions, in one tap; waits until it is saved. */
export async function attestAll(page: Page): Promise<void> {
  await page.getByTestId('attest-all').click();
  await page.locator('fieldset', { has: page.getByTestId('attest-all') }).locator('.done-note').waitFor();
}

/** Hands the phone to the customer (unless they hold it): their screen, and nothing of the technician's. */
export async function handOver(page: Page): Promise<void> {
  if ((await page.getByTestId('hand-over-screen').count()) > 0) return;
  await page.getByTestId('hand-over').click();
  await page.getByTestId('hand-over-screen').waitFor();
}

/** The customer hands the phone back (if they hold it): the sign phase shows what they entered. */
export async function handBack(page: Page): Promise<void> {
  if ((await page.getByTestId('hand-over-screen').count()) === 0) return;
  await page.getByTestId('hand-back').click();
  await page.getByTestId('hand-over-block').waitFor();
}

/**
 * Sign: the technician attests the four prohibitions on their side, hands the phone over, and the customer
 * gives their part — opinion, satisfaction, the conduct confirmation (all kept, one tap), their name. The
 * phone stays with the customer, for the signature.
 */
export async function fillCustomerAnswers(page: Page): Promise<void> {
  await attestAll(page);
  await handOver(page);
  await fillText(page, 'form.opinion', ANSWERS.customerOpinion);
  await page.getByTestId(`choice-form.satisfaction-${ANSWERS.satisfaction}`).click();
  await page.locator(`[data-testid="choice-form.satisfaction-${ANSWERS.satisfaction}"][aria-checked="true"]`).waitFor();
  await page.getByTestId('conduct-all-kept').click();
  await page.locator('fieldset', { has: page.getByTestId('conduct-all-kept') }).locator('.done-note').waitFor();
  await fillText(page, 'form.signer-name', ANSWERS.signerName);
}

/** Sign: every answer of the form except the signature. */
export async function fillForm(page: Page): Promise<void> {
  await fillText(page, 'form.fault-found', ANSWERS.faultFound);
  await fillText(page, 'form.work-done', ANSWERS.workDone);
  await addPart(page);
  await fillCustomerAnswers(page);
}

/** From a freshly opened visit to the sign phase with every answer but the signature. */
export async function walkToSign(page: Page, { firstVisit }: { firstVisit: boolean }): Promise<void> {
  await prepare(page);
  await arrive(page, firstVisit);
  await repair(page);
  await verify(page);
  await fillForm(page);
}

/**
 * Draws `strokes` strokes on the signature pad with real pointer moves (down, a zigzag of moves, up),
 * and waits until the pad has counted them. The phone is handed to the customer first if need be.
 */
export async function drawSignature(page: Page, strokes = 2): Promise<void> {
  // the customer signs on their own screen
  await handOver(page);
  const canvas = page.getByTestId('signature-canvas');
  // in the middle of the screen, as a person would hold it: at an edge the sticky bars may cover part of it
  await canvas.evaluate((element) => element.scrollIntoView({ block: 'center', inline: 'nearest' }));
  const before = Number(await canvas.getAttribute('data-strokes'));
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the signature canvas is not on screen');
  for (let s = 0; s < strokes; s++) {
    const y = box.y + box.height * (0.3 + (0.4 * s) / Math.max(1, strokes - 1));
    await page.mouse.move(box.x + box.width * 0.15, y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) {
      await page.mouse.move(box.x + box.width * (0.15 + 0.07 * i), y + (i % 2 === 0 ? -1 : 1) * box.height * 0.12, { steps: 2 });
    }
    await page.mouse.up();
  }
  await page.locator(`[data-testid="signature-canvas"][data-strokes="${before + strokes}"]`).waitFor();
}

/** Hands the drawn signature to the form; waits until it is saved (the pad turns read-only). */
export async function useSignature(page: Page): Promise<void> {
  await page.getByTestId('signature-use').click();
  await page.getByTestId('signature-redo').waitFor();
}

/** The phone handed back, seals; resolves the hash the sealed screen shows once the strict transaction has completed. */
export async function sealVisit(page: Page): Promise<string> {
  await handBack(page);
  await page.getByTestId('step-seal').click();
  await page.getByTestId('sealed-saved').waitFor();
  return (await page.getByTestId('seal-hash').textContent()) ?? '';
}

/** Enrolled, with the visit downloaded and open: the whole visit through to the seal. */
export async function walkWholeVisit(page: Page, { firstVisit }: { firstVisit: boolean }): Promise<string> {
  await walkToSign(page, { firstVisit });
  await drawSignature(page);
  await useSignature(page);
  return sealVisit(page);
}

export interface SealedInIndexedDB {
  /** the outbox's record of it */
  status: string;
  attempts: number;
  lastError: string | null;
  /** the back office's reasons, for a rejected form */
  rejection: FieldError[] | null;
  form: SealedForm;
  signature: { bytes: Uint8Array; mime: string; sha256: string; storedAsArrayBuffer: boolean };
}

/** The sealed form and its signature bytes as the phone's IndexedDB holds them ('onsite': 'forms', 'signatures'). */
export async function readSealedFromIndexedDB(page: Page, formId: string): Promise<SealedInIndexedDB> {
  const raw = await page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('onsite');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction(['forms', 'signatures'], 'readonly');
    const get = (store: string) =>
      new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
        const request = tx.objectStore(store).get(id);
        request.onsuccess = () => resolve(request.result as Record<string, unknown> | undefined);
        request.onerror = () => reject(request.error);
      });
    const [stored, signature] = await Promise.all([get('forms'), get('signatures')]);
    db.close();
    if (!stored || !signature) return null;
    const bytes = signature.bytes;
    return {
      status: stored.status as string,
      attempts: stored.attempts as number,
      lastError: (stored.lastError as string | undefined) ?? null,
      rejection: (stored.rejection as FieldError[] | undefined) ?? null,
      formJson: JSON.stringify(stored.form),
      signature: {
        bytes: Array.from(new Uint8Array(bytes as ArrayBuffer)),
        mime: signature.mime as string,
        sha256: signature.sha256 as string,
        storedAsArrayBuffer: bytes instanceof ArrayBuffer,
      },
    };
  }, formId);
  if (!raw) throw new Error(`IndexedDB holds no sealed form ${formId} with its signature`);
  return {
    status: raw.status,
    attempts: raw.attempts,
    lastError: raw.lastError,
    rejection: raw.rejection,
    form: JSON.parse(raw.formJson) as SealedForm,
    signature: { ...raw.signature, bytes: Uint8Array.from(raw.signature.bytes) },
  };
}

/** The outbox status of a sealed form as the visit's sealed screen shows it. */
export function shownSyncStatus(page: Page): Promise<string | null> {
  return page.getByTestId('sync-status').getAttribute('data-status');
}

/** A full-page PNG in test-results/e2e/, to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  const dir = join(RESULTS_DIR, 'e2e');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
