// Offline cold start, in Chromium: a phone enrolled on the real server downloads its visits (the demo's
// and VISITS more, each with an address, a phone number and the dispatcher's notes) and the service
// worker installs and precaches; then the network goes away, every worker is stopped, and a new page
// opens the app. Figures from navigation start, read in the page (performance.now()), so the harness's
// own overhead is not in them:
//   - the first screen: the app's root first holds an element, one frame later (the app reads the
//     visit list before its first render, so this is the list already);
//   - the visit list read from IndexedDB: its rows on screen, one frame later;
//   - where the time goes: the page's answer from the service worker (worker start-up and its cache
//     lookup: Navigation Timing's responseEnd), the first load's scripts and styles fetched from it
//     (Resource Timing), the module scripts run (DOMContentLoaded ends after they have been evaluated),
//     and the app's IndexedDB open answered (indexedDB.open wrapped before any page script).
// The same phone then starts cold a second time, as every later start is (what the first start left
// in the browser's caches, V8's code cache among them, in place): to the visit list, the scripts run.
// Each is set beside the same point of the bare Preact page (bench/baseline-page: no data to wait for,
// its own Workbox service worker). The app and the bare page alternate, RUNS times each; medians.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../test/browser/chromium';
import { dispatchVisit, downloadVisits } from '../test/browser/e2e-steps';
import { goOffline, newTestContext } from '../test/browser/pages';
import { enrollThroughSettings, startRealServer, type RealServer } from '../test/browser/real-server-core';
import { serveStatic } from '../test/browser/static-server';
import { stopServiceWorkers, waitForServiceWorkerControl } from '../test/browser/service-worker';
import { baselineBuild } from './builds';
import { compared, median, type Measurement } from './measurement';

const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = QUICK ? 3 : 7;
/** Visits dispatched beside the demo's, each with the information a technician needs on the way. */
const VISITS = 12;

/** Installed before any page script: records when #app first has an element, and when the visit list
 * holds its rows, each one frame later. */
