// Back-office accounts on one adapter, through app.request(): each role's allowed and refused routes,
// sign-in and its lockout and rate limit, CSRF and Origin, sessions that expire or end at once, the
// users page's changes, the first admin made with the admin token, and every change in the audit log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CSRF_HEADER, may, ROLES } from '../../src/domain/accounts';
import { API } from '../../src/domain/api';
import { createApp } from '../../src/server/app';
import { ensureAdminToken } from '../../src/server/auth/admin-token';
import { DEFAULT_SESSION_POLICY } from '../../src/server/auth/back-office';
import { ADMIN_ROUTE_RULES } from '../../src/server/auth/route-roles';
import type { Hono } from 'hono';
import { openHarness, reply, type Harness, type Reply } from './api-harness';
import { bundleOf, ensureUser, makeForm, registry, TEST_PASSWORD, TEST_SCRYPT, testClock, type StorageFactory } from './helpers';

const UUID0 = '00000000-0000-4000-8000-000000000000';
const VISITS_CSV = 'id,technicianId,scheduledDate,firstVisit,customerName,customerPhone,customerAddress,equipmentType,equipmentModel,equipmentSerial,notes\n'
  + 'V-9,tech-1,2026-03-12,no,客户,,,洗扫车,,,\n';

/** A concrete request for a route pattern: placeholder ids, an empty JSON body for a change. */
async function ask(app: { request: Hono['request'] }, path: string, init?: RequestInit): Promise<Reply> {
  return reply(await app.request(path, init));
}

function concrete(path: string): string {
  return path.replace(':formId', UUID0).replace(':hash', '0'.repeat(64)).replace(':id', 'x');
}

