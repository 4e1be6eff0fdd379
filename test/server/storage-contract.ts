// The storage contract: what every adapter must do, run against SQLite and PostgreSQL alike
// (storage.sqlite.test.ts, storage.postgres.test.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FormFilter } from '../../src/domain/api';
import type { NewFormRecord, Storage } from '../../src/server/storage/storage';
import { formFacts } from '../../src/domain/form-facts';
import { HOSTILE, type StorageFactory } from './helpers';
import { describeAccountsContract } from './storage-contract-accounts';
import { describeDisputesContract } from './storage-contract-disputes';
import { describePartsContract } from './storage-contract-parts';

const T0 = '2026-03-10T08:00:00.000Z';
const hex = (n: number) => n.toString(16).padStart(64, '0');
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** A form row as ingest would hand it over; the JSON holds what the dispute queue reads. */
function record(n: number, over: Partial<NewFormRecord> = {}): NewFormRecord {
  const dispute = over.dispute ?? false;
  const incidents = dispute ? [{ kind: 'dispute', rule: 'no-arguing', detail: '收费有争议', at: T0, flagged: true },
    { kind: 'declined-offer', rule: 'no-smoking', detail: '', at: T0, flagged: false }] : [];
  const formJson = over.formJson ?? JSON.stringify({ id: uuid(n), incidents, note: `form ${n}` });
  return {
    id: uuid(n),
    hash: hex(n),
    technicianId: 'tech-1',
    visitId: `V-${n}`,
    visitDate: '2026-03-10',
    sealedAt: '2026-03-10T09:00:00+08:00',
    receivedAt: T0,
    source: 'api',
    satisfaction: 5,
    dispute,
    conductBreach: false,
    clockDriftMs: null,
    customerName: `客户 ${n}`,
    equipmentType: '洗扫车',
    formJson,
    signature: new Uint8Array([0x89, 0x50, 0x4e, 0x47, n & 0xff]),
    deviceJson: null,
    facts: formFacts(JSON.parse(formJson)),
    ...over,
  };
}

