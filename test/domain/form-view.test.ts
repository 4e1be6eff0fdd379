// A form's answers as its own version lays them out, whatever its format.
import { describe, expect, it } from 'vitest';
import { typeItem, type Checklist, type ChecklistItem, type ValueSpec } from '../../src/domain/checklist';
import type { FormBody, SealedFormV1, SealedFormV2, Signature, VisitAction } from '../../src/domain/form-schema';
import {
  answerCell, answerRows, conductAnswers, formAnswers, historyWords, roleAnswer, roleParts, roleText, signaturePoints,
} from '../../src/domain/form-view';
import { checklist, sealedForm, signatureBytes, signatureFor } from '../fixtures/visits';

const v2 = (await sealedForm()).form as SealedFormV2;
const v1 = (await sealedForm({ formatVersion: 1 })).form as SealedFormV1;
const signature = await signatureFor(signatureBytes());
const signatureId = typeItem(checklist, 'signature').id;
const sameAnswers = {
  'greet.account': '清扫车主刷不转，有异响。', 'form.fault-found': '主刷电机碳刷磨损', 'form.work-done': '更换碳刷，清理刷盘',
  'form.parts-used': [{ name: '碳刷', quantity: 2 }], 'form.satisfaction': 5, 'form.signer-name': '王先生',
};

describe('formAnswers', () => {
  it('format 2: the answers by item id, with the signature as the form holds it', () => {
    const answers = formAnswers(v2, checklist);
    expect(answers).toMatchObject(sameAnswers);
    expect(answers[signatureId]).toBe(v2.signature);
    expect(Object.keys(answers).sort()).toEqual([...Object.keys(v2.answers), signatureId].sort());
  });

  it('format 1: each v1-named field under its item id, fields the form lacks left out', () => {
    const answers = formAnswers(v1, checklist);
    expect(answers).toMatchObject(sameAnswers);
    expect(answers[signatureId]).toBe(v1.signature);
    const { customerOpinion: _opinion, ...withoutOpinion } = v1;
    expect(formAnswers(withoutOpinion as unknown as FormBody, checklist)).not.toHaveProperty('form.opinion');
    expect(formAnswers(v1, checklist)).toHaveProperty('form.opinion', v1.customerOpinion);
  });

  it('both formats give the same answers, the signature aside', () => {
    const { [signatureId]: _s2, ...two } = formAnswers(v2, checklist);
    const { [signatureId]: _s1, ...one } = formAnswers(v1, checklist);
    expect(one).toEqual(two);
  });
});

describe('rows and roles', () => {
  it('answerRows: every field item in checklist order, with its spec and answer (undefined when unanswered)', () => {
    const rows = answerRows(v2, checklist);
    expect(rows.map((r) => r.item.id)).toEqual(checklist.items.filter((i) => i.kind === 'field').map((i) => i.id));
    expect(rows.find((r) => r.item.id === 'form.satisfaction')).toMatchObject({ spec: { value: { type: 'rating', max: 5 }, role: 'satisfaction', by: 'customer' }, value: 5 });
    const { 'form.opinion': _o, ...rest } = v2.answers;
    expect(answerRows({ ...v2, answers: rest }, checklist).find((r) => r.item.id === 'form.opinion')!.value).toBeUndefined();
  });

  it('roleAnswer, roleText and roleParts read by role, with empty stand-ins for what is missing or not of the type', () => {
    expect(roleAnswer(v2, checklist, 'satisfaction')).toBe(5);
    expect(roleText(v2, checklist, 'fault-found')).toBe('主刷电机碳刷磨损');
    expect(roleText(v1, checklist, 'signer-name')).toBe('王先生');
    expect(roleText(v2, checklist, 'satisfaction')).toBe('');
    expect(roleParts(v2, checklist)).toEqual([{ name: '碳刷', quantity: 2 }]);
    const { 'form.parts-used': _p, ...noParts } = v2.answers;
    expect(roleParts({ ...v2, answers: noParts }, checklist)).toEqual([]);
    expect(roleParts({ ...v2, answers: { ...v2.answers, 'form.parts-used': 'not a list' } }, checklist)).toEqual([]);
    // a version without an item of the role
    const noRole: Checklist = { ...checklist, items: checklist.items.map((i): ChecklistItem => (i.id === 'form.fault-found' ? ({ ...i, field: undefined, value: { type: 'long-text' } } as ChecklistItem) : i)) };
    expect(roleAnswer(v2, noRole, 'fault-found')).toBeUndefined();
    expect(roleText(v2, noRole, 'fault-found')).toBe('');
  });

  it('conductAnswers: the conduct and the attestation, empty when the form has none', () => {
    const both = conductAnswers(v2, checklist);
    expect(Object.values(both.conduct).length).toBe(4);
    expect(new Set(Object.values(both.conduct))).toEqual(new Set(['kept']));
    expect(both.attestation).toHaveLength(4);
    expect(conductAnswers(v1, checklist)).toEqual(both);
    expect(conductAnswers({ ...v2, answers: {} }, checklist)).toEqual({ conduct: {}, attestation: [] });
  });
});

