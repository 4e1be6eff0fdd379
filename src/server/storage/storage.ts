// The one storage interface the server talks to. Two adapters implement it (sqlite.ts, postgres.ts)
// and one contract suite (test/server/storage-contract.ts) holds both to the same behaviour.
import type { HistoryWordsReader } from './equipment-history';
import type {
  ConflictRecord, DashboardData, DashboardQuery, DispatchedVisit, DisputeAssignee, DisputeEvent, DisputeRecord, EquipmentHistoryEntry, FormFilter,
  FormSummary, TechnicianRecord,
} from '../../domain/api';
import type { DisputeOutcome } from '../../domain/disputes';
import type { CatalogPart } from '../../domain/parts-catalog';
import type { FormFacts } from '../../domain/form-facts';
import type { RegisteredDeviceKey } from '../../domain/device-signature';
import type { AccountStorage, NewAuditEntry } from './account-storage';

export interface NewTechnician {
  id: string;
  name: string;
  phone: string;
  createdAt: string;
}

/** What a bearer token is checked against: the technician and the SHA-256 of their current token. */
export interface TechnicianCredentials {
  technician: TechnicianRecord;
  tokenHash: string;
}

export interface NewEnrollmentCode {
  /** the code's first characters, stored in clear so a wrong guess can be counted against its code */
  lookup: string;
  codeHash: string;
  technicianId: string;
  createdAt: string;
  expiresAt: string;
}

export interface EnrollmentCodeRecord extends NewEnrollmentCode {
  usedAt: string | null;
  failedAttempts: number;
}

export interface TokenGrant {
  tokenId: string;
  tokenHash: string;
  at: string;
  /** the phone's device key, registered with the enrollment (absent: a phone from before device keys) */
  deviceKey?: { keyId: string; publicKey: string };
}

/** A device key (src/domain/device-signature.ts) as stored. */
export type DeviceKeyRecord = RegisteredDeviceKey;

/** Thrown by redeemEnrollmentCode when the device key is already registered: nothing of the enrollment is kept. */
export class DeviceKeyTakenError extends Error {
  constructor(readonly keyId: string) {
    super(`the device key ${keyId} is already registered`);
    this.name = 'DeviceKeyTakenError';
  }
}

/** A verified form ready to land; `id` is the exactly-once key. */
export interface NewFormRecord {
  id: string;
  hash: string;
  technicianId: string;
  visitId: string;
  visitDate: string;
  sealedAt: string;
  receivedAt: string;
  source: 'api' | 'import';
  satisfaction: number;
  dispute: boolean;
  conductBreach: boolean;
  clockDriftMs: number | null;
  customerName: string;
  equipmentType: string;
  /** the sealed form exactly as received (JSON text) */
  formJson: string;
  signature: Uint8Array;
  /** the submission's `device` envelope (JSON text), null when the form has no device signature */
  deviceJson: string | null;
  /** what the equipment history and the dashboard count, read from the form (formFacts) */
  facts: FormFacts;
}

export interface StoreFormOutcome {
  status: 'accepted' | 'duplicate' | 'conflict';
  /** when the kept form was received (for a duplicate or a conflict: the first one) */
  receivedAt: string;
}

/** Where a form's dispute stands, as the exports give it (the thread itself is the disputes API's). */
export interface FormDisputeState {
  /** none: nothing flagged (no dispute, no conduct breach) */
  status: 'none' | 'open' | 'resolved';
  assignee: DisputeAssignee | null;
  outcome: DisputeOutcome | null;
  /** the user name on the resolution's thread line; null when open, or resolved before the thread was kept */
  resolvedBy: string | null;
  resolvedAt: string | null;
  /** the thread's notes (its "noted" lines) */
  notes: number;
}

export interface StoredForm {
  summary: FormSummary;
  formJson: string;
  /** null when the caller asked not to load the bytes */
  signature: Uint8Array | null;
  /** the `device` envelope it was submitted with (JSON text); null: unsigned by device */
  deviceJson: string | null;
  disputeResolutionNote: string | null;
  disputeResolvedAt: string | null;
  source: 'api' | 'import';
  /** only when the caller asked for it (iterateForms' withDisputes) */
  dispute?: FormDisputeState;
}

/** Keyset position in the forms list, which is ordered by (visitDate, id) descending. */
export interface FormCursor {
  visitDate: string;
  id: string;
}

export interface FormPage {
  forms: FormSummary[];
  next: FormCursor | null;
}

export interface EquipmentHistoryPage {
  entries: EquipmentHistoryEntry[];
  next: FormCursor | null;
}

/** A dispute as stored; its age is the route's, from the server's clock. */
export type StoredDispute = Omit<DisputeRecord, 'ageMs'>;

export interface StoredDisputeDetail {
  dispute: StoredDispute;
  /** the thread, oldest first */
  events: DisputeEvent[];
}

export interface DisputeListFilter {
  status: 'open' | 'resolved';
  /** a user's id; null: the unassigned ones; absent: anyone's */
  assigneeId?: string | null;
  /** only forms received before this time (ISO-8601) */
  receivedBefore?: string;
  limit: number;
}

/** One change to a dispute; each appends one line to its thread. */
export type DisputeChange =
  | { kind: 'assign'; userId: string | null }
  | { kind: 'note'; text: string }
  | { kind: 'resolve'; outcome: DisputeOutcome; note: string }
  | { kind: 'reopen'; note: string };

export type WorkDisputeRefusal =
  | 'not-found' | 'not-flagged' | 'already-resolved' | 'not-resolved' | 'assignee-unknown' | 'assignee-disabled';

