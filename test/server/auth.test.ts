import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/server/auth/rate-limit';
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

describe('rate limiter', () => {
  it('allows max hits per window per key, then says when to come back', () => {
    let now = 0;
    const limiter = new RateLimiter({ max: 2, windowMs: 10_000 }, () => now);
    expect([limiter.hit('a'), limiter.hit('a'), limiter.hit('a')].map((d) => d.allowed)).toEqual([true, true, false]);
    expect(limiter.hit('b').allowed).toBe(true);
    now = 4_000;
    expect(limiter.hit('a')).toEqual({ allowed: false, retryAfterSeconds: 6 });
    now = 10_000;
    expect(limiter.hit('a').allowed).toBe(true);
  });

  it('keeps at most maxKeys windows, dropping the oldest', () => {
    const limiter = new RateLimiter({ max: 1, windowMs: 60_000, maxKeys: 3 }, () => 0);
    for (const key of ['a', 'b', 'c', 'd']) limiter.hit(key);
    // "a" was dropped to make room, so it starts a fresh window
    expect(limiter.hit('a').allowed).toBe(true);
    expect(limiter.hit('d').allowed).toBe(false);
  });
});
