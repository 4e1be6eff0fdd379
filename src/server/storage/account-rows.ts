// Account rows → records, and the audit log's filter as SQL, shared by both adapters.
import { isRole, type AuditFilter, type AuditRecord, type UserRecord } from '../../domain/accounts';
import type { SessionRecord } from './account-storage';
import type { Row } from './rows';

const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function userFromRow(row: Row): UserRecord {
  const role = String(row.role);
  return {
    id: String(row.id),
    name: String(row.name),
    displayName: String(row.display_name),
    // the table's CHECK holds the roles; anything else reads as the least it could be
    role: isRole(role) ? role : 'viewer',
    createdAt: String(row.created_at),
    disabledAt: strOrNull(row.disabled_at),
    lockedUntil: strOrNull(row.locked_until),
  };
}

/** A session row joined with its user, the session's columns prefixed `s_`. */
export function sessionFromRow(row: Row): SessionRecord {
  return {
    idHash: String(row.s_id_hash),
    userId: String(row.s_user_id),
    csrfToken: String(row.s_csrf_token),
    createdAt: String(row.s_created_at),
    lastUsedAt: String(row.s_last_used_at),
    expiresAt: String(row.s_expires_at),
  };
}

export const SESSION_JOIN = `SELECT u.*, s.id_hash AS s_id_hash, s.user_id AS s_user_id, s.csrf_token AS s_csrf_token,
  s.created_at AS s_created_at, s.last_used_at AS s_last_used_at, s.expires_at AS s_expires_at
  FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = `;

export function auditFromRow(row: Row): AuditRecord {
  let details: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(String(row.details));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) details = parsed as Record<string, unknown>;
  } catch {
    // written by appendAudit as JSON; an unreadable one shows as no details rather than failing the page
  }
  return {
    id: Number(row.id),
    at: String(row.at),
    userId: strOrNull(row.user_id),
    userName: String(row.user_name),
    address: String(row.address),
    action: String(row.action),
    target: String(row.target),
    details,
  };
}

/** The WHERE clause of an audit query; `mark(n)` writes the dialect's n-th placeholder. */
export function auditWhere(filter: AuditFilter, before: number | null, mark: (n: number) => string): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    parts.push(sql.replace('?', mark(params.length)));
  };
  if (filter.userId !== undefined) add('user_id = ?', filter.userId);
  if (filter.action !== undefined) add('action = ?', filter.action);
  if (filter.from !== undefined) add('at >= ?', `${filter.from}T00:00:00.000Z`);
  if (filter.to !== undefined) add('at < ?', nextDay(filter.to));
  if (before !== null) add('id < ?', before);
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

function nextDay(date: string): string {
  const next = new Date(`${date}T00:00:00.000Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString();
}

/** PostgreSQL text cannot hold U+0000; the audit keeps a visible stand-in. */
export function auditValues(e: { at: string; userId: string | null; userName: string; address: string; action: string; target: string; details: Record<string, unknown> }): unknown[] {
  const clean = (s: string) => s.replaceAll('\u0000', '\uFFFD');
  return [e.at, e.userId, clean(e.userName), clean(e.address), clean(e.action), clean(e.target), JSON.stringify(e.details)];
}
export const AUDIT_COLUMNS = 'at, user_id, user_name, address, action, target, details';
