// The API client against a fake fetch: the token on every request, the paths and query strings,
// request bodies, and every kind of failure turned into an ApiClientError a page can show.
import { describe, expect, it } from 'vitest';
import { API, type FormFilter } from '../../src/domain/api';
import { ApiClientError, createApiClient, filenameFromDisposition, formsQuery, FORMS_PAGE_SIZE, type FetchLike } from '../../src/backoffice/api-client';

interface Call { url: string; init: RequestInit }

function fakeFetch(answer: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    const call = { url, init };
    calls.push(call);
    return answer(call);
  };
  return { fetch, calls };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

const header = (call: Call | undefined, name: string) => new Headers(call?.init.headers).get(name);

const technician = { id: 'tech-1', name: '张师傅', phone: '138', createdAt: '2026-03-01T00:00:00Z', enrolledAt: null, revokedAt: null };

describe('every request', () => {
  it('rides on the session cookie, asks for JSON, and sends the CSRF token with changes only', async () => {
    const { fetch, calls } = fakeFetch((call) => call.init.method === 'GET' ? json({ technicians: [technician] }) : json({ technician }));
    const api = createApiClient({ csrfToken: 'csrf-1', fetch });
    expect(await api.listTechnicians()).toEqual([technician]);
    await api.revokeTechnician('tech-1');
    expect(calls).toHaveLength(2);
    expect(calls[0]?.url).toBe(API.admin.technicians);
    expect(calls.map((c) => [c.init.method, c.init.credentials, header(c, 'X-CSRF-Token'), header(c, 'Authorization')])).toEqual([
      ['GET', 'same-origin', null, null], ['POST', 'same-origin', 'csrf-1', null],
    ]);
    expect(header(calls[0], 'Accept')).toBe('application/json');
  });

  it('puts the base URL before every path', async () => {
    const { fetch, calls } = fakeFetch(() => json({ conflicts: [] }));
    await createApiClient({ csrfToken: 't', fetch, baseUrl: 'http://localhost:8080' }).listConflicts();
    expect(calls[0]?.url).toBe(`http://localhost:8080${API.admin.conflicts}`);
  });

  it('sends the binary and streamed requests on the cookie too, asking for their types', async () => {
    const { fetch, calls } = fakeFetch((call) => call.url.includes('signature.png')
      ? new Response(new Uint8Array([0x89, 0x50]), { headers: { 'Content-Type': 'image/png' } })
      : new Response('a,b\n', { headers: { 'Content-Type': 'text/csv' } }));
    const api = createApiClient({ csrfToken: 'tok', fetch });
    const png = await api.getSignaturePng('f-1');
    expect(png.size).toBe(2);
    await api.exportForms('csv', {});
    expect(calls.map((c) => c.init.credentials)).toEqual(['same-origin', 'same-origin']);
    expect(header(calls[0], 'Accept')).toBe('image/png');
  });
});

