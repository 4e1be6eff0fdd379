// The checklists the server accepts forms against: every checklist file in checklists/, each an id
// and a version. A form filled against a version the server does not know is refused, never guessed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseChecklist, type Checklist } from '../domain/checklist';

export interface ChecklistRegistry {
  get(id: string, version: number): Checklist | undefined;
  /** "onsite-service v1, …", for messages */
  describe(): string;
}

/** festivals.json sits beside the checklists but is the festival calendar, not a checklist. */
const NOT_CHECKLISTS = new Set(['festivals.json']);

export function checklistRegistry(checklists: readonly Checklist[]): ChecklistRegistry {
  const byKey = new Map(checklists.map((c) => [`${c.id}@${c.version}`, c]));
  return {
    get: (id, version) => byKey.get(`${id}@${version}`),
    describe: () => checklists.map((c) => `${c.id} v${c.version}`).join(', '),
  };
}

/** Throws ChecklistError (naming the file and each path) when a file is not a valid checklist. */
export function loadChecklists(dir: string): ChecklistRegistry {
  const files = readdirSync(dir).filter((name) => name.endsWith('.json') && !NOT_CHECKLISTS.has(name)).sort();
  const checklists = files.map((name) => parseChecklist(JSON.parse(readFileSync(join(dir, name), 'utf8')), name));
  if (checklists.length === 0) throw new Error(`no checklist found in ${dir}`);
  return checklistRegistry(checklists);
}
