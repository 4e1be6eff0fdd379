// The checklist versions on the phone: those this build of the app carries, and those downloaded from
// the server with the visits (kept in IndexedDB, so a draft begun under a version an app update no
// longer carries — or does not carry yet — still opens). New visits use the newest of them all.
import { parseChecklist, type Checklist, type ChecklistRef } from '../domain/checklist';
import { checklistRegistry, type ChecklistRegistry } from '../domain/checklist-registry';
import type { OnsiteDatabase, StoredChecklist } from './db';
import type { DraftChecklists } from './drafts';

/** Every downloaded version that still reads as a checklist; one that does not is left aside, never thrown. */
export async function downloadedChecklists(db: OnsiteDatabase): Promise<Checklist[]> {
  const stored = await db.getAll('checklists');
  return stored.flatMap((record) => {
    const checklist = readStored(record);
    return checklist ? [checklist] : [];
  });
}

function readStored(record: StoredChecklist): Checklist | undefined {
  try {
    const checklist = parseChecklist(record.checklist, `${record.id} v${record.version}`);
    return checklist.id === record.id && checklist.version === record.version ? checklist : undefined;
  } catch {
    return undefined;
  }
}

/** The versions already stored, so that a download fetches only the others. */
export async function storedChecklistRefs(db: OnsiteDatabase): Promise<ChecklistRef[]> {
  return (await db.getAllKeys('checklists')).map(([id, version]) => ({ id, version }));
}

/** Stores a downloaded version (validated by the caller); a version already there is kept as it is. */
export async function storeDownloadedChecklist(db: OnsiteDatabase, checklist: Checklist, now: number): Promise<boolean> {
  const tx = db.transaction('checklists', 'readwrite');
  const exists = (await tx.store.count([checklist.id, checklist.version])) > 0;
  if (!exists) await tx.store.add({ id: checklist.id, version: checklist.version, checklist, downloadedAt: new Date(now).toISOString() });
  await tx.done;
  return !exists;
}

/** The versions of one registry, for the draft store; `id` is the checklist new visits are filled against. */
export function registryChecklists(registry: ChecklistRegistry, id: string): DraftChecklists {
  return {
    async newest() {
      const newest = registry.newest(id);
      if (!newest) throw new Error(`no version of checklist ${id} on this phone (it has ${registry.describe()})`);
      return newest;
    },
    get: async (ref) => registry.get(ref.id, ref.version),
    describe: async () => registry.describe(),
  };
}

/** The versions an app build carries, and the checklist its visits are filled against. */
export interface BundledChecklists {
  registry: ChecklistRegistry;
  visitChecklistId: string;
}

/**
 * The phone's versions: the app's own (loaded on first use) and the downloaded ones, read afresh each
 * time so a version downloaded a minute ago counts. Where both have a version, the app's wins.
 */
export function deviceChecklists(db: OnsiteDatabase, bundled: () => Promise<BundledChecklists>): DraftChecklists {
  const all = async (): Promise<ChecklistRegistry> => {
    const [{ registry: own }, downloaded] = await Promise.all([bundled(), downloadedChecklists(db)]);
    return checklistRegistry([...own.all(), ...downloaded.filter((c) => !own.get(c.id, c.version))]);
  };
  return {
    newest: async () => registryChecklists(await all(), (await bundled()).visitChecklistId).newest(),
    async get(ref) {
      const own = (await bundled()).registry.get(ref.id, ref.version);
      if (own) return own;
      const record = await db.get('checklists', [ref.id, ref.version]);
      return record && readStored(record);
    },
    describe: async () => (await all()).describe(),
  };
}
