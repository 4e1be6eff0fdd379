/// <reference types="vite/client" />
// Labels of checklist items and rules in the clerk's language, read from the version the form was
// filled under: the back office carries every published version. A form under a version this build
// does not know still shows: unknown ids are shown as they are.
import { fieldItem, itemById, prohibitionRules, ruleById, stepItem, type Checklist, type ChecklistRef, type ChecklistRule, type FieldName, type StepName } from '../domain/checklist';
import { registryFromFiles } from '../domain/checklist-registry';
import type { Lang } from './i18n';

/** Every published version, as the server loads them. */
export const publishedChecklists = registryFromFiles(import.meta.glob('../../checklists/*/v*.json', { eager: true, import: 'default' }));

/** The version a form names, or undefined when this back office does not know it. */
export function checklistOf(ref: ChecklistRef): Checklist | undefined {
  return publishedChecklists.get(ref.id, ref.version);
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
