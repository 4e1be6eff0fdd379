import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { BundleSchema, SubmittedFormSchema, type SealedForm } from '../../src/domain/form-schema';
import { verifySeal } from '../../src/domain/seal';
import { bundleFileName, exportBundle } from '../../src/device/bundle-export';
import { getDeviceId } from '../../src/device/settings';
import { openTestDb, queueSealedForm, T0 } from '../sync/support';

async function readBundle(blob: Blob) {
  const bundle = BundleSchema.parse(JSON.parse(await blob.text()));
  return { ...bundle, forms: bundle.forms.map((f) => SubmittedFormSchema.parse(f)) };
}

describe('exportBundle', () => {
  it('writes every unsynced sealed form with its signature; the file validates and every seal verifies', async () => {
    const db = await openTestDb();
    const queued = await queueSealedForm(db, { seed: 1 });
    const rejected = await queueSealedForm(db, { seed: 2, status: 'rejected', rejection: [] });
    const held = await queueSealedForm(db, { seed: 3, status: 'held' });
    await queueSealedForm(db, { seed: 4, status: 'synced', serverStatus: 'accepted' });

    const out = await exportBundle(db, { now: () => T0, device: 'pixel-7' });

    expect(out.skipped).toEqual([]);
    expect(out.fileName).toBe('onsite-bundle-pixel-7-20260310T020000Z.json');
    expect(out.blob.type).toBe('application/json');
    const bundle = await readBundle(out.blob);
    expect(bundle).toMatchObject({ format: 'onsite.bundle', formatVersion: 1, exportedAt: new Date(T0).toISOString(), device: 'pixel-7' });
    expect(bundle.forms.map((f) => f.form.id).sort()).toEqual([queued.formId, rejected.formId, held.formId].sort());
    expect(out.formIds.sort()).toEqual([queued.formId, rejected.formId, held.formId].sort());
    for (const submitted of bundle.forms) {
      const stored = await db.get('forms', submitted.form.id);
      expect(submitted.form).toEqual(stored!.form);
      expect(await verifySeal(submitted.form, new Uint8Array(Buffer.from(submitted.signaturePng, 'base64')))).toEqual({ ok: true });
    }
  });

  it('writes every sealed form when asked for all, labelled with the device id by default', async () => {
    const db = await openTestDb();
    await queueSealedForm(db);
    await queueSealedForm(db, { seed: 2, status: 'synced', serverStatus: 'accepted' });
    const out = await exportBundle(db, { include: 'all', now: () => T0 });
    const bundle = await readBundle(out.blob);
    expect(bundle.forms).toHaveLength(2);
    expect(bundle.device).toBe(await getDeviceId(db));
  });

  it('writes a valid empty bundle when nothing is waiting', async () => {
    const db = await openTestDb();
    const bundle = await readBundle((await exportBundle(db, { now: () => T0, device: 'd' })).blob);
    expect(bundle.forms).toEqual([]);
  });

  it('leaves out, and names, a form that does not pass the wire schema or has lost its signature', async () => {
    const db = await openTestDb();
    const good = await queueSealedForm(db);
    const damaged = await queueSealedForm(db, { seed: 2 });
    await db.put('forms', { ...damaged, form: { ...damaged.form, signature: { ...damaged.form.signature, width: -1 } } as SealedForm });
    const orphan = await queueSealedForm(db, { seed: 3 });
    await db.delete('signatures', orphan.formId);

    const out = await exportBundle(db, { now: () => T0, device: 'd' });

    expect(out.formIds).toEqual([good.formId]);
    expect(out.skipped).toEqual(expect.arrayContaining([
      { formId: damaged.formId, errors: [{ path: 'form.signature.width', message: 'expected a number ≥ 1' }] },
      { formId: orphan.formId, errors: [{ path: 'signaturePng', message: 'the signature bytes are missing on this phone' }] },
    ]));
    expect((await readBundle(out.blob)).forms.map((f) => f.form.id)).toEqual([good.formId]);
  });
});

describe('bundleFileName', () => {
  it('keeps the device label to characters every file system takes', () => {
    expect(bundleFileName('张师傅的 phone/../x', T0)).toBe('onsite-bundle-phone-x-20260310T020000Z.json');
    expect(bundleFileName('张师傅', T0)).toBe('onsite-bundle-device-20260310T020000Z.json');
  });
});
