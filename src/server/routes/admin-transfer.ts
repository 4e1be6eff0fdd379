// Back office: importing device bundles and NDJSON exports, and exporting forms as CSV and NDJSON.
import { Hono } from 'hono';
import { API } from '../../domain/api';
import { csvExport, ndjsonExport, textStream } from '../export/form-export';
import { auditEntry } from '../auth/audit';
import { readBody } from '../http/body';
import { badRequest, HttpError } from '../http/errors';
import { bundleForms, checkBundle, ndjsonForms, SourceError } from '../import/form-sources';
import { importForms } from '../import/import-forms';
import { formFilter } from './admin-forms';
import type { RouteDeps } from './deps';

export function transferRoutes(deps: RouteDeps) {
  const app = new Hono();

  app.post(API.admin.import, async (c) => {
    const type = (c.req.header('content-type') ?? '').toLowerCase();
    const ndjson = /^application\/(x-)?ndjson\b/.test(type);
    if (!ndjson && !/^application\/json\b/.test(type)) {
      throw new HttpError(415, 'unsupported-media-type', 'send a device bundle as application/json, or an NDJSON export as application/x-ndjson');
    }
    const bytes = await readBody(c.req.raw, deps.limits.importMaxBytes,
      'split it into smaller files, or import it on the server with npm run import -- FILE');
    const source = () => [bytes];
    try {
      if (!ndjson) await checkBundle(source);
    } catch (error) {
      if (error instanceof SourceError) throw badRequest(error.message, error.errors.length ? error.errors : undefined);
      throw error;
    }
    const summary = await importForms(deps, ndjson ? ndjsonForms(source) : bundleForms(source), { keepResults: true });
    const { accepted, duplicate, conflict, rejected } = summary;
    await deps.storage.appendAudit(auditEntry(deps, c, 'bundle.imported', ndjson ? 'ndjson' : 'bundle', { bytes: bytes.length, accepted, duplicate, conflict, rejected }));
    return c.json(summary);
  });

  const attachment = (ext: string) => `attachment; filename="onsite-forms-${deps.now().toISOString().slice(0, 10)}.${ext}"`;

  app.get(API.admin.exportCsv, async (c) => {
    const filter = formFilter(c.req.query());
    await deps.storage.appendAudit(auditEntry(deps, c, 'export.made', 'csv', { filter }));
    return c.body(textStream(csvExport(deps.storage, filter, deps.checklists)), 200, {
      'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachment('csv'),
    });
  });

  app.get(API.admin.exportNdjson, async (c) => {
    const filter = formFilter(c.req.query());
    await deps.storage.appendAudit(auditEntry(deps, c, 'export.made', 'ndjson', { filter }));
    return c.body(textStream(ndjsonExport(deps.storage, filter)), 200, {
      'Content-Type': 'application/x-ndjson; charset=utf-8', 'Content-Disposition': attachment('ndjson'),
    });
  });

  return app;
}
