import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ChecklistError, fieldItem, itemById, parseChecklist, prohibitionRules, reminderFor, ruleById, stepItem,
  type Checklist, type ChecklistItem,
} from '../../src/domain/checklist';
import { ChecklistLockSchema } from '../../src/domain/checklist-lock';
import { checklist, checklistPath } from '../fixtures/visits';

const checklistsDir = new URL('../../checklists/', import.meta.url);
const brokenDir = new URL('./broken-checklists/', import.meta.url);
const readJson = (url: URL): unknown => JSON.parse(readFileSync(url, 'utf8'));

function item(id: string): ChecklistItem {
  const found = itemById(checklist, id);
  if (!found) throw new Error(`the real checklist has no item ${id}`);
  return found;
}

const idsOfRule = (list: Checklist, rule: string) => list.items.filter((i) => i.rule === rule).map((i) => i.id);

describe('the real checklist (上门服务礼仪规范)', () => {
  it('parses, with an id and a version', () => {
    expect(checklist.id).toBe('onsite-service');
    expect(checklist.version).toBe(1);
  });

  it('every published version in checklists/lock.json parses', () => {
    const lock = ChecklistLockSchema.parse(readJson(new URL('lock.json', checklistsDir)));
    expect(lock.published.map((e) => e.path)).toContain('onsite-service/v1.json');
    for (const { path } of lock.published) expect(() => parseChecklist(readJson(new URL(path, checklistsDir)), path)).not.toThrow();
  });

  it('has zh-CN and en text for its title, every rule and every item', () => {
    for (const text of [checklist.title, ...checklist.rules.map((r) => r.text), ...checklist.items.map((i) => i.text)]) {
      expect(text['zh-CN'].trim()).not.toBe('');
      expect(text.en.trim()).not.toBe('');
    }
  });

  it('dress: clean work clothes and the work ID, both required before the visit starts', () => {
    expect(ruleById(checklist, 'dress')?.group).toBe('prepare');
    expect(idsOfRule(checklist, 'dress')).toEqual(['dress.clothes', 'dress.work-id']);
    for (const id of ['dress.clothes', 'dress.work-id']) {
      expect(item(id)).toMatchObject({ phase: 'prepare', kind: 'tick', required: true });
      expect(item(id).condition).toBeUndefined();
      expect(stepItem(checklist, 'start-visit').after).toContain(id);
    }
  });

  it('the five treasures: all five items, the gift only at festivals, all before the visit starts', () => {
    const five = ['kit.toolbox', 'kit.towel', 'kit.gloves', 'kit.mat', 'kit.gift'];
    expect(idsOfRule(checklist, 'five-treasures').filter((id) => id.startsWith('kit.'))).toEqual(five);
    for (const id of five) {
      expect(item(id)).toMatchObject({ phase: 'prepare', kind: 'tick', required: true });
      expect(stepItem(checklist, 'start-visit').after).toContain(id);
    }
    expect(item('kit.gift').condition).toBe('festival');
    for (const id of five.slice(0, 4)) expect(item(id).condition).toBeUndefined();
    expect(item('kit.gift').text['zh-CN']).toContain('小礼品');
    expect(stepItem(checklist, 'start-visit').phase).toBe('prepare');
  });

  it('the greeting: hello, the introduction only on a first visit, and the customer’s account as a required field', () => {
    expect(ruleById(checklist, 'greeting')?.group).toBe('arrive');
    expect(item('greet.hello')).toMatchObject({ phase: 'arrive', kind: 'tick', required: true, after: ['step.start-visit'] });
    expect(item('greet.introduce')).toMatchObject({ phase: 'arrive', kind: 'tick', required: true, condition: 'firstVisit', after: ['greet.hello'] });
    expect(fieldItem(checklist, 'customerAccount')).toMatchObject({ id: 'greet.account', rule: 'greeting', phase: 'arrive', required: true });
    expect(item('greet.account').condition).toBeUndefined();
    expect(item('greet.account').text['zh-CN']).toContain('感谢您使用我公司的环卫设备');
  });

  it('the four prohibitions, each with its declinable offer or the dispute report', () => {
    expect(prohibitionRules(checklist).map((r) => r.id)).toEqual(['no-smoking', 'no-food', 'no-gifts', 'no-arguing']);
    expect(reminderFor(checklist, 'cigarette')).toMatchObject({ id: 'ban.smoking', rule: 'no-smoking', phase: 'repair' });
    expect(reminderFor(checklist, 'food-drink')).toMatchObject({ id: 'ban.food', rule: 'no-food', phase: 'repair' });
    expect(reminderFor(checklist, 'gift')).toMatchObject({ id: 'ban.gifts', rule: 'no-gifts', phase: 'repair' });
    expect(reminderFor(checklist, 'dispute')).toMatchObject({ id: 'ban.arguing', rule: 'no-arguing', phase: 'repair' });
    for (const rule of prohibitionRules(checklist)) expect(rule.group).toBe('four-prohibitions');
  });

  it('the three musts: gloves before the repair, the technician’s test before the customer’s, the signed form', () => {
    expect(checklist.rules.filter((r) => r.group === 'three-musts').map((r) => r.id)).toEqual(['must-gloves', 'must-test', 'must-form']);
    expect(stepItem(checklist, 'confirm-gloves')).toMatchObject({ rule: 'must-gloves', required: true });
    expect(stepItem(checklist, 'start-repair').after).toEqual(expect.arrayContaining(['greet.hello', 'greet.account', 'must.gloves']));
    expect(stepItem(checklist, 'technician-test')).toMatchObject({ rule: 'must-test', phase: 'verify', required: true, after: ['step.start-repair'] });
    expect(stepItem(checklist, 'customer-test')).toMatchObject({ rule: 'must-test', phase: 'verify', required: true, after: ['must.technician-test'] });
    const formFields = ['faultFound', 'workDone', 'customerOpinion', 'satisfaction', 'conduct', 'attestation', 'signerName', 'signature'] as const;
    for (const field of formFields) expect(fieldItem(checklist, field)).toMatchObject({ rule: 'must-form', phase: 'sign', required: true });
    expect(fieldItem(checklist, 'partsUsed').required).toBe(false);
    expect(stepItem(checklist, 'seal')).toMatchObject({ rule: 'must-form', after: ['form.signature'] });
    for (const field of formFields.filter((f) => f !== 'signature')) {
      expect(fieldItem(checklist, 'signature').after).toContain(fieldItem(checklist, field).id);
    }
  });

  it('every item belongs to a known rule, in the phase order prepare → arrive → repair → verify → sign', () => {
    const phases = checklist.items.map((i) => i.phase);
    const order = ['prepare', 'arrive', 'repair', 'verify', 'sign'];
    expect(phases.map((p) => order.indexOf(p))).toEqual([...phases.map((p) => order.indexOf(p))].sort((a, b) => a - b));
    for (const i of checklist.items) expect(ruleById(checklist, i.rule)).toBeDefined();
  });

  it('the lookups throw a clear error for what a checklist lacks', () => {
    const bare = { ...checklist, items: [] };
    expect(() => stepItem(bare, 'seal')).toThrow('checklist onsite-service v1 has no step "seal"');
    expect(() => fieldItem(bare, 'signature')).toThrow('checklist onsite-service v1 has no field "signature"');
    expect(() => reminderFor(bare, 'dispute')).toThrow('checklist onsite-service v1 has no reminder for "dispute"');
    expect(itemById(bare, 'kit.mat')).toBeUndefined();
    expect(ruleById(checklist, 'no-such-rule')).toBeUndefined();
  });
});

