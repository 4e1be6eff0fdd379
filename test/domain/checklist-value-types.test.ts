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

describe('what every version is refused for, whatever its fields', () => {
  const v1 = (): Checklist => structuredClone(checklist);
  const at = (list: Checklist, id: string) => indexOf(list, id);

  it('a declined-offer reminder missing or twice, naming the offer and the count', () => {
    const reminder = checklist.items.find((i) => i.kind === 'reminder' && i.declinedOffer === 'gift')!;
    expect(errorsOf({ ...v1(), items: v1().items.filter((i) => i.id !== reminder.id) })).toEqual(['items: expected exactly one reminder with declinedOffer "gift", found 0']);
    const twice = v1();
    twice.items.push({ ...structuredClone(reminder), id: 'ban.gifts-again' });
    expect(errorsOf(twice)).toEqual(['items: expected exactly one reminder with declinedOffer "gift", found 2']);
  });

  it('a step or a v1 field twice, at the second, naming the first', () => {
    const steps = v1();
    const seal = steps.items[at(steps, 'step.seal')]!;
    steps.items.push({ ...structuredClone(seal), id: 'step.seal-again', after: [] });
    expect(errorsOf(steps)).toEqual([`items[${steps.items.length - 1}].step: the step "seal" appears more than once (first at items[${at(steps, 'step.seal')}])`]);
    const fields = v1();
    const opinion = fields.items[at(fields, 'form.opinion')]!;
    fields.items.push({ ...structuredClone(opinion), id: 'form.opinion-again', after: [] });
    expect(errorsOf(fields)).toEqual([`items[${fields.items.length - 1}].field: the field "customerOpinion" appears more than once (first at items[${at(fields, 'form.opinion')}])`]);
  });

  it('a v1-named field with only a role, or only a side, is refused as well as one with a value type', () => {
    for (const extra of [{ role: 'work-done' }, { by: 'technician' }]) {
      const list = v1();
      Object.assign(list.items[at(list, 'form.work-done')]!, extra);
      expect(errorsOf(list), JSON.stringify(extra)).toEqual([`items[${at(list, 'form.work-done')}]: "form.work-done" names the field "workDone", which already fixes its value type, role and side: remove "value", "role" and "by"`]);
    }
  });

  it('a cycle reached from outside it names only the cycle, in order', () => {
    const list = v1();
    // dress.work-id after kit.toolbox after kit.towel after kit.toolbox: the cycle is toolbox ↔ towel
    list.items[at(list, 'kit.toolbox')]!.after = ['kit.towel'];
    list.items[at(list, 'kit.towel')]!.after = ['kit.toolbox'];
    list.items[at(list, 'dress.work-id')]!.after = ['kit.toolbox'];
    const errors = errorsOf(list).filter((e) => e.includes('cycle'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^items\[\d+\]\.after: order constraints form a cycle: (kit\.toolbox → kit\.towel → kit\.toolbox|kit\.towel → kit\.toolbox → kit\.towel)$/);
    expect(errors[0]).not.toContain('dress.work-id');
  });

  it('value-type bounds: a multiple choice whose min is above its max; equal bounds and one-sided ones are fine', () => {
    const options = [{ id: 'a', text: { 'zh-CN': '甲', en: 'A' } }, { id: 'b', text: { 'zh-CN': '乙', en: 'B' } }];
    const set = (value: unknown) => errorsOf(withItem(typed(), 'meter.hours', (i) => { i.value = value; }));
    expect(set({ type: 'multiple-choice', min: 2, max: 1, options }).join('\n')).toContain('min 2 is above max 1');
    for (const value of [
      { type: 'multiple-choice', min: 2, max: 2, options }, { type: 'multiple-choice', min: 2, options }, { type: 'multiple-choice', max: 2, options },
      { type: 'number', min: 3, max: 3, integer: true }, { type: 'number', min: 5, integer: true }, { type: 'number', max: 1, integer: true },
      { type: 'photos', min: 2, max: 2 },
    ]) expect(set(value), JSON.stringify(value)).toEqual([]);
  });

  it('a role takes the value types it allows: the signer\'s name is short text only, the account either text', () => {
    const role = (id: string, role: string, type: string) => errorsOf(withItem(typed(), id, (i) => { i.role = role; i.value = { type }; }));
    expect(role('form.signer-name', 'signer-name', 'long-text')).toEqual([`items[${indexOf(typed(), 'form.signer-name')}].role: the role "signer-name" takes a value of type short-text, not "long-text"`]);
    expect(role('greet.account', 'customer-account', 'short-text')).toEqual([]);
    expect(role('form.parts-used', 'parts-used', 'long-text').join('\n')).toContain('the role "parts-used" takes a value of type parts, not "long-text"');
    expect(role('form.satisfaction', 'satisfaction', 'yes-no').join('\n')).toContain('the role "satisfaction" takes a value of type rating, not "yes-no"');
  });
});
