// The interaction and seal benchmarks' statistics: percentiles, and INP-like durations from Event Timing entries.
import { describe, expect, test } from 'vitest';
import { median } from '../../bench/measurement';
import { interactionDurations, percentile, type EventTimingSample } from '../../bench/fixtures/latency-stats';

describe('percentile', () => {
  test('interpolates between the nearest ranks, whatever the order of the samples', () => {
    expect(percentile([40, 10, 30, 20], 0)).toBe(10);
    expect(percentile([40, 10, 30, 20], 100)).toBe(40);
    expect(percentile([40, 10, 30, 20], 50)).toBe(25);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 95)).toBeCloseTo(10.5);
    expect(percentile([7], 95)).toBe(7);
  });

  test('p50 is the median', () => {
    for (const values of [[3, 1, 2], [5, 1, 4, 2], [9, 9, 1, 7, 3, 3]]) expect(percentile(values, 50)).toBe(median(values));
  });

  test('no samples, or p outside 0–100, is an error saying so', () => {
    expect(() => percentile([], 50)).toThrow('percentile of no values');
    expect(() => percentile([1], 101)).toThrow('p must be between 0 and 100, got 101');
    expect(() => percentile([1], Number.NaN)).toThrow('p must be between 0 and 100, got NaN');
  });
});

describe('interactionDurations', () => {
  const entry = (name: string, duration: number, interactionId: number): EventTimingSample => ({ name, duration, interactionId });

  test('one figure per interaction: its longest entry', () => {
    const entries = [entry('pointerdown', 24, 7), entry('pointerup', 40, 7), entry('click', 32, 7), entry('pointerdown', 16, 14)];
    expect(interactionDurations(entries, 2, 16).sort()).toEqual([16, 40]);
  });

  test('entries that belong to no interaction (mousedown, pointerout: id 0) are left out', () => {
    expect(interactionDurations([entry('mousedown', 200, 0), entry('click', 24, 3)], 1, 16)).toEqual([24]);
  });

  test('an interaction that left no entry (under the threshold) counts at the threshold', () => {
    expect(interactionDurations([entry('click', 48, 5)], 3, 16)).toEqual([48, 16, 16]);
    expect(interactionDurations([], 2, 16)).toEqual([16, 16]);
  });

  test('more interactions seen than performed is an error naming both counts', () => {
    expect(() => interactionDurations([entry('click', 20, 1), entry('click', 20, 2)], 1, 16)).toThrow('2 interactions seen, but only 1 were performed');
  });
});