function recordFirstScreen(): void {
  const target = window as unknown as { __firstScreen?: number; __listReady?: number; __idbOpened?: number };
  // when the page's first IndexedDB open is answered (the app opens its database as its first module runs)
  const open = indexedDB.open.bind(indexedDB);
  indexedDB.open = (name: string, version?: number) => {
    const request = open(name, version);
    request.addEventListener('success', () => (target.__idbOpened ??= performance.now()));
    return request;
  };
  const LIST_READY = '[data-testid="visit-cards"] > li';
  new MutationObserver((_, observer) => {
    const root = document.getElementById('app');
    if (target.__firstScreen === undefined && root?.firstElementChild) {
      target.__firstScreen = -1;
      requestAnimationFrame(() => (target.__firstScreen = performance.now()));
    }
    if (target.__listReady === undefined && root?.querySelector(LIST_READY)) {
      target.__listReady = -1;
      observer.disconnect();
      requestAnimationFrame(() => (target.__listReady = performance.now()));
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-testid'] }); // Preact may reuse the "loading" <p>
}

interface ColdStart {
  firstScreen: number;
  /** undefined for the bare page, which has no list */
  listReady?: number;
  /** the service worker has answered the navigation (Navigation Timing responseEnd) */
  answered: number;
  /** the first load's scripts and styles have come from the service worker (the last one's responseEnd) */
  scriptsFetched: number;
  /** the module scripts have run (domContentLoadedEventEnd) */
  scriptsRun: number;
  /** the app's IndexedDB open answered (undefined for the bare page, which opens none) */
  idbOpened?: number;
  /** visit cards on screen (the app) */
  cards?: number;
}

/** The first, online load before a cold start: the bare page as it is; the app enrolled, with its visits downloaded. */
type Prepare = (page: Page) => Promise<void>;

/** Opens the app in a new page of the context, offline with every worker stopped, and reads its figures; then closes it and stops the workers again. */
async function coldPage(context: BrowserContext, baseUrl: string, withList: boolean): Promise<ColdStart> {
  const cold = await context.newPage();
  await cold.addInitScript(recordFirstScreen);
  await cold.goto(`${baseUrl}/`);
  const handle = await cold.waitForFunction((list) => {
    const { __firstScreen: first, __listReady: ready, __idbOpened: idb } = window as unknown as { __firstScreen?: number; __listReady?: number; __idbOpened?: number };
    const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    const done = first !== undefined && first > 0 && (!list || (ready !== undefined && ready > 0)) && nav !== undefined && nav.domContentLoadedEventEnd > 0;
    return done
      ? {
          firstScreen: first,
          listReady: list ? ready : undefined,
          answered: nav.responseEnd,
          scriptsFetched: Math.max(
            0,
            ...(performance.getEntriesByType('resource') as PerformanceResourceTiming[])
              .filter((r) => /\.(js|css)$/.test(new URL(r.name).pathname) && r.startTime <= nav.domContentLoadedEventEnd)
              .map((r) => r.responseEnd),
          ),
          scriptsRun: nav.domContentLoadedEventEnd,
          idbOpened: list ? idb : undefined,
          cards: list ? document.querySelectorAll('[data-testid="visit-cards"] > li').length : undefined,
        }
      : null;
  }, withList);
  const figures = (await handle.jsonValue()) as ColdStart;
  await stopServiceWorkers(context, cold);
  await cold.close();
  return figures;
}

/**
 * Two offline cold starts of a fresh phone after its online first load: the first after the install,
 * and again, as every later start is (with what the first left in the browser's caches, V8's code
 * cache among them) — each in a new page with every worker stopped.
 */
async function openCold(browser: Browser, baseUrl: string, prepare: Prepare | null): Promise<{ first: ColdStart; again: ColdStart }> {
  const context = await newTestContext(browser);
  try {
    const first = await context.newPage();
    await first.goto(`${baseUrl}/`);
    await waitForServiceWorkerControl(first);
    await first.waitForSelector('#app > *');
    if (prepare) await prepare(first);
    await goOffline(context);
    await stopServiceWorkers(context, first);
    await first.close();
    return { first: await coldPage(context, baseUrl, prepare !== null), again: await coldPage(context, baseUrl, prepare !== null) };
  } finally {
    await context.close();
  }
}

/** Enrolls the phone and downloads its visits, then waits until the service worker has taken the page. */
function enrollAndDownload(server: RealServer): Prepare {
  return async (page) => {
    await enrollThroughSettings(page, server);
    await downloadVisits(page);
    await page.waitForSelector('[data-testid="visit-cards"] > li');
  };
}

const coldStart: Measurement = {
  name: 'cold-start',
  async run() {
    const baseline = await baselineBuild();
    const [server, baselineServer] = await Promise.all([startRealServer(), serveStatic(baseline.outDir)]);
    const browser = await launchChromium();
    const appRuns: ColdStart[] = [];
    const baselineRuns: ColdStart[] = [];
    const appAgain: ColdStart[] = [];
    const baselineAgain: ColdStart[] = [];
    try {
      for (let i = 0; i < VISITS; i++) {
        await dispatchVisit(server, {
          customer: { name: `冷启动测试客户 ${i + 1}`, phone: '0571-8888 0000', address: `浙江省杭州市西湖区文三路 ${90 + i} 号环卫停车场` },
          notes: '请带真空泵密封圈；到达前先给调度打电话。',
        });
      }
      const prepare = enrollAndDownload(server);
      // one unmeasured pair first: the browser's own first-use costs are not the app's
      await openCold(browser, server.url, prepare);
      await openCold(browser, baselineServer.baseUrl, null);
      for (let run = 0; run < RUNS; run++) {
        const app = await openCold(browser, server.url, prepare);
        const bare = await openCold(browser, baselineServer.baseUrl, null);
        appRuns.push(app.first);
        appAgain.push(app.again);
        baselineRuns.push(bare.first);
        baselineAgain.push(bare.again);
      }
    } finally {
      await browser.close();
      await Promise.all([server.close(), baselineServer.close()]);
    }
    const cards = [...appRuns, ...appAgain].map((run) => run.cards ?? 0);
    if (cards.some((n) => n < VISITS)) throw new Error(`a cold start showed ${Math.min(...cards)} visits, fewer than the ${VISITS} downloaded`);
    const baselineScreen = baselineRuns.map((run) => run.firstScreen);
    const row = (metric: string, values: number[], baselineValues: number[], baselineLabel: string, aim = true) =>
      compared({
        metric: `${metric} (median of ${RUNS})`,
        value: median(values),
        unit: 'ms',
        baseline: baselineLabel,
        baselineValue: median(baselineValues),
        ...(aim ? { aim: { max: 1.3, of: 'ratio' } as const } : {}),
        samples: { value: values, baseline: baselineValues },
      });
    return [
      row('offline cold start to first screen', appRuns.map((run) => run.firstScreen), baselineScreen, 'bare Preact page'),
      row(`offline cold start to the visit list (${Math.min(...cards)} visits) read from IndexedDB`, appRuns.map((run) => run.listReady ?? NaN), baselineScreen, 'bare Preact page'),
      row('  of which: page answered by the service worker', appRuns.map((run) => run.answered), baselineRuns.map((run) => run.answered), 'bare Preact page, same point', false),
      row('  of which: first-load scripts and styles fetched', appRuns.map((run) => run.scriptsFetched), baselineRuns.map((run) => run.scriptsFetched), 'bare Preact page, same point', false),
      row('  of which: module scripts run (DOMContentLoaded)', appRuns.map((run) => run.scriptsRun), baselineRuns.map((run) => run.scriptsRun), 'bare Preact page, same point', false),
      row('  of which: IndexedDB opened (the rest: visits read, first render)', appRuns.map((run) => run.idbOpened ?? NaN), baselineScreen, "bare Preact page's first screen", false),
      row('offline cold start to the visit list, the second time', appAgain.map((run) => run.listReady ?? NaN), baselineAgain.map((run) => run.firstScreen), 'bare Preact page, again'),
      row('  of which: module scripts run (DOMContentLoaded)', appAgain.map((run) => run.scriptsRun), baselineAgain.map((run) => run.scriptsRun), 'bare Preact page, again, same point', false),
    ];
  },
};

export default coldStart;
