// What every page needs: the clerk's language and, once signed in, the API client.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api-client';
import type { Lang, Translate } from './i18n';

export interface I18n {
  lang: Lang;
  t: Translate;
  setLang(lang: Lang): void;
}

export const I18nContext = createContext<I18n | null>(null);
export const ApiContext = createContext<ApiClient | null>(null);

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
