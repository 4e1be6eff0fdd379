import { describe, expect, it } from 'vitest';
import { getPartsCatalog, PARTS_CATALOG_KEY } from '../../src/device/parts-catalog-store';
import { downloadPartsCatalog } from '../../src/sync/parts-download';
import { VisitsDownloadError } from '../../src/sync/visits-download';
import { apiError, createFakeServer, json, openTestDb, T0 } from './support';

const CATALOG = [{ code: 'XS-1002', name: '主刷电机碳刷', unit: '个' }, { code: 'VP-0007', name: '真空泵密封圈', unit: '' }];

async function rig(answer: () => Response) {
  const db = await openTestDb();
  const server = createFakeServer();
  server.respond = answer;
  const download = (token: string | null = 'tok-1') => downloadPartsCatalog({ db, fetch: server.fetch, baseUrl: 'https://onsite.test', token, now: () => T0 });
  return { db, server, download };
}

const reasonOf = async (promise: Promise<unknown>) => {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(VisitsDownloadError);
  return [(error as VisitsDownloadError).reason, (error as VisitsDownloadError).message];
};

describe('downloadPartsCatalog', () => {
  it('gets the catalog with the token and keeps it on the phone, in the settings store (no new database version)', async () => {
    const { db, server, download } = await rig(() => json({ parts: CATALOG }));
    expect(await download()).toBe(2);
    expect(server.requests.map((r) => [r.method, r.url, r.headers.get('Authorization')])).toEqual([['GET', 'https://onsite.test/api/v1/parts', 'Bearer tok-1']]);
    expect(await getPartsCatalog(db)).toEqual({ parts: CATALOG, downloadedAt: new Date(T0).toISOString() });
    expect(await db.get('settings', PARTS_CATALOG_KEY)).toEqual({ parts: CATALOG, downloadedAt: new Date(T0).toISOString() });
  });

  it('replaces the catalog with a newer one, and keeps it when the server has none (404: a server from before the catalog)', async () => {
    let answer = json({ parts: CATALOG });
    const { db, download } = await rig(() => answer);
    await download();
    answer = json({ parts: [CATALOG[1]] });
    expect(await download()).toBe(1);
    expect((await getPartsCatalog(db))!.parts).toEqual([CATALOG[1]]);
    answer = apiError(404, 'not found');
    expect(await download()).toBeNull();
    expect((await getPartsCatalog(db))!.parts).toEqual([CATALOG[1]]);
  });

  it('changes nothing on a malformed answer and says where; asks for enrollment without a token or on 401', async () => {
    let answer = json({ parts: [{ code: 'A', name: '' , unit: '' }] });
    const { db, download } = await rig(() => answer);
    expect(await reasonOf(download())).toEqual(['malformed-answer', "the server's parts catalog could not be read at parts[0].name"]);
    expect(await getPartsCatalog(db)).toBeNull();
    expect((await reasonOf(download(null)))[0]).toBe('enrollment-needed');
    answer = apiError(401, 'token revoked');
    expect((await reasonOf(download()))[0]).toBe('enrollment-needed');
    answer = apiError(500, 'boom');
    expect((await reasonOf(download()))[0]).toBe('server');
  });

});
