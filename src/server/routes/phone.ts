// The phone's side of the API: enrollment, who am I, my visits, and the form batches.
import { Hono } from 'hono';
import { z } from 'zod/mini';
import { API, EnrollRequestSchema, type SubmitResponse } from '../../domain/api';
import { redeemEnrollmentCode } from '../auth/enrollment';
import { requireTechnician, type AuthVariables } from '../auth/middleware';
import { hitRateLimit } from '../auth/rate-limit';
import { readJson } from '../http/body';
import { HttpError } from '../http/errors';
import { ingestBatch } from '../ingest';
import { parseOr400, type RouteDeps } from './deps';

const ENROLL_BODY_BYTES = 4096;
const BatchSchema = z.strictObject({ forms: z.array(z.unknown()) });

export function phoneRoutes(deps: RouteDeps) {
  const app = new Hono<{ Variables: AuthVariables }>();
  const technicianOnly = requireTechnician(deps.storage);

  app.post(API.enroll, async (c) => {
    const limit = await hitRateLimit(deps.storage, `enroll:${deps.clientAddress(c)}`, deps.enrollRateLimit, deps.now());
    if (!limit.allowed) {
      throw new HttpError(429, 'rate-limited', `too many enrollment attempts; try again in ${limit.retryAfterSeconds} s`, undefined,
        { 'Retry-After': String(limit.retryAfterSeconds) });
    }
    const body = parseOr400(EnrollRequestSchema, await readJson(c.req.raw, ENROLL_BODY_BYTES), 'the enrollment request');
    return c.json(await redeemEnrollmentCode(deps.storage, body.code, deps.now()));
  });

  app.get(API.me, technicianOnly, (c) => {
    const { id, name } = c.get('technician');
    return c.json({ technician: { id, name } });
  });

  app.get(API.visits, technicianOnly, async (c) => {
    // open visits only: one whose form has reached the server is done and leaves the phone's list
    return c.json({ visits: await deps.storage.listVisits({ technicianId: c.get('technician').id, openOnly: true }) });
  });

  app.post(API.forms, technicianOnly, async (c) => {
    const body = await readJson(c.req.raw, deps.limits.maxBodyBytes);
    const forms = (body as { forms?: unknown } | null)?.forms;
    if (Array.isArray(forms) && forms.length > deps.limits.maxBatch) {
      throw new HttpError(413, 'batch-too-large', `${forms.length} forms in one request; send at most ${deps.limits.maxBatch} at a time`);
    }
    const batch = parseOr400(BatchSchema, body, 'the request (expected {"forms": [...]})');
    const results = await ingestBatch(deps, batch.forms, {
      kind: 'technician', technicianId: c.get('technician').id, deviceTime: deviceTime(c.req.header('x-device-time')),
    });
    return c.json({ results } satisfies SubmitResponse);
  });

  return app;
}

/** The phone's clock when it sent the request (ISO 8601); anything unreadable is ignored, never refused. */
function deviceTime(header: string | undefined): Date | null {
  if (!header || header.length > 40) return null;
  const ms = Date.parse(header);
  return Number.isNaN(ms) ? null : new Date(ms);
}
