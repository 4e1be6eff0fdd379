import { describe, expect, it } from 'vitest';
import { deviceChecklists, downloadedChecklists } from '../../src/device/checklists-store';
import type { Checklist } from '../../src/domain/checklist';
import { checklistRegistry } from '../../src/domain/checklist-registry';
import { listVisits } from '../../src/device/visits-store';
import { downloadVisits, VisitsDownloadError } from '../../src/sync/visits-download';
import { checklist as v1, v2WithTorch } from '../fixtures/checklists';
import { apiError, createFakeServer, dispatched, json, openTestDb, T0, type RecordedRequest } from './support';

const v2 = v2WithTorch();

type Routes = { visits: () => Response | Promise<Response>; checklists?: (request: RecordedRequest) => Response | Promise<Response> };

/** The server's published versions: the list, and each one at its own path. */
function publishes(...versions: unknown[]) {
  return (request: RecordedRequest) => {
    const path = new URL(request.url).pathname;
    if (path === '/api/v1/checklists') return json({ checklists: versions.map((c) => ({ id: (c as Checklist).id, version: (c as Checklist).version })) });
    const found = versions.find((c) => path === `/api/v1/checklists/${(c as Checklist).id}/${(c as Checklist).version}`);
    return found ? json(found) : apiError(404, 'no such checklist');
  };
}

async function rig(routes: Routes | (() => Response | Promise<Response>)) {
  const { visits, checklists = publishes(v1) } = typeof routes === 'function' ? { visits: routes } : routes;
  const db = await openTestDb();
  const server = createFakeServer();
  server.respond = (request) => (new URL(request.url).pathname.startsWith('/api/v1/checklists') ? checklists(request) : visits());
  const download = (token: string | null = 'tok-1') =>
    downloadVisits({ db, fetch: server.fetch, baseUrl: 'https://onsite.test', token, now: () => T0, bundledChecklists: [{ id: v1.id, version: 1 }] });
  return { db, server, download };
}

async function failure(promise: Promise<unknown>): Promise<VisitsDownloadError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(VisitsDownloadError);
  return error as VisitsDownloadError;
}

const noChecklists = { added: [], unreadable: [] };

describe('downloadVisits', () => {
  it('gets the technician\'s visits with the token and keeps them on the phone', async () => {
    const { db, server, download } = await rig(() => json({ visits: [dispatched('V-1'), dispatched('V-2', '2026-03-11')] }));
    expect(await download()).toEqual({ stored: 2, removed: 0, keptWithDraft: [], skipped: [], checklists: noChecklists });
    expect(server.requests.map((r) => [r.method, r.url])).toEqual([['GET', 'https://onsite.test/api/v1/checklists'], ['GET', 'https://onsite.test/api/v1/visits?format=2']]);
    for (const request of server.requests) expect(request.headers.get('Authorization')).toBe('Bearer tok-1');
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

describe('downloadVisits: the checklist versions the phone lacks', () => {
  const visits = () => json({ visits: [dispatched('V-1')] });

  it('downloads a version neither the app carries nor the phone has, once, and new visits then use it', async () => {
    const { db, server, download } = await rig({ visits, checklists: publishes(v1, v2) });
    expect((await download()).checklists).toEqual({ added: [{ id: 'onsite-service', version: 2 }], unreadable: [] });
    expect(server.requests.map((r) => new URL(r.url).pathname)).toEqual(['/api/v1/checklists', '/api/v1/checklists/onsite-service/2', '/api/v1/visits']);
    expect(await downloadedChecklists(db)).toEqual([v2]);

    const phone = deviceChecklists(db, async () => ({ registry: checklistRegistry([v1]), visitChecklistId: 'onsite-service' }));
    expect((await phone.newest()).version).toBe(2);
    expect(await phone.get({ id: 'onsite-service', version: 2 })).toEqual(v2);
    expect(await phone.describe()).toBe('onsite-service v1, onsite-service v2');

    server.requests.length = 0;
    expect((await download()).checklists).toEqual(noChecklists);
    expect(server.requests.map((r) => new URL(r.url).pathname)).toEqual(['/api/v1/checklists', '/api/v1/visits']);
  });

  it('leaves aside a version this app cannot read, and one the server sends under another number, saying why', async () => {
    const later = { ...v2, version: 3, items: [{ ...v1.items[0], kind: 'number', unit: 'h' }, ...v1.items.slice(1)] };
    const misnumbered = { ...v2, version: 4 };
    const checklists = (request: RecordedRequest) => {
      const path = new URL(request.url).pathname;
      if (path === '/api/v1/checklists') return json({ checklists: [{ id: 'onsite-service', version: 3 }, { id: 'onsite-service', version: 5 }] });
      return json(path.endsWith('/3') ? later : misnumbered);
    };
    const { db, download } = await rig({ visits, checklists });
    const { checklists: update, stored } = await download();
    expect(stored).toBe(1);
    expect(update.added).toEqual([]);
    expect(update.unreadable.map(({ id, version }) => `${id} v${version}`)).toEqual(['onsite-service v3', 'onsite-service v5']);
    expect(update.unreadable[0]!.message).toMatch(/^onsite-service v3: items\[0\]\.kind: /);
    expect(update.unreadable[1]!.message).toBe('the server sent onsite-service v4 for onsite-service v5');
    expect(await downloadedChecklists(db)).toEqual([]);
  });

  it('changes nothing when the list of checklists cannot be read, and says where', async () => {
    const { db, download } = await rig({ visits, checklists: () => json({ checklists: [{ id: 'onsite-service', version: 'two' }] }) });
    const error = await failure(download());
    expect([error.reason, error.message]).toEqual(['malformed-answer', 'the server\'s list of checklists could not be read at checklists[0].version']);
    expect(await listVisits(db)).toEqual([]);
  });

  it('fails as a whole when a version cannot be fetched, so the next download tries again', async () => {
    const { db, download } = await rig({ visits, checklists: (r) => (new URL(r.url).pathname === '/api/v1/checklists' ? publishes(v1, v2)(r) : apiError(500, 'disk full')) });
    expect([(await failure(download())).reason]).toEqual(['server']);
    expect(await listVisits(db)).toEqual([]);
    expect(await downloadedChecklists(db)).toEqual([]);
  });
});
