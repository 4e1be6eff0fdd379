// Back office: technicians (create, enrollment code, revoke) and visits (create, CSV import, list).
import { Hono, type Context } from 'hono';
import { z } from 'zod/mini';
import type { AuditAction } from '../../domain/accounts';
import { API } from '../../domain/api';
import { auditEntry } from '../auth/audit';
import { issueEnrollmentCode } from '../auth/enrollment';
import { decodeUtf8, readBody, readJson } from '../http/body';
import { badRequest, HttpError, notFound } from '../http/errors';
import { checkVisit, importVisitsCsv, newVisitId } from '../visits/visits';
import { parseOr400, type RouteDeps } from './deps';

/** Technician ids travel in URLs and tokens' rows: letters, digits, . _ - only. */
const TECHNICIAN_ID = /^[A-Za-z0-9._-]{1,64}$/;
const noNul = (s: string) => !s.includes('\u0000');
const text = (max: number) => z.string().check(z.maxLength(max), z.refine(noNul, 'contains a NUL character (U+0000)'));

const NewTechnicianSchema = z.strictObject({
  id: z.optional(z.string().check(z.regex(TECHNICIAN_ID, 'expected letters, digits, . _ or - (at most 64)'))),
  name: text(200).check(z.trim(), z.minLength(1)),
  phone: z.optional(z.string().check(z.regex(/^[0-9+\-() ]{0,40}$/, 'expected a phone number (digits, spaces, + - ( ))'))),
});

function technicianId(raw: string): string {
  if (!TECHNICIAN_ID.test(raw)) throw notFound(`no technician "${raw.slice(0, 64)}"`);
  return raw;
}

export function dispatchRoutes(deps: RouteDeps) {
  const app = new Hono();
  const { storage } = deps;
  // appended once the change has committed, for changes whose storage call takes no audit entry
  const audit = (c: Context, action: AuditAction, target: string, details?: Record<string, unknown>) =>
    storage.appendAudit(auditEntry(deps, c, action, target, details));

  app.get(API.admin.technicians, async (c) => c.json({ technicians: await storage.listTechnicians() }));

  app.post(API.admin.technicians, async (c) => {
    const body = parseOr400(NewTechnicianSchema, await readJson(c.req.raw, 4096), 'the technician');
    const id = body.id ?? `T-${crypto.randomUUID().slice(0, 8)}`;
    const technician = await storage.createTechnician({ id, name: body.name, phone: body.phone ?? '', createdAt: deps.now().toISOString() },
      auditEntry(deps, c, 'technician.created', id, { name: body.name }));
    if (!technician) throw new HttpError(409, 'conflict', `a technician with id "${id}" already exists`);
    return c.json({ technician }, 201);
  });

  app.post(`${API.admin.technicians}/:id/code`, async (c) => {
    const id = technicianId(c.req.param('id'));
    const issued = await issueEnrollmentCode(storage, id, deps.now());
    await audit(c, 'enrollment.code-made', id, { expiresAt: issued.expiresAt });
    return c.json(issued, 201);
  });

  app.post(`${API.admin.technicians}/:id/revoke`, async (c) => {
    const id = technicianId(c.req.param('id'));
    const technician = await storage.revokeTechnician(id, deps.now().toISOString(), auditEntry(deps, c, 'technician.revoked', id));
    if (!technician) throw notFound(`no technician "${c.req.param('id')}"`);
    return c.json({ technician });
  });

  app.get(API.admin.visits, async (c) => {
    const unknown = Object.keys(c.req.query()).filter((k) => k !== 'technician');
    if (unknown.length) throw badRequest(`unknown query parameter ${unknown.join(', ')}; only technician=ID filters visits`);
    const technician = c.req.query('technician');
    return c.json({ visits: await storage.listVisits(technician === undefined ? {} : { technicianId: technician }) });
  });

  app.post(API.admin.visits, async (c) => {
    const body = await readJson(c.req.raw, deps.limits.maxBodyBytes);
    const candidate = typeof body === 'object' && body !== null && !Array.isArray(body) && !('id' in body) ? { ...body, id: newVisitId() } : body;
    const checked = await checkVisit(storage, candidate);
    if ('errors' in checked) throw badRequest('the visit is not valid', checked.errors);
    const entry = auditEntry(deps, c, 'visit.created', checked.visit.id, { technicianId: checked.visit.technicianId, scheduledDate: checked.visit.scheduledDate });
    if (!(await storage.createVisit(checked.visit, deps.now().toISOString(), entry))) {
      throw new HttpError(409, 'conflict', `a visit with id "${checked.visit.id}" already exists`);
    }
    return c.json({ visit: checked.visit }, 201);
  });

  app.post(API.admin.visitsImport, async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!/^text\/csv\b/i.test(type)) {
      throw new HttpError(415, 'unsupported-media-type', 'send the visits as CSV with Content-Type: text/csv');
    }
    const bytes = await readBody(c.req.raw, deps.limits.maxBodyBytes);
    const csv = decodeUtf8(bytes, 'the CSV file', 'in Excel, save it as "CSV UTF-8"');
    const result = await importVisitsCsv(storage, csv, deps.now());
    await audit(c, 'visits.imported', 'csv', { created: result.created, errors: result.errors.length });
    return c.json(result);
  });

  return app;
}
