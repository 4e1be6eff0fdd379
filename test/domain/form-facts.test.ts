import { describe, expect, it } from 'vitest';
import type { VisitAction } from '../../src/domain/form-schema';
import { formFacts } from '../../src/domain/form-facts';
import { sealForm } from '../../src/domain/seal';
import { buildFormBody } from '../../src/domain/service-form';
import { createVisit } from '../../src/domain/visit-workflow';
import { checklist, completeVisitActions, fakeClock, header, ordinaryDay, run, signatureBytes, signatureFor } from '../fixtures/visits';

async function formWith(edit: (actions: VisitAction[]) => VisitAction[]) {
  const bytes = signatureBytes(1);
  const state = run(createVisit(checklist, ordinaryDay), edit(completeVisitActions(ordinaryDay, await signatureFor(bytes))), fakeClock());
  return sealForm(buildFormBody(state, header()), bytes);
}

const insertBefore = (actions: VisitAction[], test: (a: VisitAction) => boolean, ...more: VisitAction[]) => {
  const at = actions.findIndex(test);
  return [...actions.slice(0, at), ...more, ...actions.slice(at)];
};

describe('formFacts', () => {
  it('reads a sealed form: serial, a first test that passed, arrival to seal on the visit clock, one declined cigarette', async () => {
    const form = await formWith((a) => a);
    const arrival = form.events.find((e) => e.action.type === 'step' && e.action.step === 'start-visit')!;
    expect(formFacts(form)).toEqual({
      equipmentSerial: 'SN-123456',
      firstTestFailed: false,
      onSiteMs: form.sealedElapsedMs - arrival.elapsedMs,
      declinedOffers: { cigarette: 1, 'food-drink': 0, gift: 0 },
    });
    expect(formFacts(form).onSiteMs).toBeGreaterThan(0);
  });

  it('sees a failed first technician test run, and counts each declined offer by kind', async () => {
    const form = await formWith((actions) => insertBefore(actions, (a) => a.type === 'test' && a.by === 'technician',
      { type: 'offer-declined', offer: 'food-drink', note: '' },
      { type: 'offer-declined', offer: 'food-drink', note: '茶' },
      { type: 'offer-declined', offer: 'gift', note: '' },
      { type: 'test', by: 'technician', passed: false, note: '仍有异响' }));
    expect(formFacts(form)).toMatchObject({ firstTestFailed: true, declinedOffers: { cigarette: 1, 'food-drink': 2, gift: 1 } });
  });

  it('gives empty facts for anything that is not a form, without throwing', () => {
    const none = { equipmentSerial: '', firstTestFailed: false, onSiteMs: null, declinedOffers: { cigarette: 0, 'food-drink': 0, gift: 0 } };
    for (const input of [null, undefined, 'text', 42, [], {}, { equipment: 'x', testRuns: 'y', events: {} }, { events: [null, 1, { action: null }] }]) {
      expect(formFacts(input)).toEqual(none);
    }
  });

  it('leaves the time on site unknown when the arrival is missing, negative or after the seal', () => {
    const events = (elapsedMs: unknown) => [{ elapsedMs, action: { type: 'step', step: 'start-visit' } }];
    expect(formFacts({ events: events(5000), sealedElapsedMs: 9000 }).onSiteMs).toBe(4000);
    expect(formFacts({ events: events(-1), sealedElapsedMs: 9000 }).onSiteMs).toBeNull();
    expect(formFacts({ events: events('5000'), sealedElapsedMs: 9000 }).onSiteMs).toBeNull();
    expect(formFacts({ events: events(9500), sealedElapsedMs: 9000 }).onSiteMs).toBeNull();
    expect(formFacts({ events: [], sealedElapsedMs: 9000 }).onSiteMs).toBeNull();
    expect(formFacts({ events: [{ action: { type: 'offer-declined', offer: 'bribe' } }] }).declinedOffers).toEqual({ cigarette: 0, 'food-drink': 0, gift: 0 });
  });
});
