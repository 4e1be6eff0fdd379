// The public verify endpoint, asked by the page a customer copy's QR code opens: no sign-in, no cookie,
// rate-limited per client address in the database (every server process counts together). The code
// comes in a POST body, never in the URL, so no access log (ours or a proxy's) holds a seal.
import { Hono } from 'hono';
import { PUBLIC_VERIFY_API, verifyCodeProblems } from '../../domain/verify-link';
import { hitRateLimit } from '../auth/rate-limit';
import { readJson } from '../http/body';
import { HttpError } from '../http/errors';
import { verifyHeldForm } from '../verify/verify-form';
import type { RouteDeps } from './deps';

const VERIFY_BODY_BYTES = 1024;

export function publicVerifyRoutes(deps: RouteDeps) {
  const app = new Hono();

  app.post(PUBLIC_VERIFY_API, async (c) => {
    const limit = await hitRateLimit(deps.storage, `verify:${deps.clientAddress(c)}`, deps.verifyRateLimit, deps.now());
    if (!limit.allowed) {
      throw new HttpError(429, 'rate-limited', `too many checks from this address; try again in ${limit.retryAfterSeconds} s`, undefined,
        { 'Retry-After': String(limit.retryAfterSeconds) });
    }
    const body = await readJson(c.req.raw, VERIFY_BODY_BYTES);
    const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const unknown = Object.keys(fields).filter((key) => key !== 'form' && key !== 'seal');
    const problems = [
      ...verifyCodeProblems(fields),
      ...unknown.map((key) => ({ path: key.slice(0, 64), message: 'not a field of a verify request (expected only form and seal)' })),
    ];
    if (problems.length > 0) throw new HttpError(400, 'malformed-code', 'this is not a form number and seal this server gives out: the code was altered or cut', problems);
    return c.json(await verifyHeldForm(deps.storage, { formId: fields.form as string, seal: fields.seal as string }));
  });

  return app;
}
