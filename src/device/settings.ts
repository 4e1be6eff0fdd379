// first-load bundle: keep it small (the first screen reads the language and the enrollment from here)
// The phone's settings, typed: each key has a check, made on read, so a damaged or stale value falls
// back to its default instead of reaching the app. The checks are written by hand, not with zod, so
// that zod stays out of the first-load bundle.
import { LOCALES, type Locale } from '../domain/locales';
import { isTechnician, type Technician } from '../domain/technician';
import type { OnsiteDatabase, StoredDeviceKey } from './db';

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

export interface Settings {
  locale: Locale;
  token: string;
  technician: Technician;
  deviceId: string;
  serverUrl: string;
  /** the id of this phone's current device key (the deviceKeys store) */
  deviceKeyId: string;
  /** whether the technician lets the seal record where it was signed; unset: not asked yet (off) */
  sealLocation: 'allowed' | 'declined';
}
export type SettingKey = keyof Settings;

const nonEmptyText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** Whether a stored value is a valid value of its setting. */
export const SETTING_CHECKS: { [K in SettingKey]: (value: unknown) => value is Settings[K] } = {
  locale: (value): value is Locale => (LOCALES as readonly unknown[]).includes(value),
  token: nonEmptyText,
  technician: isTechnician,
  deviceId: (value): value is string => typeof value === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(value),
  serverUrl: nonEmptyText,
  deviceKeyId: (value): value is string => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value),
  sealLocation: (value): value is 'allowed' | 'declined' => value === 'allowed' || value === 'declined',
};

export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** A setting's stored value, or undefined when unset or no longer valid. */
export async function getSetting<K extends SettingKey>(db: OnsiteDatabase, key: K): Promise<Settings[K] | undefined> {
  const stored: unknown = await db.get('settings', key);
  return SETTING_CHECKS[key](stored) ? stored : undefined;
}

export async function setSetting<K extends SettingKey>(db: OnsiteDatabase, key: K, value: Settings[K]): Promise<void> {
  if (!SETTING_CHECKS[key](value)) throw new SettingsError(`setting ${key}: ${JSON.stringify(value)} is not a valid value`);
  await db.put('settings', value, key);
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

/**
 * What enrollment gives the phone, written together so a token never lives without its technician,
 * nor with an earlier enrollment's device key: the key registered with this enrollment becomes the
 * current one (none: the phone signs no seals).
 */
export async function saveEnrollment(db: OnsiteDatabase, token: string, technician: Technician, deviceKey?: StoredDeviceKey): Promise<void> {
  if (!SETTING_CHECKS.token(token) || !SETTING_CHECKS.technician(technician)) {
    throw new SettingsError('enrollment: expected a non-empty token and a technician {id, name}');
  }
  const tx = db.transaction(['settings', 'deviceKeys'], 'readwrite', { durability: 'strict' });
  const settings = tx.objectStore('settings');
  await Promise.all([
    settings.put(token, 'token'),
    settings.put({ id: technician.id, name: technician.name }, 'technician'),
    deviceKey ? settings.put(deviceKey.keyId, 'deviceKeyId') : settings.delete('deviceKeyId'),
    deviceKey && tx.objectStore('deviceKeys').put(deviceKey),
    tx.done,
  ]);
}

/** This phone's id, made at random the first time it is asked for and kept from then on. */
export async function getDeviceId(db: OnsiteDatabase, randomId: () => string = () => crypto.randomUUID()): Promise<string> {
  // one readwrite transaction, so two first calls at once still agree on one id
  const tx = db.transaction('settings', 'readwrite');
  const stored: unknown = await tx.store.get('deviceId');
  let id: string;
  if (SETTING_CHECKS.deviceId(stored)) {
    id = stored;
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
