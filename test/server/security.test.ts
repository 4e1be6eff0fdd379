// Security basics (issue 5 §4), checked from outside: the headers of every kind of answer (the CSP
// parsed, not compared as a string), a whole session's log searched for every secret it handled,
// enrollment codes rate-limited and locked, a revoked token refused on the very next request (on a
// kept-alive socket too), secrets stored only hashed, and customer text carried as text.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, API_LIMITS } from '../../src/domain/api';
import type { SubmittedForm } from '../../src/domain/form-schema';
import { bodyOf, computeSealHash } from '../../src/domain/seal';
import { ensureAdminToken } from '../../src/server/auth/admin-token';
import { REPO_ROOT } from '../../src/server/config';
import { createServer } from '../../src/server/server';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import type { Storage } from '../../src/server/storage/storage';
import { openHarness, type Harness } from './api-harness';
import { bundleOf, ensureUser, makeForm, makeRival, registry, signInWith, sqliteFactory } from './helpers';

/** The CSP as directive → sources. */
function cspDirectives(header: string | null): Map<string, string[]> {
  expect(header, 'Content-Security-Policy').toBeTruthy();
  return new Map(header!.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...sources] = d.split(/\s+/);
    return [name!.toLowerCase(), sources] as const;
  }));
}

function expectSecurityHeaders(res: Response, what: string): void {
  const csp = cspDirectives(res.headers.get('content-security-policy'));
  const scripts = csp.get('script-src') ?? csp.get('default-src');
  expect(scripts, `${what}: script-src`).toBeDefined();
  for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", '*', 'data:', 'blob:', 'http:', 'https:']) {
    expect(scripts, `${what}: script-src`).not.toContain(unsafe);
  }
  expect(csp.get('frame-ancestors'), `${what}: frame-ancestors`).toEqual(["'none'"]);
  expect(csp.get('object-src') ?? csp.get('default-src'), `${what}: object-src`).toEqual(["'none'"]);
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'], `${what}: Referrer-Policy`).toContain(res.headers.get('referrer-policy'));
}

