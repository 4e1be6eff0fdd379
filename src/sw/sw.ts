// The service worker: event wiring only. What each event does lives beside it — precache.ts (the app
// shell: install, activate, fetch), outbox-sync.ts (Background Sync), contract.ts (what the page may ask).
import { handleOutboxSync } from '../sync/background-sync';
import { BUILD_ID } from './build-id';
import { readPageMessage } from './contract';
import { runOutboxSync } from './outbox-sync';
import { routeAppShell } from './precache';

declare const self: ServiceWorkerGlobalScope;

// install: precache this build; activate: drop stale entries and old caches; fetch: serve the app shell
routeAppShell();

// the first install takes the open page at once, so it works offline without a reload; an update
// never activates by itself (no skipWaiting here): it waits until the page sends SKIP_WAITING
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('message', (event) => {
  const message = readPageMessage(event.data);
  if (message?.type === 'SKIP_WAITING') event.waitUntil(self.skipWaiting());
  else if (message?.type === 'GET_BUILD_ID') event.ports[0]?.postMessage({ buildId: BUILD_ID });
});

// the browser retries the event later when the run could not reach the server (handleOutboxSync rejects)
self.addEventListener('sync', (event) => handleOutboxSync(event, runOutboxSync));
