// Back office: the parts catalog the phones download — listed, imported from a CSV or .xlsx file (each
// row adds its part or changes the part with its code), one part saved or removed. Every change is in
// the audit log, written in the change's transaction.
import { Hono } from 'hono';
import { API } from '../../domain/api';
import { CatalogPartSchema, PartChangeSchema, type PartsCatalog, type PartsImportResult } from '../../domain/parts-catalog';
import { auditEntry } from '../auth/audit';
import { readBody, readJson } from '../http/body';
import { badRequest, notFound } from '../http/errors';
import { readPartsSheet } from '../parts/parts-import';
import { readSheet } from '../sheets/read-sheet';
import { checkSheetRequest } from './admin-dispatch';
import { parseOr400, type RouteDeps } from './deps';

/** The code in the path, checked as a part's code is. */
function codeOf(raw: string): string {
  const parsed = CatalogPartSchema.shape.code.safeParse(raw);
  if (!parsed.success || parsed.data !== raw) throw badRequest(`"${raw.slice(0, 80)}" is not a part code: ${parsed.success ? 'expected no spaces around it' : parsed.error.issues[0]!.message}`);
  return raw;
}

export function partsRoutes(deps: RouteDeps) {
  const app = new Hono();
  const { storage } = deps;

  app.get(API.admin.parts, async (c) => c.json({ parts: await storage.listParts() } satisfies PartsCatalog));

  app.post(API.admin.partsImport, async (c) => {
    checkSheetRequest(c.req.header('content-type') ?? '', c.req.query(), 'the parts catalog');
    const bytes = await readBody(c.req.raw, deps.limits.maxBodyBytes, 'split the file into smaller files and import each');
    const sheet = await readSheet(bytes);
    const { parts, errors } = readPartsSheet(sheet);
    const at = deps.now().toISOString();
    const counts = await storage.saveParts(parts, at, (saved) => auditEntry(deps, c, 'parts.imported', sheet.format, { ...saved, errors: errors.length }));
    return c.json({ ...counts, errors } satisfies PartsImportResult);
  });

  app.put(`${API.admin.parts}/:code`, async (c) => {
    const code = codeOf(c.req.param('code'));
    const change = parseOr400(PartChangeSchema, await readJson(c.req.raw, 4096), 'the part');
    const part = { code, ...change };
    const counts = await storage.saveParts([part], deps.now().toISOString(), (saved) =>
      auditEntry(deps, c, 'part.saved', code, { name: part.name, unit: part.unit, created: saved.created === 1 }));
    return c.json({ part }, counts.created === 1 ? 201 : 200);
  });

  app.delete(`${API.admin.parts}/:code`, async (c) => {
    const code = codeOf(c.req.param('code'));
    if (!(await storage.removePart(code, auditEntry(deps, c, 'part.removed', code)))) throw notFound(`no part with the code "${code}"`);
    return c.json({ removed: code });
  });

  return app;
}
