import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OnsiteDatabase } from '../../src/device/db';
import { getVisit, listVisits, listVisitsOn, storeDispatchedVisits } from '../../src/device/visits-store';
import { createDeviceVisit, VisitInputError, type NewVisit } from '../../src/device/visit-create';
import { checklist, header, ordinaryDay } from '../fixtures/visits';
import { dispatched, openTestDb, T0 } from '../sync/support';

let db: OnsiteDatabase;
beforeEach(async () => {
  db = await openTestDb();
});

const newVisit: NewVisit = {
  scheduledDate: '2026-03-11', firstVisit: true,
  customer: { name: '李女士', phone: '139 1111 2222', address: '某区某街 8 号' },
  equipment: { type: '垃圾车', model: 'LJ-3', serial: '' },
};

async function addDraft(visitId: string) {
  await db.put('drafts', {
    formId: crypto.randomUUID(), visitId, header: { ...header(), visitId }, facts: ordinaryDay,
    checklist: { id: checklist.id, version: checklist.version }, createdAt: new Date(T0).toISOString(), elapsedBaseMs: 0,
    updatedAt: new Date(T0).toISOString(), sealed: false,
  });
}

describe('visits created on the phone', () => {
  it('get a D-<date>-<random> id, the technician, and source device', async () => {
    const visit = await createDeviceVisit(db, newVisit, { technicianId: 'tech-1', now: () => T0, randomPart: () => 'k3j9x0aa' });
    expect(visit).toEqual({ ...newVisit, notes: '', id: 'D-20260311-k3j9x0aa', technicianId: 'tech-1', source: 'device', createdAt: new Date(T0).toISOString() });
    expect(await getVisit(db, visit.id)).toEqual(visit);
  });

  it('never reuse an id already on the phone', async () => {
    const parts = ['same', 'same', 'other'];
    const first = await createDeviceVisit(db, newVisit, { technicianId: 'tech-1', randomPart: () => parts.shift()! });
    const second = await createDeviceVisit(db, newVisit, { technicianId: 'tech-1', randomPart: () => parts.shift()! });
    expect([first.id, second.id]).toEqual(['D-20260311-same', 'D-20260311-other']);
  });

  it('get random ids by default', async () => {
    const a = await createDeviceVisit(db, newVisit, { technicianId: 'tech-1' });
    const b = await createDeviceVisit(db, newVisit, { technicianId: 'tech-1' });
    expect(a.id).toMatch(/^D-20260311-[0-9a-z]{8}$/);
    expect(a.id).not.toBe(b.id);
  });

  it('are refused with each field\'s problem when the input is invalid', async () => {
    const bad = { ...newVisit, scheduledDate: '2026-13-01', customer: { ...newVisit.customer, name: '  ' } };
    const error = await createDeviceVisit(db, bad, { technicianId: 'tech-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VisitInputError);
    expect((error as VisitInputError).errors.map((e) => e.path).sort()).toEqual(['customer.name', 'scheduledDate']);
    expect(await listVisits(db)).toEqual([]);
  });
});

describe('listing', () => {
  it('lists by date then id, for a day or a range', async () => {
    await storeDispatchedVisits(db, [dispatched('B', '2026-03-10'), dispatched('A', '2026-03-10'), dispatched('C', '2026-03-12'), dispatched('D', '2026-03-09')], T0);
    expect((await listVisits(db)).map((v) => v.id)).toEqual(['D', 'A', 'B', 'C']);
    expect((await listVisitsOn(db, '2026-03-10')).map((v) => v.id)).toEqual(['A', 'B']);
    expect((await listVisits(db, { from: '2026-03-10' })).map((v) => v.id)).toEqual(['A', 'B', 'C']);
    expect((await listVisits(db, { to: '2026-03-10' })).map((v) => v.id)).toEqual(['D', 'A', 'B']);
  });
});

describe('storeDispatchedVisits', () => {
  it('stores the server\'s visits as dispatched and updates them, keeping when each first arrived', async () => {
    await storeDispatchedVisits(db, [dispatched('V-1')], T0);
    const update = await storeDispatchedVisits(db, [{ ...dispatched('V-1'), notes: '带备用碳刷' }], T0 + 60_000);
    expect(update).toEqual({ stored: 1, removed: 0, keptWithDraft: [], skipped: [] });
    expect(await getVisit(db, 'V-1')).toMatchObject({ source: 'dispatched', notes: '带备用碳刷', createdAt: new Date(T0).toISOString() });
  });

  it('drops a visit the server no longer lists, unless the phone has a draft for it', async () => {
    await storeDispatchedVisits(db, [dispatched('V-1'), dispatched('V-2'), dispatched('V-3')], T0);
    await addDraft('V-2');
    const update = await storeDispatchedVisits(db, [dispatched('V-3')], T0);
    expect(update).toEqual({ stored: 1, removed: 1, keptWithDraft: ['V-2'], skipped: [] });
    expect((await listVisits(db)).map((v) => v.id)).toEqual(['V-2', 'V-3']);
  });

  it('never touches visits made on the phone, even one whose id the server also uses', async () => {
    const mine = await createDeviceVisit(db, newVisit, { technicianId: 'tech-1', randomPart: () => 'abc' });
    const update = await storeDispatchedVisits(db, [{ ...dispatched(mine.id), notes: 'from the server' }], T0);
    expect(update).toEqual({ stored: 0, removed: 0, keptWithDraft: [], skipped: [mine.id] });
    expect(await getVisit(db, mine.id)).toEqual(mine);
    await storeDispatchedVisits(db, [], T0);
    expect(await getVisit(db, mine.id)).toEqual(mine);
  });
});