export function describeAccountsApi(name: string, factory: StorageFactory): void {
  describe(`back-office accounts: ${name}`, () => {
    let h: Harness;
    beforeEach(async () => {
      h = await openHarness(factory);
    });
    afterEach(async () => {
      await h.close();
    });

    const signInRaw = (json: unknown, headers: Record<string, string> = {}) => h.call('POST', API.session, { token: null, json, headers });
    const auditActions = async () => (await h.call('GET', `${API.admin.audit}?limit=500`)).body.entries
      .map((e: { action: string; userName: string; target: string }) => `${e.action} ${e.userName} ${e.target}`) as string[];

    describe('roles', () => {
      it('lets each role use exactly the routes its permissions allow, on the server', async () => {
        for (const role of ROLES) {
          const session = role === 'admin' ? h.admin : await h.signIn(role);
          for (const rule of ADMIN_ROUTE_RULES) {
            const res = await h.call(rule.method, concrete(rule.path), { as: session, ...(rule.method === 'GET' ? {} : { json: {} }) });
            const refused = res.status === 403 && res.body?.error?.code === 'forbidden-role';
            expect(refused, `${role} ${rule.method} ${rule.path}: ${res.status} ${res.text.slice(0, 120)}`).toBe(!may(role, rule.permission));
          }
        }
      });

      it('a viewer reads everything and changes nothing', async () => {
        const viewer = await h.signIn('viewer');
        await h.enroll();
        for (const path of [API.admin.forms, API.admin.technicians, API.admin.visits, API.admin.disputes, API.admin.conflicts]) {
          expect((await h.call('GET', path, { as: viewer })).status, path).toBe(200);
        }
        const refused = await h.call('POST', API.admin.technicians, { as: viewer, json: { name: '新师傅' } });
        expect(refused.status).toBe(403);
        expect(refused.body.error).toEqual({ code: 'forbidden-role', message: 'your role (viewer) may not do this; it needs admin' });
        expect((await h.call('GET', API.admin.exportCsv, { as: viewer })).status).toBe(403);
        expect((await h.call('GET', API.admin.audit, { as: viewer })).status).toBe(403);
        expect((await h.call('GET', API.admin.technicians)).body.technicians).toHaveLength(1);
      });

      it('customer service cannot revoke a technician, and the technician stays enrolled', async () => {
        const service = await h.signIn('customer-service');
        const token = await h.enroll();
        const res = await h.call('POST', `${API.admin.technicians}/tech-1/revoke`, { as: service });
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(/needs admin$/);
        expect((await h.call('GET', API.me, { token })).status).toBe(200);
        expect((await h.call('GET', API.admin.exportCsv, { as: service })).status).toBe(200);
      });

      it('a dispatcher creates visits but cannot export forms or resolve disputes', async () => {
        const dispatcher = await h.signIn('dispatcher');
        const tech = await h.enroll();
        const disputed = await makeForm({ dispute: '收费有争议' });
        await h.submit(tech, [disputed]);
        const visit = { technicianId: 'tech-1', scheduledDate: '2026-03-12', firstVisit: false,
          customer: { name: '客户', phone: '', address: '某路' }, equipment: { type: '洗扫车', model: '', serial: '' }, notes: '' };
        expect((await h.call('POST', API.admin.visits, { as: dispatcher, json: visit })).status).toBe(201);
        expect((await h.call('GET', API.admin.exportNdjson, { as: dispatcher })).status).toBe(403);
        expect((await h.call('POST', `${API.admin.disputes}/${disputed.form.id}/resolve`, { as: dispatcher, json: { note: 'x' } })).status).toBe(403);
        expect((await h.call('GET', `${API.admin.disputes}?status=open`)).body.disputes).toHaveLength(1);
      });
    });

    describe('sign-in', () => {
      it('answers a wrong password and an unknown name alike, and gives the session, its CSRF token and a strict cookie', async () => {
        const wrong = await signInRaw({ name: 'admin-user', password: 'not the password' });
        const unknown = await signInRaw({ name: 'nobody', password: 'not the password' });
        expect([wrong.status, unknown.status]).toEqual([401, 401]);
        expect(wrong.body).toEqual(unknown.body);
        const ok = await signInRaw({ name: ' Admin-User ', password: TEST_PASSWORD });
        expect(ok.status).toBe(200);
        expect(ok.body).toMatchObject({ user: { name: 'admin-user', role: 'admin' }, csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
        expect(ok.body.user.passwordHash).toBeUndefined();
        const cookie = ok.headers.get('set-cookie')!;
        expect(cookie).toMatch(/^onsite_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
        const session = await h.call('GET', API.session);
        expect(session.body).toMatchObject({ user: { name: 'admin-user' }, csrfToken: h.admin.csrfToken });
        expect((await h.call('GET', API.session, { token: null })).status).toBe(401);
      });

      it('marks the cookie Secure when the server is reached by any name but localhost', async () => {
        const res = await h.app.request('https://office.example.com/api/v1/session', {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'admin-user', password: TEST_PASSWORD }),
        });
        expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
      });

      it('locks the account after five failures in a row, even against the right password, until the lock passes or an admin unlocks', async () => {
        const clerk = await ensureUser(h.storage, 'customer-service');
        const statuses = [];
        for (let i = 0; i < DEFAULT_SESSION_POLICY.maxFailures; i++) statuses.push((await signInRaw({ name: clerk.name, password: `wrong ${i}` })).status);
        expect(statuses).toEqual([401, 401, 401, 401, 423]);
        const locked = await signInRaw({ name: clerk.name, password: TEST_PASSWORD });
        expect(locked.status).toBe(423);
        expect(locked.body.error).toMatchObject({ code: 'account-locked', message: expect.stringMatching(/until 2026-03-10T08:15:00.000Z; an admin can unlock it/) });
        h.clock.advance(DEFAULT_SESSION_POLICY.lockMs);
        expect((await signInRaw({ name: clerk.name, password: TEST_PASSWORD })).status).toBe(200);

        for (let i = 0; i < DEFAULT_SESSION_POLICY.maxFailures; i++) await signInRaw({ name: clerk.name, password: 'wrong again' });
        expect((await h.call('GET', API.admin.users)).body.users.find((u: { id: string }) => u.id === clerk.id).lockedUntil).not.toBeNull();
        expect((await h.call('PATCH', `${API.admin.users}/${clerk.id}`, { json: { unlock: true } })).body.user.lockedUntil).toBeNull();
        expect((await signInRaw({ name: clerk.name, password: TEST_PASSWORD })).status).toBe(200);
        const actions = await auditActions();
        expect(actions.filter((a) => a === `session.sign-in-failed (nobody) ${clerk.name}`)).toHaveLength(11);
        expect(actions).toContain(`user.unlocked admin-user ${clerk.name}`);
      });

      it('limits sign-in attempts per address, in the database: a second server on it counts with the first', async () => {
        const limits = { sessions: { signInRateLimit: { max: 3, windowMs: 60_000 } }, clientAddress: () => '10.9.9.9' };
        const first = await openHarness(async () => h.storage, limits);
        const second = await openHarness(async () => h.storage, limits);
        const attempt = (on: Harness) => on.call('POST', API.session, { token: null, json: { name: 'nobody', password: 'x' } });
        // each harness signed its admin in once from that address already
        expect((await attempt(first)).status).toBe(401);
        const limited = await attempt(second);
        expect(limited.status).toBe(429);
        expect(limited.headers.get('retry-after')).toBe('60');
        first.clock.advance(60_000);
        expect((await attempt(first)).status).toBe(401);
      });

      it('refuses a bad sign-in request naming the field', async () => {
        const res = await signInRaw({ name: 'admin-user' });
        expect(res.status).toBe(400);
        expect(res.body.error.errors[0].path).toBe('password');
      });
    });

    describe('CSRF and Origin', () => {
      const create = (headers: Record<string, string>) =>
        ask(h.app, API.admin.technicians, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name: '新师傅' }) });

      it('refuses a change without the token, with a wrong one, or from another origin; reads need none', async () => {
        const missing = await create({ cookie: h.admin.cookie });
        expect([missing.status, missing.body.error.code]).toEqual([403, 'csrf-missing']);
        const wrong = await create({ cookie: h.admin.cookie, [CSRF_HEADER]: 'x'.repeat(43) });
        expect([wrong.status, wrong.body.error.code]).toEqual([403, 'csrf-invalid']);
        const other = await h.signIn('viewer');
        expect((await create({ cookie: h.admin.cookie, [CSRF_HEADER]: other.csrfToken })).body.error.code).toBe('csrf-invalid');
        const foreign = await create({ ...h.admin.headers('POST'), origin: 'https://evil.example' });
        expect([foreign.status, foreign.body.error.code]).toEqual([403, 'origin-refused']);
        expect((await create({ ...h.admin.headers('POST'), 'sec-fetch-site': 'cross-site' })).body.error.code).toBe('origin-refused');
        expect((await create({ ...h.admin.headers('POST'), origin: 'null' })).status).toBe(403);
        expect((await h.call('GET', API.admin.technicians)).body.technicians).toEqual([]);
        const good = await create({ ...h.admin.headers('POST'), origin: 'http://localhost', 'sec-fetch-site': 'same-origin' });
        expect(good.status).toBe(201);
        const signOut = await ask(h.app, API.session, { method: 'DELETE', headers: { cookie: h.admin.cookie } });
        expect(signOut.body.error.code).toBe('csrf-missing');
        const signIn = await signInRaw({ name: 'admin-user', password: TEST_PASSWORD }, { origin: 'https://evil.example' });
        expect(signIn.body.error.code).toBe('origin-refused');
      });
    });

    describe('sessions', () => {
      it('ends after the idle time, and after the absolute time however active', async () => {
        const viewer = await h.signIn('viewer');
        h.clock.advance(DEFAULT_SESSION_POLICY.idleMs - 1000);
        expect((await h.call('GET', API.admin.forms, { as: viewer })).status).toBe(200);
        h.clock.advance(DEFAULT_SESSION_POLICY.idleMs);
        const idle = await h.call('GET', API.admin.forms, { as: viewer });
        expect([idle.status, idle.body.error.code]).toEqual([401, 'session-expired']);
        expect((await h.call('GET', API.admin.forms, { as: viewer })).body.error.code).toBe('session-ended');

        const busy = await h.signIn('viewer');
        const steps = Math.ceil(DEFAULT_SESSION_POLICY.absoluteMs / (DEFAULT_SESSION_POLICY.idleMs / 2));
        for (let i = 0; i < steps - 1; i++) {
          h.clock.advance(DEFAULT_SESSION_POLICY.idleMs / 2);
          expect((await h.call('GET', API.session, { as: busy })).status, `step ${i}`).toBe(200);
        }
        h.clock.advance(DEFAULT_SESSION_POLICY.idleMs / 2);
        expect((await h.call('GET', API.session, { as: busy })).body.error.code).toBe('session-expired');
      });

      it('refuses a disabled user\'s session at once, and their sign-in; enabling lets them back in', async () => {
        const dispatcher = await h.signIn('dispatcher');
        expect((await h.call('GET', API.admin.visits, { as: dispatcher })).status).toBe(200);
        const disabled = await h.call('PATCH', `${API.admin.users}/${dispatcher.user.id}`, { json: { disabled: true } });
        expect(disabled.body.user.disabledAt).toBe('2026-03-10T08:00:00.000Z');
        expect((await h.call('GET', API.admin.visits, { as: dispatcher })).status).toBe(401);
        const again = await signInRaw({ name: dispatcher.user.name, password: TEST_PASSWORD });
        expect([again.status, again.body.error.code]).toEqual([403, 'user-disabled']);
        await h.call('PATCH', `${API.admin.users}/${dispatcher.user.id}`, { json: { disabled: false } });
        expect((await h.signIn('dispatcher')).user.disabledAt).toBeNull();
      });

      it('refuses a session whose user was disabled by another server process, with no sign-out', async () => {
        const viewer = await h.signIn('viewer');
        const other = await openHarness(async () => h.storage);
        // the session made through one server works through the other: it lives in the database
        expect((await other.call('GET', API.admin.forms, { as: viewer })).status).toBe(200);
        await other.call('PATCH', `${API.admin.users}/${viewer.user.id}`, { json: { disabled: true } });
        expect((await h.call('GET', API.admin.forms, { as: viewer })).status).toBe(401);
      });

      it('signs out: the session is deleted and its cookie no longer works', async () => {
        const clerk = await h.signIn('customer-service');
        const out = await h.call('DELETE', API.session, { as: clerk });
        expect(out.status).toBe(204);
        expect(out.headers.get('set-cookie')).toMatch(/^onsite_session=; Max-Age=0; Path=\//);
        const after = await h.call('GET', API.admin.forms, { as: clerk });
        expect([after.status, after.body.error.code]).toEqual([401, 'session-ended']);
        expect(await auditActions()).toContain(`session.signed-out ${clerk.user.name} ${clerk.user.id}`);
      });
    });

    describe('users', () => {
      const newUser = { name: 'Li.Clerk', displayName: '李客服', role: 'customer-service', password: 'a good long password' };

      it('creates users, changes a role, resets a password (ending their sessions), and refuses bad changes', async () => {
        const made = await h.call('POST', API.admin.users, { json: newUser });
        expect(made.status).toBe(201);
        expect(made.body.user).toMatchObject({ id: expect.stringMatching(/^U-[0-9a-f]{8}$/), name: 'li.clerk', displayName: '李客服', role: 'customer-service', disabledAt: null });
        expect((await h.call('POST', API.admin.users, { json: newUser })).status).toBe(409);
        const bad = await h.call('POST', API.admin.users, { json: { name: 'has space', displayName: '', role: 'boss', password: 'short' } });
        expect(bad.body.error.errors.map((e: { path: string }) => e.path).sort()).toEqual(['displayName', 'name', 'password', 'role']);
        const id = made.body.user.id as string;
        const first = await signInRaw({ name: 'li.clerk', password: newUser.password });
        expect(first.status).toBe(200);
        const promoted = await h.call('PATCH', `${API.admin.users}/${id}`, { json: { role: 'dispatcher' } });
        expect(promoted.body.user.role).toBe('dispatcher');
        expect((await h.call('PATCH', `${API.admin.users}/${id}`, { json: { password: 'another long password' } })).status).toBe(200);
        const cookie = /^([^;]+)/.exec(first.headers.get('set-cookie')!)![1]!;
        expect((await ask(h.app, API.session, { headers: { cookie } })).status).toBe(401);
        expect((await signInRaw({ name: 'li.clerk', password: newUser.password })).status).toBe(401);
        expect((await signInRaw({ name: 'li.clerk', password: 'another long password' })).body.user.role).toBe('dispatcher');
        expect((await h.call('PATCH', `${API.admin.users}/${id}`, { json: {} })).status).toBe(400);
        expect((await h.call('PATCH', `${API.admin.users}/U-00000000`, { json: { role: 'viewer' } })).status).toBe(404);
        expect((await h.call('PATCH', `${API.admin.users}/${id}`, { json: { role: 'root' } })).status).toBe(400);
        const actions = await auditActions();
        for (const action of ['user.created', 'user.role-changed', 'user.password-reset']) expect(actions).toContain(`${action} admin-user li.clerk`);
      });

      it('never leaves the back office without an admin', async () => {
        const self = h.admin.user.id;
        expect((await h.call('PATCH', `${API.admin.users}/${self}`, { json: { disabled: true } })).body.error.code).toBe('last-admin');
        expect((await h.call('PATCH', `${API.admin.users}/${self}`, { json: { role: 'viewer' } })).body.error.code).toBe('last-admin');
        await ensureUser(h.storage, 'admin', 'second-admin');
        expect((await h.call('PATCH', `${API.admin.users}/${self}`, { json: { role: 'viewer' } })).body.error.code).toBe('own-admin');
      });
    });

    describe('the first admin', () => {
      it('is made with the admin token only while there is no admin; the token does nothing else', async () => {
        const storage = await factory({ isolated: true });
        const clock = testClock();
        const app = createApp({ storage, checklists: registry, clock: clock.now, distDir: null, log: () => {}, passwordHashing: TEST_SCRYPT });
        const token = (await ensureAdminToken(storage, clock.now()))!;
        const post = (json: unknown) => ask(app, API.admin.users, {
          method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(json),
        });
        const first = { name: 'boss', displayName: '主管', role: 'admin', password: 'the first password' };
        expect((await post({ ...first, role: 'viewer' })).body.error.code).toBe('first-user-is-admin');
        expect((await post(first)).status).toBe(201);
        expect((await post({ ...first, name: 'boss2' })).body.error.code).toBe('first-admin-exists');
        const other = await ask(app, API.admin.technicians, { headers: { authorization: `Bearer ${token}` } });
        expect([other.status, other.body.error.code]).toEqual([403, 'admin-token-bootstrap-only']);
        const audit = await storage.listAudit({ action: 'user.created' }, { before: null, limit: 10 });
        expect(audit.entries).toEqual([expect.objectContaining({ userId: null, userName: '(admin token)', target: 'boss', details: { role: 'admin', displayName: '主管' } })]);
        await storage.close();
      });
    });

    describe('audit log', () => {
      it('records every change with its user, time and address; filters by user, action and date; pages', async () => {
        const audited = await openHarness(async () => h.storage, { clientAddress: () => '192.0.2.7' });
        const dispatcher = await audited.signIn('dispatcher');
        const service = await audited.signIn('customer-service');
        await audited.call('POST', API.admin.technicians, { json: { id: 'tech-1', name: '张师傅' } });
        const code = (await audited.call('POST', `${API.admin.technicians}/tech-1/code`)).body.code;
        const tech = (await audited.call('POST', API.enroll, { token: null, json: { code } })).body.token;
        const disputed = await makeForm({ dispute: '有争议' });
        await audited.submit(tech, [disputed]);
        await audited.call('POST', API.admin.visits, { as: dispatcher, json: {
          technicianId: 'tech-1', scheduledDate: '2026-03-12', firstVisit: false,
          customer: { name: '客户', phone: '', address: '某路' }, equipment: { type: '洗扫车', model: '', serial: '' }, notes: '' } });
        // a day later: everyone signs in again (sessions last 12 hours at most)
        audited.clock.advance(24 * 60 * 60_000);
        const [dispatcherLater, serviceLater, admin] = [await audited.signIn('dispatcher'), await audited.signIn('customer-service'), await audited.signIn('admin')];
        await audited.call('POST', API.admin.visitsImport, { as: dispatcherLater, body: VISITS_CSV, headers: { 'content-type': 'text/csv' } });
        await audited.call('POST', API.admin.import, { as: serviceLater, body: bundleOf([await makeForm({ seed: 2 })]), headers: { 'content-type': 'application/json' } });
        await audited.call('POST', `${API.admin.disputes}/${disputed.form.id}/resolve`, { as: serviceLater, json: { outcome: 'resolved-with-customer', note: '已回访' } });
        await audited.call('GET', API.admin.exportCsv, { as: serviceLater });
        await audited.call('POST', `${API.admin.technicians}/tech-1/revoke`, { as: admin });

        const all = (await audited.call('GET', `${API.admin.audit}?limit=500`, { as: admin })).body.entries as Array<Record<string, unknown>>;
        const byAction = (action: string) => all.filter((e) => e.action === action);
        const who = (action: string) => byAction(action).map((e) => e.userName);
        expect(who('technician.created')).toEqual(['admin-user']);
        expect(who('enrollment.code-made')).toEqual(['admin-user']);
        expect(who('visit.created')).toEqual(['dispatcher-user']);
        expect(who('visits.imported')).toEqual(['dispatcher-user']);
        expect(who('bundle.imported')).toEqual(['customer-service-user']);
        expect(who('dispute.resolved')).toEqual(['customer-service-user']);
        expect(who('export.made')).toEqual(['customer-service-user']);
        expect(who('technician.revoked')).toEqual(['admin-user']);
        expect(byAction('dispute.resolved')[0]).toMatchObject({ userId: service.user.id, address: '192.0.2.7', target: disputed.form.id, details: { outcome: 'resolved-with-customer', note: '已回访' }, at: '2026-03-11T08:00:00.000Z' });
        expect(byAction('bundle.imported')[0]!.details).toMatchObject({ accepted: 1, rejected: 0 });
        expect(byAction('visits.imported')[0]!.details).toEqual({ created: 1, errors: 0 });
        expect(who('session.signed-in')).toEqual(expect.arrayContaining(['dispatcher-user', 'customer-service-user']));

        const ids = (query: string) => audited.call('GET', `${API.admin.audit}?${query}`, { as: admin }).then((r) => r.body.entries.map((e: { action: string }) => e.action));
        expect(await ids(`user=${dispatcher.user.id}`)).toEqual(['visits.imported', 'session.signed-in', 'visit.created', 'session.signed-in']);
        expect(await ids('action=export.made')).toEqual(['export.made']);
        expect(await ids('from=2026-03-11&to=2026-03-11&action=visits.imported')).toEqual(['visits.imported']);
        expect(await ids('to=2026-03-10&action=visits.imported')).toEqual([]);
        const page = await audited.call('GET', `${API.admin.audit}?limit=2`, { as: admin });
        expect(page.body.entries).toHaveLength(2);
        const next = await audited.call('GET', `${API.admin.audit}?limit=500&before=${page.body.nextBefore}`, { as: admin });
        expect(next.body.entries.length).toBe(all.length - 2);
        expect((await audited.call('GET', `${API.admin.audit}?limit=0`, { as: admin })).status).toBe(400);
        expect((await audited.call('GET', `${API.admin.audit}?who=x`, { as: admin })).status).toBe(400);
      });

      it('exports as CSV with a BOM and as NDJSON, and records each export', async () => {
        await h.call('POST', API.admin.technicians, { json: { id: 'tech-1', name: '=HYPERLINK("x")' } });
        const csv = await h.app.request(`${API.admin.auditCsv}?action=technician.created`, { headers: h.admin.headers() });
        expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(csv.headers.get('content-disposition')).toBe('attachment; filename="onsite-audit-2026-03-10.csv"');
        const bytes = new Uint8Array(await csv.arrayBuffer());
        expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const lines = new TextDecoder().decode(bytes).trimEnd().split('\r\n');
        expect(lines[0]).toBe('"id","at","userId","userName","address","action","target","details"');
        expect(lines).toHaveLength(2);
        expect(lines[1]).toContain('"technician.created","tech-1"');
        const ndjson = await h.call('GET', API.admin.auditNdjson);
        const entries = ndjson.text.trimEnd().split('\n').map((line) => JSON.parse(line));
        expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['session.signed-in', 'technician.created', 'audit.exported']));
        expect(entries.find((e) => e.action === 'technician.created').details).toEqual({ name: '=HYPERLINK("x")' });
        const exports = (await h.call('GET', `${API.admin.audit}?action=audit.exported`)).body.entries;
        expect(exports.map((e: { target: string; details: unknown }) => [e.target, e.details])).toEqual([
          ['ndjson', { filter: {} }], ['csv', { filter: { action: 'technician.created' } }],
        ]);
        expect((await h.call('GET', `${API.admin.auditCsv}?limit=5`)).status).toBe(400);
      });
    });
  });
}
