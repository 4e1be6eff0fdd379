// The customer's check, end to end on the production build and the real server: a visit walked and
// sealed, synced; its customer copy carries a QR code that, read from a screenshot, is the server's
// verify page with the form id and seal; that page says the form is genuine with the visit's date,
// equipment and technician and nothing of the customer's, in Chinese or English; an altered seal, an
// unknown form and a cut code each say so. The back office's form page carries the same QR code, and
// both copies print on one A4 sheet.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { VERIFY_PATH } from '../../src/domain/verify-link';
import { dispatchVisit, downloadVisits, openVisit, snap, walkWholeVisit, WALK_TIMEOUT_MS } from './e2e-steps';
import { EVENT_TIMEOUT_MS, RESULTS_DIR } from './harness';
import { decodeQr, pdfPageCount } from './qr-decode';
import { enrollThroughSettings, serverTest as test, setUpBrowserAndServer, signInToBackOffice } from './real-server';

setUpBrowserAndServer();

/** The page printed on A4 as its print styles lay it out, kept in test-results/e2e/ to look at. */
async function printed(page: Page, name: string): Promise<Buffer> {
  const dir = join(RESULTS_DIR, 'e2e');
  await mkdir(dir, { recursive: true });
  return page.pdf({ path: join(dir, `${name}.pdf`), format: 'A4', preferCSSPageSize: true, printBackground: true });
}

async function openVerify(context: BrowserContext, url: string): Promise<{ page: Page; result: string; requests: Array<{ url: string; body: string | null }> }> {
  const page = await context.newPage();
  const requests: Array<{ url: string; body: string | null }> = [];
  page.on('request', (request) => requests.push({ url: request.url(), body: request.postData() }));
  await page.goto(url);
  const result = page.locator('[data-testid="verify-result"]:not([data-result="checking"])');
  await result.waitFor();
  return { page, result: (await result.getAttribute('data-result'))!, requests };
}

