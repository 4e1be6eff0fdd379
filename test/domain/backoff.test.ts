import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BACKOFF, backoffDelay } from '../../src/domain/backoff';

const almostOne = 1 - Number.EPSILON;

describe('backoffDelay', () => {
  it('grows exponentially from 2 s and stops growing at 15 min', () => {
    const ceilings = [1, 2, 3, 4, 5, 9, 10, 11, 30].map((n) => backoffDelay(n, () => almostOne) + 1);
    expect(ceilings).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 512_000, BACKOFF.capMs, BACKOFF.capMs, BACKOFF.capMs]);
  });

  it('is fully jittered: anywhere from 0 up to the ceiling', () => {
    expect(backoffDelay(4, () => 0)).toBe(0);
    expect(backoffDelay(4, () => 0.25)).toBe(4_000);
    fc.assert(fc.property(fc.integer({ min: 1, max: 5_000 }), fc.double({ min: 0, max: almostOne, noNaN: true }), (attempts, r) => {
      const delay = backoffDelay(attempts, () => r);
      const ceiling = Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** (attempts - 1));
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(ceiling);
    }));
  });

  it('refuses an attempt count that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => backoffDelay(bad, () => 0.5)).toThrow(/attempts must be a positive integer/);
  });

  it('refuses a random source outside [0, 1)', () => {
    for (const bad of [1, -0.1, Number.NaN]) expect(() => backoffDelay(1, () => bad)).toThrow(/random\(\) must return a number in \[0, 1\)/);
  });
});
