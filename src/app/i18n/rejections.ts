// Why the back office refused a form, in the technician's language: the server's rejection code and
// its parameters (src/domain/rejection.ts) worded from this table, rule ids in the checklist's own words.
// A reason without a code this app knows is shown as the server gave it: its path and message.
import { ruleById, type Checklist, type Locale } from '../../domain/checklist';
import { isRejectionCode } from '../../domain/rejection';
import type { FieldError } from '../../domain/validation-issues';
import { translate, type Params } from './index';
import './screens';

export function formatRejection(locale: Locale, checklist: Checklist, error: FieldError): string {
  const reason = error.reason;
  if (!reason || !isRejectionCode(reason.code)) return translate(locale, 'sync.reason', { path: error.path, message: error.message });
  const params: Params = { path: error.path, message: error.message, ...reason.params };
  if (reason.code === 'event-refused') {
    const rule = typeof reason.params.rule === 'string' ? ruleById(checklist, reason.params.rule) : undefined;
    params.rule = rule ? rule.text[locale] : String(reason.params.rule ?? '');
    params.step = typeof reason.params.seq === 'number' ? reason.params.seq + 1 : '?';
  }
  return translate(locale, `rejection.${reason.code}`, params);
}