describe('signaturePoints', () => {
  const setSignature = (action: VisitAction, seq: number) => ({ seq, at: '2026-03-10T01:00:00.000Z', elapsedMs: 0, action });
  const other: Signature = { ...signature, points: [{ ...signature.points[0]!, penColor: 'blue' }] };

  it('format 1 holds them; format 2 takes them from the event that set the signature', () => {
    expect(signaturePoints(v1, checklist)).toBe(v1.signature.points);
    expect(signaturePoints(v2, checklist)).toEqual(signature.points);
  });

  it('format 2: the last set of the signature wins, by item id or by v1 name; other sets are passed over; none: no points', () => {
    const events = [
      setSignature({ type: 'set', item: signatureId, value: signature }, 0),
      setSignature({ type: 'set', field: 'signature', value: other }, 1),
      setSignature({ type: 'set', item: 'form.satisfaction', value: 5 }, 2),
      setSignature({ type: 'tick', item: 'kit.mat' }, 3),
    ];
    expect(signaturePoints({ ...v2, events }, checklist)).toEqual(other.points);
    expect(signaturePoints({ ...v2, events: [events[1]!, events[0]!, events[2]!] }, checklist)).toEqual(signature.points);
    expect(signaturePoints({ ...v2, events: events.slice(2) }, checklist)).toEqual([]);
    expect(signaturePoints({ ...v2, events: [] }, checklist)).toEqual([]);
  });
});

describe('answerCell', () => {
  const options = [{ id: 'a', text: { 'zh-CN': '甲', en: 'A' } }, { id: 'b', text: { 'zh-CN': '乙', en: 'B' } }];
  const cases: Array<[ValueSpec, unknown, 'zh-CN' | 'en', string | number | boolean]> = [
    [{ type: 'short-text' }, '王先生', 'zh-CN', '王先生'],
    [{ type: 'long-text' }, '多行\n文字', 'en', '多行\n文字'],
    [{ type: 'number', min: 0, max: 10, integer: false }, 12.5, 'en', 12.5],
    [{ type: 'rating', max: 5 }, 4, 'en', 4],
    [{ type: 'yes-no' }, false, 'en', false],
    [{ type: 'yes-no' }, true, 'en', true],
    [{ type: 'single-choice', options }, 'b', 'zh-CN', '乙'],
    [{ type: 'single-choice', options }, 'b', 'en', 'B'],
    [{ type: 'single-choice', options }, 'z', 'en', 'z'],
    [{ type: 'multiple-choice', options }, ['a', 'z', 'b'], 'en', 'A; z; B'],
    [{ type: 'parts' }, [{ code: 'CB-1', name: '碳刷', quantity: 2 }, { name: '螺丝', quantity: 10 }], 'en', 'CB-1 碳刷×2; 螺丝×10'],
    [{ type: 'photos', min: 0, max: 3 }, [{}, {}], 'en', 2],
    [{ type: 'conduct' }, { 'no-smoking': 'kept', 'no-food': 'not-kept' }, 'en', 'no-smoking:kept; no-food:not-kept'],
    [{ type: 'attestation' }, ['no-smoking', 'no-food'], 'en', 'no-smoking; no-food'],
    [{ type: 'signature' }, { sha256: 'ab'.repeat(32) }, 'en', 'ab'.repeat(32)],
    [{ type: 'short-text' }, undefined, 'en', ''],
    [{ type: 'number', min: 0, max: 10, integer: true }, null, 'en', ''],
    [{ type: 'yes-no' }, undefined, 'en', ''],
  ];

  it.each(cases)('%j of %j in %s is %j', (spec, value, lang, cell) => {
    expect(answerCell(spec, value, lang)).toStrictEqual(cell);
  });

  it('a number stored as text is written as a number', () => {
    expect(answerCell({ type: 'number', min: 0, max: 10, integer: true }, '7', 'en')).toBe(7);
  });
});

describe('historyWords: a past repair as a history shows it, from any stored JSON', () => {
  const lookup = (id: string, version: number) => (id === checklist.id && version === checklist.version ? checklist : undefined);
  const words = { faultFound: '主刷电机碳刷磨损', workDone: '更换碳刷，清理刷盘', partsUsed: [{ name: '碳刷', quantity: 2 }] };

  it('reads both formats alike', () => {
    expect(historyWords(JSON.parse(JSON.stringify(v2)), lookup)).toEqual(words);
    expect(historyWords(JSON.parse(JSON.stringify(v1)), lookup)).toEqual(words);
  });

  it('keeps only parts with a name and a quantity, and drops their other keys', () => {
    const parts = [{ code: 'X', name: '碳刷', quantity: 2 }, { name: '螺丝' }, { quantity: 1 }, null, 'x', { name: 3, quantity: 1 }, { name: '垫片', quantity: '1' }];
    expect(historyWords({ ...v1, partsUsed: parts }, lookup).partsUsed).toEqual([{ name: '碳刷', quantity: 2 }]);
  });

  it.each([
    ['null', null],
    ['a string', 'form'],
    ['an empty object', {}],
    ['format 2 of an unknown version', { ...v2, checklist: { id: 'other', version: 1 } }],
    ['format 2 without a checklist', { ...v2, checklist: undefined }],
    ['format 2 with a checklist version that is not a number', { ...v2, checklist: { id: checklist.id, version: '1' } }],
    ['format 2 with a checklist id that is not a string', { ...v2, checklist: { id: 1, version: 1 } }],
    ['format 2 without answers', { ...v2, answers: undefined }],
    ['format 2 with null answers', { ...v2, answers: null }],
    ['format 2 whose words are not text', { ...v2, answers: { ...v2.answers, 'form.fault-found': 1, 'form.work-done': ['x'], 'form.parts-used': {} } }],
    ['format 1 whose words are not text', { ...v1, faultFound: null, workDone: 2, partsUsed: 'x' }],
    // a format-2 form's answers are not read by v1 names even when they are there
    ['format 2 of an unknown version with v1 names', { ...v2, checklist: { id: 'other', version: 1 }, faultFound: 'x', workDone: 'y', partsUsed: [{ name: 'z', quantity: 1 }] }],
  ])('%s: empty words, never a throw', (_what, json) => {
    expect(historyWords(json, lookup)).toEqual({ faultFound: '', workDone: '', partsUsed: [] });
  });
});
