// The IndexedDB schema's upgrades: a phone that ran an older app keeps every record it holds.
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { DB_VERSION, openOnsiteDB } from '../../src/device/db';
import { createDeviceKey, signWithDeviceKey } from '../../src/device/device-key';
import { verifyDeviceSignature } from '../../src/domain/device-signature';
import { sealedForm } from '../fixtures/visits';

/** Version 1 of the schema exactly as the first app shipped it (a frozen copy: never edit it). */
async function openVersion1(name: string) {
  return openDB(name, 1, {
    upgrade(db) {
      db.createObjectStore('visits', { keyPath: 'id' }).createIndex('by-date', 'scheduledDate');
      db.createObjectStore('drafts', { keyPath: 'formId' }).createIndex('by-visit', 'visitId');
      db.createObjectStore('draftEvents', { keyPath: ['formId', 'seq'] });
      db.createObjectStore('signatures', { keyPath: 'formId' });
      const forms = db.createObjectStore('forms', { keyPath: 'formId' });
      forms.createIndex('by-status', 'status');
      forms.createIndex('by-status-sealed', ['status', 'sealedAt']);
      forms.createIndex('by-status-next', ['status', 'nextAttemptAt']);
      db.createObjectStore('settings');
    },
  });
}

/** Version 2 exactly as it shipped: version 1 and the checklists store (a frozen copy: never edit it). */
async function openVersion2(name: string) {
  const v1 = await openVersion1(name);
  v1.close();
  return openDB(name, 2, {
    upgrade(db, oldVersion) {
      if (oldVersion < 2) db.createObjectStore('checklists', { keyPath: ['id', 'version'] });
    },
  });
}

describe('upgrading the phone\'s database', () => {
  it('from version 2 keeps every record, signed or not, and adds the device keys store, which keeps a CryptoKeyPair that still signs', async () => {
    const name = `upgrade-v2-${crypto.randomUUID()}`;
    const { form } = await sealedForm();
    const old = await openVersion2(name);
    const queued = { formId: form.id, visitId: 'V-1', form, status: 'queued', sealedAt: form.sealedAt, attempts: 0, nextAttemptAt: 0 };
    await old.put('forms', queued);
    await old.put('checklists', { id: 'onsite-service', version: 2, checklist: {}, downloadedAt: '2026-03-10T00:00:00.000Z' });
    await old.put('settings', 'tok-2', 'token');
    old.close();

    const db = await openOnsiteDB(name);
    try {
      expect(db.version).toBe(3);
      // a form sealed before device keys stays as it was: no device signature
      expect(await db.get('forms', form.id)).toEqual(queued);
      expect(await db.get('checklists', ['onsite-service', 2])).toMatchObject({ version: 2 });
      expect(await db.get('settings', 'token')).toBe('tok-2');
      const key = (await createDeviceKey('tech-1'))!;
      await db.put('deviceKeys', key);
      const stored = (await db.get('deviceKeys', key.keyId))!;
      expect(stored.keyPair.privateKey.extractable).toBe(false);
      const device = await signWithDeviceKey(stored, form.seal.hash);
      expect(await verifyDeviceSignature(key.publicKey, form.seal.hash, device)).toEqual({ ok: true });
    } finally {
      db.close();
    }
  });

  it('from version 1 keeps every visit, draft, event, signature, queued form and setting, and adds the checklists store', async () => {
    const name = `upgrade-${crypto.randomUUID()}`;
    const { form, bytes } = await sealedForm();
    const old = await openVersion1(name);
    const records = {
      visits: { id: 'V-1', scheduledDate: '2026-03-10', source: 'dispatched' },
      drafts: { formId: form.id, visitId: 'V-1', checklist: form.checklist, sealed: true },
      draftEvents: { formId: form.id, seq: 0, event: form.events[0] },
      signatures: { formId: form.id, bytes: bytes.slice().buffer, mime: 'image/png', sha256: form.signature.sha256 },
      forms: { formId: form.id, visitId: 'V-1', form, status: 'queued', sealedAt: form.sealedAt, attempts: 2, nextAttemptAt: 5 },
    };
    for (const [store, value] of Object.entries(records)) await old.put(store, value);
    await old.put('settings', 'tok-1', 'token');
    old.close();

    expect(DB_VERSION).toBe(3);
    const db = await openOnsiteDB(name);
    try {
      expect([...db.objectStoreNames].sort()).toEqual(['checklists', 'deviceKeys', 'draftEvents', 'drafts', 'forms', 'settings', 'signatures', 'visits']);
      expect(await db.get('visits', 'V-1')).toEqual(records.visits);
      expect(await db.get('drafts', form.id)).toEqual(records.drafts);
      expect(await db.get('draftEvents', [form.id, 0])).toEqual(records.draftEvents);
      expect(new Uint8Array((await db.get('signatures', form.id))!.bytes)).toEqual(bytes);
      expect(await db.get('forms', form.id)).toEqual(records.forms);
      expect(await db.getAllFromIndex('forms', 'by-status', 'queued')).toHaveLength(1);
      expect(await db.get('settings', 'token')).toBe('tok-1');
      expect(await db.getAll('checklists')).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('opens a new database at the current version with every store', async () => {
    const db = await openOnsiteDB(`fresh-${crypto.randomUUID()}`);
    try {
      expect(db.version).toBe(DB_VERSION);
      expect(db.objectStoreNames.contains('checklists')).toBe(true);
      expect(db.objectStoreNames.contains('deviceKeys')).toBe(true);
    } finally {
      db.close();
    }
  });
});