test('a sealed form\'s customer copy carries a QR code of the verify page, which says it is genuine and nothing of the customer\'s', async ({ server, page, context, browser }) => {
  const visit = await dispatchVisit(server);
  await enrollThroughSettings(page, server);
  await downloadVisits(page);
  const formId = await openVisit(page, visit.id);
  const seal = await walkWholeVisit(page, { firstVisit: true });
  await page.locator('[data-testid="sync-status"][data-status="synced"]').waitFor({ timeout: EVENT_TIMEOUT_MS });

  // the phone's copy: the QR code, read from its pixels, is the verify page's URL with the id and seal
  await page.getByTestId('copy-link').click();
  const qr = page.getByTestId('copy-qr-code');
  await qr.waitFor();
  const expected = `${server.url}${VERIFY_PATH}#f=${formId}&s=${seal}`;
  expect(await decodeQr(context, qr)).toBe(expected);
  expect(await page.getByTestId('copy-qr').getAttribute('data-verify-url')).toBe(expected);
  await snap(page, 'verify-customer-copy');
  await page.screenshot({ path: join(RESULTS_DIR, 'e2e', 'verify-customer-copy-top.png') });
  // printed, the copy with its QR code is one A4 sheet
  await page.emulateMedia({ media: 'print' });
  expect(await qr.isVisible()).toBe(true);
  expect(pdfPageCount(await printed(page, 'verify-customer-copy'))).toBe(1);
  await page.emulateMedia({ media: 'screen' });

  // the verify page, opened from that URL in a browser that speaks Chinese
  const genuine = await openVerify(context, expected);
  expect(genuine.result).toBe('held-verified');
  const facts = (await genuine.page.getByTestId('verify-facts').textContent()) ?? '';
  for (const shown of [visit.scheduledDate, visit.equipment.type, visit.equipment.model, server.demo.technician.name, '未记录', formId, seal]) {
    expect(facts, `the verify page shows ${shown}`).toContain(shown);
  }
  const whole = (await genuine.page.locator('body').textContent()) ?? '';
  for (const secret of [visit.customer.name, visit.customer.phone, visit.customer.address, visit.equipment.serial, visit.id]) {
    expect(whole, `the verify page must not show ${secret}`).not.toContain(secret);
  }
  expect(await genuine.page.getByTestId('verify-heading').textContent()).toBe('真实有效');
  expect(await genuine.page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
  // the seal went in a POST body, never in a URL a server or proxy would log
  const asked = genuine.requests.filter((r) => r.url.includes('/api/'));
  expect(asked.map((r) => new URL(r.url).pathname)).toEqual(['/api/v1/public/verify']);
  expect(JSON.parse(asked[0]!.body!)).toEqual({ form: formId, seal });
  for (const request of genuine.requests) expect(request.url.split('#')[0], request.url).not.toContain(seal);
  await snap(genuine.page, 'verify-genuine-zh');
  // the switch turns it to English, and keeps it
  await genuine.page.getByTestId('verify-lang').click();
  expect(await genuine.page.getByTestId('verify-heading').textContent()).toBe('Genuine');
  expect(await genuine.page.getByTestId('verify-facts').textContent()).toContain('not recorded');
  await snap(genuine.page, 'verify-genuine-en');

  // a browser that speaks English gets English without the switch; a forged seal, an unknown form, a cut code
  const english = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-US' });
  english.setDefaultTimeout(EVENT_TIMEOUT_MS);
  try {
    const altered = seal.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const forged = await openVerify(english, `${server.url}${VERIFY_PATH}#f=${formId}&s=${altered}`);
    expect(forged.result).toBe('seal-differs');
    expect(await forged.page.getByTestId('verify-heading').textContent()).toBe('Does not match the stored form');
    expect(await forged.page.getByTestId('verify-text').textContent()).toMatch(/forged or altered/);
    expect((await forged.page.locator('body').textContent()) ?? '').not.toContain(server.demo.technician.name);
    await snap(forged.page, 'verify-seal-differs-en');

    const unknown = await openVerify(english, `${server.url}${VERIFY_PATH}#f=${crypto.randomUUID()}&s=${seal}`);
    expect(unknown.result).toBe('unknown');
    expect(await unknown.page.getByTestId('verify-heading').textContent()).toBe('No such form');

    const cut = await openVerify(english, `${server.url}${VERIFY_PATH}#f=${formId}&s=${seal.slice(0, 40)}`);
    expect(cut.result).toBe('malformed');
    expect(await cut.page.getByTestId('verify-problems').textContent()).toBe('The seal is not valid');
    expect(cut.requests.filter((r) => r.url.includes('/api/')), 'a cut code is refused without asking the server').toEqual([]);
    await cut.page.getByTestId('verify-lang').click();
    expect(await cut.page.getByTestId('verify-heading').textContent()).toBe('二维码内容不完整或被改动');
    await snap(cut.page, 'verify-malformed-zh');
  } finally {
    await english.close();
  }

  // the back office's form page carries the same QR code, and prints on one A4 sheet
  const office = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  office.setDefaultTimeout(EVENT_TIMEOUT_MS);
  try {
    const clerk = await office.newPage();
    await signInToBackOffice(clerk, server, 'viewer');
    await clerk.goto(`${server.url}/backoffice/#/forms/${formId}`);
    const officeQr = clerk.getByTestId('copy-check-qr');
    await officeQr.waitFor();
    expect(await decodeQr(office, officeQr)).toBe(expected);
    await snap(clerk, 'verify-backoffice-form');
    await clerk.screenshot({ path: join(RESULTS_DIR, 'e2e', 'verify-backoffice-form-top.png') });
    await clerk.emulateMedia({ media: 'print' });
    expect(await officeQr.isVisible()).toBe(true);
    expect(await clerk.getByTestId('form-conflicts').isVisible()).toBe(false);
    expect(pdfPageCount(await printed(clerk, 'verify-backoffice-copy'))).toBe(1);
  } finally {
    await office.close();
  }
}, WALK_TIMEOUT_MS);
