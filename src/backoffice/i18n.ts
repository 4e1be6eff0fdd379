// The back office's words in Chinese (the default) and English. The Chinese table defines the keys;
// the English one must have every one of them (the compiler and test/backoffice/i18n.test.ts check).
import { LOCALES, type Locale } from '../domain/checklist';
import { quietly } from './session';
import zh from './i18n-zh';
import en from './i18n-en';

export type Lang = Locale;
export const LANGS = LOCALES;
export const DEFAULT_LANG: Lang = 'zh-CN';

export type MessageKey = keyof typeof zh;
export type Messages = Record<MessageKey, string>;
export const MESSAGES: Record<Lang, Messages> = { 'zh-CN': zh, en };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** `{name}` in a message is replaced by `params.name`; a placeholder without a value stays as it is, visibly. */
export function translator(lang: Lang): Translate {
  const table = MESSAGES[lang];
  return (key, params) => table[key].replace(/\{(\w+)\}/g, (whole, name: string) => (params && name in params ? String(params[name]) : whole));
}

export const LANG_STORAGE_KEY = 'onsite.backoffice.lang';

function isLang(value: unknown): value is Lang {
  return (LANGS as readonly unknown[]).includes(value);
}

export function loadLang(storage: Pick<Storage, 'getItem'> | null): Lang {
  const saved = quietly(() => storage?.getItem(LANG_STORAGE_KEY), null);
  return isLang(saved) ? saved : DEFAULT_LANG;
}

export function saveLang(storage: Pick<Storage, 'setItem'> | null, lang: Lang): void {
  quietly(() => storage?.setItem(LANG_STORAGE_KEY, lang), undefined);
}
