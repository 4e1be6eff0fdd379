// The one module that touches navigator.serviceWorker. It registers /sw.js (production builds only),
// tells the app once that it can work offline, and when a new build is waiting hands the app a
// function that applies it. It never takes over on its own: a visit may be open, so the app decides
// when (after the draft is saved) and calls applyUpdate.
import { Workbox } from 'workbox-window';
import { requestBackgroundSync, type SyncRegistrationLike } from '../sync/background-sync';

export interface ServiceWorkerHandlers {
  /** Every file of the app is cached: from now on it opens with no network. Called once, at the first install. */
  offlineReady(): void;
  /**
   * A new build is installed and waiting (or another tab already let it take over). `applyUpdate` lets it
   * take over and reloads this page; call it only when nothing unsaved is on screen.
   */
  updateAvailable(applyUpdate: () => Promise<void>): void;
}

/** true in builds, which ship /sw.js; false on the dev server (vite.config.ts `define`) */
declare const __ONSITE_SERVICE_WORKER__: boolean;

export function startServiceWorker(handlers: ServiceWorkerHandlers): void {
  if (!__ONSITE_SERVICE_WORKER__ || !('serviceWorker' in navigator)) return;
  const sw = new Workbox('/sw.js');
  let updateRequested = false;
  const applyUpdate = async (): Promise<void> => {
    updateRequested = true;
    sw.messageSkipWaiting();
  };
  const reload = async (): Promise<void> => location.reload();

  sw.addEventListener('installed', (event) => {
    // the first install; an update (ours, or one found later, which Workbox calls external) announces itself by `waiting`
    if (!event.isUpdate && !event.isExternal) handlers.offlineReady();
  });
  sw.addEventListener('waiting', () => handlers.updateAvailable(applyUpdate));
  sw.addEventListener('controlling', (event) => {
    if (updateRequested) location.reload();
    // another tab applied an update: this page runs the old build's code under the new worker
    else if (event.isUpdate || event.isExternal) handlers.updateAvailable(reload);
  });

  sw.register().then(
    () => {
      // an app left open for days looks for a new build each time it is shown again
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') sw.update().catch(() => undefined); // offline: the next look will do
      });
    },
    // the app still works online; it just cannot work offline on this device
    (error: unknown) => console.warn('service worker registration failed; the app will not work offline', error),
  );
}

/**
 * Asks the browser to wake the service worker once the network is back (Background Sync, the outbox tag),
 * for the sync engine's `requestWakeUp`. Resolves false where that is not available: no active worker
 * (dev server, first visit), a browser without Background Sync, or permission refused.
 */
export async function registerBackgroundSync(): Promise<boolean> {
  if (!('serviceWorker' in navigator)) return false;
  // getRegistration, not `ready`: `ready` never settles where no worker was registered (dev server)
  const registration = await navigator.serviceWorker.getRegistration();
  return registration?.active ? requestBackgroundSync(registration as ServiceWorkerRegistration & SyncRegistrationLike) : false;
}
