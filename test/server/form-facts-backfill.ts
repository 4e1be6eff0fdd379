// Migration 2's backfill, checked the same way on both adapters: a database made by the first schema,
// holding forms stored before the form-facts columns existed, opened by this server.
import { expect } from 'vitest';
import { formFacts } from '../../src/domain/form-facts';
import { BACKFILL_PAGE } from '../../src/server/storage/form-facts-columns';
import type { Storage } from '../../src/server/storage/storage';
import { submittedForm } from '../fixtures/visits';

export const V1_FORM_COLUMNS = ['id', 'hash', 'technician_id', 'visit_id', 'visit_date', 'sealed_at', 'received_at', 'source', 'satisfaction',
  'dispute', 'conduct_breach', 'flagged', 'clock_drift_ms', 'customer_name', 'equipment_type', 'form_json', 'signature_png'] as const;

/** More rows than one backfill page holds, so the paging is crossed. */
export const OLD_ROWS = BACKFILL_PAGE * 2 + 5;

export interface OldRows {
  /** one real sealed form, then OLD_ROWS rows whose JSON names serial SN-OLD and nothing else */
  rows: unknown[][];
  real: Awaited<ReturnType<typeof submittedForm>>;
}

export async function oldRows(bool: (b: boolean) => unknown): Promise<OldRows> {
  // stored before migration 2, so by a phone before value types: format 1
  const real = await submittedForm({ formId: '00000000-0000-4000-8000-000000000001', formatVersion: 1 });
  const row = (id: string, date: string, json: string) => [id, `${'0'.repeat(63)}1`, 'tech-1', `V-${id.slice(-4)}`, date, '2026-03-10T09:00:00+08:00',
    '2026-03-10T08:00:00.000Z', 'api', 4, bool(false), bool(false), bool(false), null, '客户', '洗扫车', json, Buffer.from([0x89, 0x50])];
  const rows = [row(real.form.id, real.form.visit.date, JSON.stringify(real.form))];
  for (let i = 0; i < OLD_ROWS; i++) {
    rows.push(row(`00000000-0000-4000-9000-${String(i).padStart(12, '0')}`, '2026-03-11', i === 7 ? 'not json {' : '{"equipment":{"serial":"SN-OLD"}}'));
  }
  return { rows, real };
}

/** After the upgrade: every old row has its facts, read from its JSON as ingest would have. */
export async function expectBackfilled(storage: Storage, old: OldRows): Promise<void> {
  const facts = formFacts(old.real.form);
  const history = await storage.listEquipmentHistory('SN-123456', { after: null, limit: 10 });
  expect(history.entries.map((e) => [e.formId, e.faultFound, e.partsUsed])).toEqual([[old.real.form.id, '主刷电机碳刷磨损', [{ name: '碳刷', quantity: 2 }]]]);
  // the unreadable row is there with empty facts; every other stub row found its serial
  expect((await storage.listEquipmentHistory('SN-OLD', { after: null, limit: 1000 })).entries).toHaveLength(OLD_ROWS - 1);
  const day = await storage.dashboard({ from: old.real.form.visit.date, to: old.real.form.visit.date });
  expect(day.forms).toBe(1);
  expect(day.declinedOffers).toEqual(facts.declinedOffers);
  expect(day.weeks[0]!.onSiteMedianMs).toBe(facts.onSiteMs);
  expect(day.weeks[0]!.onSiteMedianMs).toBeGreaterThan(0);
  // the whole month's summaries (migration 9) count the rows stored before too
  const month = old.real.form.visit.date.slice(0, 7);
  const whole = await storage.dashboard({ from: `${month}-01`, to: new Date(Date.UTC(+month.slice(0, 4), +month.slice(5), 0)).toISOString().slice(0, 10) });
  const inMonth = 1 + (month === '2026-03' ? OLD_ROWS : 0);
  expect(whole.technicians.map((t) => [t.technicianId, t.forms, t.onSiteMedianMs])).toEqual([['tech-1', inMonth, facts.onSiteMs]]);
  expect(whole.forms).toBe(inMonth);
  const next = await storage.dashboard({ from: '2026-03-11', to: '2026-03-11' });
  expect([next.forms, next.weeks[0]!.onSiteMedianMs, next.declinedOffers.cigarette]).toEqual([OLD_ROWS, null, 0]);
}
