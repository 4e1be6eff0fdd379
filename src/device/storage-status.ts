// What the storage screen shows: whether the browser keeps our data when space runs low
// (persist), how much is used, and the sealed forms that have waited too long to reach the office.
import type { OnsiteDatabase, OutboxStatus, StoredForm } from './db';

/** The part of navigator.storage we use; any of it may be missing (older Safari, some webviews). */
export interface StorageManagerLike {
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
  estimate?(): Promise<{ usage?: number; quota?: number }>;
}

export type Persistence = 'granted' | 'denied' | 'unsupported';

/** Asks for persistent storage unless we already have it; never throws. */
export async function requestPersistence(storage: StorageManagerLike | undefined): Promise<Persistence> {
  if (!storage?.persist) return 'unsupported';
  try {
    if (await storage.persisted?.()) return 'granted';
    return (await storage.persist()) ? 'granted' : 'denied';
  } catch {
    return 'denied';
  }
}

export interface StorageStatus {
  /** null when the browser cannot tell */
  persisted: boolean | null;
  usageBytes: number | null;
  quotaBytes: number | null;
}

export async function storageStatus(storage: StorageManagerLike | undefined): Promise<StorageStatus> {
  const [persisted, estimate] = await Promise.all([
    storage?.persisted ? storage.persisted().catch(() => null) : null,
    storage?.estimate ? storage.estimate().catch(() => null) : null,
  ]);
  return { persisted, usageBytes: estimate?.usage ?? null, quotaBytes: estimate?.quota ?? null };
}

export const STALE_AFTER_MS = 72 * 3_600_000;
/** Unsent: still on its way ('sending' is queued with a request in flight), or stopped on the phone. */
const UNSENT: readonly OutboxStatus[] = ['queued', 'sending', 'held', 'rejected'];

export interface StaleForm {
  formId: string;
  visitId: string;
  customerName: string;
  status: OutboxStatus;
  sealedAt: string;
  waitedMs: number;
}

/** Sealed forms not at the back office whose seal is more than 72 h old, oldest first. */
export async function staleUnsentForms(db: OnsiteDatabase, now: number, thresholdMs: number = STALE_AFTER_MS): Promise<StaleForm[]> {
  const forms: StoredForm[] = (await Promise.all(UNSENT.map((status) => db.getAllFromIndex('forms', 'by-status', status)))).flat();
  return forms
    .map((f) => ({ formId: f.formId, visitId: f.visitId, customerName: f.form.customer.name, status: f.status, sealedAt: f.sealedAt, waitedMs: now - Date.parse(f.sealedAt) }))
    .filter((f) => f.waitedMs > thresholdMs)
    .sort((a, b) => b.waitedMs - a.waitedMs);
}
