// The HTTP API between the phone, the back office and the server: paths, request and answer shapes.
// Both ends import these; the server validates with them, the phone trusts nothing else.
import { z } from 'zod/mini';
import { OFFER_KINDS } from './checklist';
import { CustomerSchema, EquipmentSchema, PartSchema, SealedFormSchema } from './form-schema';
import { RejectionReasonSchema } from './rejection';
import { DeviceLocationSchema } from './device-signature';
import type { FieldError } from './validation-issues';
import type { Technician } from './technician';
import { DISPUTE_EVENT_KINDS, DISPUTE_OUTCOMES } from './disputes';
import { CatalogPartSchema, PartsCatalogSchema, PartsImportResultSchema } from './parts-catalog';

export const API = {
  enroll: '/api/v1/enroll',
  me: '/api/v1/me',
  visits: '/api/v1/visits',
  /** the published checklist versions; one is at `${checklists}/{id}/{version}` */
  checklists: '/api/v1/checklists',
  /** the parts catalog (PartsCatalogSchema), fetched with the visits */
  parts: '/api/v1/parts',
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
    visitsTemplateCsv: '/api/v1/admin/visits/template.csv',
    visitsTemplateXlsx: '/api/v1/admin/visits/template.xlsx',
    forms: '/api/v1/admin/forms',
    disputes: '/api/v1/admin/disputes',
    conflicts: '/api/v1/admin/conflicts',
    import: '/api/v1/admin/import',
    exportCsv: '/api/v1/admin/export.csv',
    exportNdjson: '/api/v1/admin/export.ndjson',
    equipmentHistory: '/api/v1/admin/equipment-history',
    dashboard: '/api/v1/admin/dashboard',
    /** every published checklist version, whole: the back office shows forms of versions published after it was built */
    checklists: '/api/v1/admin/checklists',
    parts: '/api/v1/admin/parts',
    partsImport: '/api/v1/admin/parts/import',
  },
} as const;

/** The media type of an .xlsx workbook: what the visits import and template are sent as. */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Limits the server enforces; a request past one gets 413 with a message the phone shows. */
export const API_LIMITS = {
  maxBodyBytes: 8 * 1024 * 1024,
  maxBatch: 50,
} as const;

export const EnrollRequestSchema = z.strictObject({
  code: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
  deviceName: z.optional(z.string().check(z.maxLength(100))),
  /** the phone's device key (SPKI, base64; src/domain/device-signature.ts): absent from phones before device keys */
  devicePublicKey: z.optional(z.string().check(z.maxLength(400))),
});
export type { Technician } from './technician';
/** Who a phone is enrolled as (isTechnician in technician.ts is the same check without zod). */
export const TechnicianSchema = z.strictObject({ id: z.string(), name: z.string() }) satisfies z.ZodMiniType<Technician>;
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

/** GET API.checklists: every version the server accepts forms against; GET `${API.checklists}/{id}/{version}` is that checklist's file. */
export const ChecklistsResponseSchema = z.strictObject({
  checklists: z.array(z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(64)), version: z.int().check(z.positive()) })),
});
export type ChecklistsResponse = z.infer<typeof ChecklistsResponseSchema>;
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

