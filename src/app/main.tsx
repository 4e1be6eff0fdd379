// first-load bundle: keep it small
// The entry: open the phone's database (started by early-db.ts), read the language and the visit list,
// render the app, and after its first paint start what can wait (service worker, sync, persistence).
// first: starts opening IndexedDB while the rest of the modules evaluate
import { databaseClosed, earlyDatabase } from './early-db';
import { render } from 'preact';
import type { ConnectionClosedReason } from '../device/db';
import { App, type ServiceWorkerNews } from './app';
import { loadLocale } from './i18n';
import { preloadVisitList } from './screens/visit-list';
import { createStore } from './store';
import { wireServices, type WiredServices } from './wire-services';
import './styles.css';

async function main(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) throw new Error('index.html has no <div id="app">');
  const news = createStore<ServiceWorkerNews>({ offlineReady: false, applyUpdate: null });
  const storageClosed = createStore<ConnectionClosedReason | null>(null);
  void databaseClosed.then((reason) => storageClosed.set(reason));
  let wired: WiredServices;
  try {
    wired = await wireServices(earlyDatabase());
    // the language and the first screen's rows, read together so the first paint shows the visits
    const [locale] = await Promise.all([wired.services.settings.locale(), preloadVisitList(wired.services)]);
    await loadLocale(locale);
    render(<App services={wired.services} initialLocale={locale} news={news} storageClosed={storageClosed} />, root);
  } catch (error) {
    // no IndexedDB (some private modes) or storage refused: say so instead of a blank page
    const message = document.createElement('p');
    message.setAttribute('role', 'alert');
    message.className = 'alert';
    message.textContent = `无法启动 / Cannot start: ${error instanceof Error ? error.message : String(error)}`;
    root.replaceChildren(message);
    return;
  }
  // the first screen is painted before anything else loads: sync, persistence and the service worker wait a frame
  await afterNextPaint();
  wired.startBackgroundWork();
  // workbox-window is not needed to draw the first screen
  import('./sw-bridge').then(
    ({ startServiceWorker }) =>
      startServiceWorker({
        offlineReady: () => news.set({ ...news.get(), offlineReady: true }),
        updateAvailable: (applyUpdate) => news.set({ ...news.get(), applyUpdate }),
      }),
    (error: unknown) => console.warn('the service worker bridge did not load; the app will not work offline', error),
  );
}

/** Resolves after the browser has painted the next frame (a task queued from inside requestAnimationFrame). */
function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

void main();
