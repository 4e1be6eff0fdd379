// Calls for the back office's accounts: the session (sign in, who am I, sign out), users and the audit
// log. Same rules as api-client.ts: the cookie carries the session, every change the CSRF token, and
// every failure becomes an ApiClientError.
import { CSRF_HEADER, type AuditFilter, type AuditRecord, type Role, type SessionInfo, type UserChange, type UserRecord } from '../domain/accounts';
import { API } from '../domain/api';
import { ApiClientError, errorFrom, filenameFromDisposition, type DownloadedFile, type ExportFormat, type FetchLike } from './api-client';

export interface AccountClientOptions {
  /** absent before sign-in */
  csrfToken?: string;
  fetch?: FetchLike;
  onUnauthorized?: (error: ApiClientError) => void;
}

export interface NewUser {
  name: string;
  displayName: string;
  role: Role;
  password: string;
}

export interface AuditPage { entries: AuditRecord[]; nextBefore: number | null }

export function auditParams(filter: AuditFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.userId) params.set('user', filter.userId);
  if (filter.action) params.set('action', filter.action);
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  return params;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function createAccountClient(options: AccountClientOptions = {}) {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));

  async function send(path: string, method = 'GET', body?: unknown, accept = 'application/json'): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept };
    if (method !== 'GET' && options.csrfToken) headers[CSRF_HEADER] = options.csrfToken;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(path, { method, headers, credentials: 'same-origin', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (cause) {
      throw new ApiClientError(0, 'network', cause instanceof Error ? cause.message : String(cause));
    }
    if (response.ok) return response;
    const error = await errorFrom(response);
    if (error.unauthorized && path !== API.session) options.onUnauthorized?.(error);
    throw error;
  }

  async function object(path: string, method?: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await send(path, method, body);
    const answer: unknown = await response.json().catch(() => undefined);
    if (!isObject(answer)) throw new ApiClientError(response.status, 'bad-response', `${path.split('?')[0]} answered with something other than a JSON object`);
    return answer;
  }
  const field = <T>(answer: Record<string, unknown>, key: string, path: string, check: (v: unknown) => boolean): T => {
    if (!check(answer[key])) throw new ApiClientError(200, 'bad-response', `${path} answered without a valid "${key}"`);
    return answer[key] as T;
  };
  const session = (answer: Record<string, unknown>): SessionInfo => ({
    user: field<UserRecord>(answer, 'user', API.session, isObject),
    csrfToken: field<string>(answer, 'csrfToken', API.session, (v) => typeof v === 'string'),
    expiresAt: field<string>(answer, 'expiresAt', API.session, (v) => typeof v === 'string'),
  });

  return {
    /** the signed-in session, or null when there is none (not signed in, ended, expired) */
    async getSession(): Promise<SessionInfo | null> {
      try {
        return session(await object(API.session));
      } catch (error) {
        if (error instanceof ApiClientError && error.status === 401) return null;
        throw error;
      }
    },
    async signIn(name: string, password: string): Promise<SessionInfo> {
      return session(await object(API.session, 'POST', { name, password }));
    },
    async signOut(): Promise<void> {
      await send(API.session, 'DELETE');
    },
    async listUsers(): Promise<UserRecord[]> {
      return field(await object(API.admin.users), 'users', API.admin.users, Array.isArray);
    },
    async createUser(user: NewUser): Promise<UserRecord> {
      return field(await object(API.admin.users, 'POST', user), 'user', API.admin.users, isObject);
    },
    async changeUser(id: string, change: UserChange): Promise<UserRecord> {
      return field(await object(`${API.admin.users}/${encodeURIComponent(id)}`, 'PATCH', change), 'user', API.admin.users, isObject);
    },
    async listAudit(filter: AuditFilter, before: number | null): Promise<AuditPage> {
      const params = auditParams(filter);
      if (before !== null) params.set('before', String(before));
      const answer = await object(`${API.admin.audit}?${params}`);
      return {
        entries: field(answer, 'entries', API.admin.audit, Array.isArray),
        nextBefore: field(answer, 'nextBefore', API.admin.audit, (v) => v === null || typeof v === 'number'),
      };
    },
    async exportAudit(format: ExportFormat, filter: AuditFilter): Promise<DownloadedFile> {
      const query = auditParams(filter).toString();
      const path = format === 'csv' ? API.admin.auditCsv : API.admin.auditNdjson;
      const response = await send(query ? `${path}?${query}` : path, 'GET', undefined, format === 'csv' ? 'text/csv' : 'application/x-ndjson');
      return { blob: await response.blob(), filename: filenameFromDisposition(response.headers.get('Content-Disposition'), `onsite-audit.${format}`) };
    },
  };
}

export type AccountClient = ReturnType<typeof createAccountClient>;