// ── Back office (a signed-in user; the role each route needs: src/server/auth/route-roles.ts) ─────────
// GET  admin.technicians                      → { technicians: TechnicianRecord[] }
// POST admin.technicians {name, phone?}       → { technician: TechnicianRecord }
// POST admin.technicians/:id/code             → { code, expiresAt }      one-time enrollment code
// POST admin.technicians/:id/revoke           → { technician }
// GET  admin.visits?technician=ID             → { visits: DispatchedVisit[] }
// POST admin.visits  (DispatchedVisit without id, or with one)  → { visit }
// POST admin.visitsImport  (a CSV, UTF-8 or GB18030, or an .xlsx file's bytes, by Content-Type or ?name=FILE) → VisitImportResult
// GET  admin.visitsTemplateCsv / admin.visitsTemplateXlsx  → the file to fill in (Chinese headers)
// GET  admin.forms?FormFilter&cursor&limit    → { forms: FormSummary[], nextCursor: string | null }
// GET  admin.forms/:id                        → FormDetail
// GET  admin.forms/:id/signature.png          → the PNG
// GET  admin.disputes?status=open|resolved&assignee=mine|unassigned|USER_ID&overdue=true → { disputes: DisputeRecord[] }
// GET  admin.disputes/assignees               → { assignees: DisputeAssignee[] }  (the enabled back-office users)
// GET  admin.disputes/:formId                 → DisputeDetail (the dispute and its thread, oldest first)
// POST admin.disputes/:formId/assign {userId: string | null}          → DisputeDetail
// POST admin.disputes/:formId/notes {text}                             → DisputeDetail
// POST admin.disputes/:formId/resolve {outcome: DisputeOutcome, note}  → DisputeDetail
// POST admin.disputes/:formId/reopen {note}                            → DisputeDetail
// GET  admin.conflicts                        → { conflicts: ConflictRecord[] }
// POST admin.import  (bundle JSON body)       → ImportSummary
// GET  admin.exportCsv?FormFilter / admin.exportNdjson?FormFilter → streamed file
// GET  admin.equipmentHistory?serial&cursor&limit → { serial, forms: EquipmentHistoryEntry[], nextCursor }
// GET  admin.dashboard?from&to&technician?     → DashboardData
// GET  admin.parts → PartsCatalog · POST admin.partsImport (a CSV or .xlsx file, as the visits import) → PartsImportResult
// PUT  admin.parts/:code {name, unit} → { part } · DELETE admin.parts/:code → { removed: code }   (src/domain/parts-catalog.ts)

// ── Accounts (src/domain/accounts.ts) ─────────────────────────────────────────────────────────────
// GET  session → SessionInfo · POST session {name, password} → SessionInfo + cookie · DELETE session
// GET  admin.users → { users } · POST admin.users {name, displayName, role, password} → { user }
// PATCH admin.users/:id {role?, disabled?, password?, unlock?} → { user }
// GET  admin.audit?user&action&from&to&before&limit → { entries, nextBefore } · admin.auditCsv / auditNdjson

// The answers are zod schemas, as the phone's are: the back office validates each one with them
// (src/backoffice/api-client.ts), so a bad answer is refused with its path instead of breaking a page.
const nullableText = z.nullable(z.string());

export const TechnicianRecordSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  phone: z.string(),
  createdAt: z.string(),
  enrolledAt: nullableText,
  revokedAt: nullableText,
});
export type TechnicianRecord = z.infer<typeof TechnicianRecordSchema>;

export interface FormFilter {
  /** visit date range, inclusive, YYYY-MM-DD */
  from?: string;
  to?: string;
  technician?: string;
  state?: 'accepted' | 'conflict';
  dispute?: boolean;
  satisfaction?: number;
}

export const FormSummarySchema = z.strictObject({
  id: z.string(),
  visitId: z.string(),
  visitDate: z.string(),
  technicianId: z.string(),
  technicianName: z.string(),
  customerName: z.string(),
  equipmentType: z.string(),
  satisfaction: z.int(),
  dispute: z.boolean(),
  conductBreach: z.boolean(),
  disputeResolved: z.boolean(),
  state: z.enum(['accepted', 'conflict']),
  sealedAt: z.string(),
  receivedAt: z.string(),
  /** device clock minus server clock at receipt, when the form came straight from the phone */
  clockDriftMs: z.nullable(z.number()),
});
export type FormSummary = z.infer<typeof FormSummarySchema>;

export const ConflictRecordSchema = z.strictObject({
  formId: z.string(),
  receivedAt: z.string(),
  hash: z.string(),
  originalHash: z.string(),
  technicianId: z.string(),
});
export type ConflictRecord = z.infer<typeof ConflictRecordSchema>;

