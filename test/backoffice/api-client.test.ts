// The API client against a fake fetch: the token on every request, the paths and query strings,
// request bodies, every answer validated by its schema, and every kind of failure turned into an
// ApiClientError a page can show. Then against the real server (app.request, SQLite): every answer
// the server gives passes the schemas the client reads it with.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, XLSX_MEDIA_TYPE, type ConflictRecord, type DisputeEvent, type DisputeRecord, type FormDetail, type FormFilter, type FormSummary } from '../../src/domain/api';
import { ApiClientError, createApiClient, filenameFromDisposition, formsQuery, FORMS_PAGE_SIZE, type ApiClient, type FetchLike } from '../../src/backoffice/api-client';
import { sealedForm } from '../fixtures/visits';
import { openHarness, type Harness } from '../server/api-harness';
import { bundleOf, makeForm, makeRival, sqliteFactory } from '../server/helpers';

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
const summary: FormSummary = {
  id: '0b0e6f3e-4d55-4b7c-9a52-6f1c2d3e4f50', visitId: 'V-1', visitDate: '2026-03-10', technicianId: 'tech-1', technicianName: '张师傅',
  customerName: '某市环卫处', equipmentType: '洗扫车', satisfaction: 5, dispute: false, conductBreach: false, disputeResolved: false,
  state: 'accepted', sealedAt: '2026-03-10T03:00:00.000Z', receivedAt: '2026-03-10T03:00:05.000Z', clockDriftMs: null,
};
const dispute: DisputeRecord = {
  formId: summary.id, visitDate: '2026-03-10', technicianName: '张', customerName: '王',
  incidents: [{ kind: 'dispute', rule: 'no-arguing', detail: '用户对收费有异议', at: '2026-03-10T02:00:00.000Z' }],
  receivedAt: '2026-03-10T03:00:05.000Z', ageMs: 3_600_000, assignee: null, resolvedAt: null, outcome: null, resolutionNote: null,
};
const disputeEvent: DisputeEvent = {
  id: 1, at: '2026-03-10T04:00:00.000Z', userId: 'U-1', userName: '李', kind: 'assigned', note: null, outcome: null, assignee: { id: 'U-1', name: '李' },
};
const conflict: ConflictRecord = { formId: summary.id, receivedAt: '2026-03-10T04:00:00.000Z', hash: 'a'.repeat(64), originalHash: 'b'.repeat(64), technicianId: 'tech-1' };
const detail = async (): Promise<FormDetail> => ({ summary, form: (await sealedForm()).form, sealCheck: 'verified', device: null, conflicts: [conflict] });

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

  it('asks for one serial\'s history with its cursor, and the dashboard with its period', async () => {
    const entry = {
      formId: 'a', visitDate: '2026-03-02', technicianId: 'tech-1', technicianName: '张师傅', faultFound: '碳刷磨损', workDone: '更换碳刷',
      partsUsed: [{ name: '碳刷', quantity: 2 }], satisfaction: 5, dispute: false, conductBreach: false,
    };
    const dashboardAnswer = {
      query: { from: '2026-03-01', to: '2026-03-31', technician: 'tech 1' }, forms: 0, days: [], weeks: [], satisfaction: [0, 0, 0, 0, 0],
      declinedOffers: { cigarette: 0, 'food-drink': 0, gift: 0 }, technicians: [],
    };
    const { fetch, calls } = fakeFetch((call) => (call.url.includes('equipment') ? json({ serial: 'SN 1/2', forms: [entry], nextCursor: null }) : json(dashboardAnswer)));
    const api = createApiClient({ csrfToken: 't', fetch });
    expect(await api.equipmentHistory('SN 1/2', 'c+1', 20)).toEqual({ serial: 'SN 1/2', forms: [entry], nextCursor: null });
    const history = new URL(calls[0]!.url, 'http://x');
    expect([history.pathname, Object.fromEntries(history.searchParams)]).toEqual([API.admin.equipmentHistory, { serial: 'SN 1/2', limit: '20', cursor: 'c+1' }]);
    expect(await api.dashboard({ from: '2026-03-01', to: '2026-03-31', technician: 'tech 1' })).toEqual(dashboardAnswer);
    const dashboard = new URL(calls[1]!.url, 'http://x');
    expect([dashboard.pathname, Object.fromEntries(dashboard.searchParams)]).toEqual([API.admin.dashboard, { from: '2026-03-01', to: '2026-03-31', technician: 'tech 1' }]);
  });

  it('refuses a dashboard answer without its series, or a history entry without its fields, naming what is missing', async () => {
    const { fetch } = fakeFetch(() => json({ query: { from: '2026-03-01', to: '2026-03-02' }, forms: 0, days: [], satisfaction: [0, 0, 0, 0, 0], declinedOffers: { cigarette: 0, 'food-drink': 0, gift: 0 }, technicians: [] }));
    const error = await createApiClient({ csrfToken: 't', fetch }).dashboard({ from: '2026-03-01', to: '2026-03-02' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'bad-response', fieldErrors: [{ path: 'weeks' }] });
    const partial = fakeFetch(() => json({ serial: 'SN-1', forms: [{ formId: 'a' }], nextCursor: null }));
    const refused = await createApiClient({ csrfToken: 't', fetch: partial.fetch }).equipmentHistory('SN-1', null).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'bad-response' });
    expect((refused as ApiClientError).fieldErrors[0]).toMatchObject({ path: 'forms[0].visitDate' });
  });

  it('asks for the first page without a cursor, with the default page size', () => {
    expect(formsQuery({}, null)).toBe(`limit=${FORMS_PAGE_SIZE}`);
    expect(formsQuery({ dispute: true }, null, 5)).toBe('dispute=true&limit=5');
  });

  it('reads a last page (nextCursor null)', async () => {
    const { fetch } = fakeFetch(() => json({ forms: [summary], nextCursor: null }));
    expect(await createApiClient({ csrfToken: 't', fetch }).listForms({}, 'c')).toEqual({ forms: [summary], nextCursor: null });
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
    expect(await createApiClient({ csrfToken: 't', fetch }).importVisits('a,b\n1,2\n')).toEqual(result);
    expect(calls[0]?.url).toBe(API.admin.visitsImport);
    expect(calls[0]?.init.body).toBe('a,b\n1,2\n');
    expect(header(calls[0], 'Content-Type')).toBe('text/csv; charset=utf-8');
  });

  it('posts a chosen file as its own bytes, typed by its name (not by what Windows calls it), so the server can tell GB18030 and .xlsx', async () => {
    const { fetch, calls } = fakeFetch(() => json({ created: 0, errors: [] }));
    const api = createApiClient({ csrfToken: 't', fetch });
    const gbk = new Blob([new Uint8Array([0xc4, 0xe3, 0xba, 0xc3])], { type: 'application/vnd.ms-excel' });
    await api.importVisits(gbk, '派单.CSV');
    expect(calls[0]?.init.body).toBe(gbk);
    expect(header(calls[0], 'Content-Type')).toBe('text/csv');
    const xlsx = new Blob([new Uint8Array([0x50, 0x4b, 0x03, 0x04])]);
    await api.importVisits(xlsx, '派单.xlsx');
    expect(calls[1]?.init.body).toBe(xlsx);
    expect(header(calls[1], 'Content-Type')).toBe(XLSX_MEDIA_TYPE);
  });

  it('downloads the visits template as CSV or .xlsx, with the name the server gives it', async () => {
    const { fetch, calls } = fakeFetch(() => new Response('"派单编号"\r\n', {
      headers: { 'Content-Type': 'text/csv', 'Content-Disposition': `attachment; filename="visits-template.csv"; filename*=UTF-8''%E6%B4%BE%E5%8D%95%E6%A8%A1%E6%9D%BF.csv` },
    }));
    const api = createApiClient({ csrfToken: 't', fetch });
    const csv = await api.downloadVisitTemplate('csv');
    expect(csv.filename).toBe('派单模板.csv');
    expect(await csv.blob.text()).toBe('"派单编号"\r\n');
    await api.downloadVisitTemplate('xlsx');
    expect(calls.map((c) => c.url)).toEqual([API.admin.visitsTemplateCsv, API.admin.visitsTemplateXlsx]);
    expect(header(calls[1], 'Accept')).toBe(XLSX_MEDIA_TYPE);
  });

  it('posts a bundle file unchanged and reads the import summary', async () => {
    const summary = { accepted: 1, duplicate: 0, conflict: 0, rejected: 1, results: [{ index: 1, id: null, status: 'rejected', errors: [{ path: 'form', message: 'expected object' }] }] };
    const { fetch, calls } = fakeFetch(() => json(summary));
    const bundle = '{"format":"onsite.bundle"}';
    expect(await createApiClient({ csrfToken: 't', fetch }).importBundle(bundle)).toEqual(summary);
    expect(calls[0]?.url).toBe(API.admin.import);
    expect(calls[0]?.init.body).toBe(bundle);
  });

  it('lists disputes by status and filter, reads one with its thread, and sends each change to its own path', async () => {
    const resolved = { ...dispute, resolvedAt: '2026-03-10T05:00:00.000Z', outcome: 'compensated' as const, resolutionNote: 'ok' };
    const { fetch, calls } = fakeFetch((call) => {
      if (call.url.endsWith('/assignees')) return json({ assignees: [{ id: 'U-1', name: '李' }] });
      if (call.init.method === 'POST' || !call.url.includes('?')) return json({ dispute: resolved, events: [disputeEvent] });
      return json({ disputes: [dispute] });
    });
    const api = createApiClient({ csrfToken: 't', fetch });
    expect(await api.listDisputes('resolved')).toEqual([dispute]);
    await api.listDisputes('open', { assignee: 'mine', overdue: true });
    await api.listDisputes('open', { assignee: { userId: 'U 1&x' } });
    await api.listDisputes('open', { assignee: 'unassigned', overdue: false });
    expect(await api.listDisputeAssignees()).toEqual([{ id: 'U-1', name: '李' }]);
    expect(await api.getDispute('f-1')).toEqual({ dispute: resolved, events: [disputeEvent] });
    await api.assignDispute('f-1', 'U-1');
    await api.assignDispute('f-1', null);
    await api.addDisputeNote('f-1', '已联系');
    expect((await api.resolveDispute('f-1', 'compensated', '已电话回访')).dispute.resolutionNote).toBe('ok');
    await api.reopenDispute('f-1', '客户再次来电');
    expect(calls.map((c) => [c.init.method ?? 'GET', c.url])).toEqual([
      ['GET', `${API.admin.disputes}?status=resolved`],
      ['GET', `${API.admin.disputes}?status=open&assignee=mine&overdue=true`],
      ['GET', `${API.admin.disputes}?status=open&assignee=U+1%26x`],
      ['GET', `${API.admin.disputes}?status=open&assignee=unassigned`],
      ['GET', `${API.admin.disputes}/assignees`],
      ['GET', `${API.admin.disputes}/f-1`],
      ['POST', `${API.admin.disputes}/f-1/assign`],
      ['POST', `${API.admin.disputes}/f-1/assign`],
      ['POST', `${API.admin.disputes}/f-1/notes`],
      ['POST', `${API.admin.disputes}/f-1/resolve`],
      ['POST', `${API.admin.disputes}/f-1/reopen`],
    ]);
    expect(calls.slice(6).map((c) => JSON.parse(String(c.init.body)))).toEqual([
      { userId: 'U-1' }, { userId: null }, { text: '已联系' }, { outcome: 'compensated', note: '已电话回访' }, { note: '客户再次来电' },
    ]);
    expect(calls.slice(6).every((c) => header(c, 'X-CSRF-Token') === 't')).toBe(true);
  });

  it('refuses a dispute answer with an unknown outcome, a negative age or an unknown thread kind, naming the path', async () => {
    expect(await answered((api) => api.getDispute('f'), { dispute: { ...dispute, outcome: 'forgotten' }, events: [] }))
      .toMatchObject({ code: 'bad-response', fieldErrors: [{ path: 'dispute.outcome' }] });
    expect(await answered((api) => api.listDisputes('open'), { disputes: [{ ...dispute, ageMs: -1 }] }))
      .toMatchObject({ code: 'bad-response', fieldErrors: [{ path: 'disputes[0].ageMs' }] });
    expect(await answered((api) => api.addDisputeNote('f', 'x'), { dispute, events: [{ ...disputeEvent, kind: 'erased' }] }))
      .toMatchObject({ code: 'bad-response', fieldErrors: [{ path: 'events[0].kind' }] });
    expect(await answered((api) => api.listDisputeAssignees(), { assignees: [{ id: 'U-1' }] }))
      .toMatchObject({ code: 'bad-response', fieldErrors: [{ path: 'assignees[0].name' }] });
  });

  it('reads a form detail, the sealed form checked as the server checked it on arrival', async () => {
    const answer = await detail();
    const good = fakeFetch(() => json(answer));
    expect(await createApiClient({ csrfToken: 't', fetch: good.fetch }).getForm('f-1')).toEqual(answer);
    expect(good.calls[0]?.url).toBe(`${API.admin.forms}/f-1`);
    const odd = fakeFetch(() => json({ ...answer, sealCheck: 'maybe' }));
    await expect(createApiClient({ csrfToken: 't', fetch: odd.fetch }).getForm('f-1')).rejects.toMatchObject({ code: 'bad-response', fieldErrors: [{ path: 'sealCheck' }] });
  });

  it('lists the conflicts and reads an enrollment code', async () => {
    const { fetch } = fakeFetch((call) => call.url.endsWith('/code') ? json({ code: 'ABC123', expiresAt: '2026-03-10T02:00:00Z' }) : json({ conflicts: [conflict] }));
    const api = createApiClient({ csrfToken: 't', fetch });
    expect(await api.listConflicts()).toEqual([conflict]);
    expect(await api.createEnrollmentCode('tech-1')).toEqual({ code: 'ABC123', expiresAt: '2026-03-10T02:00:00Z' });
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

});

