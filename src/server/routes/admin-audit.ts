// Back office: the audit log, filtered and paged, and exported as CSV or NDJSON (an export is itself audited).
import { Hono } from 'hono';
import { z } from 'zod/mini';
import type { AuditFilter } from '../../domain/accounts';
import { API } from '../../domain/api';
import { auditEntry } from '../auth/audit';
import { auditCsv, auditNdjson } from '../export/audit-export';
import { textStream } from '../export/form-export';
import { badRequest } from '../http/errors';
import { parseOr400, type RouteDeps } from './deps';

const AuditQuerySchema = z.strictObject({
  user: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  action: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  from: z.optional(z.iso.date()),
  to: z.optional(z.iso.date()),
  before: z.optional(z.string().check(z.regex(/^\d{1,15}$/, 'expected an entry id'))),
  limit: z.optional(z.string().check(z.regex(/^\d{1,3}$/, 'expected a whole number from 1 to 500'))),
});

function auditQuery(query: Record<string, string>, paging: boolean): { filter: AuditFilter; before: number | null; limit: number } {
  const q = parseOr400(AuditQuerySchema, query, 'the audit filter');
  if (!paging && (q.before !== undefined || q.limit !== undefined)) {
    throw badRequest('the audit filter is not valid', [{ path: q.before !== undefined ? 'before' : 'limit', message: 'an export has every matching entry: no paging' }]);
  }
  const limit = q.limit === undefined ? 100 : Number(q.limit);
  if (limit < 1 || limit > 500) throw badRequest('the audit filter is not valid', [{ path: 'limit', message: 'expected a whole number from 1 to 500' }]);
  return {
    filter: {
      ...(q.user ? { userId: q.user } : {}), ...(q.action ? { action: q.action } : {}),
      ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}),
    },
    before: q.before === undefined ? null : Number(q.before),
    limit,
  };
}

export function auditRoutes(deps: RouteDeps) {
  const app = new Hono();
  const { storage } = deps;

  app.get(API.admin.audit, async (c) => {
    const { filter, before, limit } = auditQuery(c.req.query(), true);
    return c.json(await storage.listAudit(filter, { before, limit }));
  });

  const exportAs = (format: 'csv' | 'ndjson') => app.get(format === 'csv' ? API.admin.auditCsv : API.admin.auditNdjson, async (c) => {
    const { filter } = auditQuery(c.req.query(), false);
    await storage.appendAudit(auditEntry(deps, c, 'audit.exported', format, { filter }));
    const name = `onsite-audit-${deps.now().toISOString().slice(0, 10)}.${format}`;
    return c.body(textStream(format === 'csv' ? auditCsv(storage, filter) : auditNdjson(storage, filter)), 200, {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
    });
  });
  exportAs('csv');
  exportAs('ndjson');

  return app;
}