describe('paths, query strings and bodies', () => {
  it('lists forms with the filter, the cursor and the page size in the query string', async () => {
    const { fetch, calls } = fakeFetch(() => json({ forms: [], nextCursor: 'c2' }));
    const api = createApiClient({ csrfToken: 't', fetch });
    const filter: FormFilter = { from: '2026-03-01', to: '2026-03-31', technician: 'tech 1', state: 'conflict', dispute: false, satisfaction: 2 };
    const page = await api.listForms(filter, 'cursor/1+', 20);
    expect(page).toEqual({ forms: [], nextCursor: 'c2' });
    const url = new URL(calls[0]!.url, 'http://x');
    expect(url.pathname).toBe(API.admin.forms);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      from: '2026-03-01', to: '2026-03-31', technician: 'tech 1', state: 'conflict', dispute: 'false', satisfaction: '2', cursor: 'cursor/1+', limit: '20',
    });
  });

  it('asks for the first page without a cursor, with the default page size', () => {
    expect(formsQuery({}, null)).toBe(`limit=${FORMS_PAGE_SIZE}`);
    expect(formsQuery({ dispute: true }, null, 5)).toBe('dispute=true&limit=5');
  });

  it('reads a last page (nextCursor null)', async () => {
    const { fetch } = fakeFetch(() => json({ forms: [{ id: 'a' }], nextCursor: null }));
    expect((await createApiClient({ csrfToken: 't', fetch }).listForms({}, 'c')).nextCursor).toBeNull();
  });

  it('escapes ids in paths', async () => {
    const { fetch, calls } = fakeFetch((call) => call.url.includes('/code') ? json({ code: 'ABC123', expiresAt: '2026-03-10T02:00:00Z' }) : json({ technician }));
    const api = createApiClient({ csrfToken: 't', fetch });
    await api.createEnrollmentCode('a/b?c');
    await api.revokeTechnician('x y');
    expect(calls[0]?.url).toBe(`${API.admin.technicians}/a%2Fb%3Fc/code`);
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[1]?.url).toBe(`${API.admin.technicians}/x%20y/revoke`);
  });

  it('creates a technician and a visit with JSON bodies', async () => {
    const visit = {
      technicianId: 'tech-1', scheduledDate: '2026-03-10', firstVisit: true, notes: '',
      customer: { name: '某市环卫处', phone: '', address: '' }, equipment: { type: '洗扫车', model: '', serial: '' },
    };
    const { fetch, calls } = fakeFetch((call) => call.url === API.admin.visits ? json({ visit: { id: 'V-1', ...visit } }) : json({ technician }));
    const api = createApiClient({ csrfToken: 't', fetch });
    expect(await api.createTechnician({ name: '张师傅', phone: '138' })).toEqual(technician);
    expect(await api.createVisit(visit)).toEqual({ id: 'V-1', ...visit });
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ name: '张师傅', phone: '138' });
    expect(JSON.parse(String(calls[1]?.init.body))).toEqual(visit);
    expect(calls.map((c) => header(c, 'Content-Type'))).toEqual(['application/json', 'application/json']);
  });

  it('lists visits of one technician or of all', async () => {
    const { fetch, calls } = fakeFetch(() => json({ visits: [] }));
    const api = createApiClient({ csrfToken: 't', fetch });
    await api.listVisits('tech-1');
    await api.listVisits();
    expect(calls.map((c) => c.url)).toEqual([`${API.admin.visits}?technician=tech-1`, API.admin.visits]);
  });

  it('posts a CSV file as text/csv and reads the per-row errors', async () => {
    const result = { created: 2, errors: [{ row: 3, column: 'scheduledDate', message: 'expected a date' }] };
    const { fetch, calls } = fakeFetch(() => json(result));
    expect(await createApiClient({ csrfToken: 't', fetch }).importVisitsCsv('a,b\n1,2\n')).toEqual(result);
    expect(calls[0]?.url).toBe(API.admin.visitsImport);
    expect(calls[0]?.init.body).toBe('a,b\n1,2\n');
    expect(header(calls[0], 'Content-Type')).toBe('text/csv; charset=utf-8');
  });

  it('posts a chosen file as its own bytes, so the server can tell a file that is not UTF-8', async () => {
    const { fetch, calls } = fakeFetch(() => json({ created: 0, errors: [] }));
    const gbk = new Blob([new Uint8Array([0xc4, 0xe3, 0xba, 0xc3])], { type: 'text/csv' });
    await createApiClient({ csrfToken: 't', fetch }).importVisitsCsv(gbk);
    expect(calls[0]?.init.body).toBe(gbk);
  });

  it('posts a bundle file unchanged and reads the import summary', async () => {
    const summary = { accepted: 1, duplicate: 0, conflict: 0, rejected: 1, results: [{ index: 1, id: null, status: 'rejected', errors: [{ path: 'form', message: 'expected object' }] }] };
    const { fetch, calls } = fakeFetch(() => json(summary));
    const bundle = '{"format":"onsite.bundle"}';
    expect(await createApiClient({ csrfToken: 't', fetch }).importBundle(bundle)).toEqual(summary);
    expect(calls[0]?.url).toBe(API.admin.import);
    expect(calls[0]?.init.body).toBe(bundle);
  });

  it('lists disputes by status and resolves one with its note', async () => {
    const dispute = { formId: 'f-1', visitDate: '2026-03-10', technicianName: '张', customerName: '王', incidents: [], resolvedAt: null, resolutionNote: null };
    const { fetch, calls } = fakeFetch((call) => call.init.method === 'POST' ? json({ dispute: { ...dispute, resolvedAt: 'x', resolutionNote: 'ok' } }) : json({ disputes: [dispute] }));
    const api = createApiClient({ csrfToken: 't', fetch });
    expect(await api.listDisputes('resolved')).toEqual([dispute]);
    expect((await api.resolveDispute('f-1', '已电话回访')).resolutionNote).toBe('ok');
    expect(calls[0]?.url).toBe(`${API.admin.disputes}?status=resolved`);
    expect(calls[1]?.url).toBe(`${API.admin.disputes}/f-1/resolve`);
    expect(JSON.parse(String(calls[1]?.init.body))).toEqual({ note: '已电话回访' });
  });

  it('reads a form detail and checks the seal verdict is one it knows', async () => {
    const detail = { summary: { id: 'f-1' }, form: { id: 'f-1' }, sealCheck: 'verified', conflicts: [] };
    const good = fakeFetch(() => json(detail));
    expect(await createApiClient({ csrfToken: 't', fetch: good.fetch }).getForm('f-1')).toEqual(detail);
    expect(good.calls[0]?.url).toBe(`${API.admin.forms}/f-1`);
    const odd = fakeFetch(() => json({ ...detail, sealCheck: 'maybe' }));
    await expect(createApiClient({ csrfToken: 't', fetch: odd.fetch }).getForm('f-1')).rejects.toMatchObject({ code: 'bad-response', message: expect.stringContaining('"sealCheck"') });
  });

  it('exports with the filter in the query string and the file name from Content-Disposition', async () => {
    const { fetch, calls } = fakeFetch(() => new Response('{"id":1}\n', { headers: { 'Content-Disposition': 'attachment; filename="forms-2026.ndjson"' } }));
    const file = await createApiClient({ csrfToken: 't', fetch }).exportForms('ndjson', { technician: 'tech-1', dispute: true });
    expect(calls[0]?.url).toBe(`${API.admin.exportNdjson}?technician=tech-1&dispute=true`);
    expect(file.filename).toBe('forms-2026.ndjson');
    expect(await file.blob.text()).toBe('{"id":1}\n');
  });

  it('exports without a query string when nothing is filtered, named by format', async () => {
    const { fetch, calls } = fakeFetch(() => new Response('x'));
    const file = await createApiClient({ csrfToken: 't', fetch }).exportForms('csv', {});
    expect(calls[0]?.url).toBe(API.admin.exportCsv);
    expect(file.filename).toBe('onsite-forms.csv');
  });
});

