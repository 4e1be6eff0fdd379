// The device-signed seal on one adapter: the key registered at enrollment, the forms it signs
// accepted, and every other signature refused with its own code — another technician's key, a revoked
// key, an unknown key, a tampered signature, a missing one — while rotation keeps old forms verifiable.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API } from '../../src/domain/api';
import { shortKeyId } from '../../src/domain/device-signature';
import type { SubmittedForm } from '../../src/domain/form-schema';
import type { StoredDeviceKey } from '../../src/device/db';
import { openHarness, type Harness } from './api-harness';
import { bundleOf, makeDeviceKey, makeForm, publicKeyOf, signedBy, type StorageFactory } from './helpers';

export function describeDeviceSignatureApi(name: string, factory: StorageFactory): void {
  describe(`device-signed seal: ${name}`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await openHarness(factory);
    });
    afterEach(async () => {
      await h.close();
    });

    const reasonsOf = (reply: { body: any }) => (reply.body.results[0].errors as Array<{ path: string; reason: { code: string } }>);
    const codeOf = (reply: { body: any }) => reasonsOf(reply)[0]?.reason.code;
    const importBundle = (forms: unknown[], devices?: StoredDeviceKey[]) =>
      h.call('POST', API.admin.import, { body: bundleOf(forms, devices?.map(publicKeyOf)), headers: { 'content-type': 'application/json' } });
    /** enrolls `id` with a new key; answers the token and the key */
    const enrollWithKey = async (id = 'tech-1') => {
      const key = await makeDeviceKey(id);
      return { token: await h.enroll(id, `师傅 ${id}`, key.publicKey), key };
    };

    it('registers the phone\'s public key with its enrollment, by the SHA-256 of its SPKI', async () => {
      const { key } = await enrollWithKey();
      const keys = await h.storage.listDeviceKeys('tech-1');
      expect(keys).toEqual([{ keyId: key.keyId, technicianId: 'tech-1', publicKey: key.publicKey, enrolledAt: '2026-03-10T08:00:00.000Z', supersededAt: null, revokedAt: null }]);
      expect(key.keyId).toMatch(/^[0-9a-f]{64}$/);
    });

    it('refuses an enrollment whose public key is not a P-256 key, and leaves the code unspent', async () => {
      await h.call('POST', API.admin.technicians, { json: { id: 'tech-1', name: '张师傅' } });
      const { code } = (await h.call('POST', `${API.admin.technicians}/tech-1/code`)).body as { code: string };
      const bad = await h.call('POST', API.enroll, { token: null, json: { code, devicePublicKey: 'AAAA' } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.errors[0]).toMatchObject({ path: 'devicePublicKey', message: expect.stringMatching(/P-256/) });
      const good = await h.call('POST', API.enroll, { token: null, json: { code, devicePublicKey: (await makeDeviceKey()).publicKey } });
      expect(good.status).toBe(200);
    });

    it('refuses a public key registered already (another technician\'s phone), keeping nothing of that enrollment', async () => {
      const { key } = await enrollWithKey('tech-a');
      await h.call('POST', API.admin.technicians, { json: { id: 'tech-b', name: '李师傅' } });
      const { code } = (await h.call('POST', `${API.admin.technicians}/tech-b/code`)).body as { code: string };
      const taken = await h.call('POST', API.enroll, { token: null, json: { code, devicePublicKey: key.publicKey } });
      expect(taken.status).toBe(409);
      expect(taken.body.error.code).toBe('device-key-taken');
      expect(await h.storage.listDeviceKeys('tech-b')).toEqual([]);
      expect((await h.storage.getTechnician('tech-b'))?.enrolledAt).toBeNull();
      // the code was not spent: the phone enrolls with a new key
      expect((await h.call('POST', API.enroll, { token: null, json: { code, devicePublicKey: (await makeDeviceKey('tech-b')).publicKey } })).status).toBe(200);
    });

    it('accepts a form signed by the technician\'s phone, with the place, and the back office shows that both verify and which device signed it', async () => {
      const { token, key } = await enrollWithKey();
      const place = { lat: 31.230416, lon: 121.473701, accuracyM: 12.5 };
      const form = await signedBy(await makeForm(), key, place);
      const sent = await h.submit(token, [form]);
      expect(sent.body.results[0]).toMatchObject({ status: 'accepted' });
      const detail = await h.call('GET', `${API.admin.forms}/${form.form.id}`);
      expect(detail.body.sealCheck).toBe('verified');
      expect(detail.body.device).toEqual({
        check: 'verified', problem: null, keyId: key.keyId, technicianId: 'tech-1',
        enrolledAt: '2026-03-10T08:00:00.000Z', supersededAt: null, revokedAt: null, location: place,
      });
    });

    it('records "not given" when the technician allows the place but the phone had none, and signs over it', async () => {
      const { token, key } = await enrollWithKey();
      const form = await signedBy(await makeForm(), key, null);
      expect((await h.submit(token, [form])).body.results[0].status).toBe('accepted');
      expect((await h.call('GET', `${API.admin.forms}/${form.form.id}`)).body.device).toMatchObject({ check: 'verified', location: null });
      // the place is in the signed message: dropping or changing it breaks the signature
      const { location: _dropped, ...withoutPlace } = form.device!;
      const other = await makeForm({ seed: 2 });
      const moved = { ...other, device: { ...(await signedBy(other, key, null)).device!, location: { lat: 1, lon: 2, accuracyM: 3 } } };
      const dropped = { ...form, device: withoutPlace };
      const replies = await h.submit(token, [moved, dropped]);
      expect(replies.body.results.map((r: any) => r.errors?.[0]?.reason.code)).toEqual(['device-signature-invalid', 'device-signature-invalid']);
    });

    it('refuses a form signed by device A sent with B\'s token: technician B\'s form, A\'s key', async () => {
      const a = await enrollWithKey('tech-a');
      const b = await enrollWithKey('tech-b');
      const bForm = await signedBy(await makeForm({ technicianId: 'tech-b' }), a.key);
      const refused = await h.submit(b.token, [bForm]);
      expect(refused.body.results[0].status).toBe('rejected');
      expect(reasonsOf(refused)[0]).toMatchObject({
        path: 'device', reason: { code: 'device-key-other-technician', params: { keyId: shortKeyId(a.key.keyId), technician: 'tech-b', keyTechnician: 'tech-a' } },
      });
      // A's own form with A's key, sent with B's token: the technician check refuses it first
      const aForm = await signedBy(await makeForm({ technicianId: 'tech-a', seed: 2 }), a.key);
      expect(codeOf(await h.submit(b.token, [aForm]))).toBe('technician-mismatch');
      // and the import refuses B's form signed with A's key the same way
      expect((await importBundle([bForm], [a.key])).body.results[0].errors[0].reason.code).toBe('device-key-other-technician');
      expect(await h.storage.getForm(bForm.form.id)).toBeNull();
    });

    it('refuses a revoked device\'s form (revoking the technician revokes their keys), in the import too', async () => {
      const { token, key } = await enrollWithKey();
      const before = await signedBy(await makeForm(), key);
      expect((await h.submit(token, [before])).body.results[0].status).toBe('accepted');
      h.clock.advance(60_000);
      expect((await h.call('POST', `${API.admin.technicians}/tech-1/revoke`)).status).toBe(200);
      expect((await h.storage.getDeviceKey(key.keyId))?.revokedAt).toBe('2026-03-10T08:01:00.000Z');
      const after = await signedBy(await makeForm({ seed: 2 }), key);
      expect((await h.submit(token, [after])).status).toBe(401);
      const imported = await importBundle([after], [key]);
      expect(imported.body.results[0].errors[0]).toMatchObject({ path: 'device', reason: { code: 'device-key-revoked', params: { keyId: shortKeyId(key.keyId) } } });
      // the form that landed before stays verifiable, and says the key was revoked since
      expect((await h.call('GET', `${API.admin.forms}/${before.form.id}`)).body.device).toMatchObject({ check: 'verified', revokedAt: '2026-03-10T08:01:00.000Z' });
    });

    it('refuses a form signed with a key this server never registered', async () => {
      const { token } = await enrollWithKey();
      const stranger = await makeDeviceKey('tech-1');
      const form = await signedBy(await makeForm(), stranger);
      const refused = await h.submit(token, [form]);
      expect(reasonsOf(refused)[0]).toMatchObject({ path: 'device', reason: { code: 'device-key-unknown', params: { keyId: shortKeyId(stranger.keyId) } } });
      // a bundle carrying the stranger's public key does not make it known
      expect((await importBundle([form], [stranger])).body.results[0].errors[0].reason.code).toBe('device-key-unknown');
    });

    it('refuses a tampered signature, and a signature moved onto another form', async () => {
      const { token, key } = await enrollWithKey();
      const form = await signedBy(await makeForm(), key);
      const bytes = Buffer.from(form.device!.signature, 'base64');
      bytes[10] = bytes[10]! ^ 0x01;
      const flipped: SubmittedForm = { ...form, device: { ...form.device!, signature: bytes.toString('base64') } };
      const other = await makeForm({ seed: 2 });
      const moved: SubmittedForm = { ...other, device: form.device! };
      const replies = await h.submit(token, [flipped, moved]);
      expect(replies.body.results.map((r: any) => [r.status, r.errors?.[0]?.reason.code])).toEqual([
        ['rejected', 'device-signature-invalid'], ['rejected', 'device-signature-invalid'],
      ]);
      expect((await h.submit(token, [{ ...form, device: { ...form.device!, signature: 'not base64!' } }])).body.results[0].errors[0].path).toBe('device.signature');
    });

    it('takes unsigned forms only from a technician whose current enrollment has no key', async () => {
      const oldPhone = await h.enroll('tech-old', '老手机');
      const unsigned = await makeForm({ technicianId: 'tech-old' });
      expect((await h.submit(oldPhone, [unsigned])).body.results[0].status).toBe('accepted');
      expect((await h.call('GET', `${API.admin.forms}/${unsigned.form.id}`)).body.device).toBeNull();

      const { token } = await enrollWithKey();
      const refused = await h.submit(token, [await makeForm({ seed: 2 })]);
      expect(reasonsOf(refused)[0]).toMatchObject({ path: 'device', reason: { code: 'device-signature-missing', params: { technician: 'tech-1' } } });
      expect((await importBundle([await makeForm({ seed: 2 })])).body.results[0].errors[0].reason.code).toBe('device-signature-missing');
    });

    it('rotates the key at re-enrollment: the old key is superseded, its forms still land and verify; the new key signs from then on', async () => {
      const first = await enrollWithKey();
      const sealedOnOldPhone = await signedBy(await makeForm(), first.key);
      const sentBefore = await signedBy(await makeForm({ seed: 2 }), first.key);
      expect((await h.submit(first.token, [sentBefore])).body.results[0].status).toBe('accepted');

      h.clock.advance(3_600_000);
      const second = await enrollWithKey();
      const keys = await h.storage.listDeviceKeys('tech-1');
      expect(keys.map((k) => [k.keyId, k.supersededAt])).toEqual([[first.key.keyId, '2026-03-10T09:00:00.000Z'], [second.key.keyId, null]]);
      // the old phone's token is gone; its last form comes in a bundle and still lands
      expect((await h.submit(first.token, [sealedOnOldPhone])).status).toBe(401);
      expect((await importBundle([sealedOnOldPhone], [first.key])).body.results[0].status).toBe('accepted');
      const onNewPhone = await signedBy(await makeForm({ seed: 3 }), second.key);
      expect((await h.submit(second.token, [onNewPhone])).body.results[0].status).toBe('accepted');
      for (const [form, key] of [[sentBefore, first.key], [sealedOnOldPhone, first.key], [onNewPhone, second.key]] as const) {
        const { device } = (await h.call('GET', `${API.admin.forms}/${form.form.id}`)).body;
        expect(device).toMatchObject({ check: 'verified', keyId: key.keyId });
      }
      expect((await h.call('GET', `${API.admin.forms}/${sentBefore.form.id}`)).body.device.supersededAt).toBe('2026-03-10T09:00:00.000Z');
    });

    it('a re-enrollment from a phone without a device key supersedes the old key: unsigned forms land again', async () => {
      await enrollWithKey();
      const plain = await h.enroll('tech-1', '张师傅');
      expect((await h.storage.listDeviceKeys('tech-1'))[0]?.supersededAt).not.toBeNull();
      expect((await h.submit(plain, [await makeForm()])).body.results[0].status).toBe('accepted');
    });

    it('a resend of a signed form is a duplicate, whatever its signature (ECDSA signs differently each time)', async () => {
      const { token, key } = await enrollWithKey();
      const form = await makeForm();
      expect((await h.submit(token, [await signedBy(form, key)])).body.results[0].status).toBe('accepted');
      expect((await h.submit(token, [await signedBy(form, key)])).body.results[0].status).toBe('duplicate');
    });

    it('the NDJSON export carries each form\'s device signature and public key; importing it again lands every form as a duplicate', async () => {
      const { token, key } = await enrollWithKey();
      const signed = await signedBy(await makeForm(), key, { lat: 30, lon: 120, accuracyM: 5 });
      await h.submit(token, [signed]);
      const exported = await h.call('GET', API.admin.exportNdjson);
      const line = JSON.parse(exported.text.trim());
      expect(line.device).toEqual(signed.device);
      expect(line.server.deviceKey).toEqual({ keyId: key.keyId, publicKey: key.publicKey, technicianId: 'tech-1', enrolledAt: '2026-03-10T08:00:00.000Z', revokedAt: null });
      const again = await h.call('POST', API.admin.import, { body: exported.text, headers: { 'content-type': 'application/x-ndjson' } });
      expect(again.body).toMatchObject({ duplicate: 1, rejected: 0 });
    });
  });
}
