import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { requestPersistence, staleUnsentForms, STALE_AFTER_MS, storageStatus, type StorageManagerLike } from '../../src/device/storage-status';
import { openTestDb, queueSealedForm, T0 } from '../sync/support';

function fakeStorage(opts: { persisted?: boolean; grant?: boolean } = {}) {
  const calls: string[] = [];
  let persisted = opts.persisted ?? false;
  const storage: StorageManagerLike = {
    async persisted() {
      calls.push('persisted');
      return persisted;
    },
    async persist() {
      calls.push('persist');
      persisted = opts.grant ?? false;
      return persisted;
    },
    async estimate() {
      return { usage: 1_234_567, quota: 2_000_000_000 };
    },
  };
  return { storage, calls };
}

describe('requestPersistence', () => {
  it('asks the browser to persist our storage and reports its answer', async () => {
    const granting = fakeStorage({ grant: true });
    expect(await requestPersistence(granting.storage)).toBe('granted');
    expect(granting.calls).toEqual(['persisted', 'persist']);
    expect(await requestPersistence(fakeStorage({ grant: false }).storage)).toBe('denied');
  });

  it('does not ask again when storage is already persistent', async () => {
    const { storage, calls } = fakeStorage({ persisted: true });
    expect(await requestPersistence(storage)).toBe('granted');
    expect(calls).toEqual(['persisted']);
  });

  it('reports unsupported without navigator.storage, and denied when the browser throws', async () => {
    expect(await requestPersistence(undefined)).toBe('unsupported');
    expect(await requestPersistence({})).toBe('unsupported');
    expect(await requestPersistence({ persist: () => Promise.reject(new Error('SecurityError')) })).toBe('denied');
  });
});

describe('storageStatus', () => {
  it('gives persistence, usage and quota', async () => {
    expect(await storageStatus(fakeStorage({ persisted: true }).storage)).toEqual({ persisted: true, usageBytes: 1_234_567, quotaBytes: 2_000_000_000 });
  });

  it('gives null for what the browser cannot tell', async () => {
    expect(await storageStatus(undefined)).toEqual({ persisted: null, usageBytes: null, quotaBytes: null });
    expect(await storageStatus({ estimate: () => Promise.reject(new Error('no')), persisted: async () => false })).toEqual({ persisted: false, usageBytes: null, quotaBytes: null });
  });
});

describe('staleUnsentForms', () => {
  it('lists the unsent forms sealed more than 72 h ago, oldest first, and nothing synced', async () => {
    const db = await openTestDb();
    const age = (hours: number) => new Date(T0 - hours * 3_600_000).toISOString();
    const queued = await queueSealedForm(db, { sealedAt: age(73) });
    const held = await queueSealedForm(db, { sealedAt: age(100), status: 'held' });
    const rejected = await queueSealedForm(db, { sealedAt: age(80), status: 'rejected', rejection: [] });
    await queueSealedForm(db, { sealedAt: age(72) });
    await queueSealedForm(db, { sealedAt: age(200), status: 'synced' });
    const stale = await staleUnsentForms(db, T0);
    expect(stale.map((f) => [f.formId, f.status])).toEqual([[held.formId, 'held'], [rejected.formId, 'rejected'], [queued.formId, 'queued']]);
    expect(stale[2]).toEqual({ formId: queued.formId, visitId: queued.visitId, customerName: '某市环卫处', status: 'queued', sealedAt: age(73), waitedMs: 73 * 3_600_000 });
    expect(STALE_AFTER_MS).toBe(72 * 3_600_000);
  });
});
