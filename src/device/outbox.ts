// The outbox: sealed forms in the `forms` store and where each stands on its way to the back office.
// Sealing writes a form here as 'queued' (drafts.ts); only the server's answer for a form moves it on
// to synced, rejected or held. 'sending' is queued-with-a-request-in-flight: a crash leaves it there,
// and recoverInterrupted puts it back in the queue (the server answers the resend with duplicate).
import { backoffDelay } from '../domain/backoff';
import type { FieldError } from '../domain/validation-issues';
import { OUTBOX_STATUSES, type OnsiteDatabase, type OutboxStatus, type StoredForm, type StoredSignature } from './db';

export type ServerVerdict = NonNullable<StoredForm['serverStatus']>;

export class OutboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxError';
  }
}

/** The forms with one status (or all), oldest sealed first. */
export async function listForms(db: OnsiteDatabase, status?: OutboxStatus): Promise<StoredForm[]> {
  if (status === undefined) {
    const all = await db.getAll('forms');
    return all.sort((a, b) => a.sealedAt.localeCompare(b.sealedAt));
  }
  return db.getAllFromIndex('forms', 'by-status-sealed', statusRange(status));
}

/** Each sealed form's status, read from the status index's keys alone: no form (or signature) is loaded. */
export async function formStatuses(db: OnsiteDatabase): Promise<Map<string, OutboxStatus>> {
  const tx = db.transaction('forms', 'readonly');
  const index = tx.store.index('by-status');
  const [byStatus] = await Promise.all([Promise.all(OUTBOX_STATUSES.map(async (status) => [status, await index.getAllKeys(status)] as const)), tx.done]);
  const statuses = new Map<string, OutboxStatus>();
  for (const [status, formIds] of byStatus) for (const formId of formIds) statuses.set(formId, status);
  return statuses;
}

export function getForm(db: OnsiteDatabase, formId: string): Promise<StoredForm | undefined> {
  return db.get('forms', formId);
}

/** How many forms are in each state, for the UI. */
export async function countForms(db: OnsiteDatabase): Promise<Record<OutboxStatus, number>> {
  const tx = db.transaction('forms');
  const index = tx.store.index('by-status');
  const counts = await Promise.all(OUTBOX_STATUSES.map((status) => index.count(status)));
  await tx.done;
  return Object.fromEntries(OUTBOX_STATUSES.map((status, i) => [status, counts[i]!])) as Record<OutboxStatus, number>;
}

/** Queued forms whose backoff has run out (nextAttemptAt ≤ now), oldest sealed first, at most `limit`. */
export async function takeDue(db: OnsiteDatabase, now: number, limit: number, exclude: ReadonlySet<string> = new Set()): Promise<StoredForm[]> {
  const due: StoredForm[] = [];
  let cursor = await db.transaction('forms').store.index('by-status-sealed').openCursor(statusRange('queued'));
  while (cursor && due.length < limit) {
    const form = cursor.value;
    if (form.nextAttemptAt <= now && !exclude.has(form.formId)) due.push(form);
    cursor = await cursor.continue();
  }
  return due;
}

/** The earliest time a queued form may be tried again, or null when nothing is queued. */
export async function earliestNextAttempt(db: OnsiteDatabase): Promise<number | null> {
  const first = await db.transaction('forms').store.index('by-status-next').openCursor(statusRange('queued'));
  return first ? first.value.nextAttemptAt : null;
}

/** queued → sending, for the forms of a batch about to go out; returns those actually marked. */
export async function markSending(db: OnsiteDatabase, formIds: readonly string[]): Promise<StoredForm[]> {
  const marked = await transition(db, formIds, ['queued'], (f) => ({ ...f, status: 'sending' }));
  return marked.filter((f) => f !== null);
}

/** The server has it (accepted, duplicate or conflict): the form has left the outbox. */
export function markSynced(db: OnsiteDatabase, formId: string, serverStatus: ServerVerdict, syncedAt: string): Promise<StoredForm | null> {
  return one(db, formId, ['queued', 'sending'], ({ lastError: _e, ...f }) => ({ ...f, status: 'synced', serverStatus, syncedAt }));
}

