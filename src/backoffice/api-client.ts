// Typed calls to every back-office endpoint of src/domain/api.ts. Each request rides on the session
// cookie and each change carries the session's CSRF token; each failure becomes an ApiClientError
// holding the server's code, sentence and field errors.
import { CSRF_HEADER } from '../domain/accounts';
import {
  API,
  type ConflictRecord, type DispatchedVisit, type DisputeRecord, type FormDetail, type FormFilter,
  type FormSummary, type ImportSummary, type TechnicianRecord, type VisitImportResult,
} from '../domain/api';
import type { FieldError } from '../domain/validation-issues';
import { filterToParams } from './form-filter';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * A failed call. `code` is the server's own (ApiError) or one the client makes up: `network` (nothing
 * answered; `status` 0), `http` (an answer that is not an ApiError), `bad-response` (a 2xx answer
 * without what the page needs).
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
export interface EnrollmentCode { code: string; expiresAt: string }
export interface DownloadedFile { blob: Blob; filename: string }
export type ExportFormat = 'csv' | 'ndjson';
export type DisputeStatus = 'open' | 'resolved';

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

type Check<T> = (value: unknown) => value is T;
const isArray = (value: unknown): value is unknown[] => Array.isArray(value);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number';
const isString = (value: unknown): value is string => typeof value === 'string';
const isCursor = (value: unknown): value is string | null => value === null || typeof value === 'string';
const isSealCheck = (value: unknown): value is FormDetail['sealCheck'] => value === 'verified' || value === 'failed';

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
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
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

  /** A JSON object answer, with typed reads that name the field the answer lacks. */
  async function receive(path: string, request: Request = {}) {
    const response = await send(path, request);
    const body: unknown = await response.json().catch(() => undefined);
    const bad = (what: string) => new ApiClientError(response.status, 'bad-response', `${path.split('?')[0]} answered ${what}`);
    if (!isObject(body)) throw bad('with something other than a JSON object');
    const get = <T>(key: string, check: Check<T>): T => {
      const value = body[key];
      if (!check(value)) throw bad(`without a valid "${key}"`);
      return value;
    };
    // records are read as the server's types: only their presence is checked here, the pages show what came
    const record = <T>(key: string): T => get(key, isObject) as unknown as T;
    const list = <T>(key: string): T[] => get(key, isArray) as T[];
    return { body, get, record, list };
  }

  const postJson = (body: unknown): Request => ({ method: 'POST', body: JSON.stringify(body), contentType: 'application/json' });
  const at = (collection: string, id: string, ...rest: string[]) => [collection, encodeURIComponent(id), ...rest].join('/');

  return {
    async listTechnicians(): Promise<TechnicianRecord[]> {
      return (await receive(API.admin.technicians)).list('technicians');
    },
    async createTechnician(input: { name: string; phone?: string }): Promise<TechnicianRecord> {
      return (await receive(API.admin.technicians, postJson(input))).record('technician');
    },
    async createEnrollmentCode(technicianId: string): Promise<EnrollmentCode> {
      const answer = await receive(at(API.admin.technicians, technicianId, 'code'), { method: 'POST' });
      return { code: answer.get('code', isString), expiresAt: answer.get('expiresAt', isString) };
    },
    async revokeTechnician(technicianId: string): Promise<TechnicianRecord> {
      return (await receive(at(API.admin.technicians, technicianId, 'revoke'), { method: 'POST' })).record('technician');
    },
    async listVisits(technicianId?: string): Promise<DispatchedVisit[]> {
      const path = technicianId ? `${API.admin.visits}?${new URLSearchParams({ technician: technicianId })}` : API.admin.visits;
      return (await receive(path)).list('visits');
    },
    async createVisit(visit: NewVisit): Promise<DispatchedVisit> {
      return (await receive(API.admin.visits, postJson(visit))).record('visit');
    },
    /** The file's bytes as they are: the server, not the browser, says when a file is not UTF-8 (Excel's default in China is GBK). */
    async importVisitsCsv(csv: Blob | string): Promise<VisitImportResult> {
      const answer = await receive(API.admin.visitsImport, { method: 'POST', body: csv, contentType: 'text/csv; charset=utf-8' });
      return { created: answer.get('created', isNumber), errors: answer.list('errors') };
    },
    async listForms(filter: FormFilter, cursor: string | null, limit: number = FORMS_PAGE_SIZE): Promise<FormsPage> {
      const answer = await receive(`${API.admin.forms}?${formsQuery(filter, cursor, limit)}`);
      return { forms: answer.list('forms'), nextCursor: answer.get('nextCursor', isCursor) };
    },
    async getForm(formId: string): Promise<FormDetail> {
      const answer = await receive(at(API.admin.forms, formId));
      return {
        summary: answer.record('summary'),
        form: answer.record('form'),
        sealCheck: answer.get('sealCheck', isSealCheck),
        conflicts: answer.list('conflicts'),
      };
    },
    async getSignaturePng(formId: string): Promise<Blob> {
      return (await send(at(API.admin.forms, formId, 'signature.png'), { accept: 'image/png' })).blob();
    },
    async listDisputes(status: DisputeStatus): Promise<DisputeRecord[]> {
      return (await receive(`${API.admin.disputes}?${new URLSearchParams({ status })}`)).list('disputes');
    },
    async resolveDispute(formId: string, note: string): Promise<DisputeRecord> {
      return (await receive(at(API.admin.disputes, formId, 'resolve'), postJson({ note }))).record('dispute');
    },
    async listConflicts(): Promise<ConflictRecord[]> {
      return (await receive(API.admin.conflicts)).list('conflicts');
    },
    /** Sends one device bundle file as it is; the server validates it and each form in it. */
    async importBundle(bundleJson: Blob | string): Promise<ImportSummary> {
      const answer = await receive(API.admin.import, { method: 'POST', body: bundleJson, contentType: 'application/json' });
      return {
        accepted: answer.get('accepted', isNumber),
        duplicate: answer.get('duplicate', isNumber),
        conflict: answer.get('conflict', isNumber),
        rejected: answer.get('rejected', isNumber),
        results: answer.list('results'),
      };
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