/** Each broken file, the exact JSON path it must be refused at and what the message must say was expected. */
const BROKEN: Array<{ file: string; path: string; message: string | RegExp }> = [
  { file: 'missing-text.json', path: 'items[3].text', message: 'expected object, got nothing' },
  { file: 'missing-en-text.json', path: 'rules[7].text.en', message: 'expected string, got nothing' },
  { file: 'unknown-phase.json', path: 'items[8].phase', message: 'expected one of "prepare", "arrive", "repair", "verify", "sign", got "lunch"' },
  { file: 'after-missing-item.json', path: 'items[12].after[4]', message: 'names item "must.helmet", which does not exist' },
  { file: 'after-cycle.json', path: 'items[3].after', message: 'order constraints form a cycle: kit.towel → kit.mat → kit.towel' },
  { file: 'duplicate-id.json', path: 'items[6].id', message: 'duplicate item id "kit.mat" (first at items[5])' },
  { file: 'unknown-rule.json', path: 'items[14].rule', message: 'unknown rule "no-drinking"' },
  { file: 'missing-step.json', path: 'items', message: 'no item of kind "step" for the step "confirm-gloves", which the visit needs' },
  { file: 'missing-field.json', path: 'items', message: 'no item of kind "field" for the field "customerOpinion", which the visit needs' },
  {
    file: 'after-later-phase.json', path: 'items[13].after[0]',
    message: '"must.technician-test" is in the later phase "verify", so "ban.smoking" (repair) could never come after it',
  },
  { file: 'unknown-field.json', path: 'items[2].colour', message: 'unknown field "colour"' },
  { file: 'version-as-string.json', path: 'version', message: /^expected (number|an integer), got "1"$/ },
  { file: 'two-dispute-reminders.json', path: 'items', message: 'expected exactly one reminder with reportsDispute, found 2' },
];

