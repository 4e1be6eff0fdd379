import { describe, expect, it } from 'vitest';
import { openOnsiteDB, type OnsiteDatabase } from '../../src/device/db';
import { getForm } from '../../src/device/outbox';
import { saveEnrollment, setServerUrl } from '../../src/device/settings';
import { handleOutboxSync, OUTBOX_SYNC_TAG, requestBackgroundSync, SyncIncompleteError } from '../../src/sync/background-sync';
import { createDeviceSyncEngine, syncOutboxOnce } from '../../src/sync/device-sync';
import type { SyncReport } from '../../src/sync/sync-engine';
import { createFakeServer, manualTimers, queueSealedForm } from './support';

const report = (stopped: SyncReport['stopped']): SyncReport => ({ reason: 'background-sync', sent: 0, synced: 0, rejected: 0, held: 0, retrying: 0, stopped, error: null });

describe('requestBackgroundSync (page)', () => {
  it('registers the outbox tag where the browser has Background Sync', async () => {
    const tags: string[] = [];
    expect(await requestBackgroundSync({ sync: { register: async (tag) => void tags.push(tag) } })).toBe(true);
    expect(tags).toEqual([OUTBOX_SYNC_TAG]);
  });

  it('answers false where there is none, or the browser refuses', async () => {
    expect(await requestBackgroundSync(undefined)).toBe(false);
    expect(await requestBackgroundSync({})).toBe(false);
    expect(await requestBackgroundSync({ sync: { register: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } })).toBe(false);
  });
});

describe('handleOutboxSync (service worker)', () => {
  function syncEvent(tag: string) {
    const waited: Array<Promise<unknown>> = [];
    return { event: { tag, waitUntil: (p: Promise<unknown>) => void waited.push(p) }, waited };
  }

  it('runs the engine once for the outbox tag and keeps the worker alive until it ends', async () => {
    const { event, waited } = syncEvent(OUTBOX_SYNC_TAG);
    let runs = 0;
    expect(handleOutboxSync(event, async () => (runs++, report(null)))).toBe(true);
    expect(waited).toHaveLength(1);
    await expect(waited[0]).resolves.toEqual(report(null));
    expect(runs).toBe(1);
  });

  it('ignores other tags', () => {
    const { event, waited } = syncEvent('something-else');
    expect(handleOutboxSync(event, async () => report(null))).toBe(false);
    expect(waited).toEqual([]);
  });

  it('rejects when the server could not be reached, so the browser fires the event again', async () => {
    for (const stopped of ['offline', 'server-unavailable'] as const) {
      const { event, waited } = syncEvent(OUTBOX_SYNC_TAG);
      handleOutboxSync(event, async () => report(stopped));
      await expect(waited[0]).rejects.toBeInstanceOf(SyncIncompleteError);
    }
    const { event, waited } = syncEvent(OUTBOX_SYNC_TAG);
    handleOutboxSync(event, async () => report('enrollment-needed'));
    await expect(waited[0]).resolves.toMatchObject({ stopped: 'enrollment-needed' });
  });
});

describe('the engine as the phone runs it', () => {
  it('takes the server and the token from the settings at each run', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const db = await openOnsiteDB(name);
    const server = createFakeServer();
    const form = await queueSealedForm(db);
    const engine = createDeviceSyncEngine({ db, fetch: server.fetch, pageOrigin: 'https://app.example', setTimer: manualTimers().setTimer });
    expect(await engine.syncNow('test')).toMatchObject({ stopped: 'enrollment-needed' });

    await saveEnrollment(db, 'tok-9', { id: 'tech-9', name: '王师傅' });
    await setServerUrl(db, 'https://office.example/');
    expect(await engine.syncNow('enrolled')).toMatchObject({ synced: 1 });
    expect(server.requests[0]!.url).toBe('https://office.example/api/v1/forms');
    expect(server.requests[0]!.headers.get('Authorization')).toBe('Bearer tok-9');
    expect((await getForm(db, form.formId))?.status).toBe('synced');
  });

  it('syncs once for Background Sync on its own connection, against the page origin by default', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const db = await openOnsiteDB(name);
    await saveEnrollment(db, 'tok-1', { id: 'tech-1', name: '张师傅' });
    const form = await queueSealedForm(db);
    const server = createFakeServer();
    const opened: OnsiteDatabase[] = [];
    const openDb = async () => { const own = await openOnsiteDB(name); opened.push(own); return own; };
    const result = await syncOutboxOnce({ fetch: server.fetch, pageOrigin: 'https://app.example', openDb });
    expect(result).toMatchObject({ reason: 'background-sync', synced: 1 });
    expect(opened).toHaveLength(1);
    expect(() => opened[0]!.transaction('forms')).toThrow(/closed|InvalidState/i);
    expect(server.requests[0]!.url).toBe('https://app.example/api/v1/forms');
    expect((await getForm(db, form.formId))?.status).toBe('synced');
  });
});