/** The server refused the form: kept on the phone with the server's reasons for the technician to read. */
export function markRejected(db: OnsiteDatabase, formId: string, reasons: FieldError[]): Promise<StoredForm | null> {
  return one(db, formId, ['queued', 'sending'], ({ lastError: _e, ...f }) => ({ ...f, status: 'rejected', rejection: reasons }));
}

/** Too large for the server (413): held with its message, not retried until the technician acts. */
export function markHeld(db: OnsiteDatabase, formId: string, message: string): Promise<StoredForm | null> {
  return one(db, formId, ['queued', 'sending'], (f) => ({ ...f, status: 'held', lastError: message }));
}

export interface FailedAttempt {
  now: number;
  error: string;
  random?: () => number;
  /** the server's Retry-After, in ms: the next attempt is never sooner */
  retryAfterMs?: number;
}

/** A try that got no answer for the form: back in the queue, one more attempt, and a backoff. */
export function markFailedAttempt(db: OnsiteDatabase, formId: string, attempt: FailedAttempt): Promise<StoredForm | null> {
  return one(db, formId, ['queued', 'sending'], (f) => {
    const attempts = f.attempts + 1;
    const delay = Math.max(backoffDelay(attempts, attempt.random), attempt.retryAfterMs ?? 0);
    return { ...f, status: 'queued', attempts, nextAttemptAt: attempt.now + delay, lastError: attempt.error };
  });
}

/** sending → queued without counting an attempt: not sent after all, or unanswered for a reason not the form's (401). */
export async function returnToQueue(db: OnsiteDatabase, formIds: readonly string[], reason?: string): Promise<void> {
  await transition(db, formIds, ['sending'], (f) => (reason === undefined ? { ...f, status: 'queued' } : { ...f, status: 'queued', lastError: reason }));
}

/** On start: a form left 'sending' by a crash or a closed page is queued again and will be resent. */
export async function recoverInterrupted(db: OnsiteDatabase): Promise<number> {
  const tx = db.transaction('forms', 'readwrite');
  let recovered = 0;
  let cursor = await tx.store.index('by-status').openCursor('sending');
  while (cursor) {
    await cursor.update({ ...cursor.value, status: 'queued' });
    recovered++;
    cursor = await cursor.continue();
  }
  await tx.done;
  return recovered;
}

/** The technician acts on a held form (e.g. after the server's limit was raised): queue it again now. */
export function releaseHeld(db: OnsiteDatabase, formId: string, now: number): Promise<StoredForm | null> {
  return one(db, formId, ['held'], ({ lastError: _e, ...f }) => ({ ...f, status: 'queued', attempts: 0, nextAttemptAt: now }));
}

/** The signature PNG of a form: an ArrayBuffer with its MIME type. */
export function getSignature(db: OnsiteDatabase, formId: string): Promise<StoredSignature | undefined> {
  return db.get('signatures', formId);
}

/** Every key [status, …] of a compound index led by the status. */
function statusRange(status: OutboxStatus): IDBKeyRange {
  // [status] sorts before every [status, x], and an array after every string and number
  return IDBKeyRange.bound([status], [status, []]);
}

/**
 * Applies `change` to each form that is in one of `from`, in one transaction; null for a form that has
 * moved on meanwhile (another tab or the service worker answered for it first). An unknown form id is
 * a caller's bug: it throws and changes nothing.
 */
async function transition(db: OnsiteDatabase, formIds: readonly string[], from: readonly OutboxStatus[], change: (form: StoredForm) => StoredForm): Promise<Array<StoredForm | null>> {
  const tx = db.transaction('forms', 'readwrite');
  const results: Array<StoredForm | null> = [];
  for (const formId of formIds) {
    const form = await tx.store.get(formId);
    if (!form) {
      tx.abort();
      await tx.done.catch(() => undefined);
      throw new OutboxError(`no form ${formId} in the outbox`);
    }
    if (!from.includes(form.status)) {
      results.push(null);
      continue;
    }
    const next = change(form);
    await tx.store.put(next);
    results.push(next);
  }
  await tx.done;
  return results;
}

async function one(db: OnsiteDatabase, formId: string, from: readonly OutboxStatus[], change: (form: StoredForm) => StoredForm): Promise<StoredForm | null> {
  return (await transition(db, [formId], from, change))[0] ?? null;
}
