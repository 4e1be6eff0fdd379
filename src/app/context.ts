// first-load bundle: keep it small
// What every screen reads: the services and the user's language.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Locale, LocalizedText } from '../domain/checklist';
import { formatTime, translate, type MessageKey, type Params } from './i18n';
import type { AppServices } from './services';

export interface I18n {
  locale: Locale;
  t(key: MessageKey, params?: Params): string;
  /** checklist wording in the user's language */
  text(text: LocalizedText): string;
  time(iso: string, withDate?: boolean): string;
  setLocale(locale: Locale): void;
}

export function makeI18n(locale: Locale, setLocale: (locale: Locale) => void): I18n {
  return {
    locale,
    t: (key, params) => translate(locale, key, params),
    text: (text) => text[locale],
    time: (iso, withDate) => formatTime(locale, iso, withDate),
    setLocale,
  };
}

export const ServicesContext = createContext<AppServices | null>(null);
export const I18nContext = createContext<I18n | null>(null);

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside <ServicesContext.Provider>');
  return services;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside <I18nContext.Provider>');
  return i18n;
}
