// Events and incidents in the reader's language: the domain describes them (src/domain/describe.ts),
// this only words the description, naming items and rules in the words of the form's own checklist.
import { itemById, ruleById, type Checklist, type Locale } from '../domain/checklist';
import { describeEvents, describeIncidents, type Description, type IncidentRecord } from '../domain/describe';
import type { VisitEvent } from '../domain/form-schema';
import { translate, type MessageKey } from './i18n';
import './i18n/screens'; // the lazily loaded screens' messages: the descriptions' words are among them

/** One description in words; a parameter the checklist does not name is shown as it came. */
export function describedText(locale: Locale, checklist: Checklist, description: Description): string {
  const t = (key: MessageKey) => translate(locale, key);
  const words: Record<string, string | number> = { ...description.params };
  const p = description.params as Partial<Record<string, string | number>>;
  if (typeof p.item === 'string') words.item = itemById(checklist, p.item)?.text[locale] ?? p.item;
  if (typeof p.rule === 'string') words.rule = ruleById(checklist, p.rule)?.text[locale] ?? p.rule;
  if ('offer' in description.params) words.offer = t(`offer.${description.params.offer}`);
  if ('by' in description.params) words.by = t(`test.by.${description.params.by}`);
  const key: MessageKey = description.key; // tsc fails here when the domain has a key the phone has no words for
  return translate(locale, key, words).trim();
}

/** The time line: one line per event. */
export function eventLines(locale: Locale, checklist: Checklist, events: readonly VisitEvent[]): string[] {
  return describeEvents(checklist, events).map((d) => describedText(locale, checklist, d));
}

/** One line per incident, read from the events that logged them where they are at hand. */
export function incidentLines(locale: Locale, checklist: Checklist, incidents: readonly IncidentRecord[], events: readonly VisitEvent[]): string[] {
  return describeIncidents(incidents, events).map((d) => describedText(locale, checklist, d));
}
