// What every page needs: the clerk's language and, once signed in, the API client and the session.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { may, type Permission, type SessionInfo } from '../domain/accounts';
import type { AccountClient } from './account-client';
import type { ApiClient } from './api-client';
import type { Lang, Translate } from './i18n';

export interface I18n {
  lang: Lang;
  t: Translate;
  setLang(lang: Lang): void;
}

export const I18nContext = createContext<I18n | null>(null);
export const ApiContext = createContext<ApiClient | null>(null);
/** who is signed in, and the calls for users and the audit log */
export const SessionContext = createContext<{ session: SessionInfo; accounts: AccountClient } | null>(null);

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside <I18nContext.Provider>');
  return i18n;
}

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext.Provider> (only signed-in pages call the API)');
  return api;
}

export function useSession(): { session: SessionInfo; accounts: AccountClient } {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside <SessionContext.Provider> (only signed-in pages have a session)');
  return value;
}

/** Whether the signed-in role may do this: the pages show only what it may (the server checks anyway). */
export function useMay(): (permission: Permission) => boolean {
  const role = useSession().session.user.role;
  return (permission) => may(role, permission);
}
