// Looking at a page's service worker from a test: wait for it to control the page, ask it which build
// it is, list the caches, and stop it (a cold start: the next navigation starts the worker afresh).
import type { BrowserContext, Page } from 'playwright-core';

/** Resolves once the page is controlled by an activated service worker; the worker's script URL. */
export async function waitForServiceWorkerControl(page: Page): Promise<string> {
  return page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
    return navigator.serviceWorker.controller!.scriptURL;
  });
}

/** The build id of the worker controlling the page (src/sw/contract.ts GET_BUILD_ID), or null if none controls it. */
export function controllingBuildId(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const controller = navigator.serviceWorker.controller;
    if (!controller) return null;
    return new Promise<string>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event: MessageEvent<{ buildId: string }>) => resolve(event.data.buildId);
      controller.postMessage({ type: 'GET_BUILD_ID' }, [channel.port2]);
    });
  });
}

/** The build id of the worker waiting to take over, or null if none waits. */
export function waitingBuildId(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    const waiting = (await navigator.serviceWorker.getRegistration())?.waiting;
    if (!waiting) return null;
    return new Promise<string>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event: MessageEvent<{ buildId: string }>) => resolve(event.data.buildId);
      waiting.postMessage({ type: 'GET_BUILD_ID' }, [channel.port2]);
    });
  });
}

export function cacheNames(page: Page): Promise<string[]> {
  return page.evaluate(() => caches.keys());
}

/** Every URL path held in the page origin's caches. */
export function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
    }
    return paths.sort();
  });
}

/** Stops every running service worker of the context, so the next navigation cold-starts one. */
export async function stopServiceWorkers(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
  } finally {
    await cdp.detach();
  }
}

/** Resolves once the registration's active worker has finished activating (its activate handlers are done). */
export async function waitForActivated(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active!;
    if (worker.state === 'activated') return;
    await new Promise<void>((resolve) => worker.addEventListener('statechange', () => worker.state === 'activated' && resolve()));
  });
}
