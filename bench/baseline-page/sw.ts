// The baseline's service worker: Workbox precaching of its files and the navigation fallback, like
// the app's, without anything else. Typed by hand: bench/ compiles with the DOM lib, not WebWorker.
import { createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

interface ExtendableEventLike {
  waitUntil(promise: Promise<unknown>): void;
}
declare const self: {
  __WB_MANIFEST: Array<PrecacheEntry | string>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'activate', listener: (event: ExtendableEventLike) => void): void;
};

precacheAndRoute(self.__WB_MANIFEST);
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
