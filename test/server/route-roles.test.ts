// Every back-office route has a role rule, and the rules say what the roles are meant to do.
import { describe, expect, it } from 'vitest';
import { may, PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '../../src/domain/accounts';
import { createApp } from '../../src/server/app';
import { ADMIN_ROUTE_RULES, ruleForRequest, ruleForRoute } from '../../src/server/auth/route-roles';
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
