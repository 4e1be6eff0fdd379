import { beforeAll, describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/domain/checklist';
import type { VisitAction } from '../../src/domain/form-schema';
import { describeAction } from '../../src/app/describe-event';
import { loadLocale } from '../../src/app/i18n';
import { checklist, completeVisitActions, firstVisitInFestival, signatureBytes, signatureFor } from '../fixtures/visits';


beforeAll(() => loadLocale('en'));
describe('the time line of the customer copy', () => {
  it.each(LOCALES)('describes every kind of event in %s, in the checklist\'s words, with nothing left unfilled', async (locale) => {
    const actions: VisitAction[] = [
      ...completeVisitActions(firstVisitInFestival, await signatureFor(signatureBytes())),
      { type: 'untick', item: 'kit.gift' },
      { type: 'clear', field: 'faultFound' },
      { type: 'test', by: 'customer', passed: false, note: '仍有异响' },
      { type: 'offer-declined', offer: 'food-drink', note: '茶' },
      { type: 'dispute', description: '用户认为收费过高' },
    ];
    const kinds = new Set(actions.map((a) => a.type));
    expect([...kinds].sort()).toEqual(['clear', 'dispute', 'offer-declined', 'set', 'step', 'test', 'tick', 'untick']);
    for (const action of actions) {
      const line = describeAction(locale, checklist, action);
      expect(line.trim(), JSON.stringify(action)).not.toBe('');
      expect(line, JSON.stringify(action)).not.toMatch(/\{\w+\}/);
    }
    expect(describeAction(locale, checklist, { type: 'tick', item: 'kit.gift' })).toContain(checklist.items.find((i) => i.id === 'kit.gift')!.text[locale]);
    expect(describeAction(locale, checklist, { type: 'dispute', description: '用户认为收费过高' })).toContain('用户认为收费过高');
    expect(describeAction(locale, checklist, { type: 'test', by: 'customer', passed: false, note: '仍有异响' })).toContain('仍有异响');
  });
});
