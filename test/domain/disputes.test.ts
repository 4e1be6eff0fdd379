import { describe, expect, it } from 'vitest';
import { DISPUTE_OUTCOMES, disputeAgeMs, LEGACY_OUTCOME, OVERDUE_AFTER_MS, overdueReceivedBefore } from '../../src/domain/disputes';

const NOW = new Date('2026-03-11T08:00:00.000Z');

describe('a dispute\'s age', () => {
  it('runs from the form\'s receipt to now while open, and stops at the resolution', () => {
    expect(disputeAgeMs('2026-03-10T08:00:00.000Z', null, NOW)).toBe(OVERDUE_AFTER_MS);
    expect(disputeAgeMs('2026-03-10T08:00:00.000Z', '2026-03-10T09:30:00.000Z', NOW)).toBe(90 * 60_000);
  });
  it('is never negative and never NaN (a clock behind, or a time that does not parse)', () => {
    expect(disputeAgeMs('2026-03-12T00:00:00.000Z', null, NOW)).toBe(0);
    expect(disputeAgeMs('not a time', null, NOW)).toBe(0);
  });
});

describe('open for more than 24 h', () => {
  it('means received before this moment a day ago', () => {
    expect(overdueReceivedBefore(NOW)).toBe('2026-03-10T08:00:00.000Z');
  });
});

describe('the outcomes', () => {
  it('are a fixed list, and the one given to old resolutions is on it', () => {
    expect(DISPUTE_OUTCOMES).toEqual(['resolved-with-customer', 'compensated', 'no-fault', 'duplicate', 'other']);
    expect(DISPUTE_OUTCOMES).toContain(LEGACY_OUTCOME);
  });
});
