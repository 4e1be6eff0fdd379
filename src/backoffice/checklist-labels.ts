/// <reference types="vite/client" />
// Labels of checklist items and rules in the clerk's language, read from the version the form was
// filled under: the back office carries every published version. A form under a version this build
// does not know still shows: unknown ids are shown as they are.
import { fieldItem, itemById, prohibitionRules, ruleById, stepItem, type Checklist, type ChecklistRef, type ChecklistRule, type FieldName, type StepName } from '../domain/checklist';
import { registryFromFiles } from '../domain/checklist-registry';
import type { Incident, VisitAction } from '../domain/form-schema';
import type { Lang, Translate } from './i18n';

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

const OFFER_KEYS = { cigarette: 'offer.cigarette', 'food-drink': 'offer.food-drink', gift: 'offer.gift' } as const;
type OfferKind = keyof typeof OFFER_KEYS;
const isOfferKind = (text: string): text is OfferKind => Object.hasOwn(OFFER_KEYS, text);

/** One line for the time line: what the technician or the customer did. */
export function describeAction(checklist: Checklist | undefined, action: VisitAction, lang: Lang, t: Translate): string {
  switch (action.type) {
    case 'tick':
      return t('event.tick', { item: itemLabel(checklist, action.item, lang) });
    case 'untick':
      return t('event.untick', { item: itemLabel(checklist, action.item, lang) });
    case 'step':
      return t('event.step', { step: stepLabel(checklist, action.step, lang) });
    case 'test':
      return t(action.passed ? 'event.testPassed' : 'event.testFailed', {
        step: stepLabel(checklist, action.by === 'technician' ? 'technician-test' : 'customer-test', lang),
        note: action.note,
      }).trim();
    case 'set':
      return t('event.set', { field: fieldLabel(checklist, action.field, lang) });
    case 'clear':
      return t('event.clear', { field: fieldLabel(checklist, action.field, lang) });
    case 'offer-declined':
      return t('event.offerDeclined', { offer: t(OFFER_KEYS[action.offer]), note: action.note }).trim();
    case 'dispute':
      return t('event.dispute', { description: action.description });
  }
}

const INCIDENT_KEYS = { 'declined-offer': 'incident.declined-offer', dispute: 'incident.dispute', 'conduct-breach': 'incident.conduct-breach' } as const;

export function incidentKindLabel(kind: string, t: Translate): string {
  return Object.hasOwn(INCIDENT_KEYS, kind) ? t(INCIDENT_KEYS[kind as Incident['kind']]) : kind;
}

/**
 * An incident's detail in words. The phone writes `offer: note` for a declined offer and `not-kept`
 * for a breach; a dispute's detail is the technician's own text.
 */
export function incidentDetail(incident: { kind: string; detail: string }, t: Translate): string {
  if (incident.kind === 'conduct-breach' && incident.detail === 'not-kept') return t('conduct.not-kept');
  if (incident.kind === 'declined-offer') {
    const [offer = '', ...note] = incident.detail.split(': ');
    if (isOfferKind(offer)) return [t(OFFER_KEYS[offer]), ...note].join(': ');
  }
  return incident.detail;
}
