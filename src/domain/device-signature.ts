// The device signature beside the seal: the phone's own ECDSA P-256 key (made at enrollment, never
// leaving the phone) signs the seal hash, so a form rebuilt and resealed elsewhere no longer passes for
// one sealed on the technician's enrolled phone. One definition for the phone, the server and the CLI.
// The signed message is in device-message.ts (no zod, for the phone's seal path).
import { z } from 'zod/mini';
import { base64ToBytes } from './base64';
import {
  DEVICE_KEY_ALGORITHM, DEVICE_SIGN_ALGORITHM, DEVICE_SIGNATURE_ALG, deviceKeyId, deviceSignedMessage, shortKeyId,
  type DeviceLocation, type DeviceSignature,
} from './device-message';

export * from './device-message';

const sha256HexText = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in lowercase hex'));
const base64Text = (max: number) => z.string().check(z.maxLength(max), z.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64'));
const finite = (min: number, max: number) => z.number().check(z.refine(Number.isFinite, 'expected a finite number'), z.gte(min), z.lte(max));

/** Where the form was sealed, as the phone's geolocation gave it. */
export const DeviceLocationSchema: z.ZodMiniType<DeviceLocation> = z.strictObject({
  lat: finite(-90, 90),
  lon: finite(-180, 180),
  /** the radius of 95 % confidence, in metres */
  accuracyM: finite(0, 1e7),
});

/** `device` of a submitted form's envelope. */
export const DeviceSignatureSchema: z.ZodMiniType<DeviceSignature> = z.strictObject({
  keyId: sha256HexText,
  alg: z.literal(DEVICE_SIGNATURE_ALG),
  // 64 bytes are 88 base64 characters
  signature: base64Text(88).check(z.length(88, 'expected the 64-byte P1363 signature in base64 (88 characters)')),
  /** absent: the technician did not allow the place; null: allowed, but the phone gave none */
  location: z.optional(z.nullable(DeviceLocationSchema)),
});

/** A device's public key as it travels with an export, for checking offline. */
export const DevicePublicKeySchema = z.strictObject({
  keyId: sha256HexText,
  /** SubjectPublicKeyInfo (DER) in base64 */
  publicKey: base64Text(400),
  technicianId: z.string().check(z.minLength(1), z.maxLength(64)),
  enrolledAt: z.optional(z.nullable(z.string().check(z.maxLength(40)))),
  revokedAt: z.optional(z.nullable(z.string().check(z.maxLength(40)))),
});
export type DevicePublicKey = z.infer<typeof DevicePublicKeySchema>;

/** Base64 of a key's SPKI as the phone sends it at enrollment, checked: a P-256 ECDSA public key, and its id. */
export async function readDevicePublicKey(publicKey: string): Promise<{ ok: true; keyId: string } | { ok: false; message: string }> {
  let spki: Uint8Array<ArrayBuffer>;
  try {
    spki = base64ToBytes(publicKey);
  } catch {
    return { ok: false, message: 'the device public key is not base64' };
  }
  try {
    await crypto.subtle.importKey('spki', spki, { ...DEVICE_KEY_ALGORITHM }, false, ['verify']);
  } catch {
    return { ok: false, message: 'the device public key is not a P-256 ECDSA key in SPKI form' };
  }
  return { ok: true, keyId: await deviceKeyId(spki) };
}

export type DeviceSignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'key-id' | 'bad-key' | 'signature'; message: string };

/**
 * Checks the envelope's signature over the seal hash (and place) with the public key (SPKI base64):
 * the key must be the one the envelope names and the signature must verify.
 */
export async function verifyDeviceSignature(publicKey: string, sealHash: string, device: DeviceSignature): Promise<DeviceSignatureCheck> {
  const key = await importedKey(publicKey);
  if (!key.ok) return { ok: false, reason: 'bad-key', message: key.message };
  if (key.keyId !== device.keyId) return { ok: false, reason: 'key-id', message: `the public key's id is not ${device.keyId}` };
  let signature: Uint8Array<ArrayBuffer>;
  try {
    signature = base64ToBytes(device.signature);
  } catch {
    return { ok: false, reason: 'signature', message: 'the device signature is not base64' };
  }
  const valid = signature.length === 64
    && await crypto.subtle.verify({ ...DEVICE_SIGN_ALGORITHM }, key.key, signature, deviceSignedMessage(sealHash, device.location));
  return valid ? { ok: true } : { ok: false, reason: 'signature', message: 'the device signature does not verify over the seal hash with the registered key' };
}

