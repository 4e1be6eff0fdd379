// Back office: the dispute queue worked to the end — the list and its filters, one dispute with its
// thread, and the changes (assign, note, resolve with an outcome, reopen), each with its audit entry
// written in the change's own transaction.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod/mini';
import type { AuditAction } from '../../domain/accounts';
import { API, DisputeOutcomeSchema, type DisputeDetail, type DisputeRecord } from '../../domain/api';
import { DISPUTE_NOTE_MAX, disputeAgeMs, overdueReceivedBefore } from '../../domain/disputes';
import { actorOf, auditEntry } from '../auth/audit';
import { readJson } from '../http/body';
import { badRequest, HttpError, notFound } from '../http/errors';
import type { DisputeChange, DisputeListFilter, StoredDispute, StoredDisputeDetail, WorkDisputeRefusal } from '../storage/storage';
import { parseOr400, type RouteDeps } from './deps';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIST_LIMIT = 500;
const BODY_LIMIT = 16 * 1024;

const note = z.string().check(z.trim(), z.minLength(1, 'a note cannot be empty'), z.maxLength(DISPUTE_NOTE_MAX));
const ListQuerySchema = z.strictObject({
  status: z.optional(z.enum(['open', 'resolved'])),
  /** mine (the signed-in user), unassigned, or a user's id */
  assignee: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  /** open for more than 24 h */
  overdue: z.optional(z.enum(['true', 'false'])),
});
const AssignSchema = z.strictObject({ userId: z.nullable(z.string().check(z.minLength(1), z.maxLength(64))) });
const NoteSchema = z.strictObject({ text: note });
const ResolveSchema = z.strictObject({ outcome: DisputeOutcomeSchema, note });
const ReopenSchema = z.strictObject({ note });

const REFUSALS: Record<WorkDisputeRefusal, (id: string) => HttpError> = {
  'not-found': (id) => notFound(`no form "${id}"`),
  'not-flagged': () => new HttpError(409, 'not-flagged', 'this form has no dispute or conduct breach to work on'),
  'already-resolved': () => new HttpError(409, 'already-resolved', 'this dispute is already resolved; reopen it first'),
  'not-resolved': () => new HttpError(409, 'not-resolved', 'this dispute is open; only a resolved dispute can be reopened'),
  'assignee-unknown': () => new HttpError(422, 'assignee-unknown', 'no back-office user has this id', [{ path: 'userId', message: 'no such user' }]),
  'assignee-disabled': () => new HttpError(409, 'assignee-disabled', 'this user is disabled and cannot be given a dispute', [{ path: 'userId', message: 'the user is disabled' }]),
};

function formId(raw: string): string {
  if (!UUID.test(raw)) throw notFound(`no form "${raw.slice(0, 64)}" (a form id is a UUID)`);
  return raw;
}

export function disputesRoutes(deps: RouteDeps) {
  const app = new Hono();
  const { storage } = deps;
  const withAge = (d: StoredDispute): DisputeRecord => ({ ...d, ageMs: disputeAgeMs(d.receivedAt, d.resolvedAt, deps.now()) });
  const detail = (d: StoredDisputeDetail): DisputeDetail => ({ dispute: withAge(d.dispute), events: d.events });

  app.get(API.admin.disputes, async (c) => {
    const q = parseOr400(ListQuerySchema, c.req.query(), 'the query');
    const status = q.status ?? 'open';
    if (q.overdue === 'true' && status !== 'open') {
      throw badRequest('the query is not valid', [{ path: 'overdue', message: 'only an open dispute can be open for more than 24 h' }]);
    }
    const filter: DisputeListFilter = { status, limit: LIST_LIMIT };
    if (q.assignee === 'unassigned') filter.assigneeId = null;
    else if (q.assignee === 'mine') filter.assigneeId = actorOf(c).userId;
    else if (q.assignee !== undefined) filter.assigneeId = q.assignee;
    if (q.overdue === 'true') filter.receivedBefore = overdueReceivedBefore(deps.now());
    return c.json({ disputes: (await storage.listDisputes(filter)).map(withAge) });
  });

  app.get(`${API.admin.disputes}/assignees`, async (c) => c.json({ assignees: await storage.listDisputeAssignees() }));

  app.get(`${API.admin.disputes}/:formId`, async (c) => {
    const id = formId(c.req.param('formId'));
    const found = await storage.getDispute(id);
    if (!found) {
      throw (await storage.getForm(id)) ? REFUSALS['not-flagged'](id) : REFUSALS['not-found'](id);
    }
    return c.json(detail(found));
  });

  const change = async (c: Context, action: AuditAction, toChange: (body: unknown) => DisputeChange) => {
    const id = formId(c.req.param('formId')!);
    const body = await readJson(c.req.raw, BODY_LIMIT);
    const wanted = toChange(body);
    const details: Record<string, unknown> = { ...wanted };
    delete details.kind;
    const outcome = await storage.workDispute(id, wanted, auditEntry(deps, c, action, id, details));
    if (outcome.status !== 'done') throw REFUSALS[outcome.status](id);
    return c.json(detail(outcome));
  };

  app.post(`${API.admin.disputes}/:formId/assign`, (c) => change(c, 'dispute.assigned', (body) =>
    ({ kind: 'assign', userId: parseOr400(AssignSchema, body, 'the assignment').userId })));
  app.post(`${API.admin.disputes}/:formId/notes`, (c) => change(c, 'dispute.noted', (body) =>
    ({ kind: 'note', text: parseOr400(NoteSchema, body, 'the note').text })));
  app.post(`${API.admin.disputes}/:formId/resolve`, (c) => change(c, 'dispute.resolved', (body) =>
    ({ kind: 'resolve', ...parseOr400(ResolveSchema, body, 'the resolution') })));
  app.post(`${API.admin.disputes}/:formId/reopen`, (c) => change(c, 'dispute.reopened', (body) =>
    ({ kind: 'reopen', note: parseOr400(ReopenSchema, body, 'the reopening').note })));

  return app;
}
