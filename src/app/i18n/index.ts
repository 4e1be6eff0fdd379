// first-load bundle: keep it small
// Messages in the user's language. The shell's zh-CN messages ship in the first-load bundle; English is
// loaded when chosen, and each lazily loaded screen brings its own messages (screens.ts).
import type { Locale } from '../../domain/checklist';
import type { ScreenKey } from './screens.zh-CN';
import { coreZh, type CoreKey } from './zh-CN';

export type MessageKey = CoreKey | ScreenKey;
export type Params = Record<string, string | number>;
type Table = Partial<Record<MessageKey, string>>;

const tables: Record<Locale, Table> = { 'zh-CN': { ...coreZh }, en: {} };

/** Makes the shell's messages in this locale available; call before showing the locale. */
export async function loadLocale(locale: Locale): Promise<void> {
  if (locale === 'en' && !('app.title' in tables.en)) Object.assign(tables.en, (await import('./en')).coreEn);
}

/** Adds a lazily loaded screen's messages, in every locale. */
export function addMessages(messages: Record<Locale, Table>): void {
  for (const locale of Object.keys(messages) as Locale[]) Object.assign(tables[locale], messages[locale]);
}

/** Fills `{name}` placeholders; a missing parameter stays visible as `{name}` rather than vanishing. */
export function fill(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const template = tables[locale][key];
  if (template === undefined) throw new Error(`message ${key} (${locale}) is not loaded`);
  return fill(template, params);
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** A time as the technician reads it: China's clock, in the user's language. */
export function formatTime(locale: Locale, iso: string, withDate = false): string {
  const key = `${locale}|${withDate}`;
  let format = timeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone: 'Asia/Shanghai',
      ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
      hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
    });
    timeFormats.set(key, format);
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : format.format(date);
}
