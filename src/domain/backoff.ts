// Retry delays: exponential backoff with full jitter (a uniform pick in [0, min(cap, base·2^(n−1))]),
// so phones that lost the network together do not all come back at the same second.

export const BACKOFF = { baseMs: 2_000, capMs: 15 * 60_000 } as const;

/** The delay before the next try after `attempts` failed ones (1 = the first failure). `random` ∈ [0, 1). */
export function backoffDelay(attempts: number, random: () => number = Math.random, base: number = BACKOFF.baseMs, cap: number = BACKOFF.capMs): number {
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`backoffDelay: attempts must be a positive integer, got ${attempts}`);
  // 2^(attempts−1) overflows to Infinity long after it passes the cap; min() keeps it finite
  const ceiling = Math.min(cap, base * 2 ** (attempts - 1));
  const r = random();
  if (!(r >= 0 && r < 1)) throw new RangeError(`backoffDelay: random() must return a number in [0, 1), got ${r}`);
  return Math.floor(r * ceiling);
}
