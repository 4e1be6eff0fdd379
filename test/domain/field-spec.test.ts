// What a field item takes, named the v1 way or declared.
import { describe, expect, it } from 'vitest';
import type { Checklist, FieldItem } from '../../src/domain/checklist';
import { fieldItems, fieldSpec, LEGACY_FIELDS, namesFields, roleItem, typeItem } from '../../src/domain/field-spec';
import { checklist } from '../fixtures/visits';

const field = (over: Partial<FieldItem>): FieldItem =>
  ({ id: 'x.field', kind: 'field', rule: 'must-form', phase: 'repair', required: false, after: [], text: { 'zh-CN': '字段', en: 'Field' }, ...over }) as FieldItem;

describe('fieldSpec', () => {
  it('a v1 name stands for its legacy spec, whatever else the item says', () => {
    expect(fieldSpec(field({ field: 'satisfaction', value: { type: 'yes-no' }, by: 'technician' }))).toBe(LEGACY_FIELDS.satisfaction);
  });

  it('a declared field: its value type, its role only when it has one, and its side', () => {
    expect(fieldSpec(field({ value: { type: 'yes-no' }, by: 'customer' }))).toStrictEqual({ value: { type: 'yes-no' }, by: 'customer' });
    expect(fieldSpec(field({ value: { type: 'short-text' }, role: 'signer-name', by: 'customer' }))).toStrictEqual({ value: { type: 'short-text' }, role: 'signer-name', by: 'customer' });
  });

  it('without a side, the signature and the conduct are the customer\'s, anything else the technician\'s', () => {
    expect(fieldSpec(field({ value: { type: 'signature' } })).by).toBe('customer');
    expect(fieldSpec(field({ value: { type: 'conduct' } })).by).toBe('customer');
    expect(fieldSpec(field({ value: { type: 'attestation' } })).by).toBe('technician');
    expect(fieldSpec(field({ value: { type: 'yes-no' } })).by).toBe('technician');
  });
});

describe('finding fields', () => {
  it('fieldItems keeps only fields, in order; roleItem finds by role or gives undefined', () => {
    expect(fieldItems(checklist).every((i) => i.kind === 'field')).toBe(true);
    expect(fieldItems(checklist).map((i) => i.id)).toEqual(checklist.items.filter((i) => i.kind === 'field').map((i) => i.id));
    expect(roleItem(checklist, 'work-done')?.id).toBe('form.work-done');
    const without: Checklist = { ...checklist, items: checklist.items.filter((i) => i.id !== 'form.work-done') };
    expect(roleItem(without, 'work-done')).toBeUndefined();
  });

  it('typeItem names the version and the type it lacks', () => {
    expect(typeItem(checklist, 'attestation').id).toBe('form.attestation');
    const without: Checklist = { ...checklist, items: checklist.items.filter((i) => !(i.kind === 'field' && fieldSpec(i).value.type === 'attestation')) };
    expect(() => typeItem(without, 'attestation')).toThrow('checklist onsite-service v1 has no field of type "attestation"');
  });

  it('namesFields: any field with a v1 name', () => {
    expect(namesFields(checklist)).toBe(true);
    expect(namesFields({ ...checklist, items: [field({ value: { type: 'yes-no' } })] })).toBe(false);
    expect(namesFields({ ...checklist, items: [field({ value: { type: 'yes-no' } }), field({ field: 'signature' })] })).toBe(true);
  });
});
