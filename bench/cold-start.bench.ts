// Offline cold start to the first screen, in Chromium: after one online load (the service worker
// installs and precaches), the network goes away, every worker is stopped, and a new page opens the
// app. The figure is the time from navigation start to the frame after the app's root element first
// holds an element, read in the page (performance.now()), so the harness's own overhead is not in it.
// The app and the bare Preact page (with its own service worker) alternate, RUNS times each; medians.
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/browser/chromium';
import { goOffline, newTestContext } from '../test/browser/pages';
import { serveStatic } from '../test/browser/static-server';
import { stopServiceWorkers, waitForServiceWorkerControl } from '../test/browser/service-worker';
import { appBuild, baselineBuild } from './builds';
import { compared, median, type Measurement } from './measurement';

const RUNS = 7;

/** Installed before any page script: records when #app first has an element, one frame later. */
function recordFirstScreen(): void {
  const target = window as unknown as { __firstScreen?: number };
  new MutationObserver((_, observer) => {
    if (!document.getElementById('app')?.firstElementChild) return;
    observer.disconnect();
    requestAnimationFrame(() => (target.__firstScreen = performance.now()));
  }).observe(document, { childList: true, subtree: true });
}

async function coldStartMs(browser: Browser, baseUrl: string): Promise<number> {
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
    const handle = await cold.waitForFunction(() => (window as unknown as { __firstScreen?: number }).__firstScreen);
    return (await handle.jsonValue()) as number;
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
    const appMs: number[] = [];
    const baselineMs: number[] = [];
    try {
      // one unmeasured pair first: the browser's own first-use costs are not the app's
      await coldStartMs(browser, appServer.baseUrl);
      await coldStartMs(browser, baselineServer.baseUrl);
      for (let run = 0; run < RUNS; run++) {
        appMs.push(await coldStartMs(browser, appServer.baseUrl));
        baselineMs.push(await coldStartMs(browser, baselineServer.baseUrl));
      }
    } finally {
      await browser.close();
      await Promise.all([appServer.close(), baselineServer.close()]);
    }
    return [
      compared({
        metric: `offline cold start to first screen (median of ${RUNS})`,
        value: median(appMs),
        unit: 'ms',
        baseline: 'bare Preact page',
        baselineValue: median(baselineMs),
        aim: { max: 1.3, of: 'ratio' },
        samples: { value: appMs, baseline: baselineMs },
      }),
    ];
  },
};

export default coldStart;
