import 'fake-indexeddb/auto';
import { forceCloseDatabase } from 'fake-indexeddb';
import { unwrap } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_VERSION, openOnsiteDB, type ConnectionClosedReason, type OnsiteDatabase, type StoredVisit } from '../../src/device/db';
import { createDraftStore, DraftWriteError } from '../../src/device/drafts';
import festivalsJson from '../../checklists/festivals.json';
import { parseFestivalsFile } from '../../src/domain/festivals';
import { pinnedChecklists } from '../fixtures/checklists';
import { checklist } from '../fixtures/visits';

const visit: StoredVisit = {
  id: 'V-1', technicianId: 'tech-1', scheduledDate: '2026-03-10', firstVisit: false, notes: '',
  customer: { name: '某市环卫处', phone: '138 0000 0000', address: '某路 1 号' },
  equipment: { type: '洗扫车', model: 'XS-5000', serial: 'SN-1' },
  source: 'device', createdAt: '2026-03-10T00:00:00.000Z',
};

let n = 0;
const opened: IDBDatabase[] = [];
afterEach(() => opened.splice(0).forEach((db) => db.close()));

async function openApp(): Promise<{ name: string; db: OnsiteDatabase; reasons: ConnectionClosedReason[] }> {
  const name = `db-${++n}`;
  const reasons: ConnectionClosedReason[] = [];
  const db = await openOnsiteDB(name, { onClosed: (reason) => reasons.push(reason) });
  opened.push(unwrap(db));
  return { name, db, reasons };
}

type Outcome = { opened: IDBDatabase; blocked: boolean } | { blocked: true; opened?: undefined };

/** What a newer version of the app does: open the database one version up and add a store. Settles
 * with the connection once the upgrade went through, or as blocked if an older connection held on. */
function openNewerVersion(name: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    let blocked = false;
    const request = indexedDB.open(name, DB_VERSION + 1);
    request.onupgradeneeded = () => request.result.createObjectStore('photos');
    request.onblocked = () => {
      blocked = true;
      resolve({ blocked: true });
    };
    request.onsuccess = () => {
      opened.push(request.result);
      resolve({ opened: request.result, blocked });
    };
    request.onerror = () => reject(request.error);
  });
}

function deleteDatabase(name: string): Promise<'deleted' | 'blocked'> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onblocked = () => resolve('blocked');
    request.onsuccess = () => resolve('deleted');
    request.onerror = () => reject(request.error);
  });
}

describe('a connection closed under the app', () => {
  it('steps aside for a newer version: its upgrade completes, with the data kept, and the app is told once', async () => {
    const { name, db, reasons } = await openApp();
    await db.put('visits', visit);
    const newer = await openNewerVersion(name);
    expect(newer.blocked).toBe(false);
    expect([...newer.opened!.objectStoreNames]).toContain('photos');
    const read = newer.opened!.transaction('visits').objectStore('visits').get('V-1');
    await new Promise((resolve) => (read.onsuccess = resolve));
    expect(read.result).toEqual(visit);
    expect(reasons).toEqual(['newer-version']);
  });

  it('makes a later draft write fail as "closed", not as an unexplained failure', async () => {
    const { name, db } = await openApp();
    const store = createDraftStore({ db, loadChecklists: async () => pinnedChecklists, loadFestivals: async () => parseFestivalsFile(festivalsJson, 'festivals.json') });
    const loaded = await store.create(visit, { id: 'tech-1', name: '张师傅' });
    await openNewerVersion(name);
    const write = store.append(loaded, { type: 'tick', item: checklist.items[0]!.id });
    await expect(write).rejects.toBeInstanceOf(DraftWriteError);
    await expect(write).rejects.toMatchObject({ reason: 'closed', formId: loaded.draft.formId });
  });

  it('steps aside for the database being deleted (site data cleared), as closed by the browser', async () => {
    const { name, reasons } = await openApp();
    expect(await deleteDatabase(name)).toBe('deleted');
    expect(reasons).toEqual(['closed-by-browser']);
  });

  it('reports a connection the browser closed by force (storage cleared in the browser\'s settings)', async () => {
    const { db, reasons } = await openApp();
    forceCloseDatabase(unwrap(db) as never);
    expect(reasons).toEqual(['closed-by-browser']);
    await expect(db.get('visits', 'V-1')).rejects.toMatchObject({ name: 'InvalidStateError' });
  });

  it('is not reported while open, nor when the app closes it itself', async () => {
    const { db, reasons } = await openApp();
    await db.put('visits', visit);
    db.close();
    expect(reasons).toEqual([]);
  });
});
