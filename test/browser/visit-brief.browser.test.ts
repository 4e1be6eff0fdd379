// Where to go, whom to call, what the dispatcher wrote and the unit's last repairs, on a 360 px phone,
// offline after a reload: on the visit list beside the visit's card, and above the tabs on every phase
// of the visit screen (the tap targets 48 px, nothing wider than the screen, nothing over the phase's
// next action); in Chinese and in English.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { formRecord } from '../../src/server/ingest';
import { checklist, sealedForm } from '../fixtures/visits';
import { dispatchVisit, downloadVisits, openVisit, showPhase, snap } from './e2e-steps';
import { goOffline } from './harness';
import { enrollThroughSettings, serverTest as test, setUpBrowserAndServer } from './real-server';
import { waitForServiceWorkerControl } from './service-worker';

setUpBrowserAndServer();

const ADDRESS = '杭州市西湖区文三路 90 号 3 号门';
const PHONE = '0571-8888 0000';
const NOTES = '请带真空泵密封圈';

async function expectTarget(link: Locator): Promise<void> {
  await link.scrollIntoViewIfNeeded();
  const box = (await link.boundingBox())!;
  expect(box.height).toBeGreaterThanOrEqual(48);
  expect(box.width).toBeGreaterThanOrEqual(48);
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(360);
}

/** The brief's links go where a tap should, and each is a thumb's target on the phone's width. */
async function expectBrief(brief: Locator): Promise<void> {
  const map = brief.getByTestId('brief-map');
  expect(await map.getAttribute('href')).toBe(`geo:0,0?q=${encodeURIComponent(ADDRESS)}`);
  expect(await brief.getByTestId('brief-web-map').getAttribute('href')).toBe(`https://uri.amap.com/search?keyword=${encodeURIComponent(ADDRESS)}`);
  expect(await brief.getByTestId('brief-call').getAttribute('href')).toBe('tel:0571-88880000');
  for (const link of [map, brief.getByTestId('brief-web-map'), brief.getByTestId('brief-call')]) await expectTarget(link);
  expect(await brief.getByTestId('brief-notes').textContent()).toContain(NOTES);
}

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test('the address, phone, notes and history are on the list and on every phase, offline, at 360 px, in zh-CN and en', async ({ server, context, page }) => {
  const { form, bytes } = await sealedForm({ facts: { date: '2026-03-09', firstVisit: false, festival: null }, formId: '00000000-0000-4000-8000-0000000000b1' });
  await server.storage.storeForms([formRecord(form, checklist, Buffer.from(bytes), { receivedAt: new Date().toISOString(), source: 'import', clockDriftMs: null })]);
  const visit = await dispatchVisit(server, {
    customer: { name: '西湖环卫所', phone: PHONE, address: ADDRESS },
    equipment: { type: '洗扫车', model: 'XS-5000', serial: form.equipment.serial },
    notes: NOTES,
  });
  await enrollThroughSettings(page, server);
  await waitForServiceWorkerControl(page);
  await downloadVisits(page);
  await goOffline(context);
  await page.reload();

  const listed = page.getByTestId(`brief-${visit.id}`);
  await listed.waitFor();
  await expectBrief(listed);
  expect(await listed.getByTestId('brief-map').textContent()).toBe(`地址：${ADDRESS}（打开地图）`);
  expect(await listed.getByTestId('past-repair').count()).toBe(1);
  expect(await noHorizontalScroll(page)).toBe(true);
  await snap(page, 'visit-brief-list');

  await openVisit(page, visit.id);
  for (const phase of ['prepare', 'arrive', 'repair', 'verify', 'sign']) {
    await showPhase(page, phase);
    const brief = page.getByTestId('visit-brief');
    await expectBrief(brief);
    expect(await brief.getByTestId('past-repair').count()).toBe(1);
    expect(await noHorizontalScroll(page)).toBe(true);
    await snap(page, `visit-brief-${phase}`);
    // the brief sits above the tabs: the phase's next action is never under it
    const next = page.getByTestId('next-action');
    if (await next.count()) {
      await next.scrollIntoViewIfNeeded();
      const [a, b] = [(await brief.boundingBox())!, (await next.boundingBox())!];
      expect(a.y + a.height <= b.y || b.y + b.height <= a.y, `on ${phase} the brief overlaps the next action`).toBe(true);
    }
  }

  await page.getByTestId('locale-switch').click();
  await page.locator('html[lang="en"]').waitFor();
  await page.getByTestId('nav-visits').click();
  const english = page.getByTestId(`brief-${visit.id}`);
  await english.waitFor();
  await expectBrief(english);
  expect(await english.getByTestId('brief-call').textContent()).toBe(`Phone: ${PHONE} (call)`);
  expect(await english.getByTestId('brief-notes').textContent()).toBe(`Dispatcher's notes: ${NOTES}`);
});
