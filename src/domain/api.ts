// The HTTP API between the phone, the back office and the server: paths, request and answer shapes.
// Both ends import these; the server validates with them, the phone trusts nothing else.
import { z } from 'zod/mini';
import type { OfferKind } from './checklist';
import { CustomerSchema, EquipmentSchema, PartSchema } from './form-schema';
import { RejectionReasonSchema } from './rejection';
import type { FieldError } from './validation-issues';
import { TechnicianSchema } from './technician';

export const API = {
  enroll: '/api/v1/enroll',
  me: '/api/v1/me',
  visits: '/api/v1/visits',
  forms: '/api/v1/forms',
  admin: {
    technicians: '/api/v1/admin/technicians',
    visits: '/api/v1/admin/visits',
    visitsImport: '/api/v1/admin/visits/import',
    forms: '/api/v1/admin/forms',
    disputes: '/api/v1/admin/disputes',
    conflicts: '/api/v1/admin/conflicts',
    import: '/api/v1/admin/import',
    exportCsv: '/api/v1/admin/export.csv',
    exportNdjson: '/api/v1/admin/export.ndjson',
    equipmentHistory: '/api/v1/admin/equipment-history',
    dashboard: '/api/v1/admin/dashboard',
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

/** How many earlier forms of the same serial travel with a visit to the phone. */
export const VISIT_HISTORY_FORMS = 3;

/** An earlier repair of the visit's equipment (same serial), as the phone shows it before arrival. */
export const PastRepairSchema = z.strictObject({
  visitDate: z.iso.date(),
  faultFound: z.string(),
  workDone: z.string(),
  partsUsed: z.array(PartSchema),
});
export type PastRepair = z.infer<typeof PastRepairSchema>;

/**
 * GET visits?format=2: each visit with its equipment's last forms, newest first. The first format stays
 * the answer when no format is asked for: an app cached before this one reads it with a strict schema.
 */
export const VISITS_FORMAT_WITH_HISTORY = 2;
export const VisitWithHistorySchema = z.strictObject({
  ...DispatchedVisitSchema.shape,
  history: z.array(PastRepairSchema).check(z.maxLength(VISIT_HISTORY_FORMS)),
});
export type VisitWithHistory = z.infer<typeof VisitWithHistorySchema>;
export const VisitsResponseV2Schema = z.strictObject({
  format: z.literal(VISITS_FORMAT_WITH_HISTORY),
  visits: z.array(VisitWithHistorySchema),
});

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

// ── Back office (admin token) ────────────────────────────────────────────────────────────────────
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
// GET  admin.equipmentHistory?serial&cursor&limit → { serial, forms: EquipmentHistoryEntry[], nextCursor }
// GET  admin.dashboard?from&to&technician?     → DashboardData

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

/** One form in a serial number's history (the back office's equipment page), newest first. */
export interface EquipmentHistoryEntry {
  formId: string;
  visitDate: string;
  technicianId: string;
  technicianName: string;
  faultFound: string;
  workDone: string;
  partsUsed: Array<{ name: string; quantity: number }>;
  satisfaction: number;
  dispute: boolean;
  conductBreach: boolean;
}

export interface DashboardQuery {
  /** visit dates, inclusive, YYYY-MM-DD */
  from: string;
  to: string;
  technician?: string;
}

/** At most this many days in one dashboard period. */
export const DASHBOARD_MAX_DAYS = 731;

/** Figures per day; every day of the period is listed, days without forms with zeros. */
export interface DashboardDay {
  date: string;
  forms: number;
  /** null on a day without forms */
  meanSatisfaction: number | null;
}

/** Figures per ISO week (keyed by its Monday), for the weeks the period touches. */
export interface DashboardWeek {
  week: string;
  forms: number;
  meanSatisfaction: number | null;
  disputes: number;
  conductBreaches: number;
  firstTestsFailed: number;
  /** arrival to seal, nearest-rank median and 90th percentile; null without forms */
  onSiteMedianMs: number | null;
  onSiteP90Ms: number | null;
}

export interface DashboardTechnician {
  technicianId: string;
  technicianName: string;
  forms: number;
  conductBreaches: number;
  disputes: number;
  meanSatisfaction: number;
  firstTestsFailed: number;
  onSiteMedianMs: number | null;
}

export interface DashboardData {
  query: DashboardQuery;
  forms: number;
  days: DashboardDay[];
  weeks: DashboardWeek[];
  /** forms rated 1, 2, 3, 4 and 5 */
  satisfaction: [number, number, number, number, number];
  declinedOffers: Record<OfferKind, number>;
  technicians: DashboardTechnician[];
}
