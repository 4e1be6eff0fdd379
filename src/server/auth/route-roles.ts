// Which permission each back-office route needs (src/domain/accounts.ts says which roles have it).
// A route under /api/v1/admin with no rule here is refused to everyone, and a test enumerates the
// app's routes so none is left without one. Every other API route is listed too, with who may call it
// (OTHER_API_ROUTES): a new one is public only by being listed so here, on purpose.
import type { MiddlewareHandler } from 'hono';
import { may, ROLE_PERMISSIONS, type Permission } from '../../domain/accounts';
import { API } from '../../domain/api';
import { PUBLIC_VERIFY_API } from '../../domain/verify-link';
import { HttpError } from '../http/errors';
import type { BackOfficeVariables } from './back-office';

export interface RouteRule {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** the route's pattern exactly as registered with Hono */
  path: string;
  permission: Permission;
}

const A = API.admin;
export const ADMIN_ROUTE_RULES: readonly RouteRule[] = [
  { method: 'GET', path: A.technicians, permission: 'read' },
  { method: 'POST', path: A.technicians, permission: 'technicians.manage' },
  { method: 'POST', path: `${A.technicians}/:id/code`, permission: 'technicians.manage' },
  { method: 'POST', path: `${A.technicians}/:id/revoke`, permission: 'technicians.manage' },
  { method: 'GET', path: A.visits, permission: 'read' },
  { method: 'POST', path: A.visits, permission: 'visits.manage' },
  { method: 'POST', path: A.visitsImport, permission: 'visits.manage' },
  { method: 'GET', path: A.visitsTemplateCsv, permission: 'read' },
  { method: 'GET', path: A.visitsTemplateXlsx, permission: 'read' },
  { method: 'GET', path: A.forms, permission: 'read' },
  { method: 'GET', path: `${A.forms}/:id`, permission: 'read' },
  { method: 'GET', path: `${A.forms}/:id/signature.png`, permission: 'read' },
  { method: 'GET', path: A.disputes, permission: 'read' },
  { method: 'GET', path: `${A.disputes}/assignees`, permission: 'read' },
  { method: 'GET', path: `${A.disputes}/:formId`, permission: 'read' },
  { method: 'POST', path: `${A.disputes}/:formId/assign`, permission: 'disputes.work' },
  { method: 'POST', path: `${A.disputes}/:formId/notes`, permission: 'disputes.work' },
  { method: 'POST', path: `${A.disputes}/:formId/resolve`, permission: 'disputes.work' },
  { method: 'POST', path: `${A.disputes}/:formId/reopen`, permission: 'disputes.work' },
  { method: 'GET', path: A.conflicts, permission: 'read' },
  { method: 'GET', path: `${A.conflicts}/:formId/:hash`, permission: 'read' },
  { method: 'POST', path: A.import, permission: 'forms.import' },
  { method: 'GET', path: A.exportCsv, permission: 'forms.export' },
  { method: 'GET', path: A.exportNdjson, permission: 'forms.export' },
  { method: 'GET', path: A.equipmentHistory, permission: 'read' },
  { method: 'GET', path: A.dashboard, permission: 'read' },
  { method: 'GET', path: A.checklists, permission: 'read' },
  { method: 'GET', path: A.parts, permission: 'read' },
  { method: 'POST', path: A.partsImport, permission: 'parts.manage' },
  { method: 'PUT', path: `${A.parts}/:code`, permission: 'parts.manage' },
  { method: 'DELETE', path: `${A.parts}/:code`, permission: 'parts.manage' },
  { method: 'GET', path: A.users, permission: 'users.manage' },
  { method: 'POST', path: A.users, permission: 'users.manage' },
  { method: 'PATCH', path: `${A.users}/:id`, permission: 'users.manage' },
  { method: 'GET', path: A.audit, permission: 'audit.read' },
  { method: 'GET', path: A.auditCsv, permission: 'audit.read' },
  { method: 'GET', path: A.auditNdjson, permission: 'audit.read' },
];

/**
 * Who may call an API route outside /api/v1/admin: anyone ('public'), an enrolled phone with its token
 * ('technician'), or a signed-in back-office user ('session'). Each public route limits itself (rate
 * limits in the database) and answers nothing personal.
 */
export type ApiAccess = 'public' | 'technician' | 'session';
export interface ApiRouteAccess {
  method: RouteRule['method'];
  path: string;
  access: ApiAccess;
}

export const OTHER_API_ROUTES: readonly ApiRouteAccess[] = [
  // a one-time code is the credential; rate-limited per address
  { method: 'POST', path: API.enroll, access: 'public' },
  { method: 'GET', path: API.me, access: 'technician' },
  { method: 'GET', path: API.visits, access: 'technician' },
  { method: 'GET', path: API.checklists, access: 'technician' },
  { method: 'GET', path: `${API.checklists}/:id/:version`, access: 'technician' },
  { method: 'POST', path: API.forms, access: 'technician' },
  { method: 'GET', path: API.parts, access: 'technician' },
  // sign-in: rate-limited per address, the account locked after failures
  { method: 'POST', path: API.session, access: 'public' },
  { method: 'GET', path: API.session, access: 'session' },
  { method: 'DELETE', path: API.session, access: 'session' },
  // a customer copy's QR code: no sign-in, rate-limited per address, no personal data in the answer
  { method: 'POST', path: PUBLIC_VERIFY_API, access: 'public' },
];

const compiled = ADMIN_ROUTE_RULES.map((rule) => ({
  rule,
  pattern: new RegExp(`^${rule.path.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}/?$`),
}));

/** The rule for a request; HEAD is a GET. */
export function ruleForRequest(method: string, path: string): RouteRule | null {
  const m = method === 'HEAD' ? 'GET' : method;
  return compiled.find(({ rule, pattern }) => rule.method === m && pattern.test(path))?.rule ?? null;
}

/** The rule registered for a route pattern, for the test that no route is left unchecked. */
export function ruleForRoute(method: string, path: string): RouteRule | null {
  return ADMIN_ROUTE_RULES.find((rule) => rule.method === method && rule.path === path) ?? null;
}

export function rolesWith(permission: Permission): string[] {
  return Object.entries(ROLE_PERMISSIONS).filter(([, permissions]) => permissions.includes(permission)).map(([role]) => role);
}

/** After the user is known: refuses a route the user's role may not use (and any route without a rule). */
export function requireRole(): MiddlewareHandler<{ Variables: BackOfficeVariables }> {
  return async (c, next) => {
    const rule = ruleForRequest(c.req.method, c.req.path);
    const principal = c.get('principal');
    if (!rule) throw new HttpError(403, 'no-role-rule', `${c.req.method} ${c.req.path.slice(0, 200)} has no role rule on this server, so no one may use it`);
    if (principal.kind === 'admin-token') {
      // the admin token only makes the first admin (POST users, checked again there)
      if (rule.method === 'POST' && rule.path === API.admin.users) return next();
      throw new HttpError(403, 'admin-token-bootstrap-only', 'the admin token only creates the first admin user; sign in as a user instead');
    }
    if (!may(principal.user.role, rule.permission)) {
      throw new HttpError(403, 'forbidden-role', `your role (${principal.user.role}) may not do this; it needs ${rolesWith(rule.permission).join(' or ')}`);
    }
    return next();
  };
}
