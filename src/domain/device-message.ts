// What a device signs, without zod (the phone's seal path loads this, not the schemas in
// device-signature.ts): the message over the seal hash and the place, the key id, the algorithms.
import { canonicalJson, sha256Hex } from './seal';

export const DEVICE_SIGNATURE_ALG = 'ES256' as const;
/** The WebCrypto parameters of every device key. */
export const DEVICE_KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const DEVICE_SIGN_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** Where the form was sealed, as the phone's geolocation gave it. */
export interface DeviceLocation {
  lat: number;
  lon: number;
  /** the radius of 95 % confidence, in metres */
  accuracyM: number;
}

/** `device` of a submitted form's envelope. */
export interface DeviceSignature {
  /** SHA-256 (hex) of the public key's SPKI bytes */
  keyId: string;
  alg: typeof DEVICE_SIGNATURE_ALG;
  /** IEEE P1363 r ‖ s (64 bytes), base64 */
  signature: string;
  /** absent: the technician did not allow the place; null: allowed, but the phone gave none */
  location?: DeviceLocation | null;
}

const encoder = new TextEncoder();

/**
 * The bytes the device signs: the UTF-8 of the seal hash (lowercase hex) when the envelope has no
 * `location`; with one, `hash + "\n" + canonical JSON (RFC 8785) of the location` (`null` when the
 * technician allows the place but the phone could not give it).
 */
export function deviceSignedMessage(sealHash: string, location?: DeviceLocation | null): Uint8Array<ArrayBuffer> {
  const text = location === undefined ? sealHash : `${sealHash}\n${canonicalJson(location)}`;
  return encoder.encode(text) as Uint8Array<ArrayBuffer>;
}

/** A key's id: the SHA-256 (hex) of its SPKI bytes. */
export async function deviceKeyId(spki: Uint8Array): Promise<string> {
  return sha256Hex(spki);
}

/** The short form of a key id people read: its first 12 hex digits. */
export function shortKeyId(keyId: string): string {
  return keyId.slice(0, 12);
}
