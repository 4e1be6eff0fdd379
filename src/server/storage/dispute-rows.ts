// The dispute queue as SQL and rows, and the rules of one change to a dispute, shared by both adapters
// (each runs them inside its own transaction, the form row locked first).
import type { DisputeEvent } from '../../domain/api';
import { DISPUTE_EVENT_KINDS, DISPUTE_OUTCOMES, type DisputeEventKind, type DisputeOutcome } from '../../domain/disputes';
import type { SealedForm } from '../../domain/form-schema';
import type { NewAuditEntry } from './account-storage';
import { columnText, type Row } from './rows';
import type { DisputeChange, DisputeListFilter, FormDisputeState, StoredDispute, WorkDisputeRefusal } from './storage';

const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const outcomeOrNull = (v: unknown): DisputeOutcome | null =>
  (DISPUTE_OUTCOMES as readonly string[]).includes(String(v)) ? (v as DisputeOutcome) : null;

export const DISPUTE_SELECT = `SELECT f.id, f.visit_date, f.received_at, COALESCE(t.name, '') AS technician_name, f.customer_name,
  f.form_json, f.dispute_resolved_at, f.dispute_resolution_note, f.dispute_outcome, f.dispute_assignee_id,
  COALESCE(u.display_name, '') AS assignee_name
  FROM forms f LEFT JOIN technicians t ON t.id = f.technician_id LEFT JOIN users u ON u.id = f.dispute_assignee_id`;

export interface DisputeDialect {
  /** the n-th (1-based) parameter's placeholder */
  param(n: number): string;
  /** the flagged column's true */
  yes: string;
}

/** The list's query: flagged forms matching the filter, newest received first. */
export function buildDisputeListQuery(filter: DisputeListFilter, dialect: DisputeDialect): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const where = [`f.flagged = ${dialect.yes}`, `f.dispute_resolved_at IS ${filter.status === 'open' ? '' : 'NOT '}NULL`];
  const add = (value: unknown) => { params.push(value); return dialect.param(params.length); };
  if (filter.assigneeId === null) where.push('f.dispute_assignee_id IS NULL');
  else if (filter.assigneeId !== undefined) where.push(`f.dispute_assignee_id = ${add(columnText(filter.assigneeId))}`);
  if (filter.receivedBefore !== undefined) where.push(`f.received_at < ${add(filter.receivedBefore)}`);
  const limit = add(filter.limit);
  return { sql: `${DISPUTE_SELECT} WHERE ${where.join(' AND ')} ORDER BY f.received_at DESC, f.id DESC LIMIT ${limit}`, params };
}

/** A dispute-queue entry: the form's flagged incidents (disputes and conduct breaches) and where its work stands. */
export function disputeFromRow(row: Row): StoredDispute {
  const form = JSON.parse(String(row.form_json)) as SealedForm;
  const assigneeId = strOrNull(row.dispute_assignee_id);
  return {
    formId: String(row.id),
    visitDate: String(row.visit_date),
    technicianName: String(row.technician_name),
    customerName: String(row.customer_name),
    incidents: form.incidents.filter((i) => i.flagged).map(({ kind, rule, detail, at }) => ({ kind, rule, detail, at })),
    receivedAt: String(row.received_at),
    assignee: assigneeId === null ? null : { id: assigneeId, name: String(row.assignee_name) },
    resolvedAt: strOrNull(row.dispute_resolved_at),
    outcome: outcomeOrNull(row.dispute_outcome),
    resolutionNote: strOrNull(row.dispute_resolution_note),
  };
}

export const DISPUTE_EVENT_COLUMNS = 'form_id, at, user_id, user_name, kind, note, outcome, assignee_id, assignee_name';

export function disputeEventFromRow(row: Row): DisputeEvent {
  const kind = String(row.kind);
  const assigneeId = strOrNull(row.assignee_id);
  return {
    id: Number(row.id),
    at: String(row.at),
    userId: strOrNull(row.user_id),
    userName: String(row.user_name),
    // the table's CHECK holds the kinds
    kind: (DISPUTE_EVENT_KINDS as readonly string[]).includes(kind) ? (kind as DisputeEventKind) : 'noted',
    note: strOrNull(row.note),
    outcome: outcomeOrNull(row.outcome),
    assignee: assigneeId === null ? null : { id: assigneeId, name: String(row.assignee_name ?? '') },
  };
}

