// The back office's pages as hash routes: `#/forms?from=…`, `#/forms/<id>`, `#/disputes?status=open`, …
// Pure parsing and formatting; hooks.ts wires them to `hashchange`.
import type { DashboardQuery, FormFilter } from '../domain/api';
import { filterToParams, paramsToFilter } from './form-filter';

export type DisputeStatus = 'open' | 'resolved';

export type Route =
  | { page: 'forms'; filter: FormFilter }
  | { page: 'form'; id: string }
  | { page: 'disputes'; status: DisputeStatus }
  | { page: 'conflicts' }
  | { page: 'technicians' }
  | { page: 'visits' }
  | { page: 'parts' }
  | { page: 'import' }
  | { page: 'checklists' }
  /** one serial's forms; null before a serial is searched */
  | { page: 'equipment'; serial: string | null }
  /** the period and technician as far as given; the page fills in the default period */
  | { page: 'dashboard'; query: Partial<DashboardQuery> }
  | { page: 'users' }
  | { page: 'audit' }
  | { page: 'not-found'; hash: string };

export type PageName = Route['page'];

export function parseRoute(hash: string): Route {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const queryAt = text.indexOf('?');
  const path = queryAt === -1 ? text : text.slice(0, queryAt);
  const params = new URLSearchParams(queryAt === -1 ? '' : text.slice(queryAt + 1));
  const segments = path.split('/').filter((s) => s !== '');
  const [first, second, ...more] = segments;
  if (more.length > 0) return { page: 'not-found', hash };
  if (first === undefined) return { page: 'forms', filter: {} };
  if (first === 'forms' && second === undefined) return { page: 'forms', filter: paramsToFilter(params) };
  if (first === 'forms' && second !== undefined) {
    const id = safeDecode(second);
    return id ? { page: 'form', id } : { page: 'not-found', hash };
  }
  if (second !== undefined) return { page: 'not-found', hash };
  switch (first) {
    case 'disputes':
      return { page: 'disputes', status: params.get('status') === 'resolved' ? 'resolved' : 'open' };
    case 'conflicts':
    case 'technicians':
    case 'visits':
    case 'parts':
    case 'import':
    case 'checklists':
    case 'users':
    case 'audit':
      return { page: first };
    case 'equipment': {
      const serial = params.get('serial')?.trim();
      return { page: 'equipment', serial: serial ? serial : null };
    }
    case 'dashboard': {
      const query: Partial<DashboardQuery> = {};
      for (const key of ['from', 'to'] as const) {
        const value = params.get(key);
        if (value && /^\d{4}-\d{2}-\d{2}$/.test(value)) query[key] = value;
      }
      const technician = params.get('technician');
      if (technician) query.technician = technician;
      return { page: 'dashboard', query };
    }
    default:
      return { page: 'not-found', hash };
  }
}

export function routeHash(route: Route): string {
  switch (route.page) {
    case 'forms': {
      const query = filterToParams(route.filter).toString();
      return query ? `#/forms?${query}` : '#/forms';
    }
    case 'form':
      return `#/forms/${encodeURIComponent(route.id)}`;
    case 'disputes':
      return `#/disputes?status=${route.status}`;
    case 'equipment':
      return route.serial === null ? '#/equipment' : `#/equipment?${new URLSearchParams({ serial: route.serial })}`;
    case 'dashboard': {
      const query = new URLSearchParams(Object.entries(route.query).filter(([, v]) => v !== undefined) as Array<[string, string]>).toString();
      return query ? `#/dashboard?${query}` : '#/dashboard';
    }
    case 'not-found':
      return route.hash;
    default:
      return `#/${route.page}`;
  }
}

function safeDecode(segment: string): string | null {
  try {
    const id = decodeURIComponent(segment).trim();
    return id === '' ? null : id;
  } catch {
    return null;
  }
}
