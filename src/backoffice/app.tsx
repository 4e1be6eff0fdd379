// The shell: language, sign-in state and the page for the current hash route.
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClientError, createApiClient } from './api-client';
import { ApiContext, I18nContext, useI18n, type I18n } from './context';
import { useHashRoute } from './hooks';
import { loadLang, saveLang, translator, type Lang } from './i18n';
import { routeHash, type PageName, type Route } from './routes';
import { clearToken, loadToken, quietly, saveToken } from './session';
import { SignIn } from './pages/sign-in';
import { FormsList } from './pages/forms-list';
import { FormDetailPage } from './pages/form-detail';
import { DisputesPage } from './pages/disputes';
import { ConflictsPage } from './pages/conflicts';
import { TechniciansPage } from './pages/technicians';
import { VisitsPage } from './pages/visits';
import { ImportPage } from './pages/import-bundles';
import { ChecklistsPage } from './pages/checklists';
import { EquipmentPage } from './pages/equipment';
import { DashboardPage } from './pages/dashboard';
import { LanguageSwitch } from './components/language-switch';
import { PageHeading } from './components/page-heading';

const sessionStore = () => quietly(() => sessionStorage, null);
const localStore = () => quietly(() => localStorage, null);

export function App() {
  const [lang, setLangState] = useState<Lang>(() => loadLang(localStore()));
  const [token, setToken] = useState<string | null>(() => loadToken(sessionStore()));
  const [refusal, setRefusal] = useState<ApiClientError | null>(null);

  const setLang = useCallback((next: Lang) => {
    saveLang(localStore(), next);
    setLangState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const i18n = useMemo<I18n>(() => ({ lang, t: translator(lang), setLang }), [lang, setLang]);

  const signOut = useCallback((reason: ApiClientError | null) => {
    clearToken(sessionStore());
    setRefusal(reason);
    setToken(null);
  }, []);
  const signIn = useCallback((accepted: string) => {
    saveToken(sessionStore(), accepted);
    setRefusal(null);
    setToken(accepted);
  }, []);
  const api = useMemo(() => (token ? createApiClient({ token, onUnauthorized: signOut }) : null), [token, signOut]);

  return (
    <I18nContext.Provider value={i18n}>
      {api ? (
        <ApiContext.Provider value={api}>
          <Shell onSignOut={() => signOut(null)} />
        </ApiContext.Provider>
      ) : (
        <SignIn refusal={refusal} onSignedIn={signIn} />
      )}
    </I18nContext.Provider>
  );
}

type Section = Exclude<PageName, 'form' | 'not-found'>;

const NAV: Array<{ page: Section; route: Route }> = [
  { page: 'forms', route: { page: 'forms', filter: {} } },
  { page: 'disputes', route: { page: 'disputes', status: 'open' } },
  { page: 'conflicts', route: { page: 'conflicts' } },
  { page: 'technicians', route: { page: 'technicians' } },
  { page: 'visits', route: { page: 'visits' } },
  { page: 'import', route: { page: 'import' } },
  { page: 'checklists', route: { page: 'checklists' } },
  { page: 'equipment', route: { page: 'equipment', serial: null } },
  { page: 'dashboard', route: { page: 'dashboard', query: {} } },
];

function Shell({ onSignOut }: { onSignOut(): void }) {
  const { t } = useI18n();
  const route = useHashRoute();
  const section: PageName = route.page === 'form' ? 'forms' : route.page;
  return (
    <>
      <a class="skip-link" href="#main" data-testid="skip-link" onClick={skipToMain}>{t('app.skip')}</a>
      <header class="top-bar">
        <p class="app-name">{t('app.title')}</p>
        <nav aria-label={t('nav.label')}>
          <ul class="nav-list">
            {NAV.map(({ page, route: target }) => (
              <li key={page}>
                <a href={routeHash(target)} aria-current={section === page ? 'page' : undefined} data-testid={`nav-${page}`}>
                  {t(`nav.${page}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="top-actions">
          <LanguageSwitch />
          <button type="button" class="secondary" onClick={onSignOut} data-testid="sign-out">{t('app.signOut')}</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
    </>
  );
}

// `#main` would be read as a route by the hash router; move the focus without touching the hash
function skipToMain(event: MouseEvent) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'forms':
      return <FormsList filter={route.filter} />;
    case 'form':
      return <FormDetailPage key={route.id} id={route.id} />;
    case 'disputes':
      return <DisputesPage status={route.status} />;
    case 'conflicts':
      return <ConflictsPage />;
    case 'technicians':
      return <TechniciansPage />;
    case 'visits':
      return <VisitsPage />;
    case 'import':
      return <ImportPage />;
    case 'checklists':
      return <ChecklistsPage />;
    case 'equipment':
      return <EquipmentPage key={route.serial ?? ''} serial={route.serial} />;
    case 'dashboard':
      return <DashboardPage query={route.query} />;
    case 'not-found':
      return <NotFound />;
  }
}

function NotFound() {
  const { t } = useI18n();
  return (
    <section data-testid="page-not-found">
      <PageHeading title={t('notFound.title')} />
      <p><a href={routeHash({ page: 'forms', filter: {} })}>{t('notFound.back')}</a></p>
    </section>
  );
}
