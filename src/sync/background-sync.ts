// Background Sync as a wake-up only: the page asks the browser to fire 'sync' with our tag when the
// network is back, and the service worker runs the same engine once. The queue is our outbox in
// IndexedDB, never workbox-background-sync's (which drops entries on 4xx/5xx and after 7 days).
// Neither TypeScript lib types SyncManager or SyncEvent yet, hence the small structural types.
import type { SyncReport } from './sync-engine';

export const OUTBOX_SYNC_TAG = 'onsite-outbox';

export interface SyncRegistrationLike {
  sync?: { register(tag: string): Promise<void> };
}

/** Page side: registers the wake-up; false where the browser has no Background Sync or refuses it. */
export async function requestBackgroundSync(registration: SyncRegistrationLike | undefined): Promise<boolean> {
  if (!registration?.sync) return false;
  try {
    await registration.sync.register(OUTBOX_SYNC_TAG);
    return true;
  } catch {
    return false;
  }
}

export interface SyncEventLike {
  tag: string;
  waitUntil(promise: Promise<unknown>): void;
}

export class SyncIncompleteError extends Error {
  constructor(readonly report: SyncReport) {
    super(`outbox sync incomplete (${report.stopped}): ${report.error ?? ''}`);
    this.name = 'SyncIncompleteError';
  }
}

/**
 * Service worker side, for `self.addEventListener('sync', …)`: on our tag, runs the engine once.
 * A run that could not reach the server rejects, so the browser fires the event again later.
 * Returns whether the event was ours.
 */
export function handleOutboxSync(event: SyncEventLike, runOnce: () => Promise<SyncReport>): boolean {
  if (event.tag !== OUTBOX_SYNC_TAG) return false;
  event.waitUntil(
    runOnce().then((report) => {
      if (report.stopped === 'offline' || report.stopped === 'server-unavailable') throw new SyncIncompleteError(report);
      return report;
    }),
  );
  return true;
}
