// Back office: the forms list (filters, keyset paging), a form's detail with the seal re-checked,
// its signature and the conflicts (the dispute queue is admin-disputes.ts).
import { Hono } from 'hono';
import { z } from 'zod/mini';
import { API, type FormDetail, type FormFilter } from '../../domain/api';
import type { SealedForm } from '../../domain/form-schema';
import { verifySeal } from '../../domain/seal';
import { checkStoredDevice } from '../device-check';
import { badRequest, notFound } from '../http/errors';
import { decodeCursor, encodeCursor } from '../storage/form-query';
import { parseOr400, type RouteDeps } from './deps';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const LIST_LIMIT = 500;

const FilterQuerySchema = z.strictObject({
  from: z.optional(z.iso.date()),
  to: z.optional(z.iso.date()),
  technician: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  state: z.optional(z.enum(['accepted', 'conflict'])),
  dispute: z.optional(z.enum(['true', 'false'])),
  satisfaction: z.optional(z.enum(['1', '2', '3', '4', '5'])),
});

/**
 * The query string's filter, checked; a parameter that is neither a filter nor one of `others` is
 * refused rather than silently ignored (a typo must not export every form).
 */
export function formFilter(query: Record<string, string>, others: readonly string[] = []): FormFilter {
  const filterOnly = Object.fromEntries(Object.entries(query).filter(([key]) => !others.includes(key)));
  const q = parseOr400(FilterQuerySchema, filterOnly, 'the filter');
  return {
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
    ...(q.technician ? { technician: q.technician } : {}),
    ...(q.state ? { state: q.state } : {}),
    ...(q.dispute ? { dispute: q.dispute === 'true' } : {}),
    ...(q.satisfaction ? { satisfaction: Number(q.satisfaction) } : {}),
  };
}

function formId(raw: string): string {
  if (!UUID.test(raw)) throw notFound(`no form "${raw.slice(0, 64)}" (a form id is a UUID)`);
  return raw;
}

export function formsRoutes(deps: RouteDeps) {
  const app = new Hono();
  const { storage } = deps;

  app.get(API.admin.forms, async (c) => {
    const filter = formFilter(c.req.query(), ['cursor', 'limit']);
    const limitText = c.req.query('limit') ?? '50';
    const limit = /^\d{1,3}$/.test(limitText) ? Number(limitText) : 0;
    if (limit < 1 || limit > 200) throw badRequest('the query is not valid', [{ path: 'limit', message: 'expected a whole number from 1 to 200' }]);
    const cursor = c.req.query('cursor');
    const after = cursor === undefined ? null : decodeCursor(cursor);
    if (cursor !== undefined && !after) throw badRequest('the query is not valid', [{ path: 'cursor', message: 'not a cursor this server gave out' }]);
    const page = await storage.listForms(filter, { after, limit });
    return c.json({ forms: page.forms, nextCursor: page.next ? encodeCursor(page.next) : null });
  });

  app.get(`${API.admin.forms}/:id`, async (c) => {
    const stored = await storage.getForm(formId(c.req.param('id')));
    if (!stored) throw notFound(`no form "${c.req.param('id')}"`);
    const form = JSON.parse(stored.formJson) as SealedForm;
    const seal = await verifySeal(form, stored.signature!).catch(() => ({ ok: false }));
    const detail: FormDetail = {
      summary: stored.summary,
      form,
      sealCheck: seal.ok ? 'verified' : 'failed',
      device: await checkStoredDevice(storage, form.technician.id, form.seal.hash, stored.deviceJson),
      conflicts: await storage.listConflicts({ formId: form.id, limit: LIST_LIMIT }),
    };
    return c.json(detail);
  });

  app.get(`${API.admin.forms}/:id/signature.png`, async (c) => {
    const stored = await storage.getForm(formId(c.req.param('id')));
    if (!stored) throw notFound(`no form "${c.req.param('id')}"`);
    return c.body(new Uint8Array(stored.signature!), 200, { 'Content-Type': 'image/png', 'Cache-Control': 'private, no-cache' });
  });

  app.get(API.admin.conflicts, async (c) => {
    return c.json({ conflicts: await storage.listConflicts({ limit: LIST_LIMIT }) });
  });

  // the later submission a conflict kept aside, to compare with the form that was kept
  app.get(`${API.admin.conflicts}/:formId/:hash`, async (c) => {
    const id = formId(c.req.param('formId'));
    const hash = c.req.param('hash');
    const found = SHA256_HEX.test(hash) ? await storage.getConflictSubmission(id, hash) : null;
    if (!found) throw notFound(`no conflicting submission ${hash.slice(0, 64)} for form ${id}`);
    return c.json({ form: JSON.parse(found.formJson) as SealedForm, signaturePng: Buffer.from(found.signature).toString('base64') });
  });

  return app;
}
