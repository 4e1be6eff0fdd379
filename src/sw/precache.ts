// The app shell: every file of the technician app, precached at install under Workbox's revisioning
// (a file whose revision changed is fetched again, the rest are kept), and served cache-first.
// Navigations fall back to the cached index.html so a cold start in airplane mode opens the app;
// the API, the back office and the public verify page are never answered from here.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

/** Paths a navigation may reach that are not the technician app. */
const NOT_APP_SHELL: readonly RegExp[] = [/^\/api\//, /^\/backoffice(?:\/|$)/, /^\/verify(?:\/|$)/];

/** Registers Workbox's install (fetch the new build), activate (drop stale entries and caches) and fetch listeners. */
export function routeAppShell(): void {
  // the build replaces self.__WB_MANIFEST with the list of files and their revisions
  precacheAndRoute(self.__WB_MANIFEST);
  cleanupOutdatedCaches();
  registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [...NOT_APP_SHELL] }));
}
