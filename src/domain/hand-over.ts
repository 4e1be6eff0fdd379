// Who holds the phone at the sign phase. Handed to the customer, the phone takes only the customer's own
// answers — the field items whose side is the customer's — and refuses everything else: a technician's
// answer, a tick, a step, a test run, a log, the seal. Which answers are whose comes from the checklist.
import { itemById, reminderFor, type Checklist, type ChecklistItem, type FieldItem } from './checklist';
import { fieldItems, fieldSpec, typeItem } from './field-spec';
import type { VisitAction } from './form-schema';
import type { Decision } from './visit-workflow';

export type Holder = 'technician' | 'customer';

/** The field item a set or a clear names (by item id, or by a v1 field name), if any. */
function targetField(checklist: Checklist, action: VisitAction): FieldItem | undefined {
  if (action.type !== 'set' && action.type !== 'clear') return undefined;
  if ('item' in action) {
    const item = itemById(checklist, action.item);
    return item?.kind === 'field' ? item : undefined;
  }
  return fieldItems(checklist).find((item) => item.field === action.field);
}

/** The customer's side of this version, in checklist order: what the hand-over screen asks for. */
export function customerItems(checklist: Checklist): FieldItem[] {
  return fieldItems(checklist).filter((item) => fieldSpec(item).by === 'customer');
}

/** The technician's answers a customer signs for: every technician-side field but the technician's own attestation. */
export function summaryItems(checklist: Checklist): FieldItem[] {
  return fieldItems(checklist).filter((item) => {
    const spec = fieldSpec(item);
    return spec.by === 'technician' && spec.value.type !== 'attestation';
  });
}

const stepItem = (checklist: Checklist, step: string): ChecklistItem | undefined =>
  checklist.items.find((item) => item.kind === 'step' && item.step === step);

/** The checklist item an action (or the seal) works on, for the refusal to name. */
function actedOn(checklist: Checklist, action: VisitAction | 'seal'): ChecklistItem | undefined {
  if (action === 'seal') return stepItem(checklist, 'seal');
  switch (action.type) {
    case 'set':
    case 'clear':
      return targetField(checklist, action) ?? ('item' in action ? itemById(checklist, action.item) : undefined);
    case 'tick':
    case 'untick':
      return itemById(checklist, action.item);
    case 'step':
      return stepItem(checklist, action.step);
    case 'test':
      return stepItem(checklist, `${action.by}-test`);
    case 'offer-declined':
      return reminderFor(checklist, action.offer);
    case 'dispute':
      return reminderFor(checklist, 'dispute');
  }
}

/**
 * Whether the holder of the phone may take this action (or seal): the technician may try anything (the
 * engine decides); the customer only sets or clears an answer of their own side.
 */
export function holderMay(checklist: Checklist, holder: Holder, action: VisitAction | 'seal'): Decision {
  if (holder === 'technician') return { ok: true };
  const field = action === 'seal' ? undefined : targetField(checklist, action);
  if (field && fieldSpec(field).by === 'customer') return { ok: true };
  const item = actedOn(checklist, action);
  const params: Record<string, string> = item ? { item: item.id } : {};
  if (action !== 'seal' && action.type === 'offer-declined') Object.assign(params, { action: action.type, offer: action.offer });
  if (action !== 'seal' && action.type === 'dispute') params.action = action.type;
  return { ok: false, refusal: { key: 'refusal.handedOver', rule: item?.rule ?? typeItem(checklist, 'signature').rule, params } };
}
