// This phone's device key: made at enrollment with WebCrypto (ECDSA P-256, the private key not
// extractable), kept in IndexedDB, and used to sign each seal (src/domain/device-signature.ts).
import {
  DEVICE_KEY_ALGORITHM, DEVICE_SIGN_ALGORITHM, DEVICE_SIGNATURE_ALG, deviceKeyId, deviceSignedMessage,
  type DeviceLocation, type DeviceSignature,
} from '../domain/device-message';
import { bytesToBase64 } from '../domain/base64';
import type { OnsiteDatabase, StoredDeviceKey } from './db';
import { getSetting } from './settings';

/** A new key pair, or null where this browser has no WebCrypto (not a secure context): the phone then enrolls without one. */
export async function createDeviceKey(technicianId: string, now: () => number = Date.now): Promise<StoredDeviceKey | null> {
  if (typeof crypto === 'undefined' || !crypto.subtle) return null;
  const keyPair = await crypto.subtle.generateKey({ ...DEVICE_KEY_ALGORITHM }, false, ['sign', 'verify']);
  // the public key is always exportable; the private key is not
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keyPair.publicKey));
  return { keyId: await deviceKeyId(spki), keyPair, publicKey: bytesToBase64(spki), technicianId, createdAt: new Date(now()).toISOString() };
}

/** The current device key (the one registered with the last enrollment), if the phone has one. */
export async function currentDeviceKey(db: OnsiteDatabase): Promise<StoredDeviceKey | undefined> {
  const keyId = await getSetting(db, 'deviceKeyId');
  return keyId === undefined ? undefined : db.get('deviceKeys', keyId);
}

/** Signs a seal hash (and the place, when the envelope records one) with the key; the envelope's `device`. */
export async function signWithDeviceKey(key: StoredDeviceKey, sealHash: string, location?: DeviceLocation | null): Promise<DeviceSignature> {
  const signature = await crypto.subtle.sign({ ...DEVICE_SIGN_ALGORITHM }, key.keyPair.privateKey, deviceSignedMessage(sealHash, location));
  return {
    keyId: key.keyId, alg: DEVICE_SIGNATURE_ALG, signature: bytesToBase64(signature),
    ...(location === undefined ? {} : { location }),
  };
}

/** Signs with the current key; undefined when the phone has none (enrolled before device keys). */
export async function signSeal(db: OnsiteDatabase, sealHash: string, location?: DeviceLocation | null): Promise<DeviceSignature | undefined> {
  const key = await currentDeviceKey(db);
  return key ? signWithDeviceKey(key, sealHash, location) : undefined;
}

/** The public keys of the given ids this phone holds, for a bundle (checked offline with them). */
export async function devicePublicKeys(db: OnsiteDatabase, keyIds: Iterable<string>): Promise<Array<{ keyId: string; publicKey: string; technicianId: string }>> {
  const out = [];
  for (const keyId of new Set(keyIds)) {
    const key = await db.get('deviceKeys', keyId);
    if (key) out.push({ keyId: key.keyId, publicKey: key.publicKey, technicianId: key.technicianId });
  }
  return out;
}
