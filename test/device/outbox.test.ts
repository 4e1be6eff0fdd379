import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OnsiteDatabase } from '../../src/device/db';
import {
  countForms, earliestNextAttempt, formStatuses, getForm, getSignature, listForms, markFailedAttempt, markHeld, markRejected, markSending,
  markSynced, OutboxError, recoverInterrupted, releaseHeld, returnToQueue, takeDue,
} from '../../src/device/outbox';
import { openTestDb, queueSealedForm, T0 } from '../sync/support';

let db: OnsiteDatabase;
beforeEach(async () => {
  db = await openTestDb();
});

const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

describe('listing and counting', () => {
  it('lists the forms of one status, oldest sealed first, and counts every status', async () => {
    const late = await queueSealedForm(db, { sealedAt: at(30) });
    const early = await queueSealedForm(db, { sealedAt: at(10) });
    const synced = await queueSealedForm(db, { status: 'synced', sealedAt: at(5) });
    expect((await listForms(db, 'queued')).map((f) => f.formId)).toEqual([early.formId, late.formId]);
    expect((await listForms(db)).map((f) => f.formId)).toEqual([synced.formId, early.formId, late.formId]);
    expect(await countForms(db)).toEqual({ queued: 2, sending: 0, synced: 1, rejected: 0, held: 0 });
  });

  it('gives every form\'s status from the index alone, following each transition', async () => {
    expect(await formStatuses(db)).toEqual(new Map());
    const queued = await queueSealedForm(db);
    const held = await queueSealedForm(db, { status: 'held' });
    const synced = await queueSealedForm(db, { status: 'synced' });
    const rejected = await queueSealedForm(db, { status: 'rejected' });
    expect(await formStatuses(db)).toEqual(new Map([[queued.formId, 'queued'], [held.formId, 'held'], [synced.formId, 'synced'], [rejected.formId, 'rejected']]));
    await markSending(db, [queued.formId]);
    expect((await formStatuses(db)).get(queued.formId)).toBe('sending');
    expect((await formStatuses(db)).size).toBe(4);
  });
});

describe('takeDue', () => {
  it('takes queued forms whose backoff has run out, oldest sealed first, up to the limit', async () => {
    const a = await queueSealedForm(db, { sealedAt: at(1) });
    const waiting = await queueSealedForm(db, { sealedAt: at(2), nextAttemptAt: T0 + 1 });
    const b = await queueSealedForm(db, { sealedAt: at(3), nextAttemptAt: T0 });
    const c = await queueSealedForm(db, { sealedAt: at(4) });
    await queueSealedForm(db, { sealedAt: at(0), status: 'held' });
    await queueSealedForm(db, { sealedAt: at(0), status: 'sending' });
    expect((await takeDue(db, T0, 10)).map((f) => f.formId)).toEqual([a.formId, b.formId, c.formId]);
    expect((await takeDue(db, T0, 2)).map((f) => f.formId)).toEqual([a.formId, b.formId]);
    expect((await takeDue(db, T0, 10, new Set([a.formId]))).map((f) => f.formId)).toEqual([b.formId, c.formId]);
    expect((await takeDue(db, T0 + 1, 10)).map((f) => f.formId)).toContain(waiting.formId);
  });

  it('gives the earliest next attempt among queued forms, or null when none is queued', async () => {
    expect(await earliestNextAttempt(db)).toBeNull();
    await queueSealedForm(db, { nextAttemptAt: T0 + 500 });
    await queueSealedForm(db, { nextAttemptAt: T0 + 100 });
    await queueSealedForm(db, { nextAttemptAt: 0, status: 'held' });
    expect(await earliestNextAttempt(db)).toBe(T0 + 100);
  });
});

