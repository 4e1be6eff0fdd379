import { describe, expect, it } from 'vitest';
import { headerKey, VISIT_COLUMN_SPECS, VISIT_COLUMNS, visitColumnOfHeader } from '../../src/domain/visit-columns';

describe('visit columns', () => {
  it('read each header (id, Chinese name, other names) as one column only', () => {
    const seen = new Map<string, string>();
    for (const column of VISIT_COLUMNS) {
      const spec = VISIT_COLUMN_SPECS[column];
      for (const header of [column, spec.zh, ...spec.aliases]) {
        expect(seen.get(headerKey(header)), `${header} names ${seen.get(headerKey(header))} and ${column}`).toBeUndefined();
        seen.set(headerKey(header), column);
        expect(visitColumnOfHeader(header)).toBe(column);
      }
    }
  });

  it('match a header whatever its case, spaces or full-width letters', () => {
    expect(visitColumnOfHeader('CUSTOMERNAME')).toBe('customerName');
    expect(visitColumnOfHeader(' 客户 名称 ')).toBe('customerName');
    expect(visitColumnOfHeader('ｃｕｓｔｏｍｅｒＮａｍｅ')).toBe('customerName');
    expect(visitColumnOfHeader('技师ＩＤ')).toBe('technicianId');
    expect(visitColumnOfHeader('技师')).toBeNull();
    expect(visitColumnOfHeader('')).toBeNull();
  });

  it('require the columns a visit cannot do without, and only those', () => {
    expect(VISIT_COLUMNS.filter((c) => VISIT_COLUMN_SPECS[c].required)).toEqual(['technicianId', 'scheduledDate', 'firstVisit', 'customerName', 'equipmentType']);
  });
});
