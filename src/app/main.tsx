// first-load bundle: keep it small
// The entry: open the phone's database, render the app, then start what can wait (service worker, sync).
import { render } from 'preact';
import { App, type ServiceWorkerNews } from './app';
import { loadLocale } from './i18n';
import { createStore } from './store';
import { wireServices, type WiredServices } from './wire-services';
import './styles.css';

async function main(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) throw new Error('index.html has no <div id="app">');
  const news = createStore<ServiceWorkerNews>({ offlineReady: false, applyUpdate: null });
  let wired: WiredServices;
  try {
    wired = await wireServices();
    const locale = await wired.services.settings.locale();
    await loadLocale(locale);
    render(<App services={wired.services} initialLocale={locale} news={news} />, root);
  } catch (error) {
    // no IndexedDB (some private modes) or storage refused: say so instead of a blank page
    const message = document.createElement('p');
    message.setAttribute('role', 'alert');
    message.className = 'alert';
    message.textContent = `无法启动 / Cannot start: ${error instanceof Error ? error.message : String(error)}`;
    root.replaceChildren(message);
    return;
  }
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

void main();