type ImportedKey = { ok: true; key: Awaited<ReturnType<typeof crypto.subtle.importKey>>; keyId: string } | { ok: false; message: string };

// A batch or an export holds many forms of a few phones: each public key is hashed and imported once.
const IMPORTED_KEYS_KEPT = 256;
const importedKeys = new Map<string, Promise<ImportedKey>>();

function importedKey(publicKey: string): Promise<ImportedKey> {
  let imported = importedKeys.get(publicKey);
  if (!imported) {
    imported = importKey(publicKey);
    if (importedKeys.size >= IMPORTED_KEYS_KEPT) importedKeys.delete(importedKeys.keys().next().value!);
    importedKeys.set(publicKey, imported);
  }
  return imported;
}

async function importKey(publicKey: string): Promise<ImportedKey> {
  let spki: Uint8Array<ArrayBuffer>;
  try {
    spki = base64ToBytes(publicKey);
  } catch {
    return { ok: false, message: 'the public key is not base64' };
  }
  try {
    const key = await crypto.subtle.importKey('spki', spki, { ...DEVICE_KEY_ALGORITHM }, false, ['verify']);
    return { ok: true, key, keyId: await deviceKeyId(spki) };
  } catch {
    return { ok: false, message: 'the public key is not a P-256 ECDSA key in SPKI form' };
  }
}

/** A registered device key as the checks below read it. */
export interface RegisteredDeviceKey {
  keyId: string;
  technicianId: string;
  publicKey: string;
  enrolledAt: string;
  /** when a later enrollment of the technician replaced it (its forms stay verifiable) */
  supersededAt: string | null;
  /** when the technician was revoked: no form signed with it is taken any more */
  revokedAt: string | null;
}

export type DeviceRefusalCode =
  | 'device-signature-missing'
  | 'device-key-unknown'
  | 'device-key-other-technician'
  | 'device-key-revoked'
  | 'device-signature-invalid';

export type DeviceVerdict =
  /** signed with a key registered for the form's technician, and the signature verifies */
  | { status: 'signed'; key: RegisteredDeviceKey }
  /** no device signature, from a technician whose current enrollment has no key (a phone from before device keys) */
  | { status: 'unsigned' }
  | { status: 'refused'; code: DeviceRefusalCode; message: string; params: Record<string, string> };

export interface DeviceKeyLookup {
  key(keyId: string): Promise<RegisteredDeviceKey | null>;
  /** whether the technician's current enrollment registered a key (then every form must be signed) */
  hasCurrentKey(technicianId: string): Promise<boolean>;
}

/**
 * The rule, the same for the API and the import: a signed form must be signed by a key registered
 * for its own technician, not revoked, and verify; an unsigned form is taken only while the
 * technician's current enrollment has no key. A superseded key still signs its technician's forms
 * (a form sealed on the old phone before re-enrollment, handed in later).
 */
export async function judgeDeviceSignature(
  device: DeviceSignature | undefined, sealHash: string, technicianId: string, lookup: DeviceKeyLookup,
): Promise<DeviceVerdict> {
  if (device === undefined) {
    return (await lookup.hasCurrentKey(technicianId))
      ? { status: 'refused', code: 'device-signature-missing', message: `technician "${technicianId}" enrolled a phone with a device key, but this form has no device signature`, params: { technician: technicianId } }
      : { status: 'unsigned' };
  }
  const key = await lookup.key(device.keyId);
  if (!key) return { status: 'refused', code: 'device-key-unknown', message: `no device key ${device.keyId} is registered on this server`, params: { keyId: shortKeyId(device.keyId) } };
  if (key.technicianId !== technicianId) {
    return {
      status: 'refused', code: 'device-key-other-technician',
      message: `the form is technician "${technicianId}"'s, but it is signed by technician "${key.technicianId}"'s device key ${shortKeyId(key.keyId)}`,
      params: { keyId: shortKeyId(key.keyId), technician: technicianId, keyTechnician: key.technicianId },
    };
  }
  if (key.revokedAt !== null) {
    return { status: 'refused', code: 'device-key-revoked', message: `the device key ${shortKeyId(key.keyId)} was revoked at ${key.revokedAt}`, params: { keyId: shortKeyId(key.keyId), revokedAt: key.revokedAt } };
  }
  const check = await verifyDeviceSignature(key.publicKey, sealHash, device);
  if (!check.ok) return { status: 'refused', code: 'device-signature-invalid', message: check.message, params: { keyId: shortKeyId(key.keyId) } };
  return { status: 'signed', key };
}
