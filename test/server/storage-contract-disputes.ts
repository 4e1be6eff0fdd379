// The storage contract's disputes part (the queue and its filters, the thread, each change and each
// refusal, a concurrent double resolution), run against both adapters by describeStorageContract.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewAuditEntry } from '../../src/server/storage/account-storage';
import type { DisputeChange, NewFormRecord, Storage } from '../../src/server/storage/storage';
import { HOSTILE, type StorageFactory } from './helpers';

const T0 = '2026-03-10T08:00:00.000Z';
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const by = (userId: string, userName: string, action: string, at = T0): NewAuditEntry =>
  ({ at, userId, userName, address: '127.0.0.1', action, target: 't', details: {} });
const user = (id: string, name: string) =>
  ({ id, name, displayName: `用户 ${name}`, role: 'customer-service' as const, passwordHash: `scrypt$1024$8$1$32$salt${id}$hash`, createdAt: T0 });

export function describeDisputesContract(name: string, factory: StorageFactory, record: (n: number, over?: Partial<NewFormRecord>) => NewFormRecord): void {
  describe(`storage contract, disputes: ${name}`, () => {
    let storage: Storage;
    const work = (n: number, change: DisputeChange, at = T0, actor: [string, string] = ['U-1', '用户 li']) =>
      storage.workDispute(uuid(n), change, by(actor[0], actor[1], `dispute.${change.kind}`, at));
    const ids = async (filter: Partial<Parameters<Storage['listDisputes']>[0]> = {}) =>
      (await storage.listDisputes({ status: 'open', limit: 10, ...filter })).map((d) => d.formId);

    beforeEach(async () => {
      storage = await factory();
      await storage.createUser(user('U-1', 'li'), by('U-0', 'admin', 'user.created'));
      await storage.createUser(user('U-2', 'wang'), by('U-0', 'admin', 'user.created'));
      await storage.createUser(user('U-3', 'gone'), by('U-0', 'admin', 'user.created'));
      await storage.updateUser('U-3', { disabledAt: T0 }, []);
      await storage.storeForms([
        record(1),
        record(2, { dispute: true }),
        record(3, { conductBreach: true, visitDate: '2026-03-11', receivedAt: '2026-03-11T08:00:00.000Z' }),
      ]);
    });
    afterEach(async () => {
      await storage.close();
    });

    it('queues the forms with a dispute or a conduct breach, newest received first, with their flagged incidents only', async () => {
      const open = await storage.listDisputes({ status: 'open', limit: 10 });
      expect(open.map((d) => d.formId)).toEqual([uuid(3), uuid(2)]);
      expect(open[1]).toEqual({
        formId: uuid(2), visitDate: '2026-03-10', technicianName: '', customerName: '客户 2', receivedAt: T0,
        incidents: [{ kind: 'dispute', rule: 'no-arguing', detail: '收费有争议', at: T0 }],
        assignee: null, resolvedAt: null, outcome: null, resolutionNote: null,
      });
    });

    it('works a dispute to the end: assigned, noted, resolved with an outcome, reopened, resolved again — every step in its thread', async () => {
      expect(await work(2, { kind: 'assign', userId: 'U-2' })).toMatchObject({ status: 'done', dispute: { assignee: { id: 'U-2', name: '用户 wang' } } });
      await work(2, { kind: 'note', text: `已电话联系 ${HOSTILE[1]}` }, '2026-03-10T09:00:00.000Z');
      const resolved = await work(2, { kind: 'resolve', outcome: 'compensated', note: '补偿滤芯一个' }, '2026-03-10T10:00:00.000Z', ['U-2', '用户 wang']);
      expect(resolved).toMatchObject({ status: 'done', dispute: { resolvedAt: '2026-03-10T10:00:00.000Z', outcome: 'compensated', resolutionNote: '补偿滤芯一个' } });
      expect((await storage.getForm(uuid(2)))?.summary.disputeResolved).toBe(true);
      expect(await ids({ status: 'resolved' })).toEqual([uuid(2)]);

      const reopened = await work(2, { kind: 'reopen', note: '客户再次来电' }, '2026-03-11T10:00:00.000Z');
      expect(reopened).toMatchObject({ status: 'done', dispute: { resolvedAt: null, outcome: null, resolutionNote: null, assignee: { id: 'U-2' } } });
      expect(await ids()).toEqual([uuid(3), uuid(2)]);
      expect(await work(2, { kind: 'resolve', outcome: 'no-fault', note: '核实为客户误解' }, '2026-03-11T11:00:00.000Z')).toMatchObject({ status: 'done', dispute: { outcome: 'no-fault' } });

      const detail = await storage.getDispute(uuid(2));
      expect(detail?.events.map((e) => [e.kind, e.at, e.userId, e.userName, e.note, e.outcome, e.assignee])).toEqual([
        ['assigned', T0, 'U-1', '用户 li', null, null, { id: 'U-2', name: '用户 wang' }],
        ['noted', '2026-03-10T09:00:00.000Z', 'U-1', '用户 li', `已电话联系 ${HOSTILE[1]}`, null, null],
        ['resolved', '2026-03-10T10:00:00.000Z', 'U-2', '用户 wang', '补偿滤芯一个', 'compensated', null],
        ['reopened', '2026-03-11T10:00:00.000Z', 'U-1', '用户 li', '客户再次来电', null, null],
        ['resolved', '2026-03-11T11:00:00.000Z', 'U-1', '用户 li', '核实为客户误解', 'no-fault', null],
      ]);
      expect(new Set(detail?.events.map((e) => e.id)).size).toBe(5);
      // each change wrote its audit entry with it
      const audited = (await storage.listAudit({}, { before: null, limit: 100 })).entries.map((e) => e.action).filter((a) => a.startsWith('dispute.'));
      expect(audited.sort()).toEqual(['dispute.assign', 'dispute.note', 'dispute.reopen', 'dispute.resolve', 'dispute.resolve']);
    });

    it('unassigns, and refuses an unknown or disabled assignee, a form not flagged and an unknown form, writing nothing', async () => {
      await work(2, { kind: 'assign', userId: 'U-1' });
      expect(await work(2, { kind: 'assign', userId: null })).toMatchObject({ status: 'done', dispute: { assignee: null } });
      expect(await work(2, { kind: 'assign', userId: 'U-404' })).toEqual({ status: 'assignee-unknown' });
      expect(await work(2, { kind: 'assign', userId: 'U-3' })).toEqual({ status: 'assignee-disabled' });
      expect(await work(2, { kind: 'assign', userId: 'U-\u0000' })).toEqual({ status: 'assignee-unknown' });
      expect(await work(1, { kind: 'note', text: 'x' })).toEqual({ status: 'not-flagged' });
      expect(await work(9, { kind: 'note', text: 'x' })).toEqual({ status: 'not-found' });
      expect(await work(2, { kind: 'reopen', note: 'x' })).toEqual({ status: 'not-resolved' });
      await work(2, { kind: 'resolve', outcome: 'other', note: 'x' });
      expect(await work(2, { kind: 'resolve', outcome: 'other', note: 'again' })).toEqual({ status: 'already-resolved' });
      expect((await storage.getDispute(uuid(2)))?.events.map((e) => e.kind)).toEqual(['assigned', 'assigned', 'resolved']);
      expect(await storage.getDispute(uuid(1))).toBeNull();
      expect(await storage.getDispute(uuid(9))).toBeNull();
      const audited = (await storage.listAudit({}, { before: null, limit: 100 })).entries.filter((e) => e.action.startsWith('dispute.'));
      expect(audited).toHaveLength(3);
    });

    it('filters by assignee (a user, nobody) and by received before a time', async () => {
      await work(3, { kind: 'assign', userId: 'U-1' });
      expect(await ids({ assigneeId: 'U-1' })).toEqual([uuid(3)]);
      expect(await ids({ assigneeId: 'U-2' })).toEqual([]);
      expect(await ids({ assigneeId: 'U-\u0000' })).toEqual([]);
      expect(await ids({ assigneeId: null })).toEqual([uuid(2)]);
      expect(await ids({ receivedBefore: '2026-03-11T00:00:00.000Z' })).toEqual([uuid(2)]);
      expect(await ids({ receivedBefore: T0 })).toEqual([]);
      expect(await ids({ assigneeId: 'U-1', receivedBefore: '2026-03-12T00:00:00.000Z' })).toEqual([uuid(3)]);
      expect(await ids({ limit: 1 })).toEqual([uuid(3)]);
    });

    it('lands one of two concurrent resolutions of the same dispute', async () => {
      const outcomes = await Promise.all([
        work(2, { kind: 'resolve', outcome: 'compensated', note: 'first' }, T0, ['U-1', '用户 li']),
        work(2, { kind: 'resolve', outcome: 'duplicate', note: 'second' }, T0, ['U-2', '用户 wang']),
      ]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['already-resolved', 'done']);
      const events = (await storage.getDispute(uuid(2)))!.events;
      expect(events.map((e) => e.kind)).toEqual(['resolved']);
      expect((await storage.listAudit({ action: 'dispute.resolve' }, { before: null, limit: 10 })).entries).toHaveLength(1);
    });

    it('lists the enabled users as the possible assignees', async () => {
      expect(await storage.listDisputeAssignees()).toEqual([{ id: 'U-1', name: '用户 li' }, { id: 'U-2', name: '用户 wang' }]);
    });
  });
}
