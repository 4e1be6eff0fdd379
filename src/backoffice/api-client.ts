// Typed calls to every back-office endpoint of src/domain/api.ts. Each request rides on the session
// cookie and each change carries the session's CSRF token; each answer is validated with the same zod
// schemas the server's answers are defined by, so its types are checked, not assumed; each failure
// becomes an ApiClientError holding the server's code, sentence and field errors, or naming what in the
// answer was wrong.
import type { z } from 'zod/mini';
import { CSRF_HEADER } from '../domain/accounts';
import type { DisputeOutcome } from '../domain/disputes';
import type { CatalogPart, PartsImportResult } from '../domain/parts-catalog';
import {
  AdminAnswerSchemas, API, XLSX_MEDIA_TYPE,
  type ConflictRecord, type DashboardData, type DashboardQuery, type DispatchedVisit, type DisputeAssignee, type DisputeDetail, type DisputeRecord,
  type EquipmentHistoryEntry, type FormDetail, type FormFilter, type FormSummary, type ImportSummary,
  type TechnicianRecord, type VisitImportResult,
} from '../domain/api';
import { toFieldErrors, type FieldError } from '../domain/validation-issues';
import { filterToParams } from './form-filter';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * A failed call. `code` is the server's own (ApiError) or one the client makes up: `network` (nothing
 * answered; `status` 0), `http` (an answer that is not an ApiError), `bad-response` (a 2xx answer
 * that is not what its schema says: `fieldErrors` holds each path in the answer and what was expected).
 */
export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiClientError';
  }

  /** The session was refused (ended, expired, user disabled): the clerk has to sign in again. A 403 is a refusal of one action, not of the session. */
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

export interface ApiClientOptions {
  /** the session's CSRF token (GET /api/v1/session), sent with every change; the session itself is an HttpOnly cookie */
  csrfToken: string;
  fetch?: FetchLike;
  /** origin and prefix to put before the API's paths; same origin when empty */
  baseUrl?: string;
  onUnauthorized?: (error: ApiClientError) => void;
}

export type NewVisit = Omit<DispatchedVisit, 'id'> & { id?: string };
export interface FormsPage { forms: FormSummary[]; nextCursor: string | null }
export interface EquipmentHistoryPage { serial: string; forms: EquipmentHistoryEntry[]; nextCursor: string | null }
export interface EnrollmentCode { code: string; expiresAt: string }
export interface DownloadedFile { blob: Blob; filename: string }
export type ExportFormat = 'csv' | 'ndjson';
export type VisitTemplateFormat = 'csv' | 'xlsx';
export type DisputeStatus = 'open' | 'resolved';
/** whose disputes: the signed-in user's, nobody's, or one user's (by id); and only those open for more than 24 h */
export interface DisputeListFilter { assignee?: 'mine' | 'unassigned' | { userId: string }; overdue?: boolean }

/** The dispute list's query string. */
export function disputesQuery(status: DisputeStatus, filter: DisputeListFilter = {}): string {
  const params = new URLSearchParams({ status });
  if (filter.assignee !== undefined) params.set('assignee', typeof filter.assignee === 'string' ? filter.assignee : filter.assignee.userId);
  if (filter.overdue) params.set('overdue', 'true');
  return params.toString();
}

export const FORMS_PAGE_SIZE = 50;

/** The forms list's query string: the filter's parameters, then the cursor and the page size. */
export function formsQuery(filter: FormFilter, cursor: string | null, limit: number = FORMS_PAGE_SIZE): string {
  const params = filterToParams(filter);
  if (cursor !== null) params.set('cursor', cursor);
  params.set('limit', String(limit));
  return params.toString();
}

/** The file name a `Content-Disposition` header gives (RFC 6266, `filename*` first), or the fallback; never a path. */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header)?.[1];
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/i.exec(header);
  const name = (decodeOrNull(extended) ?? plain?.[1] ?? plain?.[2])?.trim();
  return name ? name.replace(/[\\/]/g, '_') : fallback;
}

function decodeOrNull(encoded: string | undefined): string | null {
  if (encoded === undefined) return null;
  try {
    return decodeURIComponent(encoded.trim());
  } catch {
    return null;
  }
}

const isArray = (value: unknown): value is unknown[] => Array.isArray(value);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';

/** How many of an answer's problems its message names; all of them are in `fieldErrors`. */
const NAMED_PROBLEMS = 3;

function isFieldError(value: unknown): value is FieldError {
  return isObject(value) && isString(value.path) && isString(value.message);
}

/** Reads an ApiError body; anything else (a proxy's HTML page, an empty body) is described by its status. */
export async function errorFrom(response: Response): Promise<ApiClientError> {
  const body: unknown = await response.json().catch(() => null);
  const error = isObject(body) ? body.error : undefined;
  if (isObject(error) && isString(error.code) && isString(error.message)) {
    const fieldErrors = isArray(error.errors) ? error.errors.filter(isFieldError) : [];
    return new ApiClientError(response.status, error.code, error.message, fieldErrors);
  }
  return new ApiClientError(response.status, 'http', `HTTP ${response.status} ${response.statusText}`.trim());
}