/** Whose phone signed the form, as the server checks it again on reading (null in FormDetail: unsigned by device). */
export const DeviceCheckSchema = z.strictObject({
  check: z.enum(['verified', 'failed']),
  /** why the check failed, in English */
  problem: z.nullable(z.string()),
  keyId: z.string(),
  /** the key's registration, when this server has it */
  technicianId: nullableText,
  enrolledAt: nullableText,
  supersededAt: nullableText,
  revokedAt: nullableText,
  /** absent: the technician did not allow the place; null: allowed, not given */
  location: z.optional(z.nullable(DeviceLocationSchema)),
});
export type DeviceCheck = z.infer<typeof DeviceCheckSchema>;

export const FormDetailSchema = z.strictObject({
  summary: FormSummarySchema,
  form: SealedFormSchema,
  sealCheck: z.enum(['verified', 'failed']),
  /** the device signature, checked again; null: the form is unsigned by device (a phone from before device keys) */
  device: z.nullable(DeviceCheckSchema),
  /** later submissions with the same id and another hash: stored and flagged, never replacing the first */
  conflicts: z.array(ConflictRecordSchema),
});
export type FormDetail = z.infer<typeof FormDetailSchema>;

export const DisputeOutcomeSchema = z.enum(DISPUTE_OUTCOMES);
export const DisputeAssigneeSchema = z.strictObject({ id: z.string(), name: z.string() });
export type DisputeAssignee = z.infer<typeof DisputeAssigneeSchema>;

export const DisputeRecordSchema = z.strictObject({
  formId: z.string(),
  visitDate: z.string(),
  technicianName: z.string(),
  customerName: z.string(),
  incidents: z.array(z.strictObject({ kind: z.string(), rule: z.string(), detail: z.string(), at: z.string() })),
  /** when the form was received: the dispute's age counts from here */
  receivedAt: z.string(),
  /** received to resolved, or to now (the server's clock) while open */
  ageMs: z.int().check(z.nonnegative()),
  /** the back-office user working it; null when unassigned */
  assignee: z.nullable(DisputeAssigneeSchema),
  resolvedAt: nullableText,
  outcome: z.nullable(DisputeOutcomeSchema),
  resolutionNote: nullableText,
});
export type DisputeRecord = z.infer<typeof DisputeRecordSchema>;

/** One line of a dispute's append-only thread: who, when, what. */
export const DisputeEventSchema = z.strictObject({
  id: z.int(),
  at: z.string(),
  /** null for a line recorded before the thread was kept (a resolution made before migration 4) */
  userId: nullableText,
  userName: z.string(),
  kind: z.enum(DISPUTE_EVENT_KINDS),
  /** the note's text (a note, a resolution, a reopening) */
  note: nullableText,
  outcome: z.nullable(DisputeOutcomeSchema),
  /** for an assignment: to whom (null: unassigned) */
  assignee: z.nullable(DisputeAssigneeSchema),
});
export type DisputeEvent = z.infer<typeof DisputeEventSchema>;

export const DisputeDetailSchema = z.strictObject({ dispute: DisputeRecordSchema, events: z.array(DisputeEventSchema) });
export type DisputeDetail = z.infer<typeof DisputeDetailSchema>;

export const VisitImportResultSchema = z.strictObject({
  created: z.int(),
  errors: z.array(z.strictObject({ row: z.int(), column: z.string(), message: z.string() })),
});
export type VisitImportResult = z.infer<typeof VisitImportResultSchema>;

export const ImportSummarySchema = z.strictObject({
  accepted: z.int(),
  duplicate: z.int(),
  conflict: z.int(),
  rejected: z.int(),
  results: z.array(SubmitResultSchema),
});
export type ImportSummary = z.infer<typeof ImportSummarySchema>;

/** One form in a serial number's history (the back office's equipment page), newest first. */
export const EquipmentHistoryEntrySchema = z.strictObject({
  formId: z.string(),
  visitDate: z.string(),
  technicianId: z.string(),
  technicianName: z.string(),
  faultFound: z.string(),
  workDone: z.string(),
  partsUsed: z.array(z.strictObject({ name: z.string(), quantity: z.number() })),
  satisfaction: z.number(),
  dispute: z.boolean(),
  conductBreach: z.boolean(),
});
export type EquipmentHistoryEntry = z.infer<typeof EquipmentHistoryEntrySchema>;

