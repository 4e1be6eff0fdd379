// Hash routes: every page, form ids that need escaping, and links that lead nowhere.
import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash, type Route } from '../../src/backoffice/routes';

describe('parseRoute', () => {
  it('opens the forms list on an empty hash', () => {
    for (const hash of ['', '#', '#/', '#/forms', '#/forms/']) expect(parseRoute(hash)).toEqual({ page: 'forms', filter: {} });
  });

  it('reads every page', () => {
    expect(parseRoute('#/forms/0b6f3c1e-1111-4222-8333-944445555666')).toEqual({ page: 'form', id: '0b6f3c1e-1111-4222-8333-944445555666' });
    expect(parseRoute('#/disputes')).toEqual({ page: 'disputes', status: 'open' });
    expect(parseRoute('#/disputes?status=resolved')).toEqual({ page: 'disputes', status: 'resolved' });
    expect(parseRoute('#/disputes?status=whatever')).toEqual({ page: 'disputes', status: 'open' });
    expect(parseRoute('#/conflicts')).toEqual({ page: 'conflicts' });
    expect(parseRoute('#/technicians')).toEqual({ page: 'technicians' });
    expect(parseRoute('#/visits')).toEqual({ page: 'visits' });
    expect(parseRoute('#/parts')).toEqual({ page: 'parts' });
    expect(parseRoute('#/import')).toEqual({ page: 'import' });
    expect(parseRoute('#/checklists')).toEqual({ page: 'checklists' });
  });

  it('reads the equipment page\'s serial and the dashboard\'s period, leaving out what is not a date', () => {
    expect(parseRoute('#/equipment')).toEqual({ page: 'equipment', serial: null });
    expect(parseRoute('#/equipment?serial=%20%20')).toEqual({ page: 'equipment', serial: null });
    expect(parseRoute('#/equipment?serial=SN-1%2F2')).toEqual({ page: 'equipment', serial: 'SN-1/2' });
    expect(parseRoute('#/dashboard?from=2026-03-01&to=tomorrow&technician=t')).toEqual({ page: 'dashboard', query: { from: '2026-03-01', technician: 't' } });
    expect(parseRoute('#/users')).toEqual({ page: 'users' });
    expect(parseRoute('#/audit')).toEqual({ page: 'audit' });
  });

  it('says not-found for unknown paths and undecodable ids, keeping the hash', () => {
    for (const hash of ['#/nope', '#/forms/a/b', '#/technicians/x', '#/forms/%E0%A4%A', '#/forms/%20']) {
      expect(parseRoute(hash)).toEqual({ page: 'not-found', hash });
    }
  });
});

describe('routeHash', () => {
  it('round-trips every route', () => {
    const routes: Route[] = [
      { page: 'forms', filter: { technician: 'tech-1', state: 'accepted' } },
      { page: 'form', id: 'id with/slash?and#hash' },
      { page: 'disputes', status: 'resolved' },
      { page: 'disputes', status: 'open' },
      { page: 'conflicts' },
      { page: 'technicians' },
      { page: 'visits' },
      { page: 'import' },
      { page: 'checklists' },
      { page: 'equipment', serial: null },
      { page: 'equipment', serial: 'SN 12/34?#&' },
      { page: 'dashboard', query: {} },
      { page: 'dashboard', query: { from: '2026-03-01', to: '2026-03-31', technician: 'tech-1' } },
      { page: 'users' },
      { page: 'audit' },
    ];
    for (const route of routes) expect(parseRoute(routeHash(route))).toEqual(route);
  });
});