interface Request {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: string | Blob;
  contentType?: string;
  accept?: string;
}

export function createApiClient(options: ApiClientOptions) {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const base = options.baseUrl ?? '';

  async function send(path: string, request: Request = {}): Promise<Response> {
    const method = request.method ?? 'GET';
    const headers: Record<string, string> = { Accept: request.accept ?? 'application/json' };
    if (method !== 'GET') headers[CSRF_HEADER] = options.csrfToken;
    if (request.contentType) headers['Content-Type'] = request.contentType;
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { method, headers, body: request.body, credentials: 'same-origin' });
    } catch (cause) {
      throw new ApiClientError(0, 'network', cause instanceof Error ? cause.message : String(cause));
    }
    if (response.ok) return response;
    const error = await errorFrom(response);
    if (error.unauthorized) options.onUnauthorized?.(error);
    throw error;
  }

  /** A JSON answer, validated with its schema; a bad one is refused naming each path and what was expected. */
  async function receive<S extends z.ZodMiniType>(path: string, schema: S, request: Request = {}): Promise<z.output<S>> {
    const response = await send(path, request);
    const endpoint = path.split('?')[0];
    const body: unknown = await response.json().catch(() => undefined);
    if (body === undefined) throw new ApiClientError(response.status, 'bad-response', `${endpoint} answered with something other than JSON`);
    const parsed = schema.safeParse(body, { reportInput: true });
    if (parsed.success) return parsed.data;
    const problems = toFieldErrors(parsed.error.issues);
    const named = problems.slice(0, NAMED_PROBLEMS).map((p) => `${p.path}: ${p.message}`).join('; ');
    const more = problems.length > NAMED_PROBLEMS ? ` (and ${problems.length - NAMED_PROBLEMS} more)` : '';
    throw new ApiClientError(response.status, 'bad-response', `${endpoint} answered with ${named}${more}`, problems);
  }

  const postJson = (body: unknown): Request => ({ method: 'POST', body: JSON.stringify(body), contentType: 'application/json' });
  const at = (collection: string, id: string, ...rest: string[]) => [collection, encodeURIComponent(id), ...rest].join('/');

  return {
    /** every version the server has published, each as its file */
    async listChecklists(): Promise<unknown[]> {
      return (await receive(API.admin.checklists, AdminAnswerSchemas.checklists)).checklists;
    },
    async listTechnicians(): Promise<TechnicianRecord[]> {
      return (await receive(API.admin.technicians, AdminAnswerSchemas.technicians)).technicians;
    },
    async createTechnician(input: { name: string; phone?: string }): Promise<TechnicianRecord> {
      return (await receive(API.admin.technicians, AdminAnswerSchemas.technician, postJson(input))).technician;
    },
    async createEnrollmentCode(technicianId: string): Promise<EnrollmentCode> {
      return receive(at(API.admin.technicians, technicianId, 'code'), AdminAnswerSchemas.enrollmentCode, { method: 'POST' });
    },
    async revokeTechnician(technicianId: string): Promise<TechnicianRecord> {
      return (await receive(at(API.admin.technicians, technicianId, 'revoke'), AdminAnswerSchemas.technician, { method: 'POST' })).technician;
    },
    async listVisits(technicianId?: string): Promise<DispatchedVisit[]> {
      const path = technicianId ? `${API.admin.visits}?${new URLSearchParams({ technician: technicianId })}` : API.admin.visits;
      return (await receive(path, AdminAnswerSchemas.visits)).visits;
    },
    async createVisit(visit: NewVisit): Promise<DispatchedVisit> {
      return (await receive(API.admin.visits, AdminAnswerSchemas.visit, postJson(visit))).visit;
    },
    /**
     * A visits spreadsheet as its own bytes: the server reads them to tell CSV from .xlsx and a CSV's
     * encoding (UTF-8 or GB18030). The type follows the file's name, as Windows labels a .csv an Excel file.
     */
    async importVisits(file: Blob | string, name = 'visits.csv'): Promise<VisitImportResult> {
      const contentType = /\.xlsx$/i.test(name) ? XLSX_MEDIA_TYPE : typeof file === 'string' ? 'text/csv; charset=utf-8' : 'text/csv';
      return receive(API.admin.visitsImport, AdminAnswerSchemas.visitsImport, { method: 'POST', body: file, contentType });
    },
    async listParts(): Promise<CatalogPart[]> {
      return (await receive(API.admin.parts, AdminAnswerSchemas.parts)).parts;
    },
    /** A parts catalog spreadsheet as its own bytes, as the visits import takes one. */
    async importParts(file: Blob | string, name = 'parts.csv'): Promise<PartsImportResult> {
      const contentType = /\.xlsx$/i.test(name) ? XLSX_MEDIA_TYPE : typeof file === 'string' ? 'text/csv; charset=utf-8' : 'text/csv';
      return receive(API.admin.partsImport, AdminAnswerSchemas.partsImport, { method: 'POST', body: file, contentType });
    },
    async savePart(part: CatalogPart): Promise<CatalogPart> {
      const body = JSON.stringify({ name: part.name, unit: part.unit });
      return (await receive(at(API.admin.parts, part.code), AdminAnswerSchemas.part, { method: 'PUT', body, contentType: 'application/json' })).part;
    },
    async removePart(code: string): Promise<void> {
      await receive(at(API.admin.parts, code), AdminAnswerSchemas.partRemoved, { method: 'DELETE' });
    },
    /** The visits template to fill in, with Chinese headers. */
    async downloadVisitTemplate(format: VisitTemplateFormat): Promise<DownloadedFile> {
      const response = await send(format === 'csv' ? API.admin.visitsTemplateCsv : API.admin.visitsTemplateXlsx,
        { accept: format === 'csv' ? 'text/csv' : XLSX_MEDIA_TYPE });
      const filename = filenameFromDisposition(response.headers.get('Content-Disposition'), `visits-template.${format}`);
      return { blob: await response.blob(), filename };
    },
    async listForms(filter: FormFilter, cursor: string | null, limit: number = FORMS_PAGE_SIZE): Promise<FormsPage> {
      return receive(`${API.admin.forms}?${formsQuery(filter, cursor, limit)}`, AdminAnswerSchemas.forms);
    },
    async getForm(formId: string): Promise<FormDetail> {
      return receive(at(API.admin.forms, formId), AdminAnswerSchemas.form);
    },
    async equipmentHistory(serial: string, cursor: string | null, limit: number = FORMS_PAGE_SIZE): Promise<EquipmentHistoryPage> {
      const params = new URLSearchParams({ serial, limit: String(limit) });
      if (cursor !== null) params.set('cursor', cursor);
      return receive(`${API.admin.equipmentHistory}?${params}`, AdminAnswerSchemas.equipmentHistory);
    },
    async dashboard(query: DashboardQuery): Promise<DashboardData> {
      const params = new URLSearchParams({ from: query.from, to: query.to, ...(query.technician ? { technician: query.technician } : {}) });
      return receive(`${API.admin.dashboard}?${params}`, AdminAnswerSchemas.dashboard);
    },
    async getSignaturePng(formId: string): Promise<Blob> {
      return (await send(at(API.admin.forms, formId, 'signature.png'), { accept: 'image/png' })).blob();
    },
    async listDisputes(status: DisputeStatus, filter: DisputeListFilter = {}): Promise<DisputeRecord[]> {
      return (await receive(`${API.admin.disputes}?${disputesQuery(status, filter)}`, AdminAnswerSchemas.disputes)).disputes;
    },
    /** the enabled back-office users a dispute can be given to */
    async listDisputeAssignees(): Promise<DisputeAssignee[]> {
      return (await receive(`${API.admin.disputes}/assignees`, AdminAnswerSchemas.disputeAssignees)).assignees;
    },
    async getDispute(formId: string): Promise<DisputeDetail> {
      return receive(at(API.admin.disputes, formId), AdminAnswerSchemas.disputeDetail);
    },
    /** to a user, or back to nobody (null) */
    async assignDispute(formId: string, userId: string | null): Promise<DisputeDetail> {
      return receive(at(API.admin.disputes, formId, 'assign'), AdminAnswerSchemas.disputeDetail, postJson({ userId }));
    },
    async addDisputeNote(formId: string, text: string): Promise<DisputeDetail> {
      return receive(at(API.admin.disputes, formId, 'notes'), AdminAnswerSchemas.disputeDetail, postJson({ text }));
    },
    async resolveDispute(formId: string, outcome: DisputeOutcome, note: string): Promise<DisputeDetail> {
      return receive(at(API.admin.disputes, formId, 'resolve'), AdminAnswerSchemas.disputeDetail, postJson({ outcome, note }));
    },
    async reopenDispute(formId: string, note: string): Promise<DisputeDetail> {
      return receive(at(API.admin.disputes, formId, 'reopen'), AdminAnswerSchemas.disputeDetail, postJson({ note }));
    },
    async listConflicts(): Promise<ConflictRecord[]> {
      return (await receive(API.admin.conflicts, AdminAnswerSchemas.conflicts)).conflicts;
    },
    /** Sends one device bundle file as it is; the server validates it and each form in it. */
    async importBundle(bundleJson: Blob | string): Promise<ImportSummary> {
      return receive(API.admin.import, AdminAnswerSchemas.import, { method: 'POST', body: bundleJson, contentType: 'application/json' });
    },
    /** The export as a Blob, so a failure shows as a message on the page rather than a broken download. */
    async exportForms(format: ExportFormat, filter: FormFilter): Promise<DownloadedFile> {
      const query = filterToParams(filter).toString();
      const path = format === 'csv' ? API.admin.exportCsv : API.admin.exportNdjson;
      const response = await send(query ? `${path}?${query}` : path, { accept: format === 'csv' ? 'text/csv' : 'application/x-ndjson' });
      const filename = filenameFromDisposition(response.headers.get('Content-Disposition'), `onsite-forms.${format}`);
      return { blob: await response.blob(), filename };
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
