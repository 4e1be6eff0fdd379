// The hand-written technician check the phone's settings use (to keep zod out of the first load) says
// exactly what TechnicianSchema says, on chosen and on random values.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TechnicianSchema } from '../../src/domain/api';
import { isTechnician } from '../../src/domain/technician';

describe('isTechnician', () => {
  it.each([
    [{ id: 'tech-1', name: '张师傅' }, true],
    [{ id: '', name: '' }, true],
    [{ name: '张师傅', id: 'tech-1' }, true],
    [{ id: 'tech-1' }, false],
    [{ id: 'tech-1', name: '张师傅', phone: '138' }, false],
    [{ id: 1, name: '张师傅' }, false],
    [{ id: 'tech-1', name: null }, false],
    [null, false],
    [[], false],
    ['tech-1', false],
    [undefined, false],
  ])('%j → %s', (value, expected) => {
    expect(isTechnician(value)).toBe(expected);
    expect(TechnicianSchema.safeParse(value).success).toBe(expected);
  });

  it('agrees with TechnicianSchema on random values', () => {
    const nearTechnician = fc.record({ id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), name: fc.oneof(fc.string(), fc.boolean()) }, { requiredKeys: [] });
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), nearTechnician, fc.record({ id: fc.string(), name: fc.string(), extra: fc.string() })), (value) => {
      expect(isTechnician(value)).toBe(TechnicianSchema.safeParse(value).success);
    }), { numRuns: 500 });
  });
});
