import { describe, expect, it } from 'vitest';
import { customerItems, holderMay, summaryItems } from '../../src/domain/hand-over';
import { fieldItems, fieldSpec } from '../../src/domain/field-spec';
import type { VisitAction } from '../../src/domain/form-schema';
import { checklist } from '../fixtures/visits';


describe('who holds the phone at the sign phase', () => {
  it('splits the fields by their side in the checklist: the customer answers their own, the summary is the technician\'s but the attestation', () => {
    expect(customerItems(checklist).map((item) => item.id)).toEqual(['form.opinion', 'form.satisfaction', 'form.conduct', 'form.signer-name', 'form.signature']);
    expect(summaryItems(checklist).map((item) => item.id)).toEqual(['greet.account', 'form.fault-found', 'form.work-done', 'form.parts-used']);
    // every field is on one side or the other, the attestation on neither list
    const listed = new Set([...customerItems(checklist), ...summaryItems(checklist)].map((item) => item.id));
    expect(fieldItems(checklist).filter((item) => !listed.has(item.id)).map((item) => [item.id, fieldSpec(item).by])).toEqual([['form.attestation', 'technician']]);
  });

  it('lets the technician try anything: the engine decides', () => {
    expect(holderMay(checklist, 'technician', { type: 'set', item: 'form.fault-found', value: 'x' })).toEqual({ ok: true });
    expect(holderMay(checklist, 'technician', 'seal')).toEqual({ ok: true });
  });

  it('lets the customer set and clear only their own answers, by item id or by v1 field name', () => {
    for (const action of [
      { type: 'set', item: 'form.opinion', value: '好' },
      { type: 'clear', item: 'form.signer-name' },
      { type: 'set', field: 'satisfaction', value: 5 },
      { type: 'clear', field: 'signature' },
    ] as VisitAction[]) expect(holderMay(checklist, 'customer', action), JSON.stringify(action)).toEqual({ ok: true });
  });

  it.each<[string, VisitAction | 'seal', string]>([
    ['a technician\'s answer', { type: 'set', item: 'form.fault-found', value: '改过' }, 'form.fault-found'],
    ['a technician\'s answer cleared', { type: 'clear', item: 'form.work-done' }, 'form.work-done'],
    ['a technician\'s answer by v1 name', { type: 'set', field: 'workDone', value: '改过' }, 'form.work-done'],
    ['the attestation', { type: 'set', item: 'form.attestation', value: [] }, 'form.attestation'],
    ['a tick', { type: 'untick', item: 'dress.clothes' }, 'dress.clothes'],
    ['a step', { type: 'step', step: 'start-repair' }, 'step.start-repair'],
    ['a test run', { type: 'test', by: 'customer', passed: false, note: '' }, 'must.customer-test'],
    ['a declined offer', { type: 'offer-declined', offer: 'cigarette', note: '' }, 'ban.smoking'],
    ['the seal', 'seal', 'step.seal'],
  ])('refuses the customer %s, naming the item and its rule', (_, action, itemId) => {
    const decision = holderMay(checklist, 'customer', action);
    expect(decision.ok).toBe(false);
    if (decision.ok) return;
    expect(decision.refusal.key).toBe('refusal.handedOver');
    expect(decision.refusal.params.item).toBe(itemId);
    expect(checklist.items.find((item) => item.id === itemId)!.rule).toBe(decision.refusal.rule);
  });

  it('refuses an item the checklist does not have, with a rule still named', () => {
    const decision = holderMay(checklist, 'customer', { type: 'set', item: 'no.such-item', value: 1 });
    expect(decision).toMatchObject({ ok: false, refusal: { key: 'refusal.handedOver', rule: 'must-form', params: {} } });
  });
});
