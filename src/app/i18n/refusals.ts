// A refusal as a sentence: what is refused and why, then the rule that refuses it, both in the
// checklist's own words in the user's language.
import { itemById, ruleById, type Checklist, type Locale } from '../../domain/checklist';
import type { Refusal } from '../../domain/visit-workflow';
import { translate, type Params } from './index';
import './screens';

/** An item or rule id in a refusal's parameters, as the checklist words it; unknown ids stay as they are. */
function describeId(locale: Locale, checklist: Checklist, id: string): string {
  const item = itemById(checklist, id);
  if (item) return item.text[locale];
  const rule = ruleById(checklist, id);
  return rule ? rule.text[locale] : id;
}

const ID_PARAMS = new Set(['item', 'missing', 'dependent']);

export function formatRefusal(locale: Locale, checklist: Checklist, refusal: Refusal): string {
  const params: Params = {};
  for (const [name, value] of Object.entries(refusal.params)) {
    if (name === 'condition' && (value === 'festival' || value === 'firstVisit')) params[name] = translate(locale, `condition.${value}`);
    else params[name] = ID_PARAMS.has(name) && typeof value === 'string' ? describeId(locale, checklist, value) : value;
  }
  const rule = ruleById(checklist, refusal.rule);
  const because = translate(locale, 'refusal.rule', { rule: rule ? rule.text[locale] : refusal.rule });
  return `${translate(locale, refusal.key, params)} ${because}`;
}
