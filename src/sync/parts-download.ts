// Downloads the parts catalog, fetched with the visits (the visit list's download does both), and keeps
// it on the phone for the parts picker offline. A server from before the catalog answers 404: the phone
// keeps the catalog it has. The answer is validated whole before the stored catalog is replaced.
import { API } from '../domain/api';
import { PartsCatalogSchema } from '../domain/parts-catalog';
import { formatPath } from '../domain/validation-issues';
import type { OnsiteDatabase } from '../device/db';
import { storePartsCatalog } from '../device/parts-catalog-store';
import { apiUrl, callApi, defaultSetTimer, describeFailure, type ApiAnswer, type FetchLike, type SetTimer } from './api-client';
import { VisitsDownloadError } from './visits-download';

export interface PartsDownloadOptions {
  db: OnsiteDatabase;
  fetch: FetchLike;
  baseUrl: string;
  token: string | null;
  now?: () => number;
  setTimer?: SetTimer;
  timeoutMs?: number;
}

/** The number of parts now on the phone, or null when the server keeps no catalog (the phone's is kept). */
export async function downloadPartsCatalog(options: PartsDownloadOptions): Promise<number | null> {
  if (!options.token) throw new VisitsDownloadError('enrollment-needed', 'this phone is not enrolled');
  let answer: ApiAnswer;
  try {
    const init = { method: 'GET', headers: { Authorization: `Bearer ${options.token}`, Accept: 'application/json' } };
    answer = await callApi(options.fetch, apiUrl(options.baseUrl, API.parts), init, options.timeoutMs ?? 60_000, options.setTimer ?? defaultSetTimer);
  } catch (error) {
    throw new VisitsDownloadError('network', describeFailure(error));
  }
  if (answer.status === 404) return null;
  if (answer.status === 401) throw new VisitsDownloadError('enrollment-needed', answer.message);
  if (!answer.ok) throw new VisitsDownloadError('server', answer.message);
  const parsed = PartsCatalogSchema.safeParse(answer.json);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path;
    const where = answer.json === undefined ? ' (not JSON)' : path ? ` at ${formatPath(path)}` : '';
    throw new VisitsDownloadError('malformed-answer', `the server's parts catalog could not be read${where}`);
  }
  await storePartsCatalog(options.db, parsed.data.parts, (options.now ?? Date.now)());
  return parsed.data.parts.length;
}
