// The fault run in Chromium: the production app with its real service worker, loaded from the fault
// proxy in front of the real server, so every request the app and its worker make goes through it;
// faults only on POST /api/v1/forms. Four visits are clicked through and sealed as a technician would,
// then the app syncs them on its own (its own triggers, timers and backoff) until each is in the
// database exactly once, as sealed on the phone, its seal verified. About 30 s: part of `npm test`.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { API } from '../../src/domain/api';
import { dispatchVisit, downloadVisits, openVisit, readSealedFromIndexedDB, walkWholeVisit } from '../browser/e2e-steps';
import { enrollThroughSettings, serverTest as test, setUpBrowserAndServer } from '../browser/real-server';
import { waitForServiceWorkerControl } from '../browser/service-worker';
import { FAULT_KINDS, startFaultProxy } from './fault-proxy';
import { auditLanded, readLandedForms } from './landed-forms';
import type { SealedOnPhone } from './phones';

setUpBrowserAndServer();

const VISITS = 4;
// the app is one client of the proxy: its form requests draw from this seed in their order. Whatever the seed,
// and however the app batches its forms, it is first owed a reset after the server answered (the form landed,
// its answer lost) and an injected 503, in the seed's order, then a duplicated request: each failure leaves
// a form to resend, so the app keeps coming back until it has met all three
const SEED = 1550134;
const OWED = ['resetAfterResponse', 'status503', 'duplicate'] as const;
const RATES = {
  drop: 0.1, resetBeforeForward: 0.1, resetAfterResponse: 0.15, status500: 0.05, status502: 0.05, status503: 0.05, duplicate: 0.15,
  delayRate: 0.3, delayMs: [0, 300] as const,
};

test('forms sealed in the app behind a faulty network each land once, as sealed, with the seal verified', async ({ server, page }) => {
  const target = new URL(server.url);
  const proxy = await startFaultProxy({
    target: { host: target.hostname, port: Number(target.port) }, seed: SEED, faults: RATES, owed: OWED, match: ({ path }) => path === API.forms,
  });
  try {
    // the app, its worker and its API calls all come from the proxy's origin
    await enrollThroughSettings(page, { ...server, url: proxy.url });
    await waitForServiceWorkerControl(page);
    const visits = [];
    for (let i = 0; i < VISITS; i++) visits.push(await dispatchVisit(server, { firstVisit: i % 2 === 0 }));
    await downloadVisits(page);

    const formIds: string[] = [];
    for (const visit of visits) {
      await page.getByTestId('nav-visits').click();
      formIds.push(await openVisit(page, visit.id));
      await walkWholeVisit(page, { firstVisit: visit.firstVisit });
    }

    // no button pressed: the app's own sync, its retries and backoff, bring every form to the server
    await expect.poll(() => outboxStatuses(page, formIds), { timeout: 120_000, interval: 500 }).toEqual(formIds.map(() => 'synced'));

    const sealed = new Map<string, SealedOnPhone>();
    for (const formId of formIds) {
      const { form, signature } = await readSealedFromIndexedDB(page, formId);
      sealed.set(formId, { form, signature: signature.bytes });
    }
    const audit = await auditLanded(sealed, await readLandedForms({ sqlitePath: server.sqlitePath }));
    const stats = proxy.stats();
    console.log([
      `fault run in Chromium (seed ${SEED}): ${VISITS} forms sealed in the app, ${audit.landed} in the database, ${audit.lost.length} lost`,
      `  form requests: ${proxy.history().length}; faults injected: ${FAULT_KINDS.map((kind) => `${kind} ${stats.faults[kind]}`).join(', ')}, delay ${stats.faults.delay}`,
    ].join('\n'));

    expect(audit.problems).toEqual([]);
    expect(audit.landed).toBe(VISITS);
    // what the proxy owed did happen: the answer to a landed form was lost, the server "failed", a request came twice
    for (const kind of OWED) expect(stats.faults[kind], kind).toBeGreaterThan(0);
    expect(proxy.owing()).toEqual({});
    expect(stats.proxyErrors).toEqual([]);
  } finally {
    await proxy.close();
  }
}, 240_000);

/** The outbox status of each form, read from the app's IndexedDB. */
function outboxStatuses(page: Page, formIds: readonly string[]): Promise<Array<string | null>> {
  return page.evaluate(async (ids) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('onsite');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const store = db.transaction('forms', 'readonly').objectStore('forms');
    const statuses = await Promise.all(ids.map((id) => new Promise<string | null>((resolve, reject) => {
      const request = store.get(id);
      request.onsuccess = () => resolve((request.result as { status?: string } | undefined)?.status ?? null);
      request.onerror = () => reject(request.error);
    })));
    db.close();
    return statuses;
  }, formIds);
}
