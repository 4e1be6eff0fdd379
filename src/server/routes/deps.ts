// What every route module gets from createApp.
import type { Context } from 'hono';
import type { z } from 'zod/mini';
import { toFieldErrors } from '../../domain/validation-issues';
import type { SessionPolicy } from '../auth/back-office';
import type { ScryptParams } from '../auth/passwords';
import type { RateLimitOptions } from '../auth/rate-limit';
import { badRequest } from '../http/errors';
import type { IngestDeps } from '../ingest';

export interface ServerLimits {
  /** the API's request bodies (API_LIMITS.maxBodyBytes) */
  maxBodyBytes: number;
  /** forms per POST /api/v1/forms (API_LIMITS.maxBatch) */
  maxBatch: number;
  /** a bundle or NDJSON file posted to the back office's import */
  importMaxBytes: number;
}

export interface RouteDeps extends IngestDeps {
  limits: ServerLimits;
  /** enrollment attempts per client address, counted in the database */
  enrollRateLimit: RateLimitOptions;
  /** public verify checks (a customer copy's QR code) per client address, counted in the database */
  verifyRateLimit: RateLimitOptions;
  clientAddress: (c: Context) => string;
  sessions: SessionPolicy;
  /** the parameters new password hashes are made with */
  scrypt: ScryptParams;
}

/** Parses with a shared schema; a mismatch is a 400 listing each field's path and problem. */
export function parseOr400<S extends z.ZodMiniType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw badRequest(`${what} is not valid`, toFieldErrors(parsed.error.issues));
  return parsed.data as z.infer<S>;
}
