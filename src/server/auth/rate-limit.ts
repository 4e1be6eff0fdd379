// A fixed-window counter per key (the client's address). Memory stays bounded: expired windows are
// dropped, and past `maxKeys` the oldest entries go first.
export interface RateLimitOptions {
  max: number;
  windowMs: number;
  maxKeys?: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** whole seconds until the window resets */
  retryAfterSeconds: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly options: RateLimitOptions, private readonly now: () => number) {}

  hit(key: string): RateLimitDecision {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      this.windows.delete(key);
      this.makeRoom(now);
      window = { count: 0, resetAt: now + this.options.windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return { allowed: window.count <= this.options.max, retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)) };
  }

  private makeRoom(now: number): void {
    const maxKeys = this.options.maxKeys ?? 10_000;
    if (this.windows.size < maxKeys) return;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    // Map keeps insertion order: the first keys are the oldest windows
    for (const key of this.windows.keys()) {
      if (this.windows.size < maxKeys) break;
      this.windows.delete(key);
    }
  }
}
