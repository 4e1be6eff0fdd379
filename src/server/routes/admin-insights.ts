// Back office: one serial number's forms (the equipment history) and the dashboard's figures.
// Read-only, for every signed-in role, like the forms list.
import { Hono } from 'hono';
import { z } from 'zod/mini';
import { API, DASHBOARD_MAX_DAYS, type DashboardQuery } from '../../domain/api';
import { LIMITS } from '../../domain/form-schema';
import { badRequest } from '../http/errors';
import { historyReader } from '../storage/equipment-history';
import { decodeCursor, encodeCursor } from '../storage/form-query';
import { parseOr400, type RouteDeps } from './deps';

const HistoryQuerySchema = z.strictObject({
  serial: z.string().check(z.minLength(1, 'expected the equipment serial number'), z.maxLength(LIMITS.shortText)),
  cursor: z.optional(z.string()),
  limit: z.optional(z.string().check(z.regex(/^(?:[1-9]\d?|1\d\d|200)$/, 'expected a whole number from 1 to 200'))),
});

const DashboardQuerySchema = z.strictObject({
  from: z.iso.date(),
  to: z.iso.date(),
  technician: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
});

const DAY_MS = 86_400_000;

/** The period checked: both ends given, in order, and not longer than the dashboard draws. */
export function dashboardQuery(query: Record<string, string>): DashboardQuery {
  const q = parseOr400(DashboardQuerySchema, query, 'the dashboard period');
  const days = (Date.parse(q.to) - Date.parse(q.from)) / DAY_MS + 1;
  if (days < 1) throw badRequest('the dashboard period is not valid', [{ path: 'to', message: `expected a date on or after ${q.from}` }]);
  if (days > DASHBOARD_MAX_DAYS) {
    throw badRequest('the dashboard period is not valid', [{ path: 'to', message: `expected at most ${DASHBOARD_MAX_DAYS} days from ${q.from}; this period has ${days}` }]);
  }
  return { from: q.from, to: q.to, ...(q.technician ? { technician: q.technician } : {}) };
}

export function insightsRoutes(deps: RouteDeps) {
  const app = new Hono();
  const { storage } = deps;

  app.get(API.admin.equipmentHistory, async (c) => {
    const q = parseOr400(HistoryQuerySchema, c.req.query(), 'the query');
    const after = q.cursor === undefined ? null : decodeCursor(q.cursor);
    if (q.cursor !== undefined && !after) throw badRequest('the query is not valid', [{ path: 'cursor', message: 'not a cursor this server gave out' }]);
    const page = await storage.listEquipmentHistory(q.serial, { after, limit: Number(q.limit ?? 50), words: historyReader(deps.checklists) });
    return c.json({ serial: q.serial, forms: page.entries, nextCursor: page.next ? encodeCursor(page.next) : null });
  });

  app.get(API.admin.checklists, (c) => c.json({ checklists: deps.checklists.all() }));

  app.get(API.admin.dashboard, async (c) => {
    return c.json(await storage.dashboard(dashboardQuery(c.req.query())));
  });

  return app;
}
