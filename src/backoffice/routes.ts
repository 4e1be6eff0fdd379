// The back office's pages as hash routes: `#/forms?from=…`, `#/forms/<id>`, `#/disputes?status=open`, …
// Pure parsing and formatting; hooks.ts wires them to `hashchange`.
import type { FormFilter } from '../domain/api';
import { filterToParams, paramsToFilter } from './form-filter';

export type DisputeStatus = 'open' | 'resolved';

export type Route =
  | { page: 'forms'; filter: FormFilter }
  | { page: 'form'; id: string }
  | { page: 'disputes'; status: DisputeStatus }
  | { page: 'conflicts' }
  | { page: 'technicians' }
  | { page: 'visits' }
  | { page: 'import' }
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
    case 'import':
    case 'users':
    case 'audit':
      return { page: first };
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
