// The first online load over a slow mobile network, in Chromium at 360 × 740: a fresh phone (nothing
// cached, no service worker yet) opens the technician app from the real server (src/server: brotli or
// gzip as the browser accepts, precompressed at build), with the page's network slowed by DevTools'
// Network.emulateNetworkConditions to Lighthouse's slow 4G (150 ms round trip, 1.6 Mbit/s down,
// 750 kbit/s up). Beside it, the bare Preact page (bench/baseline-page) served by the same server code
// (createServer over the same database, its build as the dist folder), loaded the same way. Figures:
//   - time from navigation start to the visit list on screen (the bare page: its first screen), one
//     frame later, read in the page;
//   - bytes over the wire until then (every response's headers and encoded body: Playwright's sizes());
//   - bytes over the wire until the service worker has installed and precached the app (offline-ready).
// Any text answer (HTML, JS, CSS, JSON) of 1 KB or more sent without Content-Encoding is an error
// naming it: the server sends nothing uncompressed. The two pages alternate, RUNS times each; medians.
import { join } from 'node:path';
import type { Browser, Request } from 'playwright-core';
import { loadChecklists } from '../src/server/checklists';
import { createServer } from '../src/server/server';
import { launchChromium } from '../test/browser/chromium';
import { REPO_ROOT } from '../test/browser/builds';
import { newTestContext } from '../test/browser/pages';
import { startRealServer } from '../test/browser/real-server-core';
import { waitForServiceWorkerControl } from '../test/browser/service-worker';
import { baselineBuild } from './builds';
import { compared, median, type Measurement } from './measurement';

const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = QUICK ? 2 : 5;

/** Lighthouse's slow 4G ("mobileSlow4G": 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up), in CDP's units (bytes per second). */
export const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 } as const;

/** What counts as text: an answer of this type and at least this size must come compressed. */
const TEXT_TYPE = /^(text\/|application\/(json|javascript|manifest\+json))/;
const MIN_COMPRESSED_BYTES = 1024;

/** Installed before any page script: when the page first shows `ready` (one frame later). */
function recordReady(ready: string): void {
  const target = window as unknown as { __ready?: number };
  new MutationObserver((_, observer) => {
    if (target.__ready === undefined && document.querySelector(ready)) {
      target.__ready = -1;
      observer.disconnect();
      requestAnimationFrame(() => (target.__ready = performance.now()));
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-testid'] });
}

interface Load {
  readyMs: number;
  bytesToReady: number;
  bytesToOfflineReady: number;
  uncompressed: string[];
}

interface Finished {
  url: string;
  bytes: number;
  at: number;
}

async function sizeOf(request: Request): Promise<number> {
  const sizes = await request.sizes();
  return sizes.responseHeadersSize + sizes.responseBodySize;
}

async function firstLoad(browser: Browser, url: string, ready: string): Promise<Load> {
  const context = await newTestContext(browser);
  try {
    const finished: Promise<Finished>[] = [];
    const uncompressed: string[] = [];
    // the context sees the service worker's requests (its precache) as well as the page's
    context.on('requestfinished', (request) => {
      const at = Date.now();
      finished.push(
        (async () => {
          const response = await request.response();
          const headers = (await response?.allHeaders()) ?? {};
          const bytes = await sizeOf(request);
          const length = (await request.sizes()).responseBodySize;
          if (TEXT_TYPE.test(headers['content-type'] ?? '') && !headers['content-encoding'] && length >= MIN_COMPRESSED_BYTES && response?.status() === 200) {
            uncompressed.push(`${new URL(request.url()).pathname} (${length} B, ${headers['content-type']})`);
          }
          return { url: request.url(), bytes, at };
        })(),
      );
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await page.addInitScript(recordReady, ready);
    await page.goto(`${url}/`);
    const handle = await page.waitForFunction(() => {
      const at = (window as unknown as { __ready?: number }).__ready;
      return at !== undefined && at > 0 ? at : null;
    });
    const readyAt = Date.now();
    const readyMs = (await handle.jsonValue()) as number;
    await waitForServiceWorkerControl(page);
    const all = await Promise.all(finished);
    return {
      readyMs,
      bytesToReady: all.filter((f) => f.at <= readyAt).reduce((sum, f) => sum + f.bytes, 0),
      bytesToOfflineReady: all.reduce((sum, f) => sum + f.bytes, 0),
      uncompressed,
    };
  } finally {
    await context.close();
  }
}

const firstLoadNetwork: Measurement = {
  name: 'first-load-network',
  async run() {
    const baseline = await baselineBuild();
    const server = await startRealServer();
    const baselineServer = await createServer({
      storage: server.storage,
      checklists: loadChecklists(join(REPO_ROOT, 'checklists')),
      distDir: baseline.outDir,
      port: 0,
      log: () => {},
    });
    const browser = await launchChromium();
    const app: Load[] = [];
    const bare: Load[] = [];
    try {
      // one unmeasured pair first: the browser's own first-use costs are not the app's
      await firstLoad(browser, server.url, '[data-testid="list-empty"], [data-testid="visit-cards"]');
      await firstLoad(browser, baselineServer.url, '#app > *');
      for (let run = 0; run < RUNS; run++) {
        app.push(await firstLoad(browser, server.url, '[data-testid="list-empty"], [data-testid="visit-cards"]'));
        bare.push(await firstLoad(browser, baselineServer.url, '#app > *'));
      }
    } finally {
      await browser.close();
      await baselineServer.close(1000);
      await server.close();
    }
    const uncompressed = [...new Set([...app, ...bare].flatMap((load) => load.uncompressed))];
    if (uncompressed.length > 0) throw new Error(`sent uncompressed: ${uncompressed.join(', ')}`);
    const row = (metric: string, unit: string, pick: (load: Load) => number, aim?: { max: number; of: 'ratio' }) =>
      compared({
        metric: `${metric} (median of ${RUNS})`,
        value: median(app.map(pick)),
        unit,
        baseline: 'bare Preact page, same server, slow 4G',
        baselineValue: median(bare.map(pick)),
        ...(aim ? { aim } : {}),
        samples: { value: app.map(pick), baseline: bare.map(pick) },
      });
    return [
      row('first load on slow 4G: navigation → visit list on screen', 'ms', (load) => load.readyMs),
      row('first load on slow 4G: bytes over the wire until the visit list', 'B', (load) => load.bytesToReady),
      row('first load on slow 4G: bytes until offline-ready (precache done)', 'B', (load) => load.bytesToOfflineReady),
    ];
  },
};

export default firstLoadNetwork;
