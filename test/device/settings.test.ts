import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OnsiteDatabase } from '../../src/device/db';
import {
  clearSetting, getDeviceId, getLocale, getServerUrl, getSetting, getTechnician, getToken, saveEnrollment, setLocale, setServerUrl,
  setSetting, SettingsError,
} from '../../src/device/settings';
import { openTestDb } from '../sync/support';

let db: OnsiteDatabase;
beforeEach(async () => {
  db = await openTestDb();
});

describe('settings', () => {
  it('defaults the locale to zh-CN and keeps the one chosen', async () => {
    expect(await getLocale(db)).toBe('zh-CN');
    await setLocale(db, 'en');
    expect(await getLocale(db)).toBe('en');
  });

  it('refuses to store an invalid value, naming the setting', async () => {
    await expect(setSetting(db, 'locale', 'fr' as 'en')).rejects.toThrow(SettingsError);
    await expect(setSetting(db, 'locale', 'fr' as 'en')).rejects.toThrow(/setting locale: "fr"/);
    await expect(setSetting(db, 'technician', { id: 't1' } as { id: string; name: string })).rejects.toThrow(/setting technician/);
  });

  it('reads a damaged stored value as unset, falling back to the default', async () => {
    await db.put('settings', 'klingon', 'locale');
    await db.put('settings', 42, 'token');
    expect(await getLocale(db)).toBe('zh-CN');
    expect(await getToken(db)).toBeUndefined();
  });

  it('stores the token and the technician of an enrollment together, and clears them', async () => {
    expect(await getToken(db)).toBeUndefined();
    await saveEnrollment(db, 'tok-1', { id: 'tech-1', name: '张师傅' });
    expect(await getToken(db)).toBe('tok-1');
    expect(await getTechnician(db)).toEqual({ id: 'tech-1', name: '张师傅' });
    await expect(saveEnrollment(db, '', { id: 'tech-2', name: 'x' })).rejects.toThrow(/enrollment: expected a non-empty token/);
    expect(await getTechnician(db)).toEqual({ id: 'tech-1', name: '张师傅' });
    await clearSetting(db, 'token');
    expect(await getSetting(db, 'token')).toBeUndefined();
  });

  it('makes the device id once, even when asked twice at once', async () => {
    let made = 0;
    const make = () => `device-${++made}-abcdef`;
    const [a, b] = await Promise.all([getDeviceId(db, make), getDeviceId(db, make)]);
    expect(a).toBe('device-1-abcdef');
    expect(b).toBe(a);
    expect(await getDeviceId(db)).toBe(a);
    expect(made).toBe(1);
  });

  it('makes a random device id by default', async () => {
    expect(await getDeviceId(db)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('uses the page origin as the server until another is set, normalized', async () => {
    expect(await getServerUrl(db, 'https://app.example')).toBe('https://app.example');
    expect(await setServerUrl(db, ' https://office.example/onsite/ ')).toBe('https://office.example/onsite');
    expect(await getServerUrl(db, 'https://app.example')).toBe('https://office.example/onsite');
  });

  it('refuses a server URL that is not http(s)', async () => {
    await expect(setServerUrl(db, 'not a url')).rejects.toThrow(/server URL: "not a url" is not a URL/);
    await expect(setServerUrl(db, 'ftp://office.example')).rejects.toThrow(/expected http:\/\/ or https:\/\/, got ftp:/);
  });
});
