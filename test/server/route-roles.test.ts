// Every back-office route has a role rule, and the rules say what the roles are meant to do.
import { describe, expect, it } from 'vitest';
import { may, PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '../../src/domain/accounts';
import { createApp } from '../../src/server/app';
import { ADMIN_ROUTE_RULES, OTHER_API_ROUTES, ruleForRequest, ruleForRoute } from '../../src/server/auth/route-roles';
import { PUBLIC_VERIFY_API } from '../../src/domain/verify-link';
import { registry, sqliteFactory } from './helpers';

describe('route → role rules', () => {
  it('has a rule for every route the app serves under /api/v1/admin, and no rule for a route it does not serve', async () => {
    const storage = await sqliteFactory()();
    const app = createApp({ storage, checklists: registry, distDir: null, log: () => {} });
    const adminRoutes = app.routes.filter((r) => r.path.startsWith('/api/v1/admin') && r.method !== 'ALL');
    expect(adminRoutes.length).toBeGreaterThan(15);
    const unchecked = adminRoutes.filter((r) => !ruleForRoute(r.method, r.path)).map((r) => `${r.method} ${r.path}`);
    expect(unchecked, 'add these to ADMIN_ROUTE_RULES (src/server/auth/route-roles.ts)').toEqual([]);
    const served = new Set(adminRoutes.map((r) => `${r.method} ${r.path}`));
    expect(ADMIN_ROUTE_RULES.filter((rule) => !served.has(`${rule.method} ${rule.path}`))).toEqual([]);
    await storage.close();
  });

  it('lists every other API route the app serves with who may call it, and each one refuses whoever it does not name', async () => {
    const storage = await sqliteFactory()();
    const app = createApp({ storage, checklists: registry, distDir: null, log: () => {} });
    const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
    const apiRoutes = app.routes.filter((r) => r.path.startsWith('/api/') && !r.path.startsWith('/api/v1/admin') && r.method !== 'ALL');
    const listed = new Set(OTHER_API_ROUTES.map(key));
    expect(apiRoutes.filter((r) => !listed.has(key(r))).map(key), 'add these to OTHER_API_ROUTES (src/server/auth/route-roles.ts)').toEqual([]);
    const served = new Set(apiRoutes.map(key));
    expect(OTHER_API_ROUTES.filter((r) => !served.has(key(r)))).toEqual([]);
    // asked with no token and no cookie: a technician's or a session's route refuses, a public one does not
    for (const route of OTHER_API_ROUTES) {
      const path = route.path.replace(/:[a-z]+/gi, 'x');
      const init: RequestInit = { method: route.method, ...(route.method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}) };
      const res = await app.request(path, init);
      if (route.access === 'public') expect([401, 403], key(route)).not.toContain(res.status);
      else expect(res.status, key(route)).toBe(401);
    }
    expect(OTHER_API_ROUTES.find((r) => r.path === PUBLIC_VERIFY_API)).toEqual({ method: 'POST', path: PUBLIC_VERIFY_API, access: 'public' });
    await storage.close();
  });

  it('finds the rule of a concrete request, HEAD as GET, and none for an unknown one', () => {
    expect(ruleForRequest('POST', '/api/v1/admin/technicians/T-1/revoke')?.permission).toBe('technicians.manage');
    expect(ruleForRequest('GET', '/api/v1/admin/forms/abc/signature.png')?.permission).toBe('read');
    expect(ruleForRequest('HEAD', '/api/v1/admin/export.csv')?.permission).toBe('forms.export');
    expect(ruleForRequest('GET', '/api/v1/admin/exportXcsv')).toBeNull();
    expect(ruleForRequest('DELETE', '/api/v1/admin/forms')).toBeNull();
    expect(ruleForRequest('POST', '/api/v1/admin/technicians/a/b/revoke')).toBeNull();
  });

  it('gives the admin everything, each other role its department and read, the viewer read only', () => {
    expect(ROLE_PERMISSIONS.admin).toEqual(PERMISSIONS);
    expect(ROLES.filter((role) => may(role, 'read'))).toEqual(ROLES);
    expect(ROLES.filter((role) => may(role, 'visits.manage'))).toEqual(['admin', 'dispatcher']);
    expect(ROLES.filter((role) => may(role, 'forms.export'))).toEqual(['admin', 'customer-service']);
    expect(ROLES.filter((role) => may(role, 'disputes.work'))).toEqual(['admin', 'customer-service']);
    expect(ROLES.filter((role) => may(role, 'parts.manage'))).toEqual(['admin', 'customer-service']);
    expect(ROLES.filter((role) => may(role, 'technicians.manage'))).toEqual(['admin']);
    expect(ROLES.filter((role) => may(role, 'users.manage'))).toEqual(['admin']);
    expect(ROLE_PERMISSIONS.viewer).toEqual(['read']);
  });
});
