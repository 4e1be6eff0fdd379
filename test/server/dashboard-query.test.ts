// Which index a technician's median time on site is sought in, the whole months of a period and the
// bucket a percentile is sought from (dashboard-query.ts).
import { describe, expect, it } from 'vitest';
import { ON_SITE_BUCKET_MS } from '../../src/server/storage/dashboard-rollups';
import { bucketsOf, nearestRankOffset, rankSeek, splitByMonths, technicianIndexIsByDate } from '../../src/server/storage/dashboard-query';

describe('the dashboard query plan', () => {
  const span = { first: '2024-01-01', last: '2026-12-31' };
  it('seeks by date for a period holding under a tenth of the counted dates, by time on site otherwise', () => {
    expect(technicianIndexIsByDate({ from: '2025-03-01', to: '2025-03-30' }, span)).toBe(true);
    expect(technicianIndexIsByDate({ from: '2025-01-01', to: '2025-03-31' }, span)).toBe(true);
    expect(technicianIndexIsByDate({ from: '2025-01-01', to: '2025-12-31' }, span)).toBe(false);
    // only the part of the period with forms counts: a year reaching past the last form is a month of them
    expect(technicianIndexIsByDate({ from: '2026-12-01', to: '2027-11-30' }, span)).toBe(true);
    expect(technicianIndexIsByDate({ from: '2026-12-01', to: '2027-11-30' }, { first: '2026-11-01', last: '2026-12-31' })).toBe(false);
    expect(technicianIndexIsByDate({ from: '2023-01-01', to: '2023-12-31' }, span)).toBe(true);
    expect(technicianIndexIsByDate({ from: '2025-01-01', to: '2025-12-31' }, null)).toBe(true);
  });
  it('takes the nearest rank', () => {
    expect([1, 2, 3, 10].map((n) => nearestRankOffset(n, 50))).toEqual([0, 0, 1, 4]);
    expect(nearestRankOffset(10, 90)).toBe(8);
  });
});

describe('the whole months of a period', () => {
  it('cuts a period into its whole months and the days before and after them', () => {
    expect(splitByMonths('2025-01-01', '2025-12-31')).toEqual({ months: ['2025-01', '2025-12'], edges: [] });
    expect(splitByMonths('2025-01-10', '2026-01-09')).toEqual({ months: ['2025-02', '2025-12'], edges: [['2025-01-10', '2025-01-31'], ['2026-01-01', '2026-01-09']] });
    // February's last day, in a leap year and not
    expect(splitByMonths('2024-02-01', '2024-02-29')).toEqual({ months: ['2024-02', '2024-02'], edges: [] });
    expect(splitByMonths('2025-02-01', '2025-02-28')).toEqual({ months: ['2025-02', '2025-02'], edges: [] });
    expect(splitByMonths('2024-02-01', '2024-02-28')).toEqual({ months: null, edges: [['2024-02-01', '2024-02-28']] });
    // no whole month: the whole period is days
    expect(splitByMonths('2025-03-05', '2025-04-20')).toEqual({ months: null, edges: [['2025-03-05', '2025-04-20']] });
    expect(splitByMonths('2025-03-05', '2025-03-05')).toEqual({ months: null, edges: [['2025-03-05', '2025-03-05']] });
    expect(splitByMonths('2025-12-15', '2026-02-03')).toEqual({ months: ['2026-01', '2026-01'], edges: [['2025-12-15', '2025-12-31'], ['2026-02-01', '2026-02-03']] });
  });
});

describe('a percentile sought from its bucket', () => {
  const W = ON_SITE_BUCKET_MS;
  it('starts at the bucket the rank falls in and skips only the forms of that bucket before it', () => {
    // 3 forms in bucket 2, 4 in bucket 5, 3 in bucket 9: ten forms, median rank 4 (offset 4), p90 rank 9 (offset 8)
    const buckets = new Map([[9, 3], [2, 3], [5, 4]]);
    expect(rankSeek('w', 50, 10, buckets)).toEqual({ key: 'w', p: 50, offset: 1, atLeast: 5 * W });
    expect(rankSeek('w', 90, 10, buckets)).toEqual({ key: 'w', p: 90, offset: 1, atLeast: 9 * W });
    expect(rankSeek('w', 50, 1, new Map([[0, 1]]))).toEqual({ key: 'w', p: 50, offset: 0, atLeast: 0 });
    // the first form of a bucket
    expect(rankSeek('w', 50, 7, new Map([[1, 3], [4, 4]]))).toEqual({ key: 'w', p: 50, offset: 0, atLeast: 4 * W });
  });
  it('seeks from the first form when there are no buckets or they do not add up to the forms counted', () => {
    expect(rankSeek('t', 50, 10, undefined)).toEqual({ key: 't', p: 50, offset: 4, atLeast: 0 });
    expect(rankSeek('t', 50, 10, new Map([[2, 3], [5, 4]]))).toEqual({ key: 't', p: 50, offset: 4, atLeast: 0 });
    expect(rankSeek('t', 90, 10, new Map([[2, 30]]))).toEqual({ key: 't', p: 90, offset: 8, atLeast: 0 });
  });
  it('adds up rows of buckets per key', () => {
    const into = bucketsOf([{ key: 'a', bucket: 2, forms: 3 }, { key: 'b', bucket: 2, forms: '1' }]);
    bucketsOf([{ key: 'a', bucket: '2', forms: 4 }, { key: 'a', bucket: 3, forms: 1 }], into);
    expect(into).toEqual(new Map([['a', new Map([[2, 7], [3, 1]])], ['b', new Map([[2, 1]])]]));
  });
});