describe('security headers on every kind of answer', () => {
  let dir: string;
  let h: Harness;
  let token: string;
  let formId: string;
  const INDEX = '<!doctype html><title>app</title><script type="module" src="/assets/app-abc.js"></script>';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onsite-security-'));
    mkdirSync(join(dir, 'assets'));
    mkdirSync(join(dir, 'backoffice'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'backoffice', 'index.html'), '<!doctype html><title>back office</title>');
    writeFileSync(join(dir, 'assets', 'app-abc.js'), 'export {};');
    writeFileSync(join(dir, 'sw.js'), 'self.x = 1;');
    h = await openHarness(sqliteFactory(), { distDir: dir, enrollRateLimit: { max: 1, windowMs: 60_000 } });
    token = await h.enroll();
    const form = await makeForm();
    formId = form.form.id;
    await h.submit(token, [form]);
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const admin = (method = 'GET') => h.admin.headers(method);
  const answers: Array<[string, number, () => Response | Promise<Response>]> = [
    ['the app page', 200, () => h.app.request('/')],
    ['an app route served by the app page', 200, () => h.app.request('/visit/V-1')],
    ['the back-office page', 200, () => h.app.request('/backoffice/')],
    ['a static asset', 200, () => h.app.request('/assets/app-abc.js')],
    ['the service worker', 200, () => h.app.request('/sw.js')],
    ['a missing static file', 404, () => h.app.request('/assets/missing.js')],
    ['a path that is not percent-encoding', 400, () => h.app.request('/%E0%A4%A')],
    ['an API 200', 200, () => h.app.request(API.me, { headers: { authorization: `Bearer ${token}` } })],
    ['a form detail', 200, () => h.app.request(`${API.admin.forms}/${formId}`, { headers: admin() })],
    ['a signature image', 200, () => h.app.request(`${API.admin.forms}/${formId}/signature.png`, { headers: admin() })],
    ['a CSV export', 200, () => h.app.request(API.admin.exportCsv, { headers: admin() })],
    ['malformed JSON', 400, () => h.app.request(API.forms, { method: 'POST', body: '{', headers: { authorization: `Bearer ${token}` } })],
    ['no token', 401, () => h.app.request(API.visits)],
    ["a technician's token on the back office", 403, () => h.app.request(API.admin.forms, { headers: { authorization: `Bearer ${token}` } })],
    ['an unknown API path', 404, () => h.app.request('/api/v1/nothing')],
    ['a body past the limit', 413, () => h.app.request(API.forms, {
      method: 'POST', body: '{}', headers: { authorization: `Bearer ${token}`, 'content-length': String(API_LIMITS.maxBodyBytes + 1) },
    })],
    ['a bundle that is not JSON', 415, () => h.app.request(API.admin.import, { method: 'POST', body: 'x', headers: { ...admin('POST'), 'content-type': 'text/plain' } })],
    ['too many enrollment attempts', 429, async () => {
      await h.app.request(API.enroll, { method: 'POST', body: '{"code": "ZZZZZZZZZZ"}' });
      return h.app.request(API.enroll, { method: 'POST', body: '{"code": "ZZZZZZZZZZ"}' });
    }],
    ['a storage failure', 500, async () => {
      const failing = await openHarness(async () => ({ ...(await sqliteFactory()()), listVisits: async () => { throw new Error('disk on fire'); } }));
      const res = await failing.app.request(API.admin.visits, { headers: failing.admin.headers() });
      await failing.close();
      return res;
    }],
    ['the page of an unbuilt server', 503, async () => {
      const unbuilt = await openHarness(sqliteFactory(), { distDir: join(dir, 'not-built') });
      const res = await unbuilt.app.request('/');
      await unbuilt.close();
      return res;
    }],
  ];

  it.each(answers)('%s (%i)', async (what, status, request) => {
    const res = await request();
    expect(res.status).toBe(status);
    expectSecurityHeaders(res, what);
  });

  it('sends them through a real socket too, on a page and on an API answer', async () => {
    const server = await createServer({ storage: h.storage, checklists: registry, distDir: dir, port: 0, log: () => {} });
    try {
      for (const path of ['/', API.me, '/api/v1/nothing']) expectSecurityHeaders(await fetch(`${server.url}${path}`), path);
    } finally {
      await server.close();
    }
  });

  it('answers a path holding markup with the page file itself or a plain 404, never echoing the path into HTML', async () => {
    const markup = encodeURIComponent('<script>alert(1)</script>');
    const page = await h.app.request(`/backoffice/forms/${markup}`);
    expect(await page.text()).toBe('<!doctype html><title>back office</title>');
    const missing = await h.app.request(`/assets/${markup}.js`);
    expect(missing.headers.get('content-type')).toMatch(/^text\/plain\b/);
    expect(await missing.text()).not.toContain('script');
  });

  it('serves pages whose scripts all come from files, so the CSP without unsafe-inline runs them', () => {
    for (const page of ['index.html', join('backoffice', 'index.html')]) {
      const html = readFileSync(join(REPO_ROOT, page), 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length, page).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(attributes, page).toMatch(/\bsrc=/);
        expect(body!.trim(), page).toBe('');
      }
      expect(html, page).not.toMatch(/\son[a-z]+\s*=|javascript:|\sstyle\s*=/i);
    }
  });
});

/** A sealed form with this customer phone number (the phone is outside the event log, so sealing again is enough). */
async function withPhone(submitted: SubmittedForm, phone: string): Promise<SubmittedForm> {
  const copy = structuredClone(submitted);
  copy.form.customer.phone = phone;
  copy.form.seal.hash = await computeSealHash(bodyOf(copy.form), Buffer.from(copy.signaturePng, 'base64'));
  return copy;
}

