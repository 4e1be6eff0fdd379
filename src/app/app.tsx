// first-load bundle: keep it small
// The shell: top bar, service-worker banners, and the screen for the current route.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ConnectionClosedReason } from '../device/db';
import type { Locale } from '../domain/checklist';
import { Lazy } from './components/lazy';
import { I18nContext, makeI18n, ServicesContext, useI18n } from './context';
import { loadLocale } from './i18n';
import { whenSaved } from './open-session';
import { useRoute, type Route } from './router';
import { VisitList } from './screens/visit-list';
import type { AppServices } from './services';
import { useStore, type Store } from './store';

export interface ServiceWorkerNews {
  offlineReady: boolean;
  applyUpdate: (() => Promise<void>) | null;
}

const loadNewVisit = () => import('./screens/new-visit').then((m) => m.NewVisit);
const loadSettings = () => import('./screens/settings').then((m) => m.Settings);
const loadCopy = () => import('./screens/customer-copy').then((m) => m.CustomerCopy);
// the first screen is the visit list: the visit (phases, rules engine, seal) comes in its own chunk
const loadVisit = () => import('./screens/visit-screen').then((m) => m.VisitScreen);
const loadOpenVisit = () => import('./screens/open-visit').then((m) => m.OpenVisit);

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'list': return <VisitList />;
    case 'new': return <Lazy key="new" load={loadNewVisit} props={{}} />;
    case 'open': return <Lazy key={`open-${route.visitId}`} load={loadOpenVisit} props={{ visitId: route.visitId }} />;
    case 'visit': return <Lazy key={route.formId} load={loadVisit} props={{ formId: route.formId }} />;
    case 'copy': return <Lazy key={`copy-${route.formId}`} load={loadCopy} props={{ formId: route.formId }} />;
    case 'settings': return <Lazy key="settings" load={loadSettings} props={{}} />;
  }
}

interface BannerProps {
  news: Store<ServiceWorkerNews>;
  storageClosed: Store<ConnectionClosedReason | null>;
  notice: string | null;
  dismissNotice: () => void;
}

function Banners({ news, storageClosed, notice, dismissNotice }: BannerProps) {
  const { t } = useI18n();
  const { offlineReady, applyUpdate } = useStore(news);
  const closed = useStore(storageClosed);
  const [reloading, setReloading] = useState(false);
  const update = async () => {
    if (!applyUpdate) return;
    setReloading(true);
    // every step is saved as it happens; wait only for a write still in flight
    await whenSaved();
    await applyUpdate();
  };
  return (
    <div class="banners" aria-live="polite">
      {closed && (
        // nothing more can be saved on this page: the one thing left to do is reload it
        <p class="banner banner-update" role="alert" data-testid="storage-closed" data-reason={closed}>
          <span>{t(`banner.closed.${closed}`)}</span>
          <button type="button" class="button" onClick={() => location.reload()} data-testid="storage-closed-reload">{t('banner.closedReload')}</button>
        </p>
      )}
      {notice && (
        <p class="banner banner-update" role="alert" data-testid="app-notice">
          <span>{notice}</span>
          <button type="button" class="button-quiet" onClick={dismissNotice}>{t('banner.dismiss')}</button>
        </p>
      )}
      {offlineReady && (
        <p class="banner banner-ok" data-testid="offline-ready">
          <span>{t('banner.offlineReady')}</span>
          <button type="button" class="button-quiet" onClick={() => news.set({ ...news.get(), offlineReady: false })}>{t('banner.dismiss')}</button>
        </p>
      )}
      {applyUpdate && (
        <p class="banner banner-update" data-testid="update-available">
          <span>{t('banner.updateAvailable')}</span>
          <button type="button" class="button" disabled={reloading} onClick={update} data-testid="update-reload">
            {reloading ? t('banner.reloading') : t('banner.reload')}
          </button>
        </p>
      )}
    </div>
  );
}

function TopBar({ route }: { route: Route }) {
  const { t, locale, setLocale } = useI18n();
  const other: Locale = locale === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <header class="topbar">
      <a class="brand" href="#/">{t('app.title')}</a>
      <nav class="topnav" aria-label={t('app.title')}>
        <a href="#/" aria-current={route.name === 'list' ? 'page' : undefined} data-testid="nav-visits">{t('nav.visits')}</a>
        <a href="#/settings" aria-current={route.name === 'settings' ? 'page' : undefined} data-testid="nav-settings">{t('nav.settings')}</a>
        <button type="button" class="button-quiet" lang={other} onClick={() => setLocale(other)} data-testid="locale-switch">
          {other === 'en' ? 'English' : '中文'}
        </button>
      </nav>
    </header>
  );
}

export interface AppProps {
  services: AppServices;
  initialLocale: Locale;
  news: Store<ServiceWorkerNews>;
  /** set when the database connection is closed under the page (db.ts) */
  storageClosed: Store<ConnectionClosedReason | null>;
}

export function App({ services, initialLocale, news, storageClosed }: AppProps) {
  const [locale, setLocale] = useState(initialLocale);
  // the language switch not saved (storage full): said in the new language, which is on screen anyway
  const [localeNotSaved, setLocaleNotSaved] = useState<{ locale: Locale; quota: boolean; message: string } | null>(null);
  const route = useRoute();
  const i18n = useMemo(
    () => makeI18n(locale, (next) => {
      setLocaleNotSaved(null);
      void loadLocale(next).then(() => setLocale(next));
      services.settings.setLocale(next).catch((error: unknown) => {
        const quota = error instanceof Error && error.name === 'QuotaExceededError';
        setLocaleNotSaved({ locale: next, quota, message: error instanceof Error ? error.message : String(error) });
      });
    }),
    [locale, services.settings],
  );
  const notice = localeNotSaved && localeNotSaved.locale === locale
    ? i18n.t('banner.localeNotSaved', { reason: localeNotSaved.quota ? i18n.t('error.storageFull') : localeNotSaved.message })
    : null;
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = i18n.t('app.title');
  }, [locale]);
  return (
    <ServicesContext.Provider value={services}>
      <I18nContext.Provider value={i18n}>
        <TopBar route={route} />
        <Banners news={news} storageClosed={storageClosed} notice={notice} dismissNotice={() => setLocaleNotSaved(null)} />
        <main id="main" class="page">
          <Screen route={route} />
        </main>
      </I18nContext.Provider>
    </ServicesContext.Provider>
  );
}
