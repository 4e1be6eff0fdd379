// The device signature's rule and message, as the server, the import and npm run verify apply them.
import { describe, expect, it } from 'vitest';
import { bytesToBase64 } from '../../src/domain/base64';
import { shortKeyId } from '../../src/domain/device-message';
import {
  DeviceSignatureSchema, deviceKeyId, deviceSignedMessage, judgeDeviceSignature, readDevicePublicKey, verifyDeviceSignature,
  type DeviceKeyLookup, type RegisteredDeviceKey,
} from '../../src/domain/device-signature';

const HASH = 'ab'.repeat(32);

async function keyPair() {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  return { pair, publicKey: bytesToBase64(spki), keyId: await deviceKeyId(spki) };
}

async function sign(key: Awaited<ReturnType<typeof keyPair>>, hash: string, location?: { lat: number; lon: number; accuracyM: number } | null) {
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key.pair.privateKey, deviceSignedMessage(hash, location));
  return { keyId: key.keyId, alg: 'ES256' as const, signature: bytesToBase64(signature), ...(location === undefined ? {} : { location }) };
}

function lookup(keys: RegisteredDeviceKey[]): DeviceKeyLookup {
  return {
    key: async (id) => keys.find((k) => k.keyId === id) ?? null,
    hasCurrentKey: async (technicianId) => keys.some((k) => k.technicianId === technicianId && k.supersededAt === null),
  };
}
const registered = (key: { keyId: string; publicKey: string }, over: Partial<RegisteredDeviceKey> = {}): RegisteredDeviceKey =>
  ({ keyId: key.keyId, publicKey: key.publicKey, technicianId: 'tech-1', enrolledAt: '2026-03-10T00:00:00.000Z', supersededAt: null, revokedAt: null, ...over });

describe('the signed message', () => {
  it('is the hash alone without a place, and hash, newline, canonical JSON of the place with one', () => {
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    expect(text(deviceSignedMessage(HASH))).toBe(HASH);
    expect(text(deviceSignedMessage(HASH, null))).toBe(`${HASH}\nnull`);
    // RFC 8785: keys sorted, numbers in their shortest form
    expect(text(deviceSignedMessage(HASH, { lon: 121.5, lat: 31, accuracyM: 10.0 }))).toBe(`${HASH}\n{"accuracyM":10,"lat":31,"lon":121.5}`);
  });
});

describe('key ids', () => {
  it('a key id is the SHA-256 of the SPKI bytes; people read its first 12 hex digits', async () => {
    // SHA-256 of the empty input and of "abc" (FIPS 180-2)
    expect(await deviceKeyId(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await deviceKeyId(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(shortKeyId('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')).toBe('ba7816bf8f01');
  });
});

describe('the envelope', () => {
  it('takes ES256 with a 64-byte signature and a place within range, and refuses anything else by path', async () => {
    const key = await keyPair();
    const good = await sign(key, HASH, { lat: 31, lon: 121, accuracyM: 5 });
    expect(DeviceSignatureSchema.safeParse(good).success).toBe(true);
    const paths = (value: unknown) => DeviceSignatureSchema.safeParse(value).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ ...good, alg: 'RS256' })).toEqual(['alg']);
    expect(paths({ ...good, signature: good.signature.slice(4) })).toEqual(['signature']);
    expect(paths({ ...good, keyId: 'AB'.repeat(32) })).toEqual(['keyId']);
    expect(paths({ ...good, location: { lat: 91, lon: 0, accuracyM: 1 } })).toEqual(['location.lat']);
    expect(paths({ ...good, location: { lat: 0, lon: 0, accuracyM: -1 } })).toEqual(['location.accuracyM']);
    expect(paths({ ...good, extra: 1 })).toEqual(['']);
  });
});

describe('a public key at enrollment', () => {
  it('is read as SPKI P-256 and named by its SHA-256; anything else is refused with why', async () => {
    const key = await keyPair();
    expect(await readDevicePublicKey(key.publicKey)).toEqual({ ok: true, keyId: key.keyId });
    expect(await readDevicePublicKey('***')).toEqual({ ok: false, message: 'the device public key is not base64' });
    expect(await readDevicePublicKey(bytesToBase64(new Uint8Array(91)))).toMatchObject({ ok: false, message: expect.stringMatching(/P-256/) });
    const p384 = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify']);
    const spki384 = bytesToBase64(new Uint8Array(await crypto.subtle.exportKey('spki', p384.publicKey)));
    expect(await readDevicePublicKey(spki384)).toMatchObject({ ok: false });
  });
});

describe('judging a form\'s device signature', () => {
  it('accepts a signature by the technician\'s key, current or superseded', async () => {
    const key = await keyPair();
    const device = await sign(key, HASH);
    expect(await judgeDeviceSignature(device, HASH, 'tech-1', lookup([registered(key)]))).toMatchObject({ status: 'signed' });
    expect(await judgeDeviceSignature(device, HASH, 'tech-1', lookup([registered(key, { supersededAt: '2026-03-11T00:00:00.000Z' })]))).toMatchObject({ status: 'signed' });
  });

  it('refuses another technician\'s key, a revoked key, an unknown key and a bad signature, each with its code', async () => {
    const key = await keyPair();
    const device = await sign(key, HASH);
    const code = async (d: typeof device, keys: RegisteredDeviceKey[], hash = HASH) => {
      const verdict = await judgeDeviceSignature(d, hash, 'tech-1', lookup(keys));
      return verdict.status === 'refused' ? verdict.code : verdict.status;
    };
    expect(await code(device, [registered(key, { technicianId: 'tech-2' })])).toBe('device-key-other-technician');
    expect(await code(device, [registered(key, { revokedAt: '2026-03-11T00:00:00.000Z' })])).toBe('device-key-revoked');
    expect(await code(device, [])).toBe('device-key-unknown');
    expect(await code(device, [registered(key)], 'cd'.repeat(32))).toBe('device-signature-invalid');
    // a registered key id stored with another key's bytes does not vouch for the signature
    const other = await keyPair();
    expect(await code(device, [registered({ keyId: key.keyId, publicKey: other.publicKey })])).toBe('device-signature-invalid');
  });

  it('takes an unsigned form only while the technician\'s current enrollment has no key', async () => {
    const key = await keyPair();
    expect(await judgeDeviceSignature(undefined, HASH, 'tech-1', lookup([]))).toEqual({ status: 'unsigned' });
    expect(await judgeDeviceSignature(undefined, HASH, 'tech-1', lookup([registered(key, { supersededAt: '2026-03-11T00:00:00.000Z' })]))).toEqual({ status: 'unsigned' });
    expect(await judgeDeviceSignature(undefined, HASH, 'tech-1', lookup([registered(key)]))).toMatchObject({ status: 'refused', code: 'device-signature-missing' });
  });

  it('verifies with WebCrypto alone: the same check the phone, the server and the CLI run', async () => {
    const key = await keyPair();
    const device = await sign(key, HASH, { lat: 1, lon: 2, accuracyM: 3 });
    expect(await verifyDeviceSignature(key.publicKey, HASH, device)).toEqual({ ok: true });
    expect(await verifyDeviceSignature(key.publicKey, HASH, { ...device, location: null })).toMatchObject({ ok: false, reason: 'signature' });
    expect(await verifyDeviceSignature((await keyPair()).publicKey, HASH, device)).toMatchObject({ ok: false, reason: 'key-id' });
  });
});
