import { describe, expect, it } from 'vitest';
import { searchParts } from '../../src/domain/parts-search';

const CATALOG = [
  { code: 'XS-1002', name: '主刷电机碳刷', unit: '个' },
  { code: 'XS-1001', name: '主刷电机', unit: '台' },
  { code: 'VP-0007', name: '真空泵密封圈', unit: '个' },
  { code: 'BR-0100', name: '边刷', unit: '把' },
  { code: 'A-XS10', name: '滤网', unit: '片' },
];
const codes = (query: string, limit?: number) => searchParts(CATALOG, query, limit).map((p) => p.code);

describe('searching the parts catalog', () => {
  it('finds by code, the exact code first, then codes beginning with it, then codes holding it', () => {
    expect(codes('XS-1001')).toEqual(['XS-1001']);
    expect(codes('xs-10')).toEqual(['XS-1001', 'XS-1002', 'A-XS10']);
    // the separators codes are written with do not count: typed without the dash, still found
    expect(codes('xs1001')).toEqual(['XS-1001']);
    expect(codes('axs10')).toEqual(['A-XS10']);
    expect(codes('ｘｓ－１００２')).toEqual(['XS-1002']);
  });

  it('finds by name, names beginning with the query before names holding it', () => {
    expect(codes('主刷')).toEqual(['XS-1001', 'XS-1002']);
    expect(codes('密封')).toEqual(['VP-0007']);
    expect(codes('刷')).toEqual(['BR-0100', 'XS-1001', 'XS-1002']);
    expect(codes('电机 碳刷')).toEqual(['XS-1002']);
  });

  it('finds nothing for a blank query or one nothing holds, and at most `limit`', () => {
    expect(codes('')).toEqual([]);
    expect(codes('  ')).toEqual([]);
    expect(codes('轮胎')).toEqual([]);
    expect(codes('刷', 2)).toEqual(['BR-0100', 'XS-1001']);
  });

  it('gives at most 8 by default, by code within a rank; every separator codes are written with is ignored', () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ code: `P-${String(9 - i).padStart(2, '0')}`, name: '垫片', unit: '个' }));
    expect(searchParts(many, '垫片').map((p) => p.code)).toEqual(['P-00', 'P-01', 'P-02', 'P-03', 'P-04', 'P-05', 'P-06', 'P-07']);
    const written = [{ code: 'AB_1.2/3', name: 'x', unit: '个' }, { code: 'AB 1 2 3', name: 'y', unit: '个' }];
    expect(searchParts(written, 'ab123').map((p) => p.name)).toEqual(['y', 'x']);
    expect(searchParts(written, 'AB-1/2_3').map((p) => p.name)).toEqual(['y', 'x']);
    // the same code twice: both kept, in catalog order
    const twice = [{ code: 'Q-1', name: 'first', unit: '个' }, { code: 'Q-1', name: 'second', unit: '个' }];
    expect(searchParts(twice, 'q1').map((p) => p.name)).toEqual(['first', 'second']);
  });
});
