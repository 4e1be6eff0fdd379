// A refusal as a sentence: what is refused and why, then the rule that refuses it, both in the
// checklist's own words in the user's language. Every missing item is named, and the screen can show
// them apart, each as a link to the item (formatRefusalParts).
import { itemById, ruleById, type Checklist, type Locale } from '../../domain/checklist';
import type { Refusal } from '../../domain/visit-workflow';
import { translate, type MessageKey, type Params } from './index';
import './screens';

/** An item or rule id in a refusal's parameters, as the checklist words it; unknown ids stay as they are. */
function describeId(locale: Locale, checklist: Checklist, id: string): string {
  const item = itemById(checklist, id);
  if (item) return item.text[locale];
  const rule = ruleById(checklist, id);
  return rule ? rule.text[locale] : id;
}

const ID_PARAMS = new Set(['item', 'missing', 'dependent']);
const LIST_SEPARATOR: Record<Locale, string> = { 'zh-CN': '、', en: ', ' };

/** What was refused, for a log the reminder item cannot name (the item words the prohibition, not the log). */
function refusedLog(locale: Locale, refusal: Refusal): string | null {
  const { action, offer } = refusal.params;
  if (action === 'offer-declined' && typeof offer === 'string') return translate(locale, `offer.${offer}` as MessageKey);
  if (action === 'dispute') return translate(locale, 'visit.disputeSend');
  return null;
}

export interface MissingLink {
  /** the checklist item's id, to go to */
  id: string;
  label: string;
}

export interface RefusalParts {
  /** what is refused and what it waits for; with `listApart`, the missing items are counted here and listed in `missing` */
  sentence: string;
  /** the rule that refuses it */
  because: string;
  /** each missing checklist item (not a prohibition rule), in checklist order */
  missing: MissingLink[];
}

function missingIds(refusal: Refusal): readonly string[] {
  if (refusal.missing) return refusal.missing;
  return typeof refusal.params.missing === 'string' ? [refusal.params.missing] : [];
}

export function formatRefusalParts(locale: Locale, checklist: Checklist, refusal: Refusal, listApart = false): RefusalParts {
  const params: Params = {};
  for (const [name, value] of Object.entries(refusal.params)) {
    if (name === 'condition' && (value === 'festival' || value === 'firstVisit')) params[name] = translate(locale, `condition.${value}`);
    else params[name] = ID_PARAMS.has(name) && typeof value === 'string' ? describeId(locale, checklist, value) : value;
  }
  const log = refusedLog(locale, refusal);
  if (log) params.item = log;
  const ids = missingIds(refusal);
  const links = ids.filter((id) => itemById(checklist, id)).map((id) => ({ id, label: describeId(locale, checklist, id) }));
  if (ids.length > 0) {
    params.missing = listApart && links.length > 1
      ? translate(locale, 'refusal.missingBelow', { count: links.length })
      : ids.map((id) => `“${describeId(locale, checklist, id)}”`).join(LIST_SEPARATOR[locale]);
  }
  const rule = ruleById(checklist, refusal.rule);
  return {
    sentence: translate(locale, refusal.key, params),
    because: translate(locale, 'refusal.rule', { rule: rule ? rule.text[locale] : refusal.rule }),
    missing: links,
  };
}

export function formatRefusal(locale: Locale, checklist: Checklist, refusal: Refusal): string {
  const { sentence, because } = formatRefusalParts(locale, checklist, refusal);
  return `${sentence} ${because}`;
}