describe('the log of a whole session', () => {
  it('holds no token, enrollment code, phone number, signature or customer name', async () => {
    const failOnce = { conflicts: true };
    const h = await openHarness(async () => {
      const storage = await sqliteFactory()();
      return {
        ...storage,
        getConflictSubmission: async (...args: Parameters<Storage['getConflictSubmission']>) => {
          if (failOnce.conflicts) throw new Error('SQLITE_IOERR: disk I/O error');
          return storage.getConflictSubmission(...args);
        },
      };
    });
    const TECH_PHONE = '+86 186 5555 0101';
    const CUSTOMER_PHONE = '0571-8765 4321';
    const VISIT_PHONE = '139 1234 5678';
    const admin = (json?: unknown) => (json === undefined ? {} : { json });
    await h.call('POST', API.admin.technicians, admin({ id: 'tech-1', name: '张师傅', phone: TECH_PHONE }));
    await h.call('POST', API.admin.visits, admin({
      technicianId: 'tech-1', scheduledDate: '2026-03-12', firstVisit: false, notes: `回访 ${VISIT_PHONE}`,
      customer: { name: '绿城物业', phone: VISIT_PHONE, address: '某区某路 8 号' }, equipment: { type: '洗扫车', model: '', serial: '' },
    }));
    const { code } = (await h.call('POST', `${API.admin.technicians}/tech-1/code`)).body as { code: string };
    const typo = `${code.slice(0, 9)}${code[9] === '2' ? '3' : '2'}`;
    await h.call('POST', API.enroll, { token: null, json: { code: typo } });
    const token = (await h.call('POST', API.enroll, { token: null, json: { code: `${code.slice(0, 5).toLowerCase()}-${code.slice(5)}` } })).body.token as string;

    const form = await withPhone(await makeForm({ dispute: '客户说收费太贵' }), CUSTOMER_PHONE);
    const rival = await withPhone(await makeRival(form), CUSTOMER_PHONE);
    await h.call('GET', API.me, { token });
    await h.call('GET', API.visits, { token });
    await h.submit(token, [form, rival, { ...form, signaturePng: 'AAAA' }], { 'x-device-time': '2026-03-10T08:00:05.000Z' });
    await h.submit(token, [form]);
    await h.call('POST', API.forms, { token, body: `{"forms": ["${token}", "${CUSTOMER_PHONE}"`, headers: { 'content-type': 'application/json' } });
    await h.call('GET', API.me, { token: `${token.slice(0, -1)}x` });

    await h.call('GET', `${API.admin.forms}?technician=tech-1&from=2026-03-01`);
    await h.call('GET', `${API.admin.forms}?phone=${encodeURIComponent(CUSTOMER_PHONE)}`);
    await h.call('GET', `${API.admin.forms}/${form.form.id}`);
    await h.call('GET', `${API.admin.forms}/${form.form.id}/signature.png`);
    await h.call('GET', `${API.admin.conflicts}/${form.form.id}/${rival.form.seal.hash}`);
    failOnce.conflicts = false;
    await h.call('GET', API.admin.disputes);
    await h.call('POST', `${API.admin.disputes}/${form.form.id}/resolve`, admin({ note: `已电话 ${CUSTOMER_PHONE} 回访` }));
    await h.call('GET', API.admin.exportCsv);
    await h.call('GET', API.admin.exportNdjson);
    await h.call('POST', API.admin.import, { body: bundleOf([form]), headers: { 'content-type': 'application/json' } });
    await h.call('GET', API.admin.technicians);
    await h.call('GET', API.admin.visits, { token });
    await h.call('POST', `${API.admin.technicians}/tech-1/revoke`);
    await h.call('GET', API.me, { token });

    expect(h.logs.some((line) => line.startsWith('error GET /api/v1/admin/conflicts/'))).toBe(true);
    for (const line of h.logs) expect(line).toMatch(/^((GET|POST) \/[^\s?]* \d{3} \d+ms|error (GET|POST) \/[^\s?]*: [^\n]*)$/);
    const log = h.logs.join('\n');
    const digits = (phone: string) => phone.replace(/\D/g, '');
    const [tokenId, tokenSecret] = token.split('.');
    const secrets = {
      token, tokenId, tokenSecret, adminToken: h.adminToken, code, typo, codeLower: code.toLowerCase(),
      TECH_PHONE, CUSTOMER_PHONE, VISIT_PHONE, customerPhoneInUrl: encodeURIComponent(CUSTOMER_PHONE), techDigits: digits(TECH_PHONE), customerDigits: digits(CUSTOMER_PHONE), visitDigits: digits(VISIT_PHONE),
      signature: form.signaturePng, signatureStart: form.signaturePng.slice(0, 24), signatureMiddle: form.signaturePng.slice(150, 174),
      signatureHash: form.form.signature.sha256, customerName: form.form.customer.name, address: form.form.customer.address,
    };
    for (const [name, secret] of Object.entries(secrets)) expect(log, name).not.toContain(secret);
    await h.close();
  });
});

