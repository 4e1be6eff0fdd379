// A fixed-window counter per key (an action and the client's address), kept in the database: every
// server process on the same database counts together, and a restart forgets nothing.
import type { Storage } from '../storage/storage';

export interface RateLimitOptions {
  max: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** whole seconds until the window resets */
  retryAfterSeconds: number;
}

export async function hitRateLimit(storage: Storage, key: string, options: RateLimitOptions, now: Date): Promise<RateLimitDecision> {
  const t = now.getTime();
  const { hits, resetAtMs } = await storage.hitRateLimit(key, options.windowMs, t);
  return { allowed: hits <= options.max, retryAfterSeconds: Math.max(1, Math.ceil((resetAtMs - t) / 1000)) };
}
