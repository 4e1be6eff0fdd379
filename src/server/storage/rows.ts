// Database rows → API records, shared by both adapters. SQLite answers 0/1 where PostgreSQL answers
// booleans; everything else arrives already as strings and numbers (see the pg type parsers).
import type { ConflictRecord, DispatchedVisit, FormSummary, TechnicianRecord } from '../../domain/api';
import type { DeviceKeyRecord, StoredForm } from './storage';

export type Row = Record<string, unknown>;

const bool = (v: unknown): boolean => v === true || v === 1;
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function technicianFromRow(row: Row): TechnicianRecord {
  return {
    id: str(row.id),
    name: str(row.name),
    phone: str(row.phone),
    createdAt: str(row.created_at),
    enrolledAt: strOrNull(row.enrolled_at),
    revokedAt: strOrNull(row.revoked_at),
  };
}

export function deviceKeyFromRow(row: Row): DeviceKeyRecord {
  return {
    keyId: str(row.key_id),
    technicianId: str(row.technician_id),
    publicKey: str(row.public_key),
    enrolledAt: str(row.enrolled_at),
    supersededAt: strOrNull(row.superseded_at),
    revokedAt: strOrNull(row.revoked_at),
  };
}

export function visitFromRow(row: Row): DispatchedVisit {
  return {
    id: str(row.id),
    technicianId: str(row.technician_id),
    scheduledDate: str(row.scheduled_date),
    firstVisit: bool(row.first_visit),
    customer: { name: str(row.customer_name), phone: str(row.customer_phone), address: str(row.customer_address) },
    equipment: { type: str(row.equipment_type), model: str(row.equipment_model), serial: str(row.equipment_serial) },
    notes: str(row.notes),
  };
}

/** The values of a visit row, in the column order of VISIT_COLUMNS. */
export const VISIT_COLUMNS = 'id, technician_id, scheduled_date, first_visit, customer_name, customer_phone, customer_address, equipment_type, equipment_model, equipment_serial, notes, created_at';
export function visitValues(v: DispatchedVisit, createdAt: string, firstVisit: unknown): unknown[] {
  return [v.id, v.technicianId, v.scheduledDate, firstVisit, v.customer.name, v.customer.phone, v.customer.address,
    v.equipment.type, v.equipment.model, v.equipment.serial, v.notes, createdAt];
}

export function summaryFromRow(row: Row): FormSummary {
  return {
    id: str(row.id),
    visitId: str(row.visit_id),
    visitDate: str(row.visit_date),
    technicianId: str(row.technician_id),
    technicianName: str(row.technician_name),
    customerName: str(row.customer_name),
    equipmentType: str(row.equipment_type),
    satisfaction: Number(row.satisfaction),
    dispute: bool(row.dispute),
    conductBreach: bool(row.conduct_breach),
    disputeResolved: row.dispute_resolved_at !== null && row.dispute_resolved_at !== undefined,
    state: bool(row.has_conflict) ? 'conflict' : 'accepted',
    sealedAt: str(row.sealed_at),
    receivedAt: str(row.received_at),
    clockDriftMs: numOrNull(row.clock_drift_ms),
  };
}

export function storedFormFromRow(row: Row): StoredForm {
  const signature = row.signature_png;
  return {
    summary: summaryFromRow(row),
    formJson: str(row.form_json),
    signature: signature instanceof Uint8Array ? signature : null,
    deviceJson: strOrNull(row.device_json),
    disputeResolvedAt: strOrNull(row.dispute_resolved_at),
    disputeResolutionNote: strOrNull(row.dispute_resolution_note),
    source: row.source === 'import' ? 'import' : 'api',
  };
}

export function conflictSubmissionFromRow(row: Row): { formJson: string; signature: Uint8Array; deviceJson: string | null } {
  return { formJson: str(row.form_json), signature: row.signature_png as Uint8Array, deviceJson: strOrNull(row.device_json) };
}

export function conflictFromRow(row: Row): ConflictRecord {
  return {
    formId: str(row.form_id),
    receivedAt: str(row.received_at),
    hash: str(row.hash),
    originalHash: str(row.original_hash),
    technicianId: str(row.technician_id),
  };
}

/** PostgreSQL text cannot hold U+0000; the index columns get a visible stand-in, the form JSON keeps its `\u0000` escape. */
export function columnText(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}
