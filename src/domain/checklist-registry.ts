// Every published checklist version, built once from the parsed files and looked up by (id, version).
// A published version lives at `<id>/v<version>.json` under checklists/; the path, the id and the
// version inside the file must agree, so a file copied to v2.json but still saying version 1 is refused.
import { parseChecklist, type Checklist, type ChecklistRef } from './checklist';

export interface ChecklistRegistry {
  get(id: string, version: number): Checklist | undefined;
  /** the highest published version of the checklist `id` */
  newest(id: string): Checklist | undefined;
  /** every version, by id then version */
  versions(): ChecklistRef[];
  /** the checklists themselves, in the same order */
  all(): readonly Checklist[];
  /** "onsite-service v1, onsite-service v2", for messages */
  describe(): string;
}

export class ChecklistRegistryError extends Error {
  constructor(readonly fileName: string, readonly detail: string) {
    super(`${fileName}: ${detail}`);
    this.name = 'ChecklistRegistryError';
  }
}

/** Where a published version lives, relative to checklists/. */
export function publishedPath(ref: ChecklistRef): string {
  return `${ref.id}/v${ref.version}.json`;
}

const VERSION_PATH = /(?:^|\/)([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*)\/v([1-9][0-9]*)\.json$/;

/** The (id, version) a path such as `…/onsite-service/v1.json` stands for, or null if it is not one. */
export function refFromPath(path: string): ChecklistRef | null {
  const match = VERSION_PATH.exec(path);
  return match ? { id: match[1]!, version: Number(match[2]) } : null;
}

const keyOf = (id: string, version: number) => `${id}@${version}`;

/** A registry of already validated checklists; throws if two of them share an id and a version. */
export function checklistRegistry(checklists: readonly Checklist[]): ChecklistRegistry {
  const byKey = new Map<string, Checklist>();
  for (const checklist of checklists) {
    const key = keyOf(checklist.id, checklist.version);
    if (byKey.has(key)) throw new ChecklistRegistryError(publishedPath(checklist), `${checklist.id} v${checklist.version} is there twice`);
    byKey.set(key, checklist);
  }
  const sorted = [...byKey.values()].sort((a, b) => (a.id === b.id ? a.version - b.version : a.id < b.id ? -1 : 1));
  return {
    get: (id, version) => byKey.get(keyOf(id, version)),
    newest: (id) => sorted.filter((c) => c.id === id).at(-1),
    versions: () => sorted.map(({ id, version }) => ({ id, version })),
    all: () => sorted,
    describe: () => sorted.map((c) => `${c.id} v${c.version}`).join(', ') || 'no checklist',
  };
}

/**
 * Parses each published file (path → parsed JSON, the path ending in `<id>/v<version>.json`) and checks
 * that the file says the id and version its path does. Throws ChecklistError or ChecklistRegistryError
 * naming the file.
 */
export function registryFromFiles(files: Readonly<Record<string, unknown>>): ChecklistRegistry {
  const checklists = Object.entries(files).map(([path, json]) => {
    const ref = refFromPath(path);
    if (!ref) throw new ChecklistRegistryError(path, 'a published checklist lives at <id>/v<version>.json');
    const name = publishedPath(ref);
    const checklist = parseChecklist(json, name);
    if (checklist.id !== ref.id || checklist.version !== ref.version) {
      throw new ChecklistRegistryError(name, `the file says ${checklist.id} v${checklist.version}, its path says ${ref.id} v${ref.version}`);
    }
    return checklist;
  });
  return checklistRegistry(checklists);
}
