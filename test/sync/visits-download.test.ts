import { describe, expect, it } from 'vitest';
import { listVisits } from '../../src/device/visits-store';
import { downloadVisits, VisitsDownloadError } from '../../src/sync/visits-download';
import { apiError, createFakeServer, dispatched, json, openTestDb, T0 } from './support';

async function rig(respond: () => Response | Promise<Response>) {
  const db = await openTestDb();
  const server = createFakeServer();
  server.respond = respond;
  const download = (token: string | null = 'tok-1') => downloadVisits({ db, fetch: server.fetch, baseUrl: 'https://onsite.test', token, now: () => T0 });
  return { db, server, download };
}

async function failure(promise: Promise<unknown>): Promise<VisitsDownloadError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(VisitsDownloadError);
  return error as VisitsDownloadError;
}

describe('downloadVisits', () => {
  it('gets the technician\'s visits with the token and keeps them on the phone', async () => {
    const { db, server, download } = await rig(() => json({ visits: [dispatched('V-1'), dispatched('V-2', '2026-03-11')] }));
    expect(await download()).toEqual({ stored: 2, removed: 0, keptWithDraft: [], skipped: [] });
    expect(server.requests[0]).toMatchObject({ url: 'https://onsite.test/api/v1/visits?format=2', method: 'GET' });
    expect(server.requests[0]!.headers.get('Authorization')).toBe('Bearer tok-1');
    expect((await listVisits(db)).map((v) => [v.id, v.source])).toEqual([['V-1', 'dispatched'], ['V-2', 'dispatched']]);
  });

  it('keeps the equipment history the new format carries, and reads a first-format answer (an older server) without one', async () => {
    const repair = { visitDate: '2026-03-01', faultFound: '主刷不转', workDone: '换碳刷', partsUsed: [{ name: '碳刷', quantity: 2 }] };
    const { db, download } = await rig(() => json({ format: 2, visits: [{ ...dispatched('V-1'), history: [repair] }, { ...dispatched('V-2'), history: [] }] }));
    await download();
    expect((await listVisits(db)).map((v) => [v.id, v.history])).toEqual([['V-1', [repair]], ['V-2', []]]);
    const older = await rig(() => json({ visits: [dispatched('V-1')] }));
    expect(await older.download()).toMatchObject({ stored: 1 });
    expect((await listVisits(older.db)).map((v) => [v.id, 'history' in v])).toEqual([['V-1', false]]);
  });

  it('refuses a new-format answer with more than three earlier repairs or a repair without its words, changing nothing', async () => {
    const repair = { visitDate: '2026-03-01', faultFound: '主刷不转', workDone: '换碳刷', partsUsed: [] };
    for (const history of [[repair, repair, repair, repair], [{ visitDate: '2026-03-01' }]]) {
      const { db, download } = await rig(() => json({ format: 2, visits: [{ ...dispatched('V-1'), history }] }));
      const error = await failure(download());
      expect([error.reason, error.message]).toEqual(['malformed-answer', expect.stringContaining('visits[0].history')]);
      expect(await listVisits(db)).toEqual([]);
    }
  });

  it('changes nothing when one visit of the answer is invalid, and says where', async () => {
    const { db, download } = await rig(() => json({ visits: [dispatched('V-1'), { ...dispatched('V-2'), scheduledDate: 'tomorrow' }] }));
    const error = await failure(download());
    expect(error.reason).toBe('malformed-answer');
    expect(error.message).toContain('visits[1].scheduledDate');
    expect(await listVisits(db)).toEqual([]);
  });

  it('asks for enrollment without a token or on 401', async () => {
    const { server, download } = await rig(() => apiError(401, 'token revoked'));
    expect((await failure(download(null))).reason).toBe('enrollment-needed');
    expect(server.requests).toHaveLength(0);
    const refused = await failure(download());
    expect([refused.reason, refused.message]).toEqual(['enrollment-needed', 'token revoked']);
  });

  it('reports a server error with its message, and a network failure', async () => {
    const down = await failure((await rig(() => apiError(503, 'maintenance'))).download());
    expect([down.reason, down.message]).toEqual(['server', 'maintenance']);
    const offline = await failure((await rig(() => { throw new TypeError('Failed to fetch'); })).download());
    expect([offline.reason, offline.message]).toEqual(['network', 'could not reach the server: Failed to fetch']);
    const html = await failure((await rig(() => new Response('<html>', { status: 200 }))).download());
    expect([html.reason, html.message]).toEqual(['malformed-answer', 'the server\'s list of visits could not be read (not JSON)']);
  });
});
