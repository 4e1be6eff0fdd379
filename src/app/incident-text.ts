// An incident as the technician and the customer read it: the engine stores a declined offer's kind
// and a conduct breach's answer as codes; they are shown in the user's language.
import './i18n/screens'; // the lazily loaded screens' messages (offers, conduct) it words incidents with
import type { Checklist, ReminderItem } from '../domain/checklist';
import type { Incident } from '../domain/form-schema';
import type { I18n } from './context';

export function describeIncidentDetail(i18n: Pick<I18n, 't'>, checklist: Checklist, incident: Incident): string {
  if (incident.kind === 'conduct-breach') return i18n.t('sign.notKept');
  const reminder = checklist.items.find((item): item is ReminderItem => item.kind === 'reminder' && item.rule === incident.rule);
  const offer = reminder?.declinedOffer;
  if (incident.kind !== 'declined-offer' || !offer || !incident.detail.startsWith(offer)) return incident.detail;
  const note = incident.detail.slice(offer.length).replace(/^: /, '');
  const label = i18n.t(`offer.${offer}`);
  return note ? `${label}: ${note}` : label;
}
