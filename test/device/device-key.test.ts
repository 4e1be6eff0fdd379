// The phone's side of the device-signed seal: the seal signed with the current key (with the place when
// the technician allows it), the signature kept in the outbox and sent beside the form, and a bundle
// carrying the public keys it needs to be checked offline.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import festivalsJson from '../../checklists/festivals.json';
import { parseFestivalsFile } from '../../src/domain/festivals';
import { BundleSchema, SubmittedFormSchema, type VisitAction } from '../../src/domain/form-schema';
import { verifyDeviceSignature } from '../../src/domain/device-signature';
import { openOnsiteDB, type OnsiteDatabase, type StoredVisit } from '../../src/device/db';
import { createDraftStore, type DraftStore, type LoadedDraft } from '../../src/device/drafts';
import { createDeviceKey } from '../../src/device/device-key';
import { exportBundle } from '../../src/device/bundle-export';
import { sealLocation, type Geolocator } from '../../src/device/seal-location';
import { saveEnrollment, setSetting } from '../../src/device/settings';
import type { DeviceLocation } from '../../src/domain/device-message';
import { pinnedChecklists } from '../fixtures/checklists';
import { isSignatureSet } from '../fixtures/visit-actions';
import { completeVisitActions, signatureBytes, signatureFor } from '../fixtures/visits';
import { engineRig } from '../sync/support';

const festivals = parseFestivalsFile(festivalsJson, 'festivals.json');
const technician = { id: 'tech-1', name: '张师傅' };
const visit: StoredVisit = {
  id: 'V-1', technicianId: 'tech-1', scheduledDate: '2026-03-10', firstVisit: false, notes: '',
  customer: { name: '某市环卫处', phone: '138 0000 0000', address: '某路 1 号' },
  equipment: { type: '洗扫车', model: 'XS-5000', serial: 'SN-1' },
  source: 'device', createdAt: '2026-03-10T00:00:00.000Z',
};

const open: OnsiteDatabase[] = [];
afterEach(() => open.splice(0).forEach((db) => db.close()));

async function sealOne(db: OnsiteDatabase, locate?: () => Promise<DeviceLocation | null | undefined>) {
  const store: DraftStore = createDraftStore({ db, loadChecklists: async () => pinnedChecklists, loadFestivals: async () => festivals, ...(locate ? { locate } : {}) });
  let loaded: LoadedDraft = await store.create(visit, technician);
  const actions: VisitAction[] = completeVisitActions(loaded.state.facts, await signatureFor(signatureBytes())).slice(0, -1);
  for (const action of actions) {
    const result = await store.append(loaded, action, isSignatureSet(loaded.state.checklist, action) ? signatureBytes() : undefined);
    if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
    loaded = result.loaded;
  }
  const sealed = await store.seal(loaded);
  if (!sealed.ok) throw new Error('not sealed');
  return sealed.stored;
}

async function enrolledDb(name = `device-key-${crypto.randomUUID()}`) {
  const db = await openOnsiteDB(name);
  open.push(db);
  const key = (await createDeviceKey('tech-1'))!;
  await saveEnrollment(db, 'tok-1', technician, key);
  return { db, key };
}

describe('the seal, signed on the phone', () => {
  it('signs the seal hash with the current device key and keeps the signature with the queued form', async () => {
    const { db, key } = await enrolledDb();
    const stored = await sealOne(db);
    expect(stored.device).toMatchObject({ keyId: key.keyId, alg: 'ES256' });
    expect(stored.device).not.toHaveProperty('location');
    expect((await db.get('forms', stored.formId))!.device).toEqual(stored.device);
    expect(await verifyDeviceSignature(key.publicKey, stored.form.seal.hash, stored.device!)).toEqual({ ok: true });
  });

  it('signs the place with the hash when the technician allows it, and "not given" when the phone has none', async () => {
    const { db, key } = await enrolledDb();
    const place = { lat: 31.23, lon: 121.47, accuracyM: 20 };
    const here = await sealOne(db, async () => place);
    expect(here.device!.location).toEqual(place);
    expect(await verifyDeviceSignature(key.publicKey, here.form.seal.hash, here.device!)).toEqual({ ok: true });
    expect(await verifyDeviceSignature(key.publicKey, here.form.seal.hash, { ...here.device!, location: { ...place, lat: 31.24 } })).toMatchObject({ ok: false, reason: 'signature' });
    const nowhere = await sealOne(db, async () => { throw new Error('geolocation broke'); });
    expect(nowhere.device!.location).toBeNull();
    expect(await verifyDeviceSignature(key.publicKey, nowhere.form.seal.hash, nowhere.device!)).toEqual({ ok: true });
  });

  it('seals unsigned on a phone enrolled before device keys', async () => {
    const db = await openOnsiteDB(`device-key-${crypto.randomUUID()}`);
    open.push(db);
    await saveEnrollment(db, 'tok-1', technician);
    expect((await sealOne(db)).device).toBeUndefined();
  });
});

describe('the place of the seal', () => {
  const at = (coords: { latitude: number; longitude: number; accuracy: number }): Geolocator => ({ getCurrentPosition: (ok) => ok({ coords }) });
  const failing: Geolocator = { getCurrentPosition: (_ok, fail) => fail(new Error('denied')) };

  it('is not asked for until the technician allows it, then given with its accuracy or as null', async () => {
    const db = await openOnsiteDB(`location-${crypto.randomUUID()}`);
    open.push(db);
    const asked: unknown[] = [];
    const spy: Geolocator = { getCurrentPosition: (ok, _fail, options) => { asked.push(options); ok({ coords: { latitude: 30, longitude: 120, accuracy: 15 } }); } };
    expect(await sealLocation(db, spy)).toBeUndefined();
    await setSetting(db, 'sealLocation', 'declined');
    expect(await sealLocation(db, spy)).toBeUndefined();
    expect(asked).toEqual([]);
    await setSetting(db, 'sealLocation', 'allowed');
    expect(await sealLocation(db, spy)).toEqual({ lat: 30, lon: 120, accuracyM: 15 });
    expect(asked).toEqual([{ enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 }]);
    expect(await sealLocation(db, failing)).toBeNull();
    expect(await sealLocation(db, undefined)).toBeNull();
    expect(await sealLocation(db, at({ latitude: Number.NaN, longitude: 120, accuracy: 5 }))).toBeNull();
  });
});

describe('signed forms leaving the phone', () => {
  it('a bundle carries each form\'s device signature and the public keys to check them offline', async () => {
    const { db, key } = await enrolledDb();
    const stored = await sealOne(db);
    const out = await exportBundle(db, { device: 'pixel-7' });
    const bundle = BundleSchema.parse(JSON.parse(await out.blob.text()));
    expect(bundle.devices).toEqual([{ keyId: key.keyId, publicKey: key.publicKey, technicianId: 'tech-1' }]);
    const form = SubmittedFormSchema.parse(bundle.forms[0]);
    expect(form.device).toEqual(stored.device);
  });

  it('the sync sends the device signature beside the form', async () => {
    const { db, server, engine } = await engineRig();
    const key = (await createDeviceKey('tech-1'))!;
    await saveEnrollment(db, 'tok-1', technician, key);
    const stored = await sealOne(db);
    await engine.syncNow('test');
    const sent = (server.requests[0]!.body as { forms: Array<{ device?: unknown }> }).forms[0]!;
    expect(sent.device).toEqual(stored.device);
  });
});
