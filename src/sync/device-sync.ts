// The sync engine as the phone runs it: the server URL and the token come from the settings, read at
// each run, so enrolling or changing the server takes effect without restarting anything.
import { openOnsiteDB, type OnsiteDatabase } from '../device/db';
import { getServerUrl, getToken } from '../device/settings';
import type { FetchLike } from './api-client';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions, type SyncReport } from './sync-engine';

export type DeviceSyncOptions = Omit<SyncEngineOptions, 'baseUrl' | 'getToken'> & {
  /** the origin the app was loaded from: the server unless the settings name another */
  pageOrigin: string;
};

export function createDeviceSyncEngine(options: DeviceSyncOptions): SyncEngine {
  const { pageOrigin, ...rest } = options;
  return createSyncEngine({
    ...rest,
    baseUrl: () => getServerUrl(options.db, pageOrigin),
    getToken: async () => (await getToken(options.db)) ?? null,
  });
}

/** One run for the service worker's Background Sync event, on its own connection, closed afterwards. */
export async function syncOutboxOnce(options: { fetch: FetchLike; pageOrigin: string; openDb?: () => Promise<OnsiteDatabase> }): Promise<SyncReport> {
  const db = await (options.openDb ?? openOnsiteDB)();
  try {
    return await createDeviceSyncEngine({ db, fetch: options.fetch, pageOrigin: options.pageOrigin }).syncNow('background-sync');
  } finally {
    db.close();
  }
}
