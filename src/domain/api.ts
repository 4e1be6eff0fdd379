// The HTTP API between the phone, the back office and the server: paths, request and answer shapes.
// Both ends import these; the server validates with them, the phone trusts nothing else.
import { z } from 'zod/mini';
import { CustomerSchema, EquipmentSchema } from './form-schema';
import { RejectionReasonSchema } from './rejection';
import type { FieldError } from './validation-issues';
import { TechnicianSchema } from './technician';

export const API = {
  enroll: '/api/v1/enroll',
  me: '/api/v1/me',
  visits: '/api/v1/visits',
  forms: '/api/v1/forms',
  /** the back office's session: GET who am I, POST sign in, DELETE sign out */
  session: '/api/v1/session',
  admin: {
    users: '/api/v1/admin/users',
    audit: '/api/v1/admin/audit',
    auditCsv: '/api/v1/admin/audit.csv',
    auditNdjson: '/api/v1/admin/audit.ndjson',
    technicians: '/api/v1/admin/technicians',
    visits: '/api/v1/admin/visits',
    visitsImport: '/api/v1/admin/visits/import',
    forms: '/api/v1/admin/forms',
    disputes: '/api/v1/admin/disputes',
    conflicts: '/api/v1/admin/conflicts',
    import: '/api/v1/admin/import',
    exportCsv: '/api/v1/admin/export.csv',
    exportNdjson: '/api/v1/admin/export.ndjson',
  },
} as const;

/** Limits the server enforces; a request past one gets 413 with a message the phone shows. */
export const API_LIMITS = {
  maxBodyBytes: 8 * 1024 * 1024,
  maxBatch: 50,
} as const;

export const EnrollRequestSchema = z.strictObject({
  code: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
  deviceName: z.optional(z.string().check(z.maxLength(100))),
});
export { TechnicianSchema, type Technician } from './technician';
export const EnrollResponseSchema = z.strictObject({ token: z.string(), technician: TechnicianSchema });
export type EnrollResponse = z.infer<typeof EnrollResponseSchema>;

/** A visit the back office dispatched to a technician. */
export const DispatchedVisitSchema = z.strictObject({
  id: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
  technicianId: z.string(),
  scheduledDate: z.iso.date(),
  firstVisit: z.boolean(),
  customer: CustomerSchema,
  equipment: EquipmentSchema,
  notes: z.string().check(z.maxLength(2000)),
});
export type DispatchedVisit = z.infer<typeof DispatchedVisitSchema>;
export const VisitsResponseSchema = z.strictObject({ visits: z.array(DispatchedVisitSchema) });

export const SUBMIT_STATUSES = ['accepted', 'duplicate', 'conflict', 'rejected'] as const;
export type SubmitStatus = (typeof SUBMIT_STATUSES)[number];

/** The server's answer for one form of a batch, in the batch's order. */
export interface SubmitResult {
  index: number;
  /** the form id when the submission had a readable one */
  id: string | null;
  status: SubmitStatus;
  /** for rejected: each error with its field path and message */
  errors?: FieldError[];
  receivedAt?: string;
}
export const SubmitResultSchema = z.strictObject({
  index: z.int(),
  id: z.nullable(z.string()),
  status: z.enum(SUBMIT_STATUSES),
  errors: z.optional(z.array(z.strictObject({ path: z.string(), message: z.string(), reason: z.optional(RejectionReasonSchema) }))),
  receivedAt: z.optional(z.string()),
});
export const SubmitResponseSchema = z.strictObject({ results: z.array(SubmitResultSchema) });
export type SubmitResponse = z.infer<typeof SubmitResponseSchema>;

/** Every non-2xx answer: a stable code, a sentence for people, and field errors where they apply. */
export interface ApiError {
  error: { code: string; message: string; errors?: FieldError[] };
}

// ── Back office (a signed-in user; the role each route needs: src/server/auth/route-roles.ts) ─────────
// GET  admin.technicians                      → { technicians: TechnicianRecord[] }
// POST admin.technicians {name, phone?}       → { technician: TechnicianRecord }
// POST admin.technicians/:id/code             → { code, expiresAt }      one-time enrollment code
// POST admin.technicians/:id/revoke           → { technician }
// GET  admin.visits?technician=ID             → { visits: DispatchedVisit[] }
// POST admin.visits  (DispatchedVisit without id, or with one)  → { visit }
// POST admin.visitsImport  (text/csv body)    → VisitImportResult
// GET  admin.forms?FormFilter&cursor&limit    → { forms: FormSummary[], nextCursor: string | null }
// GET  admin.forms/:id                        → FormDetail
// GET  admin.forms/:id/signature.png          → the PNG
// GET  admin.disputes?status=open|resolved    → { disputes: DisputeRecord[] }
// POST admin.disputes/:formId/resolve {note}  → { dispute: DisputeRecord }
// GET  admin.conflicts                        → { conflicts: ConflictRecord[] }
// POST admin.import  (bundle JSON body)       → ImportSummary
// GET  admin.exportCsv?FormFilter / admin.exportNdjson?FormFilter → streamed file
// ── Accounts (src/domain/accounts.ts) ─────────────────────────────────────────────────────────────
// GET  session → SessionInfo · POST session {name, password} → SessionInfo + cookie · DELETE session
// GET  admin.users → { users } · POST admin.users {name, displayName, role, password} → { user }
// PATCH admin.users/:id {role?, disabled?, password?, unlock?} → { user }
// GET  admin.audit?user&action&from&to&before&limit → { entries, nextBefore } · admin.auditCsv / auditNdjson

export interface TechnicianRecord {
  id: string;
  name: string;
  phone: string;
  createdAt: string;
  enrolledAt: string | null;
  revokedAt: string | null;
}

export interface FormFilter {
  /** visit date range, inclusive, YYYY-MM-DD */
  from?: string;
  to?: string;
  technician?: string;
  state?: 'accepted' | 'conflict';
  dispute?: boolean;
  satisfaction?: number;
}

export interface FormSummary {
  id: string;
  visitId: string;
  visitDate: string;
  technicianId: string;
  technicianName: string;
  customerName: string;
  equipmentType: string;
  satisfaction: number;
  dispute: boolean;
  conductBreach: boolean;
  disputeResolved: boolean;
  state: 'accepted' | 'conflict';
  sealedAt: string;
  receivedAt: string;
  /** device clock minus server clock at receipt, when the form came straight from the phone */
  clockDriftMs: number | null;
}

export interface FormDetail {
  summary: FormSummary;
  form: import('./form-schema').SealedForm;
  sealCheck: 'verified' | 'failed';
  /** later submissions with the same id and another hash: stored and flagged, never replacing the first */
  conflicts: ConflictRecord[];
}

export interface DisputeRecord {
  formId: string;
  visitDate: string;
  technicianName: string;
  customerName: string;
  incidents: Array<{ kind: string; rule: string; detail: string; at: string }>;
  resolvedAt: string | null;
  resolutionNote: string | null;
}

export interface ConflictRecord {
  formId: string;
  receivedAt: string;
  hash: string;
  originalHash: string;
  technicianId: string;
}

export interface VisitImportResult {
  created: number;
  errors: Array<{ row: number; column: string; message: string }>;
}

export interface ImportSummary {
  accepted: number;
  duplicate: number;
  conflict: number;
  rejected: number;
  results: SubmitResult[];
}