describe('failures', () => {
  it('turns an ApiError body into its code, message and field errors', async () => {
    const { fetch } = fakeFetch(() => json({ error: { code: 'invalid', message: 'the visit is not valid', errors: [{ path: 'customer.name', message: 'expected at least 1 character(s)' }] } }, 400));
    const error = await createApiClient({ csrfToken: 't', fetch }).createVisit({} as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiClientError);
    expect(error).toMatchObject({ status: 400, code: 'invalid', message: 'the visit is not valid', fieldErrors: [{ path: 'customer.name', message: 'expected at least 1 character(s)' }] });
  });

  it('keeps only well-formed field errors', async () => {
    const { fetch } = fakeFetch(() => json({ error: { code: 'invalid', message: 'bad', errors: [{ path: 'a', message: 'm' }, { path: 1 }, 'x'] } }, 422));
    const error = await createApiClient({ csrfToken: 't', fetch }).listConflicts().catch((e: unknown) => e);
    expect((error as ApiClientError).fieldErrors).toEqual([{ path: 'a', message: 'm' }]);
  });

  it('describes a body that is not an ApiError by its HTTP status', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    await expect(createApiClient({ csrfToken: 't', fetch }).listConflicts()).rejects.toMatchObject({ status: 502, code: 'http', message: 'HTTP 502 Bad Gateway' });
  });

  it('reports 413 with the server message the clerk should read', async () => {
    const { fetch } = fakeFetch(() => json({ error: { code: 'too-large', message: 'the body is larger than 8 MiB' } }, 413));
    await expect(createApiClient({ csrfToken: 't', fetch }).importBundle('{}')).rejects.toMatchObject({ status: 413, code: 'too-large', message: 'the body is larger than 8 MiB' });
  });

  it('reports a network failure with status 0', async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(createApiClient({ csrfToken: 't', fetch }).listTechnicians()).rejects.toMatchObject({ status: 0, code: 'network', message: 'Failed to fetch' });
  });

  it('calls onUnauthorized on 401 (the session is gone), and still rejects', async () => {
    const refused: ApiClientError[] = [];
    const { fetch } = fakeFetch(() => json({ error: { code: 'session-expired', message: 'your session has expired' } }, 401));
    const api = createApiClient({ csrfToken: 'old', fetch, onUnauthorized: (e) => refused.push(e) });
    await expect(api.listTechnicians()).rejects.toMatchObject({ status: 401, unauthorized: true });
    expect(refused.map((e) => e.status)).toEqual([401]);
  });

  it('keeps the session on a 403: one action was refused to this role, not the session', async () => {
    const refused: unknown[] = [];
    const { fetch } = fakeFetch(() => json({ error: { code: 'forbidden-role', message: 'your role (viewer) may not do this' } }, 403));
    const api = createApiClient({ csrfToken: 't', fetch, onUnauthorized: (e) => refused.push(e) });
    await expect(api.revokeTechnician('tech-1')).rejects.toMatchObject({ status: 403, code: 'forbidden-role', unauthorized: false });
    expect(refused).toEqual([]);
  });

  it('does not sign out on other failures', async () => {
    const refused: unknown[] = [];
    const { fetch } = fakeFetch(() => json({ error: { code: 'not-found', message: 'no such form' } }, 404));
    const api = createApiClient({ csrfToken: 't', fetch, onUnauthorized: (e) => refused.push(e) });
    await expect(api.getForm('nope')).rejects.toMatchObject({ status: 404, unauthorized: false });
    expect(refused).toEqual([]);
  });

  it('refuses a 2xx answer that is not JSON or lacks what the page needs, naming the field', async () => {
    const notJson = fakeFetch(() => new Response('<html></html>'));
    await expect(createApiClient({ csrfToken: 't', fetch: notJson.fetch }).listTechnicians()).rejects.toMatchObject({ code: 'bad-response' });
    const missing = fakeFetch(() => json({ forms: [] }));
    await expect(createApiClient({ csrfToken: 't', fetch: missing.fetch }).listForms({}, null)).rejects.toMatchObject({ code: 'bad-response', message: `${API.admin.forms} answered without a valid "nextCursor"` });
    const wrongType = fakeFetch(() => json({ created: '2', errors: [] }));
    await expect(createApiClient({ csrfToken: 't', fetch: wrongType.fetch }).importVisitsCsv('')).rejects.toMatchObject({ code: 'bad-response', message: expect.stringContaining('"created"') });
  });
});

