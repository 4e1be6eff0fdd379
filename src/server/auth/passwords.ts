// Passwords hashed with scrypt (node:crypto, memory-hard). Each hash records its parameters and salt
// (`scrypt$N$r$p$keylen$salt$hash`), so the parameters can be raised later: old hashes still verify
// with their own.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  /** CPU and memory cost, a power of two */
  N: number;
  r: number;
  p: number;
  keylen: number;
}

/** 2^15 × 8 × 128 bytes = 32 MiB per hash: OWASP's floor for scrypt. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1, keylen: 32 };

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, params.keylen, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, params.keylen, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** The parameters a stored hash was made with; null when it is not a hash this module made. */
export function parseHash(stored: string): (ScryptParams & { salt: Buffer; key: Buffer }) | null {
  const parts = stored.split('$');
  if (parts.length !== 7 || parts[0] !== 'scrypt') return null;
  const [N, r, p, keylen] = parts.slice(1, 5).map(Number) as [number, number, number, number];
  const ok = [N, r, p, keylen].every((n) => Number.isInteger(n) && n > 0) && (N & (N - 1)) === 0 && N <= 2 ** 20 && r <= 32 && p <= 16 && keylen <= 128;
  if (!ok) return null;
  const salt = Buffer.from(parts[5]!, 'base64url');
  const key = Buffer.from(parts[6]!, 'base64url');
  return key.length === keylen && salt.length >= 8 ? { N, r, p, keylen, salt, key } : null;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed);
  return timingSafeEqual(key, parsed.key);
}
