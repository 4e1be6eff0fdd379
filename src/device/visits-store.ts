// The visits on the phone: downloaded from the back office ('dispatched') or created here ('device').
// first-load bundle: keep it small (creating a visit, with its validation, lives in visit-create.ts)
import type { DispatchedVisit, PastRepair } from '../domain/api';
import type { OnsiteDatabase, StoredVisit } from './db';

export function getVisit(db: OnsiteDatabase, id: string): Promise<StoredVisit | undefined> {
  return db.get('visits', id);
}

/** The visits scheduled from `from` to `to` (inclusive, YYYY-MM-DD; either open), by date then id. */
export async function listVisits(db: OnsiteDatabase, range: { from?: string; to?: string } = {}): Promise<StoredVisit[]> {
  const { from, to } = range;
  const query = from !== undefined && to !== undefined ? IDBKeyRange.bound(from, to)
    : from !== undefined ? IDBKeyRange.lowerBound(from)
    : to !== undefined ? IDBKeyRange.upperBound(to)
    : undefined;
  const visits = await db.getAllFromIndex('visits', 'by-date', query);
  return visits.sort((a, b) => a.scheduledDate.localeCompare(b.scheduledDate) || a.id.localeCompare(b.id));
}

export const listVisitsOn = (db: OnsiteDatabase, date: string) => listVisits(db, { from: date, to: date });

export interface DispatchedVisitsUpdate {
  /** visits written (new or updated) */
  stored: number;
  /** dispatched visits the server no longer lists, deleted */
  removed: number;
  /** dispatched visits the server no longer lists but with a draft on the phone: kept */
  keptWithDraft: string[];
  /** server visits whose id is taken by a visit made on the phone: the phone's is kept */
  skipped: string[];
}

/** Makes the phone's dispatched visits the server's list, except that a visit with a draft is never dropped. */
export async function storeDispatchedVisits(db: OnsiteDatabase, visits: ReadonlyArray<DispatchedVisit & { history?: PastRepair[] }>, now: number): Promise<DispatchedVisitsUpdate> {
  const update: DispatchedVisitsUpdate = { stored: 0, removed: 0, keptWithDraft: [], skipped: [] };
  const at = new Date(now).toISOString();
  const tx = db.transaction(['visits', 'drafts'], 'readwrite');
  const store = tx.objectStore('visits');
  const listed = new Set<string>();
  for (const visit of visits) {
    listed.add(visit.id);
    const existing = await store.get(visit.id);
    if (existing?.source === 'device') {
      update.skipped.push(visit.id);
      continue;
    }
    await store.put({ ...visit, source: 'dispatched', createdAt: existing?.createdAt ?? at });
    update.stored++;
  }
  const draftsByVisit = tx.objectStore('drafts').index('by-visit');
  for (const visit of await store.getAll()) {
    if (visit.source !== 'dispatched' || listed.has(visit.id)) continue;
    if ((await draftsByVisit.count(visit.id)) > 0) {
      update.keptWithDraft.push(visit.id);
    } else {
      await store.delete(visit.id);
      update.removed++;
    }
  }
  await tx.done;
  return update;
}
