import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, hashPassword, parseHash, verifyPassword } from '../../src/server/auth/passwords';
import {
  CODE_ALPHABET, CODE_LENGTH, matchesHash, newAdminToken, newEnrollmentCode, newTechnicianToken, normalizeEnrollmentCode, sha256, tokenIdOf,
} from '../../src/server/auth/secrets';

describe('secrets', () => {
  it('makes enrollment codes of 10 unambiguous characters', () => {
    expect(CODE_ALPHABET).not.toMatch(/[01ILO]/);
    const codes = new Set(Array.from({ length: 200 }, newEnrollmentCode));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`));
  });

  it('reads a code as typed: any case, spaces and dashes; refuses what cannot be a code', () => {
    expect(normalizeEnrollmentCode(' k7p3-qx9m 2w ')).toBe('K7P3QX9M2W');
    expect(normalizeEnrollmentCode('K7P3QX9M2')).toBeNull();
    expect(normalizeEnrollmentCode('K7P3QX9M2O')).toBeNull();
  });

  it('matches a secret only against its own hash', () => {
    const token = newAdminToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(matchesHash(token, sha256(token))).toBe(true);
    expect(matchesHash(`${token}x`, sha256(token))).toBe(false);
    expect(matchesHash(token, 'not a hash')).toBe(false);
  });

  it('finds a technician token\'s id and nothing in other text', () => {
    const { token, tokenId } = newTechnicianToken();
    expect(tokenIdOf(token)).toBe(tokenId);
    expect(tokenIdOf(newAdminToken())).toBeNull();
    expect(tokenIdOf(`${token}.x`)).toBeNull();
  });
});

describe('passwords', () => {
  const cheap = { N: 2 ** 10, r: 8, p: 1, keylen: 32 };

  it('hashes with scrypt, recording N, r, p, keylen and a fresh salt with each hash', async () => {
    const a = await hashPassword('correct horse battery', cheap);
    const b = await hashPassword('correct horse battery', cheap);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$32\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(parseHash(a)).toMatchObject({ N: 1024, r: 8, p: 1, keylen: 32 });
    expect(DEFAULT_SCRYPT.N).toBeGreaterThanOrEqual(2 ** 15);
  });

  it('verifies the right password under the parameters of its own hash, and nothing else', async () => {
    const stored = await hashPassword('密码 correct horse', cheap);
    const stronger = await hashPassword('密码 correct horse', { ...cheap, N: 2 ** 11 });
    expect(await verifyPassword('密码 correct horse', stored)).toBe(true);
    expect(await verifyPassword('密码 correct horse', stronger)).toBe(true);
    expect(await verifyPassword('密码 correct hors', stored)).toBe(false);
    expect(await verifyPassword('x', 'plain text')).toBe(false);
    expect(await verifyPassword('x', stored.replace('$1024$', '$1000$'))).toBe(false);
    expect(await verifyPassword('x', stored.replace('$1024$', `$${2 ** 24}$`))).toBe(false);
  });
});
