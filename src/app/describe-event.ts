// One line per event for the customer copy's time line, in the reader's language, in the checklist's words.
import { fieldItem, itemById, stepItem, type Checklist, type Locale } from '../domain/checklist';
import type { VisitAction } from '../domain/form-schema';
import { translate } from './i18n';
import './i18n/screens'; // the time line's messages

export function describeAction(locale: Locale, checklist: Checklist, action: VisitAction): string {
  const t = translate.bind(null, locale);
  switch (action.type) {
    case 'tick':
    case 'untick':
      return t(`event.${action.type}`, { item: itemById(checklist, action.item)?.text[locale] ?? action.item });
    case 'step':
      return t('event.step', { item: stepItem(checklist, action.step).text[locale] });
    case 'test': {
      const result = t(action.passed ? 'test.passed' : 'test.failed');
      return t('event.test', { by: t(`test.by.${action.by}`), result }) + (action.note ? ` — ${action.note}` : '');
    }
    case 'set':
    case 'clear':
      return t(`event.${action.type}`, { item: fieldItem(checklist, action.field).text[locale] });
    case 'offer-declined':
      return t('event.offer-declined', { offer: t(`offer.${action.offer}`) }) + (action.note ? ` — ${action.note}` : '');
    case 'dispute':
      return `${t('event.dispute')} — ${action.description}`;
  }
}