/** The locked form row's dispute state, and (for an assignment to someone) that user's row. */
export interface DisputeState {
  flagged: boolean;
  resolved: boolean;
}

/** Why the change cannot be made to this dispute now, or null when it can. */
export function refusalOf(
  state: DisputeState | null, change: DisputeChange, assignee: { disabled: boolean } | null,
): WorkDisputeRefusal | null {
  if (!state) return 'not-found';
  if (!state.flagged) return 'not-flagged';
  if (change.kind === 'resolve' && state.resolved) return 'already-resolved';
  if (change.kind === 'reopen' && !state.resolved) return 'not-resolved';
  if (change.kind === 'assign' && change.userId !== null) {
    if (!assignee) return 'assignee-unknown';
    if (assignee.disabled) return 'assignee-disabled';
  }
  return null;
}

const EVENT_KIND: Record<DisputeChange['kind'], DisputeEventKind> = { assign: 'assigned', note: 'noted', resolve: 'resolved', reopen: 'reopened' };

/** The thread line's values (DISPUTE_EVENT_COLUMNS order): the actor and the time are the audit entry's. */
export function eventValues(formId: string, change: DisputeChange, audit: NewAuditEntry, assigneeName: string | null): unknown[] {
  const note = change.kind === 'assign' ? null : columnText(change.kind === 'note' ? change.text : change.note);
  const outcome = change.kind === 'resolve' ? change.outcome : null;
  const assigneeId = change.kind === 'assign' ? change.userId : null;
  return [formId, audit.at, audit.userId, audit.userName, EVENT_KIND[change.kind], note, outcome, assigneeId, assigneeId === null ? null : assigneeName];
}

/** The form row's new dispute state after the change: columns and values (null: the change leaves the row as it is). */
export function formUpdate(change: DisputeChange, at: string): { columns: string[]; values: unknown[] } | null {
  switch (change.kind) {
    case 'assign':
      return { columns: ['dispute_assignee_id'], values: [change.userId] };
    case 'note':
      return null;
    case 'resolve':
      return { columns: ['dispute_resolved_at', 'dispute_outcome', 'dispute_resolution_note'], values: [at, change.outcome, columnText(change.note)] };
    case 'reopen':
      return { columns: ['dispute_resolved_at', 'dispute_outcome', 'dispute_resolution_note'], values: [null, null, null] };
  }
}

/**
 * The columns a form's dispute state is read from (FormDisputeState), beside the forms-list query's:
 * the assignee's name and the thread's resolution and notes, each found by the thread's index by form.
 */
export const FORM_DISPUTE_COLUMNS = `f.flagged, f.dispute_outcome, f.dispute_assignee_id,
  (SELECT u.display_name FROM users u WHERE u.id = f.dispute_assignee_id) AS dispute_assignee_name,
  (SELECT e.user_name FROM dispute_events e WHERE e.form_id = f.id AND e.kind = 'resolved' ORDER BY e.id DESC LIMIT 1) AS dispute_resolved_by,
  (SELECT COUNT(*) FROM dispute_events e WHERE e.form_id = f.id AND e.kind = 'noted') AS dispute_notes`;

export function formDisputeFromRow(row: Row): FormDisputeState {
  const flagged = row.flagged === true || row.flagged === 1;
  const resolvedAt = strOrNull(row.dispute_resolved_at);
  const assigneeId = strOrNull(row.dispute_assignee_id);
  const resolvedBy = resolvedAt === null ? null : strOrNull(row.dispute_resolved_by);
  return {
    status: !flagged ? 'none' : resolvedAt === null ? 'open' : 'resolved',
    assignee: assigneeId === null ? null : { id: assigneeId, name: String(row.dispute_assignee_name ?? '') },
    outcome: resolvedAt === null ? null : outcomeOrNull(row.dispute_outcome),
    // a resolution from before the thread was kept is by nobody known ('')
    resolvedBy: resolvedBy === '' ? null : resolvedBy,
    resolvedAt,
    notes: Number(row.dispute_notes ?? 0),
  };
}