describe('filenameFromDisposition', () => {
  it('prefers the RFC 5987 UTF-8 name', () => {
    expect(filenameFromDisposition(`attachment; filename="forms.csv"; filename*=UTF-8''%E6%9C%8D%E5%8A%A1%E5%8D%95.csv`, 'x')).toBe('服务单.csv');
  });
  it('reads a quoted or bare name and keeps it a plain file name', () => {
    expect(filenameFromDisposition('attachment; filename="a.csv"', 'x')).toBe('a.csv');
    expect(filenameFromDisposition('attachment; filename=b.ndjson', 'x')).toBe('b.ndjson');
    expect(filenameFromDisposition('attachment; filename="../../etc/passwd"', 'x')).toBe('.._.._etc_passwd');
    expect(filenameFromDisposition(`attachment; filename*=UTF-8''..%2Fx.csv`, 'x')).toBe('.._x.csv');
  });
  it('falls back when there is no usable name', () => {
    expect(filenameFromDisposition(null, 'fallback.csv')).toBe('fallback.csv');
    expect(filenameFromDisposition('attachment', 'fallback.csv')).toBe('fallback.csv');
    expect(filenameFromDisposition(`attachment; filename*=UTF-8''%E0%A4%A`, 'fallback.csv')).toBe('fallback.csv');
  });
});
