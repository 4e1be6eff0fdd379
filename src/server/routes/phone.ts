// The phone's side of the API: enrollment, who am I, my visits, the published checklists, and the form batches.
import { Hono } from 'hono';
import { z } from 'zod/mini';
import {
  API, EnrollRequestSchema, VISIT_HISTORY_FORMS, VISITS_FORMAT_WITH_HISTORY,
  type ChecklistsResponse, type PastRepair, type SubmitResponse, type VisitWithHistory,
} from '../../domain/api';
import type { PartsCatalog } from '../../domain/parts-catalog';
import { redeemEnrollmentCode } from '../auth/enrollment';
import { requireTechnician, type AuthVariables } from '../auth/middleware';
import { hitRateLimit } from '../auth/rate-limit';
import { readJson } from '../http/body';
import { badRequest, HttpError } from '../http/errors';
import { ingestBatch } from '../ingest';
import { historyReader } from '../storage/equipment-history';
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
    return c.json(await redeemEnrollmentCode(deps.storage, body.code, deps.now(), body.devicePublicKey));
  });

  app.get(API.me, technicianOnly, (c) => {
    const { id, name } = c.get('technician');
    return c.json({ technician: { id, name } });
  });

  app.get(API.visits, technicianOnly, async (c) => {
    const format = c.req.query('format');
    if (format !== undefined && format !== String(VISITS_FORMAT_WITH_HISTORY)) {
      throw badRequest('the query is not valid', [{ path: 'format', message: `expected ${VISITS_FORMAT_WITH_HISTORY}, or no format for the first one` }]);
    }
    // open visits only: one whose form has reached the server is done and leaves the phone's list
    const visits = await deps.storage.listVisits({ technicianId: c.get('technician').id, openOnly: true });
    // the first format exactly as it was: an app cached before the history reads it with a strict schema
    if (format === undefined) return c.json({ visits });
    const histories = new Map<string, PastRepair[]>();
    for (const serial of new Set(visits.map((v) => v.equipment.serial))) {
      const page = await deps.storage.listEquipmentHistory(serial, { after: null, limit: VISIT_HISTORY_FORMS, words: historyReader(deps.checklists) });
      histories.set(serial, page.entries.map(({ visitDate, faultFound, workDone, partsUsed }) => ({ visitDate, faultFound, workDone, partsUsed })));
    }
    const withHistory: VisitWithHistory[] = visits.map((v) => ({ ...v, history: histories.get(v.equipment.serial) ?? [] }));
    return c.json({ format: VISITS_FORMAT_WITH_HISTORY, visits: withHistory });
  });

  // the catalog the parts picker searches offline; fetched with the visits, so the phone has it on site
  app.get(API.parts, technicianOnly, async (c) => c.json({ parts: await deps.storage.listParts() } satisfies PartsCatalog));

  app.get(API.checklists, technicianOnly, (c) => c.json({ checklists: deps.checklists.versions() } satisfies ChecklistsResponse));

  app.get(`${API.checklists}/:id/:version`, technicianOnly, (c) => {
    const { id, version } = c.req.param();
    const checklist = /^[1-9][0-9]{0,8}$/.test(version) ? deps.checklists.get(id, Number(version)) : undefined;
    if (!checklist) throw new HttpError(404, 'not-found', `no published checklist ${id.slice(0, 64)} v${version.slice(0, 12)}; this server has ${deps.checklists.describe()}`);
    return c.json(checklist);
  });

  app.post(API.forms, technicianOnly, async (c) => {
    const body = await readJson(c.req.raw, deps.limits.maxBodyBytes, 'send fewer forms at a time');
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
