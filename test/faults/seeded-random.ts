// A small seeded generator (sfc32, seeded through splitmix32) so a failing fault run replays from its seed.
// Math.random cannot be seeded; this is the same stream on every machine and every Node version.

/** Uniform numbers in [0, 1), like Math.random; fits the sync engine's `random` option. */
export type Random = () => number;

const TWO_POW_32 = 2 ** 32;

/**
 * The generator for `seed`, any safe integer (a Date.now() works); the same seed gives the same stream.
 * A `key` (e.g. a phone's name) gives that seed one stream per key, independent of the others; the key ''
 * is the seed's own stream.
 */
export function seededRandom(seed: number, key = ''): Random {
  if (!Number.isSafeInteger(seed)) throw new Error(`seededRandom: the seed must be a safe integer, got ${String(seed)}`);
  if (typeof key !== 'string') throw new Error(`seededRandom: the key must be a string, got ${String(key)}`);
  // both 32-bit halves count, so seeds that differ only above bit 32 still differ
  const low = splitmix32(seed >>> 0);
  const high = splitmix32(Math.floor(seed / TWO_POW_32) >>> 0);
  const next = sfc32(low(), (low() ^ hashKey(key)) >>> 0, high(), 1);
  // the first outputs of a fresh sfc32 state are poorly mixed
  for (let i = 0; i < 15; i += 1) next();
  return next;
}

/** An integer in [min, max], both ends included. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** FNV-1a over the key's UTF-16 code units, 0 for '' (so the unkeyed stream stays what it was). */
function hashKey(key: string): number {
  if (key === '') return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function splitmix32(state: number): () => number {
  let a = state | 0;
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

function sfc32(a: number, b: number, c: number, d: number): Random {
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / TWO_POW_32;
  };
}
