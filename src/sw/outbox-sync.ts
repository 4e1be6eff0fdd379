// Background Sync: the browser woke this worker because the network is back; the sync engine
// (src/sync) sends the outbox once, against the server this app was loaded from.
import { syncOutboxOnce } from '../sync/device-sync';
import type { SyncReport } from '../sync/sync-engine';

declare const self: ServiceWorkerGlobalScope;

export function runOutboxSync(): Promise<SyncReport> {
  return syncOutboxOnce({ fetch: (input, init) => self.fetch(input, init), pageOrigin: self.location.origin });
}