describe('transitions', () => {
  it('marks queued forms sending, and only those', async () => {
    const q = await queueSealedForm(db);
    const h = await queueSealedForm(db, { status: 'held' });
    const marked = await markSending(db, [q.formId, h.formId]);
    expect(marked.map((f) => f.formId)).toEqual([q.formId]);
    expect((await getForm(db, q.formId))?.status).toBe('sending');
    expect((await getForm(db, h.formId))?.status).toBe('held');
  });

  it('marks a sent form synced with the server\'s word and the time, and clears the last error', async () => {
    const f = await queueSealedForm(db, { status: 'sending', lastError: 'offline' });
    const synced = await markSynced(db, f.formId, 'duplicate', at(1));
    expect(synced).toMatchObject({ status: 'synced', serverStatus: 'duplicate', syncedAt: at(1) });
    expect(synced).not.toHaveProperty('lastError');
    expect(await getForm(db, f.formId)).toEqual(synced);
  });

  it('does not move a form that has moved on meanwhile (answered by another tab)', async () => {
    const f = await queueSealedForm(db, { status: 'synced', serverStatus: 'accepted', syncedAt: at(0) });
    expect(await markSynced(db, f.formId, 'conflict', at(1))).toBeNull();
    expect(await markRejected(db, f.formId, [])).toBeNull();
    expect(await markHeld(db, f.formId, 'too big')).toBeNull();
    expect(await markFailedAttempt(db, f.formId, { now: T0, error: 'x' })).toBeNull();
    expect(await getForm(db, f.formId)).toEqual(f);
  });

  it('refuses an unknown form id with an error naming it, and changes nothing', async () => {
    await expect(markSynced(db, 'no-such-form', 'accepted', at(0))).rejects.toThrow(OutboxError);
    const q = await queueSealedForm(db);
    await expect(markSending(db, [q.formId, 'no-such-form'])).rejects.toThrow(/no form no-such-form in the outbox/);
    expect((await getForm(db, q.formId))?.status).toBe('queued');
  });

  it('keeps the server\'s reasons on a rejected form', async () => {
    const f = await queueSealedForm(db, { status: 'sending' });
    const reasons = [{ path: 'forms[0].form.satisfaction', message: 'expected a number ≤ 5' }];
    await markRejected(db, f.formId, reasons);
    expect(await getForm(db, f.formId)).toMatchObject({ status: 'rejected', rejection: reasons });
    expect(await takeDue(db, T0, 10)).toEqual([]);
  });

  it('holds a too-large form with the server\'s message, out of the queue until released', async () => {
    const f = await queueSealedForm(db, { status: 'sending', attempts: 3 });
    await markHeld(db, f.formId, 'the signature is larger than 512 KB');
    expect(await getForm(db, f.formId)).toMatchObject({ status: 'held', lastError: 'the signature is larger than 512 KB' });
    expect(await takeDue(db, T0 + 86_400_000, 10)).toEqual([]);
    const released = await releaseHeld(db, f.formId, T0);
    expect(released).toMatchObject({ status: 'queued', attempts: 0, nextAttemptAt: T0 });
    expect(released).not.toHaveProperty('lastError');
    expect(await releaseHeld(db, f.formId, T0)).toBeNull();
  });

  it('counts a failed attempt, backs off and keeps the error', async () => {
    const f = await queueSealedForm(db, { status: 'sending', attempts: 2 });
    // third failure: ceiling 2 s · 2² = 8 s, half of it with random 0.5
    const failed = await markFailedAttempt(db, f.formId, { now: T0, error: 'could not reach the server', random: () => 0.5 });
    expect(failed).toMatchObject({ status: 'queued', attempts: 3, nextAttemptAt: T0 + 4_000, lastError: 'could not reach the server' });
  });

  it('never retries before the server\'s Retry-After', async () => {
    const f = await queueSealedForm(db, { status: 'sending' });
    const failed = await markFailedAttempt(db, f.formId, { now: T0, error: 'busy', random: () => 0.5, retryAfterMs: 120_000 });
    expect(failed?.nextAttemptAt).toBe(T0 + 120_000);
  });

  it('returns sending forms to the queue without counting an attempt', async () => {
    const f = await queueSealedForm(db, { status: 'sending', attempts: 1 });
    await returnToQueue(db, [f.formId], 'enrollment needed');
    expect(await getForm(db, f.formId)).toMatchObject({ status: 'queued', attempts: 1, lastError: 'enrollment needed' });
    const g = await queueSealedForm(db, { status: 'sending', lastError: 'earlier' });
    await returnToQueue(db, [g.formId]);
    expect(await getForm(db, g.formId)).toMatchObject({ status: 'queued', lastError: 'earlier' });
  });

  it('recovers forms left sending by a crash, and nothing else', async () => {
    const a = await queueSealedForm(db, { status: 'sending' });
    const b = await queueSealedForm(db, { status: 'sending' });
    const s = await queueSealedForm(db, { status: 'synced', serverStatus: 'accepted', syncedAt: at(0) });
    expect(await recoverInterrupted(db)).toBe(2);
    expect((await getForm(db, a.formId))?.status).toBe('queued');
    expect((await getForm(db, b.formId))?.status).toBe('queued');
    expect((await getForm(db, s.formId))?.status).toBe('synced');
    expect(await recoverInterrupted(db)).toBe(0);
  });
});

describe('signatures', () => {
  it('reads a form\'s signature as an ArrayBuffer with its MIME type', async () => {
    const f = await queueSealedForm(db);
    const signature = await getSignature(db, f.formId);
    expect(signature?.mime).toBe('image/png');
    expect(signature?.bytes).toBeInstanceOf(ArrayBuffer);
    expect(signature?.bytes.byteLength).toBe(f.form.signature.byteLength);
    expect(await getSignature(db, 'nope')).toBeUndefined();
  });
});