export const DashboardQuerySchema = z.strictObject({
  /** visit dates, inclusive, YYYY-MM-DD */
  from: z.string(),
  to: z.string(),
  technician: z.optional(z.string()),
});
export type DashboardQuery = z.infer<typeof DashboardQuerySchema>;

/** At most this many days in one dashboard period. */
export const DASHBOARD_MAX_DAYS = 731;

const nullableNumber = z.nullable(z.number());

/** Figures per day; every day of the period is listed, days without forms with zeros. */
export const DashboardDaySchema = z.strictObject({
  date: z.string(),
  forms: z.int(),
  /** null on a day without forms */
  meanSatisfaction: nullableNumber,
});
export type DashboardDay = z.infer<typeof DashboardDaySchema>;

/** Figures per ISO week (keyed by its Monday), for the weeks the period touches. */
export const DashboardWeekSchema = z.strictObject({
  week: z.string(),
  forms: z.int(),
  meanSatisfaction: nullableNumber,
  disputes: z.int(),
  conductBreaches: z.int(),
  firstTestsFailed: z.int(),
  /** arrival to seal, nearest-rank median and 90th percentile; null without forms */
  onSiteMedianMs: nullableNumber,
  onSiteP90Ms: nullableNumber,
});
export type DashboardWeek = z.infer<typeof DashboardWeekSchema>;

export const DashboardTechnicianSchema = z.strictObject({
  technicianId: z.string(),
  technicianName: z.string(),
  forms: z.int(),
  conductBreaches: z.int(),
  disputes: z.int(),
  meanSatisfaction: z.number(),
  firstTestsFailed: z.int(),
  onSiteMedianMs: nullableNumber,
});
export type DashboardTechnician = z.infer<typeof DashboardTechnicianSchema>;

export const DashboardDataSchema = z.strictObject({
  query: DashboardQuerySchema,
  forms: z.int(),
  days: z.array(DashboardDaySchema),
  weeks: z.array(DashboardWeekSchema),
  /** forms rated 1, 2, 3, 4 and 5 */
  satisfaction: z.tuple([z.int(), z.int(), z.int(), z.int(), z.int()]),
  declinedOffers: z.strictObject(Object.fromEntries(OFFER_KINDS.map((kind) => [kind, z.int()])) as Record<(typeof OFFER_KINDS)[number], z.ZodMiniInt>),
  technicians: z.array(DashboardTechnicianSchema),
});
export type DashboardData = z.infer<typeof DashboardDataSchema>;

/** Each back-office answer (the list above), as the back office reads it. */
export const AdminAnswerSchemas = {
  technicians: z.strictObject({ technicians: z.array(TechnicianRecordSchema) }),
  technician: z.strictObject({ technician: TechnicianRecordSchema }),
  enrollmentCode: z.strictObject({ code: z.string(), expiresAt: z.string() }),
  visits: VisitsResponseSchema,
  visit: z.strictObject({ visit: DispatchedVisitSchema }),
  visitsImport: VisitImportResultSchema,
  forms: z.strictObject({ forms: z.array(FormSummarySchema), nextCursor: nullableText }),
  form: FormDetailSchema,
  disputes: z.strictObject({ disputes: z.array(DisputeRecordSchema) }),
  disputeDetail: DisputeDetailSchema,
  disputeAssignees: z.strictObject({ assignees: z.array(DisputeAssigneeSchema) }),
  conflicts: z.strictObject({ conflicts: z.array(ConflictRecordSchema) }),
  equipmentHistory: z.strictObject({ serial: z.string(), forms: z.array(EquipmentHistoryEntrySchema), nextCursor: nullableText }),
  dashboard: DashboardDataSchema,
  // each file is checked by parseChecklist on arrival, as the server checked it when it loaded it
  checklists: z.strictObject({ checklists: z.array(z.unknown()).check(z.maxLength(1000)) }),
  import: ImportSummarySchema,
  parts: PartsCatalogSchema,
  partsImport: PartsImportResultSchema,
  part: z.strictObject({ part: CatalogPartSchema }),
  partRemoved: z.strictObject({ removed: z.string() }),
} as const;
