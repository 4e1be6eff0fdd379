// What a screen reader meets on the test runs, the conduct questions and the signature, found by role
// and accessible name only: each control of the two test-run blocks (通过 records a pass in one tap;
// 未通过 opens its confirmation) and of the four conduct questions names which block or question it answers
// (so do "attest all four" and "all four kept"), and the signature canvas says it is drawn on and that there
// is no other way to sign. Production build, real server, real Chromium, in zh-CN and en.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { prohibitionRules, type Locale } from '../../src/domain/checklist';
import { checklist, dispatchVisit, downloadVisits, handBack, handOver, openVisit, showPhase } from './e2e-steps';
import { enrollThroughSettings, serverTest as test, setUpBrowserAndServer } from './real-server';

setUpBrowserAndServer();

const itemText = (id: string, locale: Locale) => checklist.items.find((item) => item.id === id)!.text[locale];
const WORDS = {
  'zh-CN': { sep: '：', passed: '通过', failed: '未通过', note: '试车备注', record: '确认：未通过', kept: '遵守', notKept: '未遵守', drawn: '用手指或触控笔在此框内手写签名', only: '签名只能手写', role: '手写签名板', allKept: '四条全部遵守', attestAll: '四条全部承诺' },
  en: { sep: ': ', passed: 'Passed', failed: 'Failed', note: 'Test-run note', record: 'Confirm: failed', kept: 'Kept', notKept: 'Not kept', drawn: 'sign by hand in this box with a finger or a stylus', only: 'A signature can only be drawn', role: 'handwritten signature pad', allKept: 'All four kept', attestAll: 'Attest all four' },
} as const;

/** Exactly one control of this role has this name. */
async function one(page: Page, role: 'radio' | 'button' | 'textbox', name: string) {
  const control = page.getByRole(role, { name, exact: true });
  expect(await control.count(), `${role} "${name}"`).toBe(1);
  return control;
}

async function checkNames(page: Page, locale: Locale): Promise<void> {
  const w = WORDS[locale];
  await showPhase(page, 'verify');
  for (const item of ['must.technician-test', 'must.customer-test']) {
    const which = itemText(item, locale);
    await one(page, 'button', `${which}${w.sep}${w.passed}`);
    await one(page, 'button', `${which}${w.sep}${w.failed}`);
    await one(page, 'textbox', `${which}${w.sep}${w.note}`);
  }
  // a tap by name lands on the block it names, and only there: 未通过 opens that block's confirmation
  const technicianFailed = await one(page, 'button', `${itemText('must.technician-test', locale)}${w.sep}${w.failed}`);
  await technicianFailed.click();
  expect(await technicianFailed.getAttribute('aria-expanded')).toBe('true');
  await one(page, 'button', `${itemText('must.technician-test', locale)}${w.sep}${w.record}`);
  expect(await page.getByRole('button', { name: `${itemText('must.customer-test', locale)}${w.sep}${w.record}`, exact: true }).count()).toBe(0);
  expect(await (await one(page, 'button', `${itemText('must.customer-test', locale)}${w.sep}${w.failed}`)).getAttribute('aria-expanded')).toBe('false');
  // tapped again, it closes without recording anything
  await technicianFailed.click();
  expect(await page.getByTestId('test-history').count()).toBe(0);

  await showPhase(page, 'sign');
  // the technician's attestation in one tap names the attestation; the conduct questions are the customer's, on their screen
  await one(page, 'button', `${itemText('form.attestation', locale)}${w.sep}${w.attestAll}`);
  await handOver(page);
  await one(page, 'button', `${itemText('form.conduct', locale)}${w.sep}${w.allKept}`);
  for (const rule of prohibitionRules(checklist)) {
    const which = rule.text[locale].replace(/[。.]$/, '');
    await one(page, 'radio', `${which}${w.sep}${w.kept}`);
    await one(page, 'radio', `${which}${w.sep}${w.notKept}`);
  }
  const canvas = page.getByRole('img', { name: `${itemText('form.signature', locale)}${w.sep}`, exact: false });
  await canvas.waitFor();
  const name = await canvas.getAttribute('aria-label');
  expect(name).toContain(w.drawn);
  expect(name).toContain(w.only);
  expect(await canvas.getAttribute('aria-roledescription')).toBe(w.role);
  await handBack(page);
}

test('each test-run and conduct control names which, and the signature canvas says how it is signed', async ({ server, page }) => {
  const visit = await dispatchVisit(server);
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  await openVisit(page, visit.id);
  await checkNames(page, 'zh-CN');
  await page.getByTestId('locale-switch').click();
  await page.locator('html[lang="en"]').waitFor();
  await checkNames(page, 'en');
});