export type WorkDisputeOutcome = ({ status: 'done' } & StoredDisputeDetail) | { status: WorkDisputeRefusal };

export interface PartCounts {
  created: number;
  updated: number;
}

export interface Storage extends AccountStorage {
  readonly kind: 'sqlite' | 'postgres';
  close(): Promise<void>;

  getAdminTokenHash(): Promise<string | null>;
  setAdminTokenHash(hash: string, at: string): Promise<void>;

  // `audit`: the back office's entry for the change, written in the change's transaction (none when nothing changed)

  /** null when the id is taken */
  createTechnician(input: NewTechnician, audit?: NewAuditEntry): Promise<TechnicianRecord | null>;
  getTechnician(id: string): Promise<TechnicianRecord | null>;
  listTechnicians(): Promise<TechnicianRecord[]>;
  /** null when there is no such technician; revoking twice keeps the first time; revokes the technician's device keys too */
  revokeTechnician(id: string, at: string, audit?: NewAuditEntry): Promise<TechnicianRecord | null>;
  getCredentials(tokenId: string): Promise<TechnicianCredentials | null>;

  /** false when the lookup prefix collides with another code (the caller draws a new one) */
  createEnrollmentCode(code: NewEnrollmentCode): Promise<boolean>;
  getEnrollmentCode(lookup: string): Promise<EnrollmentCodeRecord | null>;
  /** counts one wrong guess against the code; answers the new count */
  recordFailedEnrollment(lookup: string): Promise<number>;
  /**
   * Atomically marks the code used (only if unused, unexpired at `grant.at` and not locked after
   * `maxFailures`) and gives its technician the new token. null when the code could not be redeemed.
   * In the same transaction the technician's earlier device keys are superseded and `grant.deviceKey`
   * registered (DeviceKeyTakenError, and nothing changed, when its id is registered already).
   */
  redeemEnrollmentCode(lookup: string, grant: TokenGrant, maxFailures: number): Promise<TechnicianRecord | null>;

  getDeviceKey(keyId: string): Promise<DeviceKeyRecord | null>;
  /** the technician's keys (or every key), oldest enrollment first */
  listDeviceKeys(technicianId?: string): Promise<DeviceKeyRecord[]>;

  /** false when the visit id is taken */
  createVisit(visit: DispatchedVisit, createdAt: string, audit?: NewAuditEntry): Promise<boolean>;
  /** ordered by scheduled date then id; `openOnly` leaves out visits a form has already been received for */
  listVisits(filter: { technicianId?: string; openOnly?: boolean }): Promise<DispatchedVisit[]>;

  /**
   * Lands verified forms in one transaction (one commit for the batch; durable when this resolves).
   * Each lands once: a same-id same-hash form is a duplicate, a same-id other-hash form a stored
   * conflict — also between forms of the same batch. Outcomes in the order of `forms`.
   */
  storeForms(forms: readonly NewFormRecord[]): Promise<StoreFormOutcome[]>;
  listForms(filter: FormFilter, page: { after: FormCursor | null; limit: number }): Promise<FormPage>;
  getForm(id: string): Promise<StoredForm | null>;
  /** every form matching the filter, oldest visit first, fetched page by page */
  iterateForms(filter: FormFilter, options: { withSignature: boolean; withDisputes?: boolean; pageSize?: number }): AsyncIterable<StoredForm>;

  listConflicts(options: { formId?: string; limit: number }): Promise<ConflictRecord[]>;
  /** the other submission's form JSON and signature, for the back office to compare */
  getConflictSubmission(formId: string, hash: string): Promise<{ formJson: string; signature: Uint8Array; deviceJson: string | null } | null>;

  /** forms flagged for follow-up (a dispute or a conduct breach) matching the filter, newest received first */
  listDisputes(filter: DisputeListFilter): Promise<StoredDispute[]>;
  /** null when there is no such form or it is not flagged */
  getDispute(formId: string): Promise<StoredDisputeDetail | null>;
  /**
   * Makes one change to a dispute and appends it to the thread, with the audit entry, in one
   * transaction with the form row locked: of two concurrent resolutions one lands, the other is
   * 'already-resolved'. The thread line's actor and time are the audit entry's.
   */
  workDispute(formId: string, change: DisputeChange, audit: NewAuditEntry): Promise<WorkDisputeOutcome>;
  /** the enabled back-office users, who may be given a dispute */
  listDisputeAssignees(): Promise<DisputeAssignee[]>;

  /** every form for one equipment serial, newest visit first, keyset-paged like the forms list; '' has no history */
  /** `words` reads a repair's words from a form's JSON; without it, only format-1 forms have words (see HistoryWordsReader) */
  listEquipmentHistory(serial: string, page: { after: FormCursor | null; limit: number; words?: HistoryWordsReader }): Promise<EquipmentHistoryPage>;
  /** the dashboard's figures over the period (and technician), aggregated by the database */
  dashboard(query: DashboardQuery): Promise<DashboardData>;

  /** the parts catalog, by code (byte order, the same on both databases) */
  listParts(): Promise<CatalogPart[]>;
  /**
   * Adds each part, or changes the name and unit of the part with its code, in one transaction with the
   * audit entry, made from the counts (written even when nothing changed: an import is recorded with its
   * errors). A code given twice keeps the last. Counts the parts added and those changed; a part given
   * as it already is counts in neither.
   */
  saveParts(parts: readonly CatalogPart[], at: string, audit: (counts: PartCounts) => NewAuditEntry): Promise<PartCounts>;
  /** false (and no audit entry) when there is no such part */
  removePart(code: string, audit: NewAuditEntry): Promise<boolean>;
}
