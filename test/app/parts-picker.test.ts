// The parts picker's rows and the form value they give: the code travels only with a catalog part, a
// row still unnamed is not saved, and saved parts come back as the same rows.
import { describe, expect, it } from 'vitest';
import { partRows, partRowsKey, partsOfRows } from '../../src/app/components/parts-picker';
import { fieldItem } from '../../src/domain/checklist';
import { valueSchema } from '../../src/domain/field-values';
import { checklist } from '../fixtures/visits';

describe('the parts picker\'s rows', () => {
  it('give the form\'s value: the catalog code only where the part has one, unnamed rows left out', () => {
    const value = partsOfRows([
      { code: 'XS-1002', name: '主刷电机碳刷', quantity: '2' },
      { name: '客户自备皮带', quantity: '1' },
      { name: '  ', quantity: '3' },
    ]);
    expect(value).toEqual([{ name: '主刷电机碳刷', quantity: 2, code: 'XS-1002' }, { name: '客户自备皮带', quantity: 1 }]);
    expect(valueSchema(fieldItem(checklist, 'partsUsed')).safeParse(value).success).toBe(true);
  });

  it('come back from saved parts as the same rows, and a code tells two rows apart', () => {
    const saved = [{ name: '碳刷', quantity: 2, code: 'XS-1002' }, { name: '皮带', quantity: 1 }];
    expect(partRows(saved)).toEqual([{ name: '碳刷', quantity: '2', code: 'XS-1002' }, { name: '皮带', quantity: '1' }]);
    expect(partsOfRows(partRows(saved))).toEqual(saved);
    expect(partRowsKey([{ name: '碳刷', quantity: '2', code: 'XS-1002' }])).not.toBe(partRowsKey([{ name: '碳刷', quantity: '2' }]));
    expect(partRows(undefined)).toEqual([]);
  });
});
