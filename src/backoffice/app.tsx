// The shell: language, the session (asked of the server: it lives in an HttpOnly cookie) and the page
// for the current hash route, with the navigation the signed-in role may use.
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { SessionInfo } from '../domain/accounts';
import { createAccountClient } from './account-client';
import { ApiClientError, createApiClient } from './api-client';
import { ApiContext, I18nContext, SessionContext, useI18n, useSession, type I18n } from './context';
import { useHashRoute } from './hooks';
import { loadLang, saveLang, translator, type Lang } from './i18n';
import { mayOpen, NAV, navFor } from './nav';
import { routeHash, type PageName, type Route } from './routes';
import { quietly } from './session';
import { learnChecklists } from './checklist-labels';
import { SignIn } from './pages/sign-in';
import { FormsList } from './pages/forms-list';
import { FormDetailPage } from './pages/form-detail';
import { DisputesPage } from './pages/disputes';
import { ConflictsPage } from './pages/conflicts';
import { TechniciansPage } from './pages/technicians';
import { PartsPage } from './pages/parts';
import { VisitsPage } from './pages/visits';
import { ImportPage } from './pages/import-bundles';
import { ChecklistsPage } from './pages/checklists';
import { EquipmentPage } from './pages/equipment';
import { DashboardPage } from './pages/dashboard';
import { UsersPage } from './pages/users';
import { AuditPage } from './pages/audit';
import { LanguageSwitch } from './components/language-switch';
import { ErrorMessage, Loading } from './components/feedback';
import { PageHeading } from './components/page-heading';

const localStore = () => quietly(() => localStorage, null);

type SessionState =
  | { status: 'checking' }
  | { status: 'signed-out'; refusal: ApiClientError | null }
  | { status: 'signed-in'; session: SessionInfo };

export function App() {
  const [lang, setLangState] = useState<Lang>(() => loadLang(localStore()));
  const [state, setState] = useState<SessionState>({ status: 'checking' });
  const [checkError, setCheckError] = useState<unknown>(null);

  const setLang = useCallback((next: Lang) => {
    saveLang(localStore(), next);
    setLangState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const i18n = useMemo<I18n>(() => ({ lang, t: translator(lang), setLang }), [lang, setLang]);

  useEffect(() => {
    createAccountClient().getSession().then(
      (session) => setState(session ? { status: 'signed-in', session } : { status: 'signed-out', refusal: null }),
      (error: unknown) => setCheckError(error),
    );
  }, []);

  const ended = useCallback((reason: ApiClientError | null) => setState({ status: 'signed-out', refusal: reason }), []);
  const signedIn = useCallback((session: SessionInfo) => setState({ status: 'signed-in', session }), []);
  const session = state.status === 'signed-in' ? state.session : null;
  const api = useMemo(() => (session ? createApiClient({ csrfToken: session.csrfToken, onUnauthorized: ended }) : null), [session, ended]);
  const accounts = useMemo(() => (session ? createAccountClient({ csrfToken: session.csrfToken, onUnauthorized: ended }) : null), [session, ended]);
  // the versions published on the server since this build, so their forms show with their own items
  const [checklistsLoaded, setChecklistsLoaded] = useState(false);
  useEffect(() => {
    if (!api) return;
    let live = true;
    void api.listChecklists().then((files) => {
      for (const problem of learnChecklists(files)) console.warn(problem);
    }, (error: unknown) => console.warn('the published checklists could not be loaded; forms of newer versions show their ids', error))
      .finally(() => live && setChecklistsLoaded(true));
    return () => void (live = false);
  }, [api]);
  const signOut = useCallback(async () => {
    await accounts?.signOut().catch(() => undefined);
    ended(null);
  }, [accounts, ended]);

  return (
    <I18nContext.Provider value={i18n}>
      {state.status === 'checking' && (checkError ? <main id="main"><ErrorMessage error={checkError} /></main> : <main id="main"><Loading /></main>)}
      {state.status === 'signed-out' && <SignIn refusal={state.refusal} onSignedIn={signedIn} />}
      {session && api && accounts && !checklistsLoaded && <main id="main"><Loading /></main>}
      {session && api && accounts && checklistsLoaded && (
        <SessionContext.Provider value={{ session, accounts }}>
          <ApiContext.Provider value={api}>
            <Shell onSignOut={() => void signOut()} />
          </ApiContext.Provider>
        </SessionContext.Provider>
      )}
    </I18nContext.Provider>
  );
}

function Shell({ onSignOut }: { onSignOut(): void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const route = useHashRoute();
  const section: PageName = route.page === 'form' ? 'forms' : route.page;
  const visible = navFor(session.user.role);
  return (
    <>
      <a class="skip-link" href="#main" data-testid="skip-link" onClick={skipToMain}>{t('app.skip')}</a>
      <header class="top-bar">
        <p class="app-name">{t('app.title')}</p>
        <nav aria-label={t('nav.label')}>
          <ul class="nav-list">
            {NAV.filter(({ page }) => visible.includes(page)).map(({ page, route: target }) => (
              <li key={page}>
                <a href={routeHash(target)} aria-current={section === page ? 'page' : undefined} data-testid={`nav-${page}`}>
                  {t(`nav.${page}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="top-actions">
          <span class="signed-in-as" data-testid="signed-in-as" data-role={session.user.role}>
            {t('app.signedInAs', { name: session.user.displayName, role: t(`role.${session.user.role}`) })}
          </span>
          <LanguageSwitch />
          <button type="button" class="secondary" onClick={onSignOut} data-testid="sign-out">{t('app.signOut')}</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {mayOpen(session.user.role, route.page) ? <Page route={route} /> : <NotAllowed />}
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
    case 'parts':
      return <PartsPage />;
    case 'import':
      return <ImportPage />;
    case 'checklists':
      return <ChecklistsPage />;
    case 'equipment':
      return <EquipmentPage key={route.serial ?? ''} serial={route.serial} />;
    case 'dashboard':
      return <DashboardPage query={route.query} />;
    case 'users':
      return <UsersPage />;
    case 'audit':
      return <AuditPage />;
    case 'not-found':
      return <NotFound />;
  }
}

function NotAllowed() {
  const { t } = useI18n();
  const { session } = useSession();
  return (
    <section data-testid="page-not-allowed">
      <PageHeading title={t('notAllowed.title')} />
      <p>{t('notAllowed.text', { role: t(`role.${session.user.role}`) })}</p>
      <p><a href={routeHash({ page: 'forms', filter: {} })}>{t('notFound.back')}</a></p>
    </section>
  );
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