/** What the client does with a 2xx answer `body`: the value it resolves with, or the ApiClientError. */
async function answered(call: (api: ApiClient) => Promise<unknown>, body: unknown): Promise<unknown> {
  const { fetch } = fakeFetch(() => json(body));
  return call(createApiClient({ csrfToken: 't', fetch })).catch((error: unknown) => error);
}

describe('a bad answer from the server', () => {
  it('is refused when it is not JSON, naming the endpoint', async () => {
    const { fetch } = fakeFetch(() => new Response('<html></html>'));
    await expect(createApiClient({ csrfToken: 't', fetch }).listTechnicians()).rejects.toMatchObject({
      status: 200, code: 'bad-response', message: `${API.admin.technicians} answered with something other than JSON`,
    });
  });

  it('is refused when a field is missing, naming the endpoint (without its query) and the field', async () => {
    const error = await answered((api) => api.listForms({ dispute: true }, null), { forms: [] });
    expect(error).toBeInstanceOf(ApiClientError);
    expect(error).toMatchObject({ code: 'bad-response', message: `${API.admin.forms} answered with nextCursor: expected string, got nothing`, fieldErrors: [{ path: 'nextCursor' }] });
  });

  it('is refused when a value deep in a record has the wrong type, naming its path and what came', async () => {
    const error = await answered((api) => api.listForms({}, null), { forms: [summary, { ...summary, satisfaction: '5' }], nextCursor: null });
    expect(error).toMatchObject({ code: 'bad-response', fieldErrors: [{ path: 'forms[1].satisfaction', message: 'expected number, got "5"' }] });
    expect((error as Error).message).toContain('forms[1].satisfaction: expected number, got "5"');
    const wrongCount = await answered((api) => api.importVisits(''), { created: '2', errors: [] });
    expect(wrongCount).toMatchObject({ code: 'bad-response', fieldErrors: [{ path: 'created' }] });
  });

  it('is refused when a record carries a field the page does not know, or is null, or a list', async () => {
    expect(await answered((api) => api.createTechnician({ name: '张' }), { technician: { ...technician, role: 'admin' } }))
      .toMatchObject({ code: 'bad-response', fieldErrors: [{ path: 'technician.role', message: 'unknown field "role"' }] });
    expect(await answered((api) => api.listConflicts(), null)).toMatchObject({ code: 'bad-response', fieldErrors: [{ path: '(root)' }] });
    expect(await answered((api) => api.listDisputes('open'), [dispute])).toMatchObject({ code: 'bad-response', fieldErrors: [{ path: '(root)' }] });
  });

  it('is refused when the sealed form in a detail is not a valid form, naming where in the form', async () => {
    const answer = await detail();
    const error = await answered((api) => api.getForm(summary.id), { ...answer, form: { ...answer.form, id: 'not-a-uuid', satisfaction: 9 } });
    expect(error).toMatchObject({ code: 'bad-response' });
    expect((error as ApiClientError).fieldErrors.map((e) => e.path)).toEqual(['form.id', 'form.satisfaction']);
  });

  it('names the first problems in its message and keeps every one in fieldErrors', async () => {
    const broken = Array.from({ length: 5 }, (_, i) => ({ ...technician, id: i }));
    const error = await answered((api) => api.listTechnicians(), { technicians: broken }) as ApiClientError;
    expect(error.fieldErrors.map((e) => e.path)).toEqual([0, 1, 2, 3, 4].map((i) => `technicians[${i}].id`));
    expect(error.message).toMatch(/technicians\[2\]\.id: expected string, got number 2 \(and 2 more\)$/);
    expect(error.message).not.toContain('technicians[3]');
  });

  it('never crashes the client: any JSON answer either passes the schema or is refused as bad-response', async () => {
    const calls: Array<(api: ApiClient) => Promise<unknown>> = [
      (api) => api.listTechnicians(), (api) => api.createTechnician({ name: '张' }), (api) => api.createEnrollmentCode('t'),
      (api) => api.revokeTechnician('t'), (api) => api.listVisits(), (api) => api.createVisit({} as never), (api) => api.importVisits(''),
      (api) => api.listForms({}, null), (api) => api.getForm('f'), (api) => api.listDisputes('open'), (api) => api.resolveDispute('f', 'other', 'n'),
      (api) => api.getDispute('f'), (api) => api.assignDispute('f', null), (api) => api.addDisputeNote('f', 'n'), (api) => api.reopenDispute('f', 'n'),
      (api) => api.listDisputeAssignees(),
      (api) => api.listConflicts(), (api) => api.importBundle('{}'),
    ];
    await fc.assert(fc.asyncProperty(fc.constantFrom(...calls.keys()), fc.jsonValue(), async (which, body) => {
      const outcome = await answered(calls[which]!, body);
      if (outcome instanceof Error) expect(outcome).toMatchObject({ name: 'ApiClientError', code: 'bad-response' });
    }), { numRuns: 300 });
  });
});

