// Tokens and enrollment codes: random, shown once, stored only as SHA-256, compared in constant time.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Hashes both sides first, so the comparison takes the same time whatever the lengths. */
export function matchesHash(candidate: string, storedHash: string): boolean {
  const a = Buffer.from(sha256(candidate), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function newAdminToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A technician token is `<token id>.<secret>`: the id finds the row, the secret is checked against its hash. */
export function newTechnicianToken(): { token: string; tokenId: string } {
  const tokenId = randomBytes(9).toString('base64url');
  return { token: `${tokenId}.${randomBytes(32).toString('base64url')}`, tokenId };
}

export function tokenIdOf(token: string): string | null {
  const match = /^([A-Za-z0-9_-]{12})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return match ? match[1]! : null;
}

/** No 0/O, 1/I/L: a code read out over the phone or copied from a screen is typed right the first time. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 10;
/** the first characters find the code, so a wrong guess at the rest counts against that code */
export const CODE_LOOKUP_LENGTH = 4;

export function newEnrollmentCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** Upper-cases and drops spaces and dashes; null when what is left cannot be a code. */
export function normalizeEnrollmentCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== CODE_LENGTH) return null;
  for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return null;
  return code;
}
