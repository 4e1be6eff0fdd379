// What an event or an incident says, as data: a key with parameters, never a sentence (as a Refusal).
// Each front end only translates: it words the key in its language, names `item` and `rule` ids in
// the words of the form's own checklist version, `offer` and `by` by its words for them, and shows
// `note` (the technician's or the customer's own text), `field`, `kind` and `round` as they are.
// Pure: computed from the events and incidents and the checklist version they were recorded under.
import { fieldItem, namesFields, reminderFor, stepItem, type Checklist, type OfferKind } from './checklist';
import type { Incident, TestRun, VisitAction, VisitEvent } from './form-schema';
import { declinedOfferDetail, readDeclinedOfferDetail } from './incident-detail';

/** Every key with the parameters it carries. */
export interface DescriptionParams {
  'event.tick': { item: string };
  'event.untick': { item: string };
  'event.step': { item: string };
  'event.test-passed': { item: string; by: TestRun['by']; round: number; note: string };
  'event.test-failed': { item: string; by: TestRun['by']; round: number; note: string };
  'event.set': { item: string; field: string };
  'event.clear': { item: string; field: string };
  'event.offer-declined': { item: string; offer: OfferKind; note: string };
  'event.dispute': { item: string; note: string };
  'incident.declined-offer': { rule: string; offer: OfferKind; note: string };
  /** a declined offer whose detail names no offer kind this build knows: the detail is shown as it came */
  'incident.declined-offer-unread': { rule: string; note: string };
  'incident.dispute': { rule: string; note: string };
  'incident.conduct-breach': { rule: string };
  /** a kind this build does not know, or a breach whose detail is not the engine's: shown as it came */
  'incident.unknown': { kind: string; rule: string; note: string };
}

export type DescriptionKey = keyof DescriptionParams;
export type Description = { [K in DescriptionKey]: { key: K; params: DescriptionParams[K] } }[DescriptionKey];

/** A Record over the type: tsc fails here when a key is added to DescriptionParams and not listed. */
const KEYS: Record<DescriptionKey, true> = {
  'event.tick': true, 'event.untick': true, 'event.step': true, 'event.test-passed': true, 'event.test-failed': true,
  'event.set': true, 'event.clear': true, 'event.offer-declined': true, 'event.dispute': true,
  'incident.declined-offer': true, 'incident.declined-offer-unread': true, 'incident.dispute': true,
  'incident.conduct-breach': true, 'incident.unknown': true,
};
/** Every key the describer can produce: each front end has words for each of them, in both languages. */
export const DESCRIPTION_KEYS = Object.keys(KEYS) as DescriptionKey[];

const describe = <K extends DescriptionKey>(key: K, params: DescriptionParams[K]) => ({ key, params }) as Description;

/**
 * One event, in the round of repair it happened in. `checklist` is the version the form was filled
 * under, or undefined when this build does not know it: ids then fall back to the step's or the
 * field's name, which the front ends show as they are.
 */
export function describeAction(checklist: Checklist | undefined, action: VisitAction, round = 1): Description {
  switch (action.type) {
    case 'tick':
    case 'untick':
      return describe(`event.${action.type}`, { item: action.item });
    case 'step':
      return describe('event.step', { item: checklist ? stepItem(checklist, action.step).id : action.step });
    case 'test': {
      const step = action.by === 'technician' ? 'technician-test' : 'customer-test';
      const params = { item: checklist ? stepItem(checklist, step).id : step, by: action.by, round, note: action.note };
      return describe(action.passed ? 'event.test-passed' : 'event.test-failed', params);
    }
    case 'set':
    case 'clear':
      if ('item' in action) return describe(`event.${action.type}`, { item: action.item, field: action.item });
      return describe(`event.${action.type}`, { item: checklist && namesFields(checklist) ? fieldItem(checklist, action.field).id : action.field, field: action.field });
    case 'offer-declined':
      return describe('event.offer-declined', { item: checklist ? reminderFor(checklist, action.offer).id : action.offer, offer: action.offer, note: action.note });
    case 'dispute':
      return describe('event.dispute', { item: checklist ? reminderFor(checklist, 'dispute').id : 'dispute', note: action.description });
  }
}

/** Every event of a log, each in its round: as in the engine, a customer's failed test run starts the next one. */
export function describeEvents(checklist: Checklist | undefined, events: readonly Pick<VisitEvent, 'action'>[]): Description[] {
  let round = 1;
  return events.map(({ action }) => {
    const description = describeAction(checklist, action, round);
    if (action.type === 'test' && action.by === 'customer' && !action.passed) round += 1;
    return description;
  });
}

/** An incident as a form or a dispute record carries it; a record's kind is any text. */
export type IncidentRecord = Pick<Incident, 'rule' | 'detail' | 'at'> & { kind: string };

type OfferDeclined = VisitAction & { type: 'offer-declined' };

/**
 * The incidents of a form or a visit, each described from the event that logged it when the log is
 * there: the k-th declined offer comes from the k-th offer-declined event, when that event is the one
 * that wrote it (same time, same detail). Without the log (a dispute record) or when they disagree,
 * the detail is read instead.
 */
export function describeIncidents(incidents: readonly IncidentRecord[], events: readonly VisitEvent[] = []): Description[] {
  const offers = events.filter((event): event is VisitEvent & { action: OfferDeclined } => event.action.type === 'offer-declined');
  let k = 0;
  return incidents.map((incident) => {
    if (incident.kind !== 'declined-offer') return describeIncident(incident);
    const event = offers[k++];
    const wrote = event && event.at === incident.at && declinedOfferDetail(event.action.offer, event.action.note) === incident.detail;
    return wrote ? describe('incident.declined-offer', { rule: incident.rule, offer: event.action.offer, note: event.action.note }) : describeIncident(incident);
  });
}

/** One incident on its own, from what it carries. */
export function describeIncident(incident: IncidentRecord): Description {
  const { rule, detail } = incident;
  switch (incident.kind) {
    case 'declined-offer': {
      const read = readDeclinedOfferDetail(detail);
      return read ? describe('incident.declined-offer', { rule, ...read }) : describe('incident.declined-offer-unread', { rule, note: detail });
    }
    case 'dispute':
      return describe('incident.dispute', { rule, note: detail });
    case 'conduct-breach':
      if (detail === 'not-kept') return describe('incident.conduct-breach', { rule });
      break;
  }
  return describe('incident.unknown', { kind: incident.kind, rule, note: detail });
}
