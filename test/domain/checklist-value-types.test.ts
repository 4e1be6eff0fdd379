// Field items that declare their value type (every version after v1): what a version may declare, and
// what it is refused for, each refusal naming the file, the path and what is wrong.
import { describe, expect, it } from 'vitest';
import {
  ChecklistError, fieldItems, fieldSpec, LEGACY_FIELDS, namesFields, parseChecklist, roleItem, typeItem, type Checklist, type ChecklistItem,
} from '../../src/domain/checklist';
import { checklist, valueTypedVersion } from '../fixtures/checklists';

const FILE = 'onsite-service/v2.json';

/** The errors parsing gives, as "path: message" lines. */
function errorsOf(json: unknown): string[] {
  try {
    parseChecklist(json, FILE);
  } catch (error) {
    if (error instanceof ChecklistError) {
      expect(error.fileName).toBe(FILE);
      return error.errors.map((e) => `${e.path}: ${e.message}`);
    }
    throw error;
  }
  return [];
}

const typed = (): Checklist => valueTypedVersion(2, { hourMeter: true });
const indexOf = (list: Checklist, id: string) => list.items.findIndex((i) => i.id === id);
function withItem(list: Checklist, id: string, change: (item: Record<string, unknown>) => void): Checklist {
  const copy = structuredClone(list);
  change(copy.items[indexOf(copy, id)] as unknown as Record<string, unknown>);
  return copy;
}

describe('a version whose fields declare their value types', () => {
  it('parses, and its fields have the value types, roles and sides v1 names imply', () => {
    const list = parseChecklist(typed(), FILE);
    expect(namesFields(list)).toBe(false);
    expect(namesFields(checklist)).toBe(true);
    for (const item of fieldItems(checklist)) {
      const same = fieldItems(list).find((i) => i.id === item.id)!;
      expect(fieldSpec(same), item.id).toEqual(LEGACY_FIELDS[item.field!]);
    }
    expect(fieldSpec(fieldItems(list).find((i) => i.id === 'meter.hours')!)).toEqual({
      value: { type: 'number', unit: { 'zh-CN': '小时', en: 'hours' }, min: 0, max: 100000, integer: false }, by: 'technician',
    });
    expect(roleItem(list, 'satisfaction')?.id).toBe('form.satisfaction');
    expect(roleItem(list, 'customer-account')?.id).toBe('greet.account');
    expect(typeItem(list, 'signature').id).toBe('form.signature');
  });

  it('a side left out is the customer\'s for the signature and the conduct confirmation, else the technician\'s', () => {
    const list = parseChecklist(withItem(withItem(typed(), 'form.conduct', (i) => delete i.by), 'meter.hours', (i) => delete i.by), FILE);
    expect(fieldSpec(fieldItems(list).find((i) => i.id === 'form.conduct')!).by).toBe('customer');
    expect(fieldSpec(fieldItems(list).find((i) => i.id === 'meter.hours')!).by).toBe('technician');
  });

  it.each<[string, (list: Checklist) => Checklist, string]>([
    ['a field without a value type', (l) => withItem(l, 'meter.hours', (i) => delete i.value), 'items[SIX].value: the field "meter.hours" declares no value type'],
    ['a v1 field name among declared types', (l) => withItem(l, 'meter.hours', (i) => { delete i.value; i.field = 'faultFound'; }), 'has no "field" name, but this version names its fields the old way'],
    ['a role twice', (l) => withItem(l, 'meter.hours', (i) => { i.role = 'fault-found'; i.value = { type: 'long-text' }; }), 'the role "fault-found" appears more than once'],
    ['a role on a value of another type', (l) => withItem(l, 'meter.hours', (i) => { i.role = 'work-done'; }), 'the role "work-done" takes a value of type short-text or long-text, not "number"'],
    ['no satisfaction', (l) => withItem(l, 'form.satisfaction', (i) => delete i.role), 'no field has the role "satisfaction", which the back office needs'],
    ['no signature', (l) => withItem(l, 'form.signature', (i) => { i.value = { type: 'yes-no' }; }), 'no field of value type "signature", which the visit needs'],
    ['a second conduct confirmation', (l) => withItem(l, 'meter.hours', (i) => { i.value = { type: 'conduct' }; }), 'the value type "conduct" appears more than once'],
    ['a number whose min is above its max', (l) => withItem(l, 'meter.hours', (i) => { i.value = { type: 'number', min: 5, max: 1, integer: true }; }), 'min 5 is above max 1'],
    ['a photo set whose min is above its max', (l) => withItem(l, 'meter.hours', (i) => { i.value = { type: 'photos', min: 3, max: 2 }; }), 'min 3 is above max 2'],
    ['a choice with one option', (l) => withItem(l, 'meter.hours', (i) => { i.value = { type: 'single-choice', options: [{ id: 'a', text: { 'zh-CN': '甲', en: 'A' } }] }; }), 'value.options'],
    ['an option twice', (l) => withItem(l, 'meter.hours', (i) => { i.value = { type: 'single-choice', options: [{ id: 'a', text: { 'zh-CN': '甲', en: 'A' } }, { id: 'a', text: { 'zh-CN': '乙', en: 'B' } }] }; }), 'duplicate option id "a"'],
    ['more to pick than there are options', (l) => withItem(l, 'meter.hours', (i) => { i.value = { type: 'multiple-choice', max: 3, options: [{ id: 'a', text: { 'zh-CN': '甲', en: 'A' } }, { id: 'b', text: { 'zh-CN': '乙', en: 'B' } }] }; }), 'max 3 is more than the 2 options'],
    ['a rating out of 1', (l) => withItem(l, 'meter.hours', (i) => { i.value = { type: 'rating', max: 1 }; }), 'value.max'],
    ['an unknown value type', (l) => withItem(l, 'meter.hours', (i) => { i.value = { type: 'slider' }; }), 'value.type'],
    ['an unknown side', (l) => withItem(l, 'meter.hours', (i) => { i.by = 'dispatcher'; }), '.by'],
  ])('refuses %s, naming where', (_what, change, expected) => {
    const list = change(typed());
    const errors = errorsOf(list).join('\n').replaceAll(`items[${indexOf(list, 'meter.hours')}]`, 'items[SIX]');
    expect(errors).toContain(expected);
  });

  it('refuses a v1 field that also declares what its name already fixes', () => {
    const list = structuredClone(checklist) as Checklist;
    const i = indexOf(list, 'form.fault-found');
    (list.items[i] as ChecklistItem & { value?: unknown }).value = { type: 'short-text' };
    expect(errorsOf(list)).toEqual([`items[${i}]: "form.fault-found" names the field "faultFound", which already fixes its value type, role and side: remove "value", "role" and "by"`]);
  });
});
