// Each value type's schema: what an answer of that type may be, and what it is refused for.
import { describe, expect, it } from 'vitest';
import { parseChecklist, type FieldItem, type ValueSpec } from '../../src/domain/checklist';
import { formAnswersSchema, valueSchema } from '../../src/domain/field-values';
import { valueTypedVersion } from '../fixtures/checklists';
import { atLoad } from '../fixtures/load';

const item = (value: ValueSpec): FieldItem => ({ id: 'x.y', rule: 'must-form', phase: 'repair', kind: 'field', required: true, after: [], value, text: { 'zh-CN': '项', en: 'Item' } });
const accepts = (value: ValueSpec, answer: unknown) => valueSchema(item(value)).safeParse(answer).success;
const options = [{ id: 'a', text: { 'zh-CN': '甲', en: 'A' } }, { id: 'b', text: { 'zh-CN': '乙', en: 'B' } }, { id: 'c', text: { 'zh-CN': '丙', en: 'C' } }];
const photo = (n: number) => ({ sha256: n.toString(16).padStart(64, '0'), byteLength: 1000, mime: 'image/jpeg', width: 1600, height: 1200 });

describe('value types', () => {
  it.each<[string, ValueSpec, unknown[], unknown[]]>([
    ['short text', { type: 'short-text' }, ['王先生', ' 有空格 '], ['', '   ', 'x'.repeat(201), 3, null, 'a\uD800']],
    ['long text', { type: 'long-text' }, ['x'.repeat(4000)], ['x'.repeat(4001), ['a']]],
    ['a number with bounds', { type: 'number', min: 0, max: 100, integer: false }, [0, 12.5, 100], [-0.1, 100.5, '12', Number.NaN, Number.POSITIVE_INFINITY, null]],
    ['a whole number', { type: 'number', integer: true }, [0, -3, 1e6], [1.5]],
    ['a single choice', { type: 'single-choice', options }, ['a', 'c'], ['d', '', ['a'], 1]],
    ['a multiple choice', { type: 'multiple-choice', options, min: 1, max: 2 }, [['a'], ['b', 'c']], [[], ['a', 'b', 'c'], ['a', 'a'], ['z'], 'a']],
    ['a rating 1–4', { type: 'rating', max: 4 }, [1, 4], [0, 5, 2.5, '3']],
    ['yes or no', { type: 'yes-no' }, [true, false], ['true', 0, null]],
    ['parts', { type: 'parts' }, [[], [{ name: '碳刷', quantity: 2 }], [{ code: 'P-001', name: '碳刷', quantity: 1 }]], [[{ name: '', quantity: 1 }], [{ name: '碳刷', quantity: 0 }], [{ name: '碳刷', quantity: 1, price: 3 }], [{ code: '', name: '碳刷', quantity: 1 }]]],
    ['a photo set of 1–2', { type: 'photos', min: 1, max: 2 }, [[photo(1)], [photo(1), photo(2)]], [[], [photo(1), photo(2), photo(3)], [photo(1), photo(1)], [{ ...photo(1), mime: 'image/gif' }], [{ ...photo(1), sha256: 'abc' }]]],
    ['a number without bounds', { type: 'number', integer: false }, [1.5, -1e9, 0], [Number.NaN, Number.NEGATIVE_INFINITY, '1']],
    ['a number with a minimum only', { type: 'number', min: 10, integer: false }, [10, 1e9], [9.99]],
    ['a multiple choice with no bounds', { type: 'multiple-choice', options }, [[], ['a', 'b', 'c']], [['a', 'b', 'c', 'a']]],
    ['the conduct confirmation', { type: 'conduct' }, [{}, { 'no-smoking': 'kept', 'no-food': 'not-kept' }], [{ 'no-smoking': 'maybe' }, ['kept'], null]],
    ['the attestation', { type: 'attestation' }, [[], ['no-smoking', 'no-food']], [['no-smoking', 'no-smoking'], Array.from({ length: 21 }, (_, i) => `rule-${i}`), 'no-smoking']],
  ])('%s', (_what, spec, good, bad) => {
    for (const answer of good) expect(accepts(spec, answer), JSON.stringify(answer)).toBe(true);
    for (const answer of bad) expect(accepts(spec, answer), JSON.stringify(answer)).toBe(false);
  });

  it('names what is wrong: a fraction for a whole number, an option or a photo or a prohibition twice', () => {
    const messageOf = (value: ValueSpec, answer: unknown) => valueSchema(item(value)).safeParse(answer).error?.issues.map((i) => i.message);
    expect(messageOf({ type: 'number', integer: true }, 1.5)).toEqual(['expected a whole number']);
    expect(messageOf({ type: 'multiple-choice', options }, ['a', 'a'])).toEqual(['expected each option at most once']);
    expect(messageOf({ type: 'photos', min: 0, max: 3 }, [photo(1), photo(1)])).toEqual(['expected each photo at most once']);
    expect(messageOf({ type: 'attestation' }, ['no-food', 'no-food'])).toEqual(['expected each prohibition at most once']);
  });

  it('builds each item\'s schema once', () => {
    const it1 = item({ type: 'rating', max: 5 });
    expect(valueSchema(it1)).toBe(valueSchema(it1));
  });
});

describe('the answers of a format-2 form under its version', () => {
  const list = atLoad('v2 with an hour meter parses', () => parseChecklist(valueTypedVersion(2, { hourMeter: true }), 'onsite-service/v2.json'), () => valueTypedVersion(2, { hourMeter: true }));
  const schema = formAnswersSchema(list);

  it('takes each field item\'s answer by id, none required by the schema (the seal requires them)', () => {
    expect(schema.safeParse({}).success).toBe(true);
    expect(schema.safeParse({ 'meter.hours': 1234.5, 'form.satisfaction': 4 }).success).toBe(true);
    expect(formAnswersSchema(list)).toBe(schema);
  });

  it('refuses an answer of the wrong type at its item\'s path, an unknown item, and the signature (which the form holds apart)', () => {
    const issues = (answers: unknown) => schema.safeParse(answers).error?.issues.map((i) => [i.code, i.path.join('/')]);
    expect(issues({ 'meter.hours': '1234' })).toEqual([['invalid_type', 'meter.hours']]);
    expect(issues({ 'form.satisfaction': 6 })).toEqual([['too_big', 'form.satisfaction']]);
    expect(issues({ 'kit.torch': true })).toEqual([['unrecognized_keys', '']]);
    expect(issues({ 'form.signature': {} })).toEqual([['unrecognized_keys', '']]);
  });
});
