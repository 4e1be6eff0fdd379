/// <reference types="vite/client" />
// Labels of checklist items and rules in the clerk's language, read from the version the form was
// filled under: the back office carries every published version. A form under a version this build
// does not know still shows: unknown ids are shown as they are.
import { fieldItem, itemById, parseChecklist, prohibitionRules, ruleById, stepItem, type Checklist, type ChecklistRef, type ChecklistRule, type FieldName, type StepName } from '../domain/checklist';
import { checklistRegistry, publishedPath, registryFromFiles, type ChecklistRegistry } from '../domain/checklist-registry';
import type { Lang } from './i18n';

/** The versions this build was made with; the server's (learnChecklists) are added when the clerk signs in. */
let known: ChecklistRegistry = registryFromFiles(import.meta.glob('../../checklists/*/v*.json', { eager: true, import: 'default' }));

/** Every version this back office knows: built in, and published on the server since. */
export const publishedChecklists: ChecklistRegistry = {
  get: (id, version) => known.get(id, version),
  newest: (id) => known.newest(id),
  versions: () => known.versions(),
  all: () => known.all(),
  describe: () => known.describe(),
};

/**
 * Adds the versions the server serves (published after this build), each checked as the server checks
 * it; one that does not parse is left out and named. Returns the problems, if any.
 */
export function learnChecklists(files: readonly unknown[]): string[] {
  const problems: string[] = [];
  const byKey = new Map(known.all().map((c) => [publishedPath(c), c]));
  for (const file of files) {
    const ref = file as Partial<ChecklistRef> | null;
    const name = typeof ref?.id === 'string' && typeof ref.version === 'number' ? publishedPath(ref as ChecklistRef) : 'a checklist from the server';
    try {
      const parsed = parseChecklist(file, name);
      if (!byKey.has(name)) byKey.set(name, parsed);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  known = checklistRegistry([...byKey.values()]);
  return problems;
}

/** The version a form names, or undefined when this back office does not know it. */
export function checklistOf(ref: ChecklistRef): Checklist | undefined {
  return known.get(ref.id, ref.version);
}

export function itemLabel(checklist: Checklist | undefined, id: string, lang: Lang): string {
  return (checklist && itemById(checklist, id)?.text[lang]) ?? id;
}

export function ruleLabel(checklist: Checklist | undefined, id: string, lang: Lang): string {
  return (checklist && ruleById(checklist, id)?.text[lang]) ?? id;
}

/** A rule named without its form's version (a dispute record): the newest version that has the rule words it. */
export function ruleLabelInAnyVersion(id: string, lang: Lang): string {
  const holder = [...publishedChecklists.all()].reverse().find((c) => ruleById(c, id));
  return ruleLabel(holder, id, lang);
}

export function fieldLabel(checklist: Checklist | undefined, field: FieldName, lang: Lang): string {
  return checklist ? fieldItem(checklist, field).text[lang] : field;
}

export function stepLabel(checklist: Checklist | undefined, step: StepName, lang: Lang): string {
  return checklist ? stepItem(checklist, step).text[lang] : step;
}

export function prohibitions(checklist: Checklist | undefined): ChecklistRule[] {
  return checklist ? prohibitionRules(checklist) : [];
}
