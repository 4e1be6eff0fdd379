// Downloads the technician's dispatched visits and keeps them on the phone for offline use, together
// with the published checklist versions the phone lacks (neither carried by the app nor stored): a
// visit begun under a version an app update does not carry still opens, and a new visit uses the
// newest rules. A version this app cannot read (a later format) is left aside and reported. The visits
// come in the format with each equipment's last repairs; a server from before it answers the first
// format, whose visits are kept without a history.
import { API, ChecklistsResponseSchema, VISITS_FORMAT_WITH_HISTORY, VisitsResponseSchema, VisitsResponseV2Schema } from '../domain/api';
import { parseChecklist, type Checklist, type ChecklistRef } from '../domain/checklist';
import { formatPath } from '../domain/validation-issues';
import { storeDownloadedChecklist, storedChecklistRefs } from '../device/checklists-store';
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
  /** the checklist versions this build of the app carries: never downloaded */
  bundledChecklists: readonly ChecklistRef[];
  now?: () => number;
  setTimer?: SetTimer;
  timeoutMs?: number;
}

export interface ChecklistsUpdate {
  /** versions downloaded and stored now */
  added: ChecklistRef[];
  /** versions the server has that this app cannot read; the phone keeps using those it has */
  unreadable: Array<ChecklistRef & { message: string }>;
}

export interface VisitsDownload extends DispatchedVisitsUpdate {
  checklists: ChecklistsUpdate;
}

/** The checklists first, then GET /api/v1/visits; each answer validated whole before anything on the phone changes. */
export async function downloadVisits(options: VisitsDownloadOptions): Promise<VisitsDownload> {
  if (!options.token) throw new VisitsDownloadError('enrollment-needed', 'this phone is not enrolled');
  const token = options.token;
  const checklists = await downloadChecklists(options, token);
  const answer = await get(options, token, `${API.visits}?format=${VISITS_FORMAT_WITH_HISTORY}`);
  const withHistory = typeof answer.json === 'object' && answer.json !== null && 'format' in answer.json;
  const parsed = withHistory ? VisitsResponseV2Schema.safeParse(answer.json) : VisitsResponseSchema.safeParse(answer.json);
  if (!parsed.success) throw malformed('visits', answer, parsed.error.issues[0]?.path);
  return { ...(await storeDispatchedVisits(options.db, parsed.data.visits, (options.now ?? Date.now)())), checklists };
}

async function downloadChecklists(options: VisitsDownloadOptions, token: string): Promise<ChecklistsUpdate> {
  const answer = await get(options, token, API.checklists);
  const list = ChecklistsResponseSchema.safeParse(answer.json);
  if (!list.success) throw malformed('checklists', answer, list.error.issues[0]?.path);
  const has = new Set([...options.bundledChecklists, ...(await storedChecklistRefs(options.db))].map((ref) => `${ref.id}@${ref.version}`));
  const update: ChecklistsUpdate = { added: [], unreadable: [] };
  for (const ref of list.data.checklists) {
    if (has.has(`${ref.id}@${ref.version}`)) continue;
    const file = await get(options, token, `${API.checklists}/${encodeURIComponent(ref.id)}/${ref.version}`);
    let checklist: Checklist;
    try {
      checklist = parseChecklist(file.json, `${ref.id} v${ref.version}`);
    } catch (error) {
      update.unreadable.push({ ...ref, message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    if (checklist.id !== ref.id || checklist.version !== ref.version) {
      update.unreadable.push({ ...ref, message: `the server sent ${checklist.id} v${checklist.version} for ${ref.id} v${ref.version}` });
      continue;
    }
    if (await storeDownloadedChecklist(options.db, checklist, (options.now ?? Date.now)())) update.added.push(ref);
  }
  return update;
}

async function get(options: VisitsDownloadOptions, token: string, path: string): Promise<ApiAnswer> {
  let answer: ApiAnswer;
  try {
    const init = { method: 'GET', headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } };
    answer = await callApi(options.fetch, apiUrl(options.baseUrl, path), init, options.timeoutMs ?? 60_000, options.setTimer ?? defaultSetTimer);
  } catch (error) {
    throw new VisitsDownloadError('network', describeFailure(error));
  }
  if (answer.status === 401) throw new VisitsDownloadError('enrollment-needed', answer.message);
  if (!answer.ok) throw new VisitsDownloadError('server', answer.message);
  return answer;
}

function malformed(what: 'visits' | 'checklists', answer: ApiAnswer, path: readonly PropertyKey[] | undefined): VisitsDownloadError {
  const where = answer.json === undefined ? ' (not JSON)' : path ? ` at ${formatPath(path)}` : '';
  return new VisitsDownloadError('malformed-answer', `the server's list of ${what} could not be read${where}`);
}
