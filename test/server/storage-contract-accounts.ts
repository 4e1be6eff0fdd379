// The storage contract's accounts part (users, sessions, rate limits, the audit log), run against
// both adapters by describeStorageContract.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewAuditEntry } from '../../src/server/storage/account-storage';
import type { Storage } from '../../src/server/storage/storage';
import type { StorageFactory } from './helpers';

const T0 = '2026-03-10T08:00:00.000Z';
const entry = (action: string, over: Partial<NewAuditEntry> = {}): NewAuditEntry =>
  ({ at: T0, userId: 'U-00000001', userName: 'admin', address: '127.0.0.1', action, target: 't', details: { n: 1 }, ...over });
const user = (id: string, name: string, role: 'admin' | 'viewer' = 'viewer') =>
  ({ id, name, displayName: `用户 ${name}`, role, passwordHash: `scrypt$1024$8$1$32$salt${id}$hash`, createdAt: T0 });
const session = (idHash: string, userId: string) => ({ idHash, userId, csrfToken: `csrf-${idHash}`, createdAt: T0, expiresAt: '2026-03-10T20:00:00.000Z' });

export function describeAccountsContract(name: string, factory: StorageFactory): void {
  describe(`storage contract, accounts: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await factory();
    });
    afterEach(async () => {
      await storage.close();
    });
    const actions = async () => (await storage.listAudit({}, { before: null, limit: 100 })).entries.map((e) => e.action);

    it('creates users with their audit entry in one transaction, refuses a taken name (and writes no entry)', async () => {
      const made = await storage.createUser(user('U-1', 'li'), entry('user.created'));
      expect(made).toEqual({ id: 'U-1', name: 'li', displayName: '用户 li', role: 'viewer', createdAt: T0, disabledAt: null, lockedUntil: null });
      expect(await storage.createUser(user('U-2', 'li'), entry('user.created', { target: 'again' }))).toBeNull();
      expect(await actions()).toEqual(['user.created']);
      expect(await storage.getUserCredentials('li')).toEqual({ user: made, passwordHash: user('U-1', 'li').passwordHash, failedSignIns: 0 });
      expect(await storage.getUserCredentials('no\u0000body')).toBeNull();
      expect(await storage.getUser('U-9')).toBeNull();
      await storage.createUser(user('U-3', 'boss', 'admin'), entry('user.created'));
      expect((await storage.listUsers()).map((u) => u.id)).toEqual(['U-1', 'U-3']);
      expect(await storage.countActiveAdmins()).toBe(1);
    });

    it('changes role, disables (ending the sessions), resets a password (ending them too), with the entries', async () => {
      await storage.createUser(user('U-1', 'li', 'admin'), entry('user.created'));
      await storage.createSession(session('s1', 'U-1'), entry('session.signed-in'));
      expect((await storage.updateUser('U-1', { role: 'viewer' }, [entry('user.role-changed')]))?.role).toBe('viewer');
      expect(await storage.countActiveAdmins()).toBe(0);
      expect(await storage.getSession('s1')).not.toBeNull();
      expect((await storage.updateUser('U-1', { disabledAt: T0 }, [entry('user.disabled')]))?.disabledAt).toBe(T0);
      expect(await storage.getSession('s1')).toBeNull();
      expect((await storage.updateUser('U-1', { disabledAt: null }, [entry('user.enabled')]))?.disabledAt).toBeNull();
      await storage.createSession(session('s2', 'U-1'), entry('session.signed-in'));
      await storage.updateUser('U-1', { passwordHash: 'scrypt$new' }, [entry('user.password-reset')]);
      expect((await storage.getUserCredentials('li'))?.passwordHash).toBe('scrypt$new');
      expect(await storage.getSession('s2')).toBeNull();
      expect(await storage.updateUser('U-9', { role: 'admin' }, [entry('user.role-changed')])).toBeNull();
      expect(await actions()).toEqual(['user.password-reset', 'session.signed-in', 'user.enabled', 'user.disabled', 'user.role-changed', 'session.signed-in', 'user.created']);
    });

    it('counts failed sign-ins, locks at the limit and starts again; a sign-in or an unlock clears them', async () => {
      await storage.createUser(user('U-1', 'li'), entry('user.created'));
      const lock = { maxFailures: 3, lockedUntil: '2026-03-10T08:15:00.000Z' };
      const fail = () => storage.recordSignInFailure('U-1', lock, entry('session.sign-in-failed'));
      expect(await fail()).toEqual({ failures: 1, lockedUntil: null });
      expect(await fail()).toEqual({ failures: 2, lockedUntil: null });
      expect(await fail()).toEqual({ failures: 0, lockedUntil: lock.lockedUntil });
      expect((await storage.getUser('U-1'))?.lockedUntil).toBe(lock.lockedUntil);
      await storage.updateUser('U-1', { unlock: true }, [entry('user.unlocked')]);
      expect((await storage.getUser('U-1'))?.lockedUntil).toBeNull();
      await fail();
      await storage.createSession(session('s1', 'U-1'), entry('session.signed-in'));
      expect((await storage.getUserCredentials('li'))?.failedSignIns).toBe(0);
      expect((await actions()).filter((a) => a === 'session.sign-in-failed')).toHaveLength(4);
    });

    it('keeps sessions by the hash of their id: read with the user, touched, deleted once', async () => {
      await storage.createUser(user('U-1', 'li'), entry('user.created'));
      await storage.createSession(session('s1', 'U-1'), entry('session.signed-in'));
      const found = await storage.getSession('s1');
      expect(found).toEqual({ session: { ...session('s1', 'U-1'), lastUsedAt: T0 }, user: expect.objectContaining({ id: 'U-1', name: 'li' }) });
      await storage.touchSession('s1', '2026-03-10T09:00:00.000Z');
      expect((await storage.getSession('s1'))?.session.lastUsedAt).toBe('2026-03-10T09:00:00.000Z');
      expect(await storage.deleteSession('s1', entry('session.signed-out'))).toBe(true);
      expect(await storage.deleteSession('s1', entry('session.signed-out'))).toBe(false);
      expect(await storage.getSession('s1')).toBeNull();
      expect(await storage.getSession('s\u0000')).toBeNull();
      expect((await actions()).filter((a) => a === 'session.signed-out')).toHaveLength(1);
    });

    it('counts rate-limit hits per key in a window that starts at the first hit', async () => {
      const t = Date.parse(T0);
      expect(await storage.hitRateLimit('a', 60_000, t)).toEqual({ hits: 1, resetAtMs: t + 60_000 });
      expect(await storage.hitRateLimit('a', 60_000, t + 59_000)).toEqual({ hits: 2, resetAtMs: t + 60_000 });
      expect((await storage.hitRateLimit('b', 60_000, t + 59_000)).hits).toBe(1);
      expect(await storage.hitRateLimit('a', 60_000, t + 60_000)).toEqual({ hits: 1, resetAtMs: t + 120_000 });
      const together = await Promise.all(Array.from({ length: 10 }, () => storage.hitRateLimit('c', 60_000, t)));
      expect(together.map((r) => r.hits).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('writes a change\'s audit entry in the change\'s transaction, and none when nothing changed', async () => {
      const tech = { id: 'tech-a', name: '张', phone: '', createdAt: T0 };
      expect(await storage.createTechnician(tech, entry('technician.created'))).not.toBeNull();
      expect(await storage.createTechnician(tech, entry('technician.created'))).toBeNull();
      expect(await storage.revokeTechnician('nobody', T0, entry('technician.revoked'))).toBeNull();
      const visit = { id: 'V-1', technicianId: 'tech-a', scheduledDate: '2026-03-12', firstVisit: false,
        customer: { name: '客户', phone: '', address: '' }, equipment: { type: '洗扫车', model: '', serial: '' }, notes: '' };
      expect(await storage.createVisit(visit, T0, entry('visit.created'))).toBe(true);
      expect(await storage.createVisit(visit, T0, entry('visit.created'))).toBe(false);
      expect((await storage.revokeTechnician('tech-a', T0, entry('technician.revoked')))?.revokedAt).toBe(T0);
      expect(await storage.workDispute('00000000-0000-4000-8000-000000000000', { kind: 'note', text: 'x' }, entry('dispute.noted'))).toEqual({ status: 'not-found' });
      expect(await actions()).toEqual(['technician.revoked', 'visit.created', 'technician.created']);
    });

    it('lists the audit log newest first, filtered and paged, and iterates it oldest first', async () => {
      await storage.appendAudit(entry('user.created', { at: '2026-03-09T23:59:59.999Z', details: { text: "'); DROP TABLE audit_log; --\u0000" } }));
      await storage.appendAudit(entry('export.made', { at: '2026-03-10T00:00:00.000Z', userId: 'U-2', userName: '李' }));
      await storage.appendAudit(entry('export.made', { at: '2026-03-11T00:00:00.000Z', userId: null, userName: '(admin token)' }));
      const all = await storage.listAudit({}, { before: null, limit: 10 });
      expect(all.entries.map((e) => e.at)).toEqual(['2026-03-11T00:00:00.000Z', '2026-03-10T00:00:00.000Z', '2026-03-09T23:59:59.999Z']);
      expect(all.entries[2]).toMatchObject({ userId: 'U-00000001', userName: 'admin', address: '127.0.0.1', target: 't', details: { text: "'); DROP TABLE audit_log; --\u0000" } });
      expect(all.entries[0]!.userId).toBeNull();
      expect(all.nextBefore).toBeNull();
      const at = async (filter: Parameters<Storage['listAudit']>[0]) => (await storage.listAudit(filter, { before: null, limit: 10 })).entries.map((e) => e.at.slice(0, 10));
      expect(await at({ action: 'export.made' })).toEqual(['2026-03-11', '2026-03-10']);
      expect(await at({ userId: 'U-2' })).toEqual(['2026-03-10']);
      expect(await at({ from: '2026-03-10', to: '2026-03-10' })).toEqual(['2026-03-10']);
      expect(await at({ to: '2026-03-09' })).toEqual(['2026-03-09']);
      expect(await at({ userId: 'x\u0000' })).toEqual([]);
      const first = await storage.listAudit({}, { before: null, limit: 2 });
      expect(first.entries).toHaveLength(2);
      expect((await storage.listAudit({}, { before: first.nextBefore, limit: 2 })).entries.map((e) => e.action)).toEqual(['user.created']);
      const iterated = [];
      for await (const e of storage.iterateAudit({ action: 'export.made' })) iterated.push(e.at.slice(0, 10));
      expect(iterated).toEqual(['2026-03-10', '2026-03-11']);
    });
  });
}
