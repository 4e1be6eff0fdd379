// The phone's settings, typed: each key has a schema, checked on read, so a damaged or stale value
// falls back to its default instead of reaching the app.
import { z } from 'zod/mini';
import { LOCALES, type Locale } from '../domain/locales';
import { TechnicianSchema, type Technician } from '../domain/technician';
import type { OnsiteDatabase } from './db';

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

const SETTING_SCHEMAS = {
  locale: z.enum(LOCALES),
  token: z.string().check(z.minLength(1)),
  technician: TechnicianSchema,
  deviceId: z.string().check(z.regex(/^[A-Za-z0-9-]{8,64}$/)),
  serverUrl: z.string().check(z.minLength(1)),
};
export type Settings = { [K in keyof typeof SETTING_SCHEMAS]: z.infer<(typeof SETTING_SCHEMAS)[K]> };
export type SettingKey = keyof Settings;

export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** A setting's stored value, or undefined when unset or no longer valid. */
export async function getSetting<K extends SettingKey>(db: OnsiteDatabase, key: K): Promise<Settings[K] | undefined> {
  const parsed = SETTING_SCHEMAS[key].safeParse(await db.get('settings', key));
  return parsed.success ? (parsed.data as Settings[K]) : undefined;
}

export async function setSetting<K extends SettingKey>(db: OnsiteDatabase, key: K, value: Settings[K]): Promise<void> {
  const parsed = SETTING_SCHEMAS[key].safeParse(value);
  if (!parsed.success) throw new SettingsError(`setting ${key}: ${JSON.stringify(value)} is not a valid value`);
  await db.put('settings', parsed.data, key);
}

export async function clearSetting(db: OnsiteDatabase, key: SettingKey): Promise<void> {
  await db.delete('settings', key);
}

export async function getLocale(db: OnsiteDatabase): Promise<Locale> {
  return (await getSetting(db, 'locale')) ?? DEFAULT_LOCALE;
}

export const setLocale = (db: OnsiteDatabase, locale: Locale) => setSetting(db, 'locale', locale);
export const getToken = (db: OnsiteDatabase) => getSetting(db, 'token');
export const getTechnician = (db: OnsiteDatabase) => getSetting(db, 'technician');

/** What enrollment gives the phone, written together so a token never lives without its technician. */
export async function saveEnrollment(db: OnsiteDatabase, token: string, technician: Technician): Promise<void> {
  const t = SETTING_SCHEMAS.token.safeParse(token);
  const who = TechnicianSchema.safeParse(technician);
  if (!t.success || !who.success) throw new SettingsError('enrollment: expected a non-empty token and a technician {id, name}');
  const tx = db.transaction('settings', 'readwrite', { durability: 'strict' });
  await Promise.all([tx.store.put(t.data, 'token'), tx.store.put(who.data, 'technician'), tx.done]);
}

/** This phone's id, made at random the first time it is asked for and kept from then on. */
export async function getDeviceId(db: OnsiteDatabase, randomId: () => string = () => crypto.randomUUID()): Promise<string> {
  // one readwrite transaction, so two first calls at once still agree on one id
  const tx = db.transaction('settings', 'readwrite');
  const stored = SETTING_SCHEMAS.deviceId.safeParse(await tx.store.get('deviceId'));
  let id: string;
  if (stored.success) {
    id = stored.data;
  } else {
    id = randomId();
    await tx.store.put(id, 'deviceId');
  }
  await tx.done;
  return id;
}

/** The server's origin: the one set for this phone, or the origin the app was loaded from. */
export async function getServerUrl(db: OnsiteDatabase, pageOrigin: string): Promise<string> {
  return (await getSetting(db, 'serverUrl')) ?? pageOrigin;
}

/** Sets the server: an http(s) URL, kept without a trailing slash. */
export async function setServerUrl(db: OnsiteDatabase, url: string): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new SettingsError(`server URL: ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new SettingsError(`server URL: expected http:// or https://, got ${parsed.protocol}`);
  const normalized = `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
  await setSetting(db, 'serverUrl', normalized);
  return normalized;
}
