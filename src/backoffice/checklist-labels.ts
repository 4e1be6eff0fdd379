// Labels of checklist items and rules, read from the checklist the phone uses, in the clerk's language.
// A form filled against another checklist version still shows: unknown ids are shown as they are.
import checklistJson from '../../checklists/onsite-service.json';
import { fieldItem, itemById, parseChecklist, prohibitionRules, ruleById, stepItem, type ChecklistRule, type FieldName, type StepName } from '../domain/checklist';
import type { Incident, VisitAction } from '../domain/form-schema';
import type { Lang, Translate } from './i18n';

export const checklist = parseChecklist(checklistJson, 'checklists/onsite-service.json');

export function knowsChecklist(ref: { id: string; version: number }): boolean {
  return ref.id === checklist.id && ref.version === checklist.version;
}

export function itemLabel(id: string, lang: Lang): string {
  return itemById(checklist, id)?.text[lang] ?? id;
}

export function ruleLabel(id: string, lang: Lang): string {
  return ruleById(checklist, id)?.text[lang] ?? id;
}

export function fieldLabel(field: FieldName, lang: Lang): string {
  return fieldItem(checklist, field).text[lang];
}

export function stepLabel(step: StepName, lang: Lang): string {
  return stepItem(checklist, step).text[lang];
}

export function prohibitions(): ChecklistRule[] {
  return prohibitionRules(checklist);
}

const OFFER_KEYS = { cigarette: 'offer.cigarette', 'food-drink': 'offer.food-drink', gift: 'offer.gift' } as const;
type OfferKind = keyof typeof OFFER_KEYS;
const isOfferKind = (text: string): text is OfferKind => Object.hasOwn(OFFER_KEYS, text);

/** One line for the time line: what the technician or the customer did. */
export function describeAction(action: VisitAction, lang: Lang, t: Translate): string {
  switch (action.type) {
    case 'tick':
      return t('event.tick', { item: itemLabel(action.item, lang) });
    case 'untick':
      return t('event.untick', { item: itemLabel(action.item, lang) });
    case 'step':
      return t('event.step', { step: stepLabel(action.step, lang) });
    case 'test':
      return t(action.passed ? 'event.testPassed' : 'event.testFailed', {
        step: stepLabel(action.by === 'technician' ? 'technician-test' : 'customer-test', lang),
        note: action.note,
      }).trim();
    case 'set':
      return t('event.set', { field: fieldLabel(action.field, lang) });
    case 'clear':
      return t('event.clear', { field: fieldLabel(action.field, lang) });
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