describe('enrollment codes', () => {
  let h: Harness;
  beforeAll(async () => {
    // the server's own default limit; the client address comes from a test header
    h = await openHarness(sqliteFactory(), { enrollRateLimit: undefined, clientAddress: (c) => c.req.header('x-test-client') ?? 'unknown' });
  });
  afterAll(async () => {
    await h.close();
  });
  const codeFor = async (id: string) => {
    await h.call('POST', API.admin.technicians, { json: { id, name: id } });
    return (await h.call('POST', `${API.admin.technicians}/${id}/code`)).body.code as string;
  };
  const attempt = (code: string, client: string) => h.call('POST', API.enroll, { token: null, json: { code }, headers: { 'x-test-client': client } });
  const wrong = (code: string, n: number) => `${code.slice(0, 4)}${'23456789ABCDEFGH'[n]!.repeat(6)}`;

  it('locks a code after five wrong guesses from any addresses: the right code is refused from then on, a new code works', async () => {
    const code = await codeFor('tech-lock');
    const guesses = [];
    for (let i = 0; i < 5; i++) guesses.push((await attempt(wrong(code, i), `10.0.0.${i}`)).status);
    expect(guesses).toEqual([401, 401, 401, 401, 423]);
    expect((await attempt(code, '10.0.1.1')).body.error.code).toBe('code-locked');
    h.clock.advance(23 * 60 * 60_000);
    expect((await attempt(code, '10.0.1.2')).status).toBe(423);
    h.clock.advance(-23 * 60 * 60_000);
    const fresh = await h.call('POST', `${API.admin.technicians}/tech-lock/code`);
    expect((await attempt(fresh.body.code, '10.0.1.3')).status).toBe(200);
  });

  it('limits one address to 10 attempts per 10 minutes, even with the right code, leaving other addresses and the code alone', async () => {
    const code = await codeFor('tech-limit');
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await attempt(`ZZZZ${'23456789AB'[i]!.repeat(6)}`, '10.0.2.1')).status);
    expect(statuses).toEqual(Array(10).fill(401));
    const limited = await attempt(code, '10.0.2.1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.error.message).toMatch(/too many enrollment attempts/);
    h.clock.advance(10 * 60_000);
    const later = await attempt(code, '10.0.2.1');
    expect(later.status).toBe(200);
    expect(later.body.technician.id).toBe('tech-limit');
  });

  it('does not trust X-Forwarded-For on a real socket: a new header buys no new attempts', async () => {
    const storage = await sqliteFactory()();
    const server = await createServer({ storage, checklists: registry, distDir: null, port: 0, log: () => {} });
    try {
      const statuses = [];
      for (let i = 0; i < 11; i++) {
        const res = await fetch(`${server.url}${API.enroll}`, {
          method: 'POST', body: JSON.stringify({ code: 'ZZZZZZZZZZ' }), headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` },
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([...Array(10).fill(401), 429]);
    } finally {
      await server.close();
      await storage.close();
    }
  });
});

describe('tokens', () => {
  let dir: string;
  let storage: Storage;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'onsite-tokens-'));
    storage = openSqliteStorage({ path: join(dir, 'onsite.sqlite') });
  });
  afterAll(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a revoked technician's token on the very next request, on the phone's kept-alive connection, and stores nothing it sent", async () => {
    const adminToken = (await ensureAdminToken(storage, new Date()))!;
    const server = await createServer({ storage, checklists: registry, distDir: null, port: 0, log: () => {} });
    const admin = await signInWith((path, init) => fetch(`${server.url}${path}`, init), (await ensureUser(storage, 'admin')).name);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, token: string, body?: string) => new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
      const req = http.request(`${server.url}${path}`, { method, agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, reused: req.reusedSocket }));
      });
      req.on('error', reject);
      req.end(body);
    });
    try {
      const post = (path: string, json: unknown) => fetch(`${server.url}${path}`, {
        method: 'POST', body: JSON.stringify(json), headers: { ...admin.headers('POST'), 'content-type': 'application/json' },
      });
      await post(API.admin.technicians, { id: 'tech-1', name: '张师傅' });
      const { code } = (await (await post(`${API.admin.technicians}/tech-1/code`, {})).json()) as { code: string };
      const { token } = (await (await fetch(`${server.url}${API.enroll}`, { method: 'POST', body: JSON.stringify({ code }) })).json()) as { token: string };
      expect(await send('GET', API.me, token)).toEqual({ status: 200, reused: false });
      expect((await post(`${API.admin.technicians}/tech-1/revoke`, {})).status).toBe(200);
      expect(await send('GET', API.me, token)).toEqual({ status: 401, reused: true });
      expect((await send('POST', API.forms, token, JSON.stringify({ forms: [await makeForm()] }))).status).toBe(401);
      expect((await storage.listForms({}, { after: null, limit: 10 })).forms).toEqual([]);

      // tokens, codes and session ids are kept only as hashes: none of them is anywhere in the database's files
      const files = readdirSync(dir).map((name) => readFileSync(join(dir, name)));
      for (const secret of [token, token.split('.')[1]!, adminToken, code, admin.cookie.split('=')[1]!]) {
        for (const bytes of files) expect(bytes.includes(secret)).toBe(false);
      }
    } finally {
      agent.destroy();
      await server.close();
    }
  });
});

describe('customer text in the back office', () => {
  const SCRIPT = '<script>alert(1)</script>';
  let h: Harness;
  let form: SubmittedForm;
  beforeAll(async () => {
    h = await openHarness(sqliteFactory());
    await h.call('POST', API.admin.technicians, { json: { id: 'tech-1', name: `<b>${SCRIPT}</b>` } });
    const token = await h.enroll('tech-1');
    form = await makeForm({ text: SCRIPT, technicianName: SCRIPT, dispute: '<img src=x onerror=alert(1)>' });
    expect((await h.submit(token, [form])).body.results[0].status).toBe('accepted');
  });
  afterAll(async () => {
    await h.close();
  });

  it('comes back from every back-office view as JSON text, exactly as signed, never escaped or dropped', async () => {
    const detail = await h.call('GET', `${API.admin.forms}/${form.form.id}`);
    expect(detail.headers.get('content-type')).toMatch(/^application\/json\b/);
    expect(detail.body.form).toEqual(form.form);
    expect(detail.text).toContain(JSON.stringify(SCRIPT).slice(1, -1));
    expect(detail.text).not.toContain('&lt;script');
    const list = await h.call('GET', API.admin.forms);
    expect(list.body.forms[0]).toMatchObject({ customerName: SCRIPT, equipmentType: SCRIPT, technicianName: `<b>${SCRIPT}</b>` });
    const disputes = await h.call('GET', API.admin.disputes);
    expect(disputes.body.disputes[0]).toMatchObject({ customerName: SCRIPT, incidents: expect.arrayContaining([expect.objectContaining({ detail: '<img src=x onerror=alert(1)>' })]) });
    const ndjson = await h.call('GET', API.admin.exportNdjson);
    expect(JSON.parse(ndjson.text.trim()).form).toEqual(form.form);
    const csv = await h.call('GET', API.admin.exportCsv);
    expect(csv.text).toContain(`"${SCRIPT}"`);
    for (const res of [detail, list, disputes, ndjson, csv]) expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('never reflects a request into HTML: error answers are JSON or plain text', async () => {
    const encoded = encodeURIComponent(SCRIPT);
    for (const path of [`/api/v1/${encoded}`, `${API.admin.forms}/${encoded}`, `${API.admin.conflicts}/${encoded}/${encoded}`]) {
      const res = await h.call('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json\b/);
    }
  });
});
