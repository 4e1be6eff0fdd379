// Offline cold start, in Chromium: after one online load (the service worker installs and precaches),
// the network goes away, every worker is stopped, and a new page opens the app. Two figures, each from
// navigation start to the frame after it, read in the page (performance.now()), so the harness's own
// overhead is not in them:
//   - the first screen: the app's root first holds an element — the top bar and the visit list's
//     heading and buttons, drawn before IndexedDB has answered (its rows show "loading" until then);
//   - the visit list read from IndexedDB: its rows, or its "no visits" line, on screen.
// Both are set beside the bare Preact page's first screen (it has no data to wait for). The app and
// the bare page (with its own service worker) alternate, RUNS times each; medians.
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/browser/chromium';
import { goOffline, newTestContext } from '../test/browser/pages';
import { serveStatic } from '../test/browser/static-server';
import { stopServiceWorkers, waitForServiceWorkerControl } from '../test/browser/service-worker';
import { appBuild, baselineBuild } from './builds';
import { compared, median, type Measurement } from './measurement';

const RUNS = 7;

/** Installed before any page script: records when #app first has an element, and when the visit list
 * holds its rows (or says it has none), each one frame later. */
function recordFirstScreen(): void {
  const target = window as unknown as { __firstScreen?: number; __listReady?: number };
  const LIST_READY = '[data-testid="visit-cards"], [data-testid="list-empty"]';
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
}

async function openCold(browser: Browser, baseUrl: string, withList: boolean): Promise<ColdStart> {
  const context = await newTestContext(browser);
  try {
    const first = await context.newPage();
    await first.goto(`${baseUrl}/`);
    await waitForServiceWorkerControl(first);
    await first.waitForSelector('#app > *');
    await goOffline(context);
    await stopServiceWorkers(context, first);
    await first.close();

    const cold = await context.newPage();
    await cold.addInitScript(recordFirstScreen);
    await cold.goto(`${baseUrl}/`);
    const handle = await cold.waitForFunction((list) => {
      const { __firstScreen: first, __listReady: ready } = window as unknown as { __firstScreen?: number; __listReady?: number };
      return first !== undefined && first > 0 && (!list || (ready !== undefined && ready > 0)) ? { firstScreen: first, listReady: list ? ready : undefined } : null;
    }, withList);
    return (await handle.jsonValue()) as ColdStart;
  } finally {
    await context.close();
  }
}

const coldStart: Measurement = {
  name: 'cold-start',
  async run() {
    const [app, baseline] = await Promise.all([appBuild(), baselineBuild()]);
    const [appServer, baselineServer] = await Promise.all([serveStatic(app.outDir), serveStatic(baseline.outDir)]);
    const browser = await launchChromium();
    const appRuns: ColdStart[] = [];
    const baselineMs: number[] = [];
    try {
      // one unmeasured pair first: the browser's own first-use costs are not the app's
      await openCold(browser, appServer.baseUrl, true);
      await openCold(browser, baselineServer.baseUrl, false);
      for (let run = 0; run < RUNS; run++) {
        appRuns.push(await openCold(browser, appServer.baseUrl, true));
        baselineMs.push((await openCold(browser, baselineServer.baseUrl, false)).firstScreen);
      }
    } finally {
      await browser.close();
      await Promise.all([appServer.close(), baselineServer.close()]);
    }
    const row = (metric: string, values: number[]) =>
      compared({
        metric: `${metric} (median of ${RUNS})`,
        value: median(values),
        unit: 'ms',
        baseline: 'bare Preact page',
        baselineValue: median(baselineMs),
        aim: { max: 1.3, of: 'ratio' },
        samples: { value: values, baseline: baselineMs },
      });
    return [
      row('offline cold start to first screen', appRuns.map((run) => run.firstScreen)),
      row('offline cold start to the visit list read from IndexedDB', appRuns.map((run) => run.listReady ?? NaN)),
    ];
  },
};

export default coldStart;
