// Events and incidents in the clerk's language: the domain describes them (src/domain/describe.ts),
// this only words the description, naming items and rules in the words of the form's own version.
import type { Checklist } from '../domain/checklist';
import { INCIDENT_KINDS } from '../domain/form-schema';
import { describeEvents, describeIncidents, type Description, type IncidentRecord } from '../domain/describe';
import type { VisitEvent } from '../domain/form-schema';
import { itemLabel, ruleLabel, ruleLabelInAnyVersion } from './checklist-labels';
import type { Lang, MessageKey, Translate } from './i18n';

/**
 * One description in words. `checklist` is the form's version (undefined: one this back office does
 * not know, whose ids are shown as they are); `anyVersion` names rules of a record that names no version.
 */
export function describedText(description: Description, checklist: Checklist | undefined, lang: Lang, t: Translate, anyVersion = false): string {
  const words: Record<string, string | number> = { ...description.params };
  const p = description.params as Partial<Record<string, string | number>>;
  if (typeof p.item === 'string') words.item = itemLabel(checklist, p.item, lang);
  if (typeof p.rule === 'string') words.rule = anyVersion ? ruleLabelInAnyVersion(p.rule, lang) : ruleLabel(checklist, p.rule, lang);
  if ('offer' in description.params) words.offer = t(`offer.${description.params.offer}`);
  const key: MessageKey = description.key; // tsc fails here when the domain has a key the back office has no words for
  return t(key, words).trim();
}

/** The time line: one line per event of the form. */
export function eventLines(checklist: Checklist | undefined, events: readonly VisitEvent[], lang: Lang, t: Translate): string[] {
  return describeEvents(checklist, events).map((d) => describedText(d, checklist, lang, t));
}

/** Each incident's detail, read from the events that logged them when the form's log is at hand (a dispute record has none). */
export function incidentDetails(incidents: readonly IncidentRecord[], events: readonly VisitEvent[] | undefined, checklist: Checklist | undefined, lang: Lang, t: Translate): string[] {
  return describeIncidents(incidents, events).map((d) => describedText(d, checklist, lang, t, events === undefined));
}

const isKnownKind = (kind: string): kind is (typeof INCIDENT_KINDS)[number] => (INCIDENT_KINDS as readonly string[]).includes(kind);

/** An incident's kind in words; a kind this back office does not know is shown as it came. */
export function incidentKindLabel(kind: string, t: Translate): string {
  return isKnownKind(kind) ? t(`incident.kind.${kind}`) : kind;
}
