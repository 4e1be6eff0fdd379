// The forms-list filter in the URL hash: a link reproduces the view, a hand-edited one never breaks it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FormFilter } from '../../src/domain/api';
import { filterKey, filterToParams, isIsoDate, paramsToFilter } from '../../src/backoffice/form-filter';
import { parseRoute, routeHash } from '../../src/backoffice/routes';

const isoDate = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const filterArb: fc.Arbitrary<FormFilter> = fc.record({
  from: isoDate,
  to: isoDate,
  technician: fc.string({ minLength: 1, maxLength: 64 }).filter((s) => s.trim() === s && s !== ''),
  state: fc.constantFrom('accepted' as const, 'conflict' as const),
  dispute: fc.boolean(),
  satisfaction: fc.integer({ min: 1, max: 5 }),
}, { requiredKeys: [] });

describe('filter ⇄ URL hash', () => {
  it('round-trips every valid filter through the hash', () => {
    fc.assert(fc.property(filterArb, (filter) => {
      const route = parseRoute(routeHash({ page: 'forms', filter }));
      expect(route).toEqual({ page: 'forms', filter });
    }));
  });

  it('writes parameters in a fixed order, only the ones set', () => {
    expect(routeHash({ page: 'forms', filter: {} })).toBe('#/forms');
    expect(routeHash({ page: 'forms', filter: { satisfaction: 4, dispute: true, from: '2026-03-01' } })).toBe('#/forms?from=2026-03-01&dispute=true&satisfaction=4');
  });

  it('keeps dispute=false apart from no dispute filter', () => {
    expect(filterToParams({ dispute: false }).toString()).toBe('dispute=false');
    expect(paramsToFilter(new URLSearchParams('dispute=false'))).toEqual({ dispute: false });
    expect(paramsToFilter(new URLSearchParams(''))).toEqual({});
  });

  it('escapes a technician id with reserved characters', () => {
    const filter = { technician: 'a&b=c #d' };
    expect(parseRoute(routeHash({ page: 'forms', filter }))).toEqual({ page: 'forms', filter });
  });

  it('drops values that are not valid instead of guessing', () => {
    const params = new URLSearchParams('from=2026-02-30&to=yesterday&state=rejected&dispute=maybe&satisfaction=6&technician=%20%20');
    expect(paramsToFilter(params)).toEqual({});
    expect(paramsToFilter(new URLSearchParams('satisfaction=3.5'))).toEqual({});
    expect(paramsToFilter(new URLSearchParams(`technician=${'x'.repeat(65)}`))).toEqual({});
  });

  it('reads any query string without throwing, and normalizes it on the second pass', () => {
    fc.assert(fc.property(fc.string(), (query) => {
      const once = paramsToFilter(new URLSearchParams(query));
      expect(paramsToFilter(filterToParams(once))).toEqual(once);
    }));
  });

  it('gives equal keys to equal filters written in another order', () => {
    expect(filterKey(paramsToFilter(new URLSearchParams('satisfaction=2&from=2026-01-01')))).toBe(filterKey({ from: '2026-01-01', satisfaction: 2 }));
    expect(filterKey({ dispute: true })).not.toBe(filterKey({ dispute: false }));
  });
});

describe('isIsoDate', () => {
  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-3-1')).toBe(false);
    expect(isIsoDate('2026-03-01T00:00')).toBe(false);
  });
});
