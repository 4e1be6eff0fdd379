// What a field item takes, whether its version names it the old way (v1's `field`) or declares its
// value type: no zod here, so the phone's first load can find the signature's item without the schemas.
import type { Checklist, FieldItem, FieldName, Role, Side, ValueSpec, ValueType } from './checklist';

export interface FieldSpec {
  value: ValueSpec;
  role?: Role;
  by: Side;
}

/** What each v1 field name stands for. */
export const LEGACY_FIELDS: Record<FieldName, FieldSpec> = {
  customerAccount: { value: { type: 'long-text' }, role: 'customer-account', by: 'technician' },
  faultFound: { value: { type: 'long-text' }, role: 'fault-found', by: 'technician' },
  workDone: { value: { type: 'long-text' }, role: 'work-done', by: 'technician' },
  partsUsed: { value: { type: 'parts' }, role: 'parts-used', by: 'technician' },
  customerOpinion: { value: { type: 'long-text' }, role: 'customer-opinion', by: 'customer' },
  satisfaction: { value: { type: 'rating', max: 5 }, role: 'satisfaction', by: 'customer' },
  conduct: { value: { type: 'conduct' }, by: 'customer' },
  attestation: { value: { type: 'attestation' }, by: 'technician' },
  signerName: { value: { type: 'short-text' }, role: 'signer-name', by: 'customer' },
  signature: { value: { type: 'signature' }, by: 'customer' },
};

const CUSTOMER_TYPES: readonly ValueType[] = ['signature', 'conduct'];

/** A field item's value type, role and side, whether the version names it the old way or declares it. */
export function fieldSpec(item: FieldItem): FieldSpec {
  if (item.field !== undefined) return LEGACY_FIELDS[item.field];
  // a parsed checklist declares `value` on every field that has no name (checkFields)
  const value = item.value ?? { type: 'long-text' };
  const by = item.by ?? (CUSTOMER_TYPES.includes(value.type) ? 'customer' : 'technician');
  return item.role ? { value, role: item.role, by } : { value, by };
}

export function fieldItems(list: Checklist): FieldItem[] {
  return list.items.filter((i): i is FieldItem => i.kind === 'field');
}

/** The field with this role, if the version has one. */
export function roleItem(list: Checklist, role: Role): FieldItem | undefined {
  return fieldItems(list).find((item) => fieldSpec(item).role === role);
}

/** The field of a value type the engine needs exactly once (signature, conduct, attestation). */
export function typeItem(list: Checklist, type: 'signature' | 'conduct' | 'attestation'): FieldItem {
  const item = fieldItems(list).find((i) => fieldSpec(i).value.type === type);
  if (!item) throw new Error(`checklist ${list.id} v${list.version} has no field of type "${type}"`);
  return item;
}

/** Whether this version names its fields the old way: only such versions have forms in format 1. */
export function namesFields(list: Checklist): boolean {
  return fieldItems(list).some((item) => item.field !== undefined);
}