describe('against the real server', () => {
  let h: Harness;
  let api: ApiClient;
  beforeAll(async () => {
    h = await openHarness(sqliteFactory());
    // the back office's own requests: the admin's session cookie rides along (the browser adds it), the client adds the CSRF token
    api = createApiClient({
      csrfToken: h.admin.csrfToken,
      fetch: async (url, init) => h.app.request(url, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers)), cookie: h.admin.cookie } }),
    });
  });
  afterAll(() => h.close());

  it('reads every answer it asks for through the schemas, as the back office uses them', async () => {
    const token = await h.enroll('tech-1', '张师傅');
    const created = await api.createTechnician({ name: '李师傅', phone: '139 0000 0000' });
    expect((await api.listTechnicians()).map((t) => t.id).sort()).toEqual(['tech-1', created.id].sort());
    expect((await api.createEnrollmentCode(created.id)).code).toMatch(/\S/);
    expect((await api.revokeTechnician(created.id)).revokedAt).not.toBeNull();

    const visit = await api.createVisit({
      technicianId: 'tech-1', scheduledDate: '2026-03-10', firstVisit: true, notes: '先打电话',
      customer: { name: '某市环卫处', phone: '138 0000 0000', address: '某路 1 号' }, equipment: { type: '洗扫车', model: 'XS-5000', serial: 'SN-1' },
    });
    expect(await api.listVisits('tech-1')).toEqual([visit]);
    const csv = 'id,technicianId,scheduledDate,firstVisit,customerName,customerPhone,customerAddress,equipmentType,equipmentModel,equipmentSerial,notes\n'
      + 'V-CSV-1,tech-1,2026-03-11,否,某区环卫所,,,扫路车,,,\nV-CSV-2,tech-1,not-a-date,否,某区环卫所,,,扫路车,,,\n';
    const imported = await api.importVisits(csv);
    expect(imported.created).toBe(1);
    expect(imported.errors.map((e) => e.column)).toEqual(['scheduledDate']);

    const plain = await makeForm({ seed: 1 });
    const disputed = await makeForm({ seed: 2, dispute: '用户对收费有异议' });
    expect((await h.submit(token, [plain, disputed, await makeRival(plain)])).status).toBe(200);
    const page = await api.listForms({}, null, 1);
    expect(page.forms).toHaveLength(1);
    expect((await api.listForms({}, page.nextCursor)).forms).toHaveLength(1);
    const shown = await api.getForm(plain.form.id);
    expect(shown.form).toEqual(plain.form);
    expect(shown.sealCheck).toBe('verified');
    expect(shown.conflicts).toHaveLength(1);
    expect((await api.listConflicts()).map((c) => c.formId)).toEqual([plain.form.id]);

    const [open] = await api.listDisputes('open');
    expect(open?.formId).toBe(disputed.form.id);
    expect((await api.assignDispute(disputed.form.id, h.admin.user.id)).dispute.assignee?.id).toBe(h.admin.user.id);
    expect((await api.listDisputes('open', { assignee: 'mine' })).map((d) => d.formId)).toEqual([disputed.form.id]);
    expect((await api.listDisputeAssignees()).map((a) => a.id)).toContain(h.admin.user.id);
    await api.addDisputeNote(disputed.form.id, '已联系客户');
    expect((await api.resolveDispute(disputed.form.id, 'resolved-with-customer', '已电话回访')).dispute.resolutionNote).toBe('已电话回访');
    expect((await api.listDisputes('resolved')).map((d) => d.formId)).toEqual([disputed.form.id]);
    expect((await api.reopenDispute(disputed.form.id, '客户再次来电')).dispute.resolvedAt).toBeNull();
    expect((await api.getDispute(disputed.form.id)).events.map((e) => e.kind)).toEqual(['assigned', 'noted', 'resolved', 'reopened']);
    await expect(api.reopenDispute(disputed.form.id, 'again')).rejects.toMatchObject({ status: 409, code: 'not-resolved' });

    const summary = await api.importBundle(bundleOf([await makeForm({ seed: 3 }), plain, { form: {} }]));
    expect(summary).toMatchObject({ accepted: 1, duplicate: 1, rejected: 1 });
    expect(summary.results[2]?.errors?.length).toBeGreaterThan(0);
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
