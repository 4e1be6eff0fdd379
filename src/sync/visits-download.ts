// Downloads the technician's dispatched visits and keeps them on the phone for offline use.
import { API, VISITS_FORMAT_WITH_HISTORY, VisitsResponseSchema, VisitsResponseV2Schema } from '../domain/api';
import { formatPath } from '../domain/validation-issues';
import type { OnsiteDatabase } from '../device/db';
import { storeDispatchedVisits, type DispatchedVisitsUpdate } from '../device/visits-store';
import { apiUrl, callApi, defaultSetTimer, describeFailure, type ApiAnswer, type FetchLike, type SetTimer } from './api-client';

export type VisitsDownloadFailure = 'enrollment-needed' | 'network' | 'server' | 'malformed-answer';

export class VisitsDownloadError extends Error {
  constructor(readonly reason: VisitsDownloadFailure, message: string) {
    super(message);
    this.name = 'VisitsDownloadError';
  }
}

export interface VisitsDownloadOptions {
  db: OnsiteDatabase;
  fetch: FetchLike;
  baseUrl: string;
  token: string | null;
  now?: () => number;
  setTimer?: SetTimer;
  timeoutMs?: number;
}

/**
 * GET /api/v1/visits asking for the format with each equipment's last repairs, validated whole before
 * anything on the phone changes. A server from before that format ignores the question and answers the
 * first format: its visits are kept without a history.
 */
export async function downloadVisits(options: VisitsDownloadOptions): Promise<DispatchedVisitsUpdate> {
  if (!options.token) throw new VisitsDownloadError('enrollment-needed', 'this phone is not enrolled');
  let answer: ApiAnswer;
  try {
    const init = { method: 'GET', headers: { Authorization: `Bearer ${options.token}`, Accept: 'application/json' } };
    answer = await callApi(options.fetch, apiUrl(options.baseUrl, `${API.visits}?format=${VISITS_FORMAT_WITH_HISTORY}`), init, options.timeoutMs ?? 60_000, options.setTimer ?? defaultSetTimer);
  } catch (error) {
    throw new VisitsDownloadError('network', describeFailure(error));
  }
  if (answer.status === 401) throw new VisitsDownloadError('enrollment-needed', answer.message);
  if (!answer.ok) throw new VisitsDownloadError('server', answer.message);
  const withHistory = typeof answer.json === 'object' && answer.json !== null && 'format' in answer.json;
  const parsed = withHistory ? VisitsResponseV2Schema.safeParse(answer.json) : VisitsResponseSchema.safeParse(answer.json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = answer.json === undefined ? ' (not JSON)' : issue ? ` at ${formatPath(issue.path)}` : '';
    throw new VisitsDownloadError('malformed-answer', `the server's list of visits could not be read${where}`);
  }
  return storeDispatchedVisits(options.db, parsed.data.visits, (options.now ?? Date.now)());
}
