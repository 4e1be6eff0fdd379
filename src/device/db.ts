// The one IndexedDB module: a typed schema, one version number, upgrades stepping `oldVersion < N`.
// The rest of the app calls the typed functions here and in outbox.ts, never raw stores.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { DispatchedVisit, PastRepair } from '../domain/api';
import type { SealedForm, VisitEvent, VisitFacts } from '../domain/form-schema';
import type { ChecklistRef } from '../domain/checklist';
import type { VisitHeader } from '../domain/service-form';
import type { FieldError } from '../domain/validation-issues';
import type { DeviceSignature } from '../domain/device-message';

export const DB_NAME = 'onsite';
export const DB_VERSION = 3;

/** A visit on the phone: downloaded from the back office, or created here with "new visit". */
export interface StoredVisit extends DispatchedVisit {
  source: 'dispatched' | 'device';
  createdAt: string;
  /**
   * The equipment's last repairs (same serial), newest first, as the server sent them with the visit.
   * Absent on visits made on the phone or downloaded from a server without the history (and on
   * records kept before it existed): an optional value field, so the store needs no new version.
   */
  history?: PastRepair[];
}

/** An open (or sealed) visit's draft; its events live in `draftEvents`, one record each, append-only. */
export interface Draft {
  formId: string;
  visitId: string;
  header: VisitHeader;
  facts: VisitFacts;
  checklist: ChecklistRef;
  createdAt: string;
  /** wall-clock start, so elapsed time survives reloads: elapsed = base + (performance.now() − page start) */
  elapsedBaseMs: number;
  updatedAt: string;
  sealed: boolean;
}

export interface DraftEventRecord {
  formId: string;
  seq: number;
  event: VisitEvent;
}

/** Signature PNG bytes: an ArrayBuffer with its MIME type (Safari-safe), never base64 inside JSON. */
export interface StoredSignature {
  formId: string;
  bytes: ArrayBuffer;
  mime: 'image/png';
  sha256: string;
}

export const OUTBOX_STATUSES = ['queued', 'sending', 'synced', 'rejected', 'held'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** A sealed form and where it stands on its way to the back office. */
export interface StoredForm {
  formId: string;
  visitId: string;
  form: SealedForm;
  status: OutboxStatus;
  sealedAt: string;
  attempts: number;
  /** epoch ms before which the sync engine does not try again (backoff) */
  nextAttemptAt: number;
  lastError?: string;
  /** the server's reasons, kept for the technician to read */
  rejection?: FieldError[];
  /** the server's word for it: accepted, duplicate or conflict */
  serverStatus?: 'accepted' | 'duplicate' | 'conflict';
  syncedAt?: string;
  /**
   * This phone's signature over the seal (src/domain/device-signature.ts), sent beside the form.
   * Absent on forms sealed without a device key (enrolled before device keys, or before DB version 3):
   * an optional value field, so the forms store needs no new version.
   */
  device?: DeviceSignature;
}

/**
 * This phone's ECDSA P-256 key pair, made at enrollment (since DB version 3). The private key is not
 * extractable: it signs here and never leaves the phone. The CryptoKeyPair is stored as it is
 * (structured clone); the public key also as SPKI base64, as it was registered.
 */
export interface StoredDeviceKey {
  keyId: string;
  keyPair: CryptoKeyPair;
  publicKey: string;
  technicianId: string;
  createdAt: string;
}

/** A checklist version downloaded from the server (those the app carries are not stored). Since DB version 2. */
export interface StoredChecklist {
  id: string;
  version: number;
  /** the checklist file as the server sent it; validated again when read */
  checklist: unknown;
  downloadedAt: string;
}

export interface OnsiteDB extends DBSchema {
  visits: { key: string; value: StoredVisit; indexes: { 'by-date': string } };
  drafts: { key: string; value: Draft; indexes: { 'by-visit': string } };
  draftEvents: { key: [string, number]; value: DraftEventRecord };
  signatures: { key: string; value: StoredSignature };
  forms: { key: string; value: StoredForm; indexes: { 'by-status': OutboxStatus; 'by-status-sealed': [OutboxStatus, string]; 'by-status-next': [OutboxStatus, number] } };
  settings: { key: string; value: unknown };
  checklists: { key: [string, number]; value: StoredChecklist };
  deviceKeys: { key: string; value: StoredDeviceKey };
}

export type OnsiteDatabase = IDBPDatabase<OnsiteDB>;

/** Why a connection closed under the app: a newer version of the app (another tab or window) needs
 * the database to upgrade its schema, or the browser closed it (the database deleted, storage cleared,
 * a disk failure). */
export type ConnectionClosedReason = 'newer-version' | 'closed-by-browser';

export interface OpenOptions {
  /** called once, when the connection is closed under the app; every later read or write fails */
  onClosed?(reason: ConnectionClosedReason): void;
}

export function openOnsiteDB(name = DB_NAME, { onClosed }: OpenOptions = {}): Promise<OnsiteDatabase> {
  let closed = false;
  const closedUnder = (reason: ConnectionClosedReason) => {
    if (!closed) onClosed?.(reason);
    closed = true;
  };
  return openDB<OnsiteDB>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('visits', { keyPath: 'id' }).createIndex('by-date', 'scheduledDate');
        db.createObjectStore('drafts', { keyPath: 'formId' }).createIndex('by-visit', 'visitId');
        db.createObjectStore('draftEvents', { keyPath: ['formId', 'seq'] });
        db.createObjectStore('signatures', { keyPath: 'formId' });
        const forms = db.createObjectStore('forms', { keyPath: 'formId' });
        forms.createIndex('by-status', 'status');
        // the outbox sends the oldest sealed form first, and wakes at the earliest retry
        forms.createIndex('by-status-sealed', ['status', 'sealedAt']);
        forms.createIndex('by-status-next', ['status', 'nextAttemptAt']);
        db.createObjectStore('settings');
      }
      if (oldVersion < 2) {
        // checklist versions downloaded with the visits, so a draft under a version the app does not carry still opens
        db.createObjectStore('checklists', { keyPath: ['id', 'version'] });
      }
      if (oldVersion < 3) {
        // the device keys: the current one is named by the deviceKeyId setting; earlier ones stay
        db.createObjectStore('deviceKeys', { keyPath: 'keyId' });
      }
    },
    blocking(_currentVersion, blockedVersion, event) {
      // A newer version of the app wants to upgrade the schema (or the database is being deleted): it
      // waits until every open connection closes, so this one closes now (each step of a draft is
      // already saved) and the page is told to ask for a reload, rather than stall the other tab.
      (event.target as IDBDatabase).close();
      closedUnder(blockedVersion === null ? 'closed-by-browser' : 'newer-version');
    },
    terminated() {
      closedUnder('closed-by-browser');
    },
  });
}
