import { describe, expect, it } from 'vitest';
import { getSetting, getTechnician, getToken } from '../../src/device/settings';
import { currentDeviceKey, signSeal } from '../../src/device/device-key';
import { base64ToBytes } from '../../src/domain/base64';
import { deviceKeyId, verifyDeviceSignature } from '../../src/domain/device-signature';
import { enroll, EnrollError } from '../../src/sync/enroll';
import { apiError, createFakeServer, json, openTestDb, T0 } from './support';

async function rig(respond: () => Response | Promise<Response>) {
  const db = await openTestDb();
  const server = createFakeServer();
  server.respond = respond;
  const run = (code: string, deviceName?: string, createKey?: Parameters<typeof enroll>[0]['createKey']) =>
    enroll({ db, fetch: server.fetch, baseUrl: 'https://onsite.test', code, deviceName, now: () => T0, ...(createKey ? { createKey } : {}) });
  return { db, server, run };
}

async function failure(promise: Promise<unknown>): Promise<EnrollError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EnrollError);
  return error as EnrollError;
}

describe('enroll', () => {
  it('exchanges the code for a token and keeps the token and the technician', async () => {
    const { db, server, run } = await rig(() => json({ token: 'tok-xyz', technician: { id: 'tech-7', name: '李师傅' } }));
    expect(await run(' 4821-9930 ', 'Pixel 7')).toEqual({ id: 'tech-7', name: '李师傅' });
    expect(server.requests[0]).toMatchObject({ url: 'https://onsite.test/api/v1/enroll', method: 'POST', body: { code: '4821-9930', deviceName: 'Pixel 7' } });
    expect(await getToken(db)).toBe('tok-xyz');
    expect(await getTechnician(db)).toEqual({ id: 'tech-7', name: '李师傅' });
  });

  it('refuses an empty or overlong code without asking the server', async () => {
    const { server, run } = await rig(() => json({}));
    for (const code of ['', '   ', 'x'.repeat(65)]) expect((await failure(run(code))).reason).toBe('invalid-code');
    expect(server.requests).toHaveLength(0);
  });

  it('says clearly why the server refused the code', async () => {
    const bad = await failure((await rig(() => apiError(400, 'code: expected 8 digits'))).run('12'));
    expect([bad.reason, bad.message]).toEqual(['invalid-code', 'the server refused the code: code: expected 8 digits']);
    const used = await failure((await rig(() => apiError(401, 'this code was already used'))).run('12345678'));
    expect([used.reason, used.message]).toEqual(['code-not-accepted', 'the code is unknown, expired or already used: this code was already used']);
    const limited = await failure((await rig(() => apiError(429, 'too many attempts', { 'Retry-After': '60' }))).run('12345678'));
    expect([limited.reason, limited.retryAfterMs]).toEqual(['too-many-attempts', 60_000]);
  });

  it('stores nothing when the answer is not a token and a technician, or the server fails', async () => {
    const odd = await rig(() => json({ token: 'tok', technician: { id: 'x' } }));
    expect((await failure(odd.run('12345678'))).reason).toBe('malformed-answer');
    expect(await getToken(odd.db)).toBeUndefined();
    expect((await failure((await rig(() => apiError(500, 'boom'))).run('12345678'))).reason).toBe('server');
    expect((await failure((await rig(() => { throw new TypeError('Failed to fetch'); })).run('12345678'))).reason).toBe('network');
  });

  it('makes a non-extractable P-256 key pair, registers only its public key, and keeps the pair as the current device key', async () => {
    const { db, server, run } = await rig(() => json({ token: 'tok-1', technician: { id: 'tech-7', name: '李师傅' } }));
    await run('12345678');
    const sent = (server.requests[0]!.body as { devicePublicKey: string }).devicePublicKey;
    const key = (await currentDeviceKey(db))!;
    expect(key).toMatchObject({ publicKey: sent, technicianId: 'tech-7' });
    expect(key.keyId).toBe(await deviceKeyId(base64ToBytes(sent)));
    expect(await getSetting(db, 'deviceKeyId')).toBe(key.keyId);
    expect(key.keyPair.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('pkcs8', key.keyPair.privateKey)).rejects.toThrow();
    const device = (await signSeal(db, 'a'.repeat(64)))!;
    expect(await verifyDeviceSignature(sent, 'a'.repeat(64), device)).toEqual({ ok: true });
  });

  it('re-enrolling rotates the key: a new pair becomes current, the old one stays on the phone', async () => {
    const { db, server, run } = await rig(() => json({ token: 'tok-1', technician: { id: 'tech-7', name: '李师傅' } }));
    await run('12345678');
    const first = (await currentDeviceKey(db))!;
    await run('87654321');
    const second = (await currentDeviceKey(db))!;
    expect(second.keyId).not.toBe(first.keyId);
    expect((server.requests[1]!.body as { devicePublicKey: string }).devicePublicKey).toBe(second.publicKey);
    expect((await db.getAll('deviceKeys')).map((k) => k.keyId).sort()).toEqual([first.keyId, second.keyId].sort());
  });

  it('without WebCrypto enrolls without a key, and the phone then signs nothing', async () => {
    const { db, server, run } = await rig(() => json({ token: 'tok-1', technician: { id: 'tech-7', name: '李师傅' } }));
    await run('12345678');
    await run('87654321', undefined, async () => null);
    expect(server.requests[1]!.body).toEqual({ code: '87654321' });
    expect(await getSetting(db, 'deviceKeyId')).toBeUndefined();
    expect(await signSeal(db, 'a'.repeat(64))).toBeUndefined();
  });

  it('keeps no key when the enrollment fails, and says a refused device key is not accepted', async () => {
    const { db, run } = await rig(() => apiError(409, 'the device key is registered already'));
    expect((await failure(run('12345678'))).reason).toBe('code-not-accepted');
    expect(await db.getAll('deviceKeys')).toEqual([]);
    expect(await currentDeviceKey(db)).toBeUndefined();
  });
});
