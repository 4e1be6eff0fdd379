// Migration 4's backfill, checked the same way on both adapters: a database at version 3 holding a
// dispute resolved the old way (a time and a note), one still open and a form with nothing flagged.
import { expect } from 'vitest';
import type { Storage } from '../../src/server/storage/storage';
import { V1_FORM_COLUMNS } from './form-facts-backfill';

export const V3_DISPUTE_COLUMNS = [...V1_FORM_COLUMNS, 'dispute_resolved_at', 'dispute_resolution_note'] as const;
export const LEGACY_RESOLVED = '00000000-0000-4000-8000-0000000000a1';
export const LEGACY_OPEN = '00000000-0000-4000-8000-0000000000a2';
const CALM = '00000000-0000-4000-8000-0000000000a3';
const RESOLVED_AT = '2026-03-10T10:00:00.000Z';
const NOTE = '已电话回访，客户接受解释';

/** The rows, in V3_DISPUTE_COLUMNS order; `bool` writes a boolean the dialect's way. */
export function v3DisputeRows(bool: (b: boolean) => unknown): unknown[][] {
  const json = (flagged: boolean) => JSON.stringify({ incidents: flagged ? [{ kind: 'dispute', rule: 'no-arguing', detail: '收费有争议', at: '2026-03-10T09:00:00+08:00', flagged: true }] : [] });
  const row = (id: string, flagged: boolean, resolvedAt: string | null, note: string | null) => [id, `${'0'.repeat(63)}1`, 'tech-1', `V-${id.slice(-2)}`,
    '2026-03-10', '2026-03-10T09:00:00+08:00', '2026-03-10T08:00:00.000Z', 'api', 4, bool(flagged), bool(false), bool(flagged), null, '客户', '洗扫车',
    json(flagged), Buffer.from([0x89, 0x50]), resolvedAt, note];
  return [row(LEGACY_RESOLVED, true, RESOLVED_AT, NOTE), row(LEGACY_OPEN, true, null, null), row(CALM, false, null, null)];
}

/** After the upgrade: the old resolution still shows, with its note, as the first line of its thread; the open one can be worked. */
export async function expectDisputesBackfilled(storage: Storage): Promise<void> {
  const resolved = await storage.listDisputes({ status: 'resolved', limit: 10 });
  expect(resolved).toEqual([expect.objectContaining({ formId: LEGACY_RESOLVED, resolvedAt: RESOLVED_AT, resolutionNote: NOTE, outcome: 'other', assignee: null })]);
  expect((await storage.getForm(LEGACY_RESOLVED))?.summary.disputeResolved).toBe(true);
  expect((await storage.getDispute(LEGACY_RESOLVED))?.events).toEqual([
    { id: expect.any(Number), at: RESOLVED_AT, userId: null, userName: '', kind: 'resolved', note: NOTE, outcome: 'other', assignee: null },
  ]);
  expect((await storage.listDisputes({ status: 'open', limit: 10 })).map((d) => d.formId)).toEqual([LEGACY_OPEN]);
  expect((await storage.getDispute(LEGACY_OPEN))?.events).toEqual([]);
  const audit = { at: '2026-03-12T00:00:00.000Z', userId: 'U-1', userName: '李', address: '127.0.0.1', action: 'dispute.reopened', target: LEGACY_RESOLVED, details: {} };
  expect(await storage.workDispute(LEGACY_RESOLVED, { kind: 'reopen', note: '客户再次来电' }, audit)).toMatchObject({ status: 'done', dispute: { resolvedAt: null } });
  expect((await storage.getDispute(LEGACY_RESOLVED))?.events.map((e) => e.kind)).toEqual(['resolved', 'reopened']);
}