export function describeStorageContract(name: string, factory: StorageFactory): void {
  describe(`storage contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await factory();
      await storage.createTechnician({ id: 'tech-1', name: '张师傅', phone: '138 0000 0000', createdAt: T0 });
    });
    afterEach(async () => {
      await storage.close();
    });

    describe('admin token', () => {
      it('has none at first, then keeps only the latest hash', async () => {
        expect(await storage.getAdminTokenHash()).toBeNull();
        await storage.setAdminTokenHash(hex(1), T0);
        await storage.setAdminTokenHash(hex(2), T0);
        expect(await storage.getAdminTokenHash()).toBe(hex(2));
      });
    });

    describe('technicians', () => {
      it('creates, refuses a taken id, lists in creation order', async () => {
        const created = await storage.createTechnician({ id: 'tech-2', name: HOSTILE[1], phone: '', createdAt: '2026-03-11T00:00:00.000Z' });
        expect(created).toEqual({ id: 'tech-2', name: HOSTILE[1], phone: '', createdAt: '2026-03-11T00:00:00.000Z', enrolledAt: null, revokedAt: null });
        expect(await storage.createTechnician({ id: 'tech-2', name: 'again', phone: '', createdAt: T0 })).toBeNull();
        expect((await storage.listTechnicians()).map((t) => t.id)).toEqual(['tech-1', 'tech-2']);
        expect(await storage.getTechnician('nobody')).toBeNull();
        expect(await storage.getTechnician('no\u0000body')).toBeNull();
      });

      it('revokes once (the first time stays) and drops the token', async () => {
        await storage.createEnrollmentCode({ lookup: 'ABCD', codeHash: hex(9), technicianId: 'tech-1', createdAt: T0, expiresAt: '2026-03-11T08:00:00.000Z' });
        await storage.redeemEnrollmentCode('ABCD', { tokenId: 'tok-1', tokenHash: hex(7), at: T0 }, 5);
        expect((await storage.getCredentials('tok-1'))?.tokenHash).toBe(hex(7));
        expect((await storage.revokeTechnician('tech-1', '2026-03-10T09:00:00.000Z'))?.revokedAt).toBe('2026-03-10T09:00:00.000Z');
        expect((await storage.revokeTechnician('tech-1', '2026-03-10T10:00:00.000Z'))?.revokedAt).toBe('2026-03-10T09:00:00.000Z');
        expect(await storage.getCredentials('tok-1')).toBeNull();
        expect(await storage.revokeTechnician('nobody', T0)).toBeNull();
      });
    });

    describe('enrollment codes', () => {
      const code = { lookup: 'K7P3', codeHash: hex(3), technicianId: 'tech-1', createdAt: T0, expiresAt: '2026-03-11T08:00:00.000Z' };
      const grant = { tokenId: 'tok-1', tokenHash: hex(4), at: '2026-03-10T12:00:00.000Z' };

      it('stores a code and refuses a second code with the same lookup', async () => {
        expect(await storage.createEnrollmentCode(code)).toBe(true);
        expect(await storage.createEnrollmentCode({ ...code, codeHash: hex(5) })).toBe(false);
        expect(await storage.getEnrollmentCode('K7P3')).toEqual({ ...code, usedAt: null, failedAttempts: 0 });
        expect(await storage.getEnrollmentCode('ZZZZ')).toBeNull();
      });

      it('counts wrong guesses', async () => {
        await storage.createEnrollmentCode(code);
        expect(await storage.recordFailedEnrollment('K7P3')).toBe(1);
        expect(await storage.recordFailedEnrollment('K7P3')).toBe(2);
        expect(await storage.recordFailedEnrollment('ZZZZ')).toBe(0);
      });

      it('redeems once: the technician gets the token, the code is spent', async () => {
        await storage.createEnrollmentCode(code);
        const technician = await storage.redeemEnrollmentCode('K7P3', grant, 5);
        expect(technician).toMatchObject({ id: 'tech-1', enrolledAt: grant.at });
        expect((await storage.getCredentials('tok-1'))?.technician.id).toBe('tech-1');
        expect((await storage.getEnrollmentCode('K7P3'))?.usedAt).toBe(grant.at);
        expect(await storage.redeemEnrollmentCode('K7P3', { ...grant, tokenId: 'tok-2' }, 5)).toBeNull();
        expect(await storage.getCredentials('tok-2')).toBeNull();
      });

      it('does not redeem an expired or a locked code', async () => {
        await storage.createEnrollmentCode(code);
        expect(await storage.redeemEnrollmentCode('K7P3', { ...grant, at: code.expiresAt }, 5)).toBeNull();
        for (let i = 0; i < 5; i++) await storage.recordFailedEnrollment('K7P3');
        expect(await storage.redeemEnrollmentCode('K7P3', grant, 5)).toBeNull();
        expect((await storage.getEnrollmentCode('K7P3'))?.usedAt).toBeNull();
      });

      it('does not spend the code of a revoked technician', async () => {
        await storage.createEnrollmentCode(code);
        await storage.revokeTechnician('tech-1', T0);
        expect(await storage.redeemEnrollmentCode('K7P3', grant, 5)).toBeNull();
        expect((await storage.getEnrollmentCode('K7P3'))?.usedAt).toBeNull();
        expect(await storage.getCredentials('tok-1')).toBeNull();
      });

      it('lets exactly one of several simultaneous redemptions win', async () => {
        await storage.createEnrollmentCode(code);
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => storage.redeemEnrollmentCode('K7P3', { ...grant, tokenId: `tok-${i}` }, 5)));
        expect(results.filter((r) => r !== null)).toHaveLength(1);
      });
    });

    describe('visits', () => {
      const visit = (id: string, date: string, technicianId = 'tech-1') => ({
        id, technicianId, scheduledDate: date, firstVisit: true,
        customer: { name: HOSTILE[0], phone: '+86 138', address: HOSTILE[2] },
        equipment: { type: '洗扫车', model: HOSTILE[3], serial: 'SN-1' }, notes: HOSTILE[6],
      });

      it('creates once, keeps every text verbatim, lists by date then id', async () => {
        await storage.createTechnician({ id: 'tech-2', name: '李', phone: '', createdAt: T0 });
        expect(await storage.createVisit(visit('V-2', '2026-03-12'), T0)).toBe(true);
        expect(await storage.createVisit(visit('V-1', '2026-03-12'), T0)).toBe(true);
        expect(await storage.createVisit(visit('V-0', '2026-03-11'), T0)).toBe(true);
        expect(await storage.createVisit(visit('V-9', '2026-03-01', 'tech-2'), T0)).toBe(true);
        expect(await storage.createVisit(visit('V-1', '2026-03-20'), T0)).toBe(false);
        const mine = await storage.listVisits({ technicianId: 'tech-1' });
        expect(mine.map((v) => v.id)).toEqual(['V-0', 'V-1', 'V-2']);
        expect(mine[0]).toEqual(visit('V-0', '2026-03-11'));
        expect((await storage.listVisits({})).map((v) => v.id)).toEqual(['V-9', 'V-0', 'V-1', 'V-2']);
        expect(await storage.listVisits({ technicianId: 'x\u0000' })).toEqual([]);
      });

      it('leaves out, when asked, the visits whose form has arrived', async () => {
        await storage.createVisit(visit('V-1', '2026-03-10'), T0);
        await storage.createVisit(visit('V-2', '2026-03-10'), T0);
        await storage.storeForms([record(1, { visitId: 'V-1' })]);
        expect((await storage.listVisits({ technicianId: 'tech-1', openOnly: true })).map((v) => v.id)).toEqual(['V-2']);
        expect(await storage.listVisits({ technicianId: 'tech-1' })).toHaveLength(2);
      });
    });

    describe('forms: exactly once', () => {
      it('accepts a new form, answers a resent one as a duplicate with the first receipt time', async () => {
        expect(await storage.storeForms([record(1)])).toEqual([{ status: 'accepted', receivedAt: T0 }]);
        expect(await storage.storeForms([record(1, { receivedAt: '2026-03-10T09:00:00.000Z' })])).toEqual([{ status: 'duplicate', receivedAt: T0 }]);
        const page = await storage.listForms({}, { after: null, limit: 10 });
        expect(page.forms).toHaveLength(1);
        expect(page.forms[0]).toMatchObject({ state: 'accepted', receivedAt: T0 });
      });

      it('keeps the first of two different forms with one id, stores the second aside once, flags the form', async () => {
        await storage.storeForms([record(1)]);
        const rival = record(1, {
          hash: hex(99), formJson: '{"rival":true,"incidents":[]}', receivedAt: '2026-03-10T09:00:00.000Z', source: 'import', deviceJson: '{"keyId":"k"}',
        });
        expect(await storage.storeForms([rival])).toEqual([{ status: 'conflict', receivedAt: T0 }]);
        expect(await storage.storeForms([rival])).toEqual([{ status: 'conflict', receivedAt: T0 }]);
        const conflicts = await storage.listConflicts({ limit: 10 });
        expect(conflicts).toEqual([{ formId: uuid(1), receivedAt: '2026-03-10T09:00:00.000Z', hash: hex(99), originalHash: hex(1), technicianId: 'tech-1' }]);
        expect(await storage.listConflicts({ formId: uuid(1), limit: 10 })).toHaveLength(1);
        expect(await storage.listConflicts({ formId: uuid(2), limit: 10 })).toEqual([]);
        const kept = await storage.getForm(uuid(1));
        expect(kept?.formJson).toBe(record(1).formJson);
        expect(kept?.summary.state).toBe('conflict');
        const aside = await storage.getConflictSubmission(uuid(1), hex(99));
        expect(aside?.formJson).toBe('{"rival":true,"incidents":[]}');
        // the conflicting submission's device signature is kept with it
        expect(aside?.deviceJson).toBe('{"keyId":"k"}');
        expect(kept?.deviceJson).toBeNull();
        expect(await storage.getConflictSubmission(uuid(1), hex(98))).toBeNull();
      });

      it('tells duplicates and conflicts apart inside one batch, answering in the batch order', async () => {
        const outcomes = await storage.storeForms([record(2), record(1), record(2), record(1, { hash: hex(50) }), record(3)]);
        expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted', 'duplicate', 'conflict', 'accepted']);
      });

      it('lands a form once when ten identical batches arrive at the same time', async () => {
        const outcomes = (await Promise.all(Array.from({ length: 10 }, () => storage.storeForms([record(1), record(2)])))).flat();
        expect(outcomes.filter((o) => o.status === 'accepted')).toHaveLength(2);
        expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(18);
        expect((await storage.listForms({}, { after: null, limit: 10 })).forms).toHaveLength(2);
      });

      it('keeps the form JSON and the signature bytes exactly, hostile text and U+0000 included', async () => {
        const json = JSON.stringify({ incidents: [], texts: [...HOSTILE, 'nul\u0000here'] });
        const signature = new Uint8Array(4096).map((_, i) => (i * 7) & 0xff);
        await storage.storeForms([record(1, { formJson: json, signature, customerName: `${HOSTILE[0]}\u0000`, visitId: HOSTILE[1], clockDriftMs: -3 * 86_400_000 })]);
        const stored = await storage.getForm(uuid(1));
        expect(stored?.formJson).toBe(json);
        expect(Buffer.from(stored!.signature!).equals(Buffer.from(signature))).toBe(true);
        // index columns cannot hold U+0000 in PostgreSQL: both adapters show U+FFFD there
        expect(stored?.summary.customerName).toBe(`${HOSTILE[0]}\uFFFD`);
        expect(stored?.summary.visitId).toBe(HOSTILE[1]);
        expect(stored?.summary.clockDriftMs).toBe(-3 * 86_400_000);
        expect(await storage.getForm(uuid(2))).toBeNull();
        expect(await storage.getForm('x\u0000')).toBeNull();
      });
    });

    describe('forms list', () => {
      beforeEach(async () => {
        await storage.createTechnician({ id: 'tech-2', name: '李师傅', phone: '', createdAt: T0 });
        await storage.storeForms([
          record(1, { visitDate: '2026-03-01', satisfaction: 5 }),
          record(2, { visitDate: '2026-03-02', satisfaction: 3, dispute: true }),
          record(3, { visitDate: '2026-03-02', satisfaction: 5, technicianId: 'tech-2' }),
          record(4, { visitDate: '2026-03-03', satisfaction: 1, conductBreach: true }),
          record(5, { visitDate: '2026-03-04', satisfaction: 5, technicianId: 'tech-2', dispute: true }),
        ]);
        await storage.storeForms([record(3, { visitDate: '2026-03-02', hash: hex(77) })]);
      });
      const ids = async (filter: FormFilter) => (await storage.listForms(filter, { after: null, limit: 50 })).forms.map((f) => f.id);

      it('orders by visit date then id, newest first, with each technician\'s name', async () => {
        const { forms } = await storage.listForms({}, { after: null, limit: 50 });
        expect(forms.map((f) => f.id)).toEqual([uuid(5), uuid(4), uuid(3), uuid(2), uuid(1)]);
        expect(forms[0]).toMatchObject({ technicianName: '李师傅', dispute: true, conductBreach: false, disputeResolved: false });
        expect(forms[1]).toMatchObject({ technicianName: '张师傅', conductBreach: true, satisfaction: 1 });
      });

      it('filters by date range, technician, state, dispute and satisfaction', async () => {
        expect(await ids({ from: '2026-03-02', to: '2026-03-03' })).toEqual([uuid(4), uuid(3), uuid(2)]);
        expect(await ids({ technician: 'tech-2' })).toEqual([uuid(5), uuid(3)]);
        expect(await ids({ state: 'conflict' })).toEqual([uuid(3)]);
        expect(await ids({ state: 'accepted' })).toEqual([uuid(5), uuid(4), uuid(2), uuid(1)]);
        expect(await ids({ dispute: true })).toEqual([uuid(5), uuid(2)]);
        expect(await ids({ dispute: false })).toEqual([uuid(4), uuid(3), uuid(1)]);
        expect(await ids({ satisfaction: 5, technician: 'tech-2' })).toEqual([uuid(5), uuid(3)]);
        expect(await ids({ technician: HOSTILE[0] })).toEqual([]);
      });

      it('pages with a keyset cursor: every form once, in order, then no next page', async () => {
        const seen: string[] = [];
        let after = null;
        for (let pages = 0; pages < 10; pages++) {
          const page = await storage.listForms({}, { after, limit: 2 });
          seen.push(...page.forms.map((f) => f.id));
          if (!page.next) break;
          after = page.next;
        }
        expect(seen).toEqual([uuid(5), uuid(4), uuid(3), uuid(2), uuid(1)]);
        const filtered = await storage.listForms({ dispute: false }, { after: { visitDate: '2026-03-02', id: uuid(3) }, limit: 5 });
        expect(filtered.forms.map((f) => f.id)).toEqual([uuid(1)]);
        expect(filtered.next).toBeNull();
      });

      it('iterates oldest first in pages, with or without the signatures', async () => {
        const all = [];
        for await (const form of storage.iterateForms({}, { withSignature: true, pageSize: 2 })) all.push(form);
        expect(all.map((f) => f.summary.id)).toEqual([uuid(1), uuid(2), uuid(3), uuid(4), uuid(5)]);
        expect(all[0]!.signature).toBeInstanceOf(Uint8Array);
        const lean = [];
        for await (const form of storage.iterateForms({ technician: 'tech-2' }, { withSignature: false, pageSize: 1 })) lean.push(form);
        expect(lean.map((f) => [f.summary.id, f.signature])).toEqual([[uuid(3), null], [uuid(5), null]]);
      });
    });

  });
  describeAccountsContract(name, factory);
  describeDisputesContract(name, factory, record);
  describePartsContract(name, factory);
}
