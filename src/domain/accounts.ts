// Back-office accounts: the roles, what each may do, and the records the API answers with.
// The server checks these on every admin route; the back-office pages read the same table to show
// only what the signed-in role may do.
import { z } from 'zod/mini';

export const ROLES = ['admin', 'dispatcher', 'customer-service', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a route needs. `read` is every list and detail; each change has its own permission, and the
 * audit log (which holds addresses) is the admin's.
 */
export const PERMISSIONS = [
  'read', 'users.manage', 'technicians.manage', 'checklists.manage', 'visits.manage',
  'forms.import', 'disputes.work', 'conflicts.settle', 'forms.export', 'audit.read', 'parts.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * The admin may do everything; the others only their own department's work, and read. The parts
 * catalog is customer service's (客服部): it keeps the forms' contents — imports, exports, disputes over
 * what was fitted and charged — and the catalog is what those forms name their parts by.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  dispatcher: ['read', 'visits.manage'],
  'customer-service': ['read', 'forms.import', 'disputes.work', 'conflicts.settle', 'forms.export', 'parts.manage'],
  viewer: ['read'],
};

export function may(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Sign-in names: what a person types, any case (kept lower-case), no spaces. */
export const USER_NAME = /^[a-z0-9._@-]{1,64}$/;
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

const password = z.string().check(
  z.minLength(PASSWORD_MIN_LENGTH, `expected at least ${PASSWORD_MIN_LENGTH} characters`),
  z.maxLength(PASSWORD_MAX_LENGTH, `expected at most ${PASSWORD_MAX_LENGTH} characters`),
);
const userName = z.string().check(z.trim(), z.toLowerCase(), z.regex(USER_NAME, 'expected 1–64 letters, digits or . _ @ - (no spaces)'));
const displayName = z.string().check(z.trim(), z.minLength(1), z.maxLength(100), z.refine((s) => !s.includes('\u0000'), 'contains a NUL character (U+0000)'));

export const SignInRequestSchema = z.strictObject({ name: z.string().check(z.maxLength(200)), password: z.string().check(z.maxLength(PASSWORD_MAX_LENGTH)) });
export const NewUserRequestSchema = z.strictObject({ name: userName, displayName, role: z.enum(ROLES), password });
export const UserChangeSchema = z.strictObject({
  role: z.optional(z.enum(ROLES)),
  disabled: z.optional(z.boolean()),
  password: z.optional(password),
  unlock: z.optional(z.literal(true)),
});
export type UserChange = z.infer<typeof UserChangeSchema>;

/** A back-office user as the API shows it: never the password hash. */
export interface UserRecord {
  id: string;
  name: string;
  displayName: string;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
  /** until when sign-in is refused after repeated failures; null when not locked */
  lockedUntil: string | null;
}

/** GET /api/v1/session and a successful sign-in: who is signed in, and the token every change must carry. */
export interface SessionInfo {
  user: UserRecord;
  csrfToken: string;
  expiresAt: string;
}

/** The request header that carries the session's CSRF token on every change. */
export const CSRF_HEADER = 'X-CSRF-Token';

export const AUDIT_ACTIONS = [
  'technician.created', 'technician.revoked', 'enrollment.code-made',
  'visit.created', 'visits.imported', 'bundle.imported', 'parts.imported', 'part.saved', 'part.removed',
  'dispute.assigned', 'dispute.noted', 'dispute.resolved', 'dispute.reopened', 'conflict.settled', 'export.made',
  'user.created', 'user.disabled', 'user.enabled', 'user.role-changed', 'user.password-reset', 'user.unlocked',
  'session.signed-in', 'session.signed-out', 'session.sign-in-failed', 'audit.exported',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One line of the audit log: who did what to which, when, from where. */
export interface AuditRecord {
  id: number;
  at: string;
  /** null when no user did it: the admin token's first admin, the command line, a failed sign-in */
  userId: string | null;
  userName: string;
  address: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  userId?: string;
  action?: string;
  /** inclusive days, YYYY-MM-DD (UTC) */
  from?: string;
  to?: string;
}
