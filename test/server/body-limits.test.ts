// Each route that reads a body answers one past its limit with a 413 that says what is true: the limit
// in a unit that fits its size, and advice only where the client can act on it in that way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, API_LIMITS } from '../../src/domain/api';
import { DEFAULT_LIMITS } from '../../src/server/app';
import { openHarness, type Harness } from './api-harness';
import { sqliteFactory } from './helpers';

interface Route {
  name: string;
  path: string;
  token: 'admin' | 'technician' | null;
  contentType: string;
  limit: number;
  message: string;
}

const ROUTES: Route[] = [
  {
    name: 'a form batch', path: API.forms, token: 'technician', contentType: 'application/json', limit: API_LIMITS.maxBodyBytes,
    message: 'the request is larger than the server accepts (8 MiB); send fewer forms at a time',
  },
  {
    name: 'an enrollment', path: API.enroll, token: null, contentType: 'application/json', limit: 4096,
    message: 'the request is larger than the server accepts (4 KiB)',
  },
  {
    name: 'a new technician', path: API.admin.technicians, token: 'admin', contentType: 'application/json', limit: 4096,
    message: 'the request is larger than the server accepts (4 KiB)',
  },
  {
    name: 'a new visit', path: API.admin.visits, token: 'admin', contentType: 'application/json', limit: DEFAULT_LIMITS.maxBodyBytes,
    message: 'the request is larger than the server accepts (8 MiB)',
  },
  {
    name: 'a visits spreadsheet', path: API.admin.visitsImport, token: 'admin', contentType: 'text/csv', limit: DEFAULT_LIMITS.maxBodyBytes,
    message: 'the request is larger than the server accepts (8 MiB); split the file into smaller files and import each',
  },
  {
    name: 'a device bundle', path: API.admin.import, token: 'admin', contentType: 'application/json', limit: DEFAULT_LIMITS.importMaxBytes,
    message: 'the request is larger than the server accepts (64 MiB); split it into smaller files, or import it on the server with npm run import -- FILE',
  },
  {
    name: 'a dispute resolution', path: `${API.admin.disputes}/00000000-0000-4000-8000-000000000000/resolve`, token: 'admin',
    contentType: 'application/json', limit: 16 * 1024,
    message: 'the request is larger than the server accepts (16 KiB)',
  },
];

describe('a body past its route\'s limit', () => {
  let h: Harness;
  let technician: string;
  beforeAll(async () => {
    h = await openHarness(sqliteFactory());
    technician = await h.enroll();
  });
  afterAll(() => h.close());

  const send = (route: Route, headers: Record<string, string>, body: BodyInit) =>
    // the back office's routes with the admin's session (call's default), the phone's with its token
    h.call('POST', route.path, {
      ...(route.token === 'admin' ? {} : { token: route.token === 'technician' ? technician : null }),
      headers: { 'content-type': route.contentType, ...headers }, body,
    });

  for (const route of ROUTES) {
    it(`${route.name}: a declared length one byte past it gets 413 "${route.message}"`, async () => {
      const res = await send(route, { 'content-length': String(route.limit + 1) }, 'x');
      expect(res.status).toBe(413);
      expect(res.body.error).toEqual({ code: 'payload-too-large', message: route.message });
    });
  }

  it('the small limits hold as named: a body of exactly the limit is read (and judged on what it says), one byte more is not', async () => {
    for (const route of ROUTES.filter((r) => r.limit <= 16 * 1024)) {
      const exactly = await send(route, {}, ' '.repeat(route.limit));
      expect(exactly.status, route.name).not.toBe(413);
      const over = await send(route, {}, ' '.repeat(route.limit + 1));
      expect(over.body.error, route.name).toEqual({ code: 'payload-too-large', message: route.message });
    }
  });
});
