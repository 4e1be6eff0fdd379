// Which index a technician's median time on site is sought in (dashboard-query.ts).
import { describe, expect, it } from 'vitest';
import { nearestRankOffset, technicianIndexIsByDate } from '../../src/server/storage/dashboard-query';

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
