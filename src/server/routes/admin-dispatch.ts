// Back office: technicians (create, enrollment code, revoke) and visits (create, list, import from a
// CSV or .xlsx file, and the template to fill in for it).
import { Hono, type Context } from 'hono';
import { z } from 'zod/mini';
import type { AuditAction } from '../../domain/accounts';
import { API, XLSX_MEDIA_TYPE } from '../../domain/api';
import { auditEntry } from '../auth/audit';
import { issueEnrollmentCode } from '../auth/enrollment';
import { readBody, readJson } from '../http/body';
import { badRequest, HttpError, notFound } from '../http/errors';
import { readSheet } from '../sheets/read-sheet';
import { importVisits } from '../visits/visit-import';
import { visitTemplateCsv, visitTemplateXlsx } from '../visits/visit-template';
import { checkVisit, newVisitId } from '../visits/visits';
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

// what browsers and tools call a spreadsheet file (Windows calls a .csv application/vnd.ms-excel);
// the bytes, not this, decide how the file is read
const SHEET_TYPES = [/^text\/csv\b/i, /^text\/plain\b/i, /^application\/vnd\.ms-excel\b/i, /^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet\b/i];
const SHEET_NAME = /\.(csv|xlsx|xls|txt)$/i;

/** The import takes a spreadsheet by its Content-Type or, sent as anything else (application/octet-stream), by ?name=FILE. */
export function checkSheetRequest(type: string, query: Record<string, string>, what = 'the visits'): void {
  const unknown = Object.keys(query).filter((k) => k !== 'name');
  if (unknown.length) throw badRequest(`unknown query parameter ${unknown.join(', ')}; only name=FILE (the file's name) is read`);
  if (SHEET_TYPES.some((pattern) => pattern.test(type)) || SHEET_NAME.test(query.name ?? '')) return;
  throw new HttpError(415, 'unsupported-media-type',
    `send ${what} as CSV with Content-Type: text/csv, or as .xlsx with Content-Type: ${XLSX_MEDIA_TYPE}, or name the file with ?name=FILE.csv or ?name=FILE.xlsx`);
}

const templateDisposition = (ext: string) => `attachment; filename="visits-template.${ext}"; filename*=UTF-8''${encodeURIComponent(`派单模板.${ext}`)}`;

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
    checkSheetRequest(c.req.header('content-type') ?? '', c.req.query());
    const bytes = await readBody(c.req.raw, deps.limits.maxBodyBytes, 'split the file into smaller files and import each');
    const sheet = await readSheet(bytes);
    const result = await importVisits(storage, sheet, deps.now());
    await audit(c, 'visits.imported', sheet.format, { created: result.created, errors: result.errors.length });
    return c.json(result);
  });

  app.get(API.admin.visitsTemplateCsv, (c) => c.body(visitTemplateCsv(), 200, {
    'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': templateDisposition('csv'),
  }));

  app.get(API.admin.visitsTemplateXlsx, async (c) => c.body(await visitTemplateXlsx() as Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': XLSX_MEDIA_TYPE, 'Content-Disposition': templateDisposition('xlsx'),
  }));

  return app;
}