describe('a broken checklist file is refused with the file name, the JSON path and what was expected', () => {
  it('the broken folder holds exactly the files tested here', () => {
    expect(readdirSync(brokenDir).sort()).toEqual(BROKEN.map((b) => b.file).sort());
  });

  it.each(BROKEN)('$file: $path', ({ file, path, message }) => {
    let error: unknown;
    try {
      parseChecklist(readJson(new URL(file, brokenDir)), file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ChecklistError);
    const { fileName, errors, message: text } = error as ChecklistError;
    expect(fileName).toBe(file);
    const hit = errors.find((e) => e.path === path && (typeof message === 'string' ? e.message === message : message.test(e.message)));
    expect(hit, `errors were: ${JSON.stringify(errors)}`).toBeDefined();
    expect(text.split('\n')).toContain(`${file}: ${path}: ${hit!.message}`);
  });

  it('a file that is not an object at all is refused at the root', () => {
    expect(() => parseChecklist([], 'list.json')).toThrow('list.json: (root): expected object, got an array');
    expect(() => parseChecklist(null, 'null.json')).toThrow('null.json: (root): expected object, got null');
  });

  it('an item that comes after itself is refused at that constraint', () => {
    const list = structuredClone(readJson(checklistPath)) as Checklist;
    list.items[2]!.after = [list.items[2]!.id];
    expect(() => parseChecklist(list, 'self.json')).toThrow('self.json: items[2].after[0]: item "kit.toolbox" cannot come after itself');
  });

  it('an unknown item kind and a duplicate rule id are refused at their paths', () => {
    const list = structuredClone(readJson(checklistPath)) as { items: Array<Record<string, unknown>>; rules: Array<Record<string, unknown>> };
    list.items[0]!.kind = 'checkbox';
    expect(() => parseChecklist(list, 'kind.json')).toThrow(/^kind\.json: items\[0\]\.kind: /);
    const dup = structuredClone(readJson(checklistPath)) as typeof list;
    dup.rules[1]!.id = 'dress';
    expect(() => parseChecklist(dup, 'dup.json')).toThrow('dup.json: rules[1].id: duplicate rule id "dress"');
  });
});
