// The seal benchmark's visit is the tests' complete visit (one definition, test/fixtures/visit-actions.ts):
// the same actions up to the seal, so the benchmark seals the form the browser tests and the server see.
import { describe, expect, test } from 'vitest';
import { checklist, completeVisitActions, firstVisitInFestival, ordinaryDay, signatureBytes, signatureFor } from '../fixtures/visits';
import { completeVisitActions as benchVisitActions, visitNumber } from '../../bench/fixtures/seal-page/visit';
import { DispatchedVisitSchema } from '../../src/domain/api';

describe('the seal page’s visit', () => {
  test.each([['an ordinary day', ordinaryDay], ['a first visit in a festival', firstVisitInFestival]])('%s: the complete visit’s actions, without the seal', async (_, facts) => {
    const signature = await signatureFor(signatureBytes());
    expect(benchVisitActions(checklist, facts, signature)).toEqual(completeVisitActions(facts, signature).slice(0, -1));
  });

  test('its visits are valid dispatched visits', () => {
    const { source, createdAt, ...dispatched } = visitNumber(7, '2026-03-10');
    expect(DispatchedVisitSchema.safeParse(dispatched).success).toBe(true);
    expect([source, typeof createdAt]).toEqual(['device', 'string']);
  });
});
