// The equipment's history on the phone, offline: a visit dispatched for a serial with two earlier forms
// is downloaded, the phone goes offline and reloads, and the visit screen shows both repairs, newest
// first, from what IndexedDB kept.
import { expect } from 'vitest';
import { formRecord } from '../../src/server/ingest';
import { checklist, sealedForm } from '../fixtures/visits';
import { dispatchVisit, downloadVisits, openVisit } from './e2e-steps';
import { goOffline } from './harness';
import { enrollThroughSettings, serverTest as test, setUpBrowserAndServer } from './real-server';
import { waitForServiceWorkerControl } from './service-worker';

setUpBrowserAndServer();

test('a visit for a serial with two earlier forms shows both repairs offline, after a reload', async ({ server, context, page }) => {
  // two earlier forms of the fixture's serial SN-123456, landed as ingest lands them
  for (const [n, date] of [[1, '2026-03-05'], [2, '2026-03-09']] as const) {
    const { form, bytes } = await sealedForm({ facts: { date, firstVisit: false, festival: null }, formId: `00000000-0000-4000-8000-00000000000${n}` });
    const outcome = await server.storage.storeForms([formRecord(form, checklist, Buffer.from(bytes), { receivedAt: new Date().toISOString(), source: 'import', clockDriftMs: null })]);
    expect(outcome[0]!.status).toBe('accepted');
  }
  const visit = await dispatchVisit(server, { equipment: { type: '洗扫车', model: 'XS-5000', serial: 'SN-123456' } });
  const other = await dispatchVisit(server);
  await enrollThroughSettings(page, server);
  await waitForServiceWorkerControl(page);
  await downloadVisits(page);

  await goOffline(context);
  await page.reload();
  await page.getByTestId(`visit-${visit.id}`).waitFor();
  await openVisit(page, visit.id);
  const history = page.getByTestId('equipment-history');
  await history.waitFor();
  expect(await history.getAttribute('open')).not.toBeNull();
  const repairs = await page.getByTestId('past-repair').allTextContents();
  expect(repairs).toHaveLength(2);
  expect(repairs[0]).toMatch(/^2026-03-09 · 故障：主刷电机碳刷磨损 · 处理：更换碳刷，清理刷盘 · 零件：碳刷 ×2$/);
  expect(repairs[1]).toMatch(/^2026-03-05 /);

  // a serial without earlier forms says so
  await page.getByTestId('nav-visits').click();
  await openVisit(page, other.id);
  await page.getByTestId('equipment-history-none').waitFor();
});
