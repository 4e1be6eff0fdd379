// The parts catalog's part, its answers, and the headers of a catalog spreadsheet.
import { describe, expect, it } from 'vitest';
import {
  CatalogPartSchema, PART_LIMITS, PartChangeSchema, partColumnOfHeader, PartsCatalogSchema, PartsImportResultSchema,
} from '../../src/domain/parts-catalog';

const part = { code: 'XS-1001', name: '主刷电机', unit: '台' };
const messageOf = (value: unknown) => {
  const result = CatalogPartSchema.safeParse(value);
  return result.success ? null : { path: result.error.issues[0]!.path.join('.'), message: result.error.issues[0]!.message };
};

describe('a catalog part', () => {
  it('is kept trimmed; the unit may be empty', () => {
    expect(CatalogPartSchema.parse({ code: ' XS-1001 ', name: ' 主刷电机 ', unit: ' ' })).toEqual({ code: 'XS-1001', name: '主刷电机', unit: '' });
    expect(CatalogPartSchema.parse({ code: 'x'.repeat(PART_LIMITS.code), name: 'n'.repeat(PART_LIMITS.name), unit: 'u'.repeat(PART_LIMITS.unit) })).toBeTruthy();
  });

  it.each([
    [{ code: '  ' }, 'code', 'expected a part code'],
    [{ name: '' }, 'name', 'expected a part name'],
    [{ code: 'x'.repeat(65) }, 'code', 'expected at most 64 characters'],
    [{ name: 'x'.repeat(201) }, 'name', 'expected at most 200 characters'],
    [{ unit: 'x'.repeat(21) }, 'unit', 'expected at most 20 characters'],
    [{ code: 'XS\t1001' }, 'code', 'expected a code on one line, without tabs'],
    [{ code: 'XS\n1001' }, 'code', 'expected a code on one line, without tabs'],
    [{ code: 'XS\r1001' }, 'code', 'expected a code on one line, without tabs'],
    [{ name: 'a\u0000b' }, 'name', 'contains a NUL character (U+0000)'],
    [{ unit: '\uD800' }, 'unit', 'expected well-formed Unicode text, found a lone surrogate'],
  ])('%j is refused at %s: %s', (over, path, message) => {
    expect(messageOf({ ...part, ...over })).toEqual({ path, message });
  });

  it('a name may hold a tab or a line break; a code may not', () => {
    expect(messageOf({ ...part, name: '主刷\n电机' })).toBeNull();
    expect(messageOf({ ...part, extra: 1 })).not.toBeNull();
  });

  it('a change takes a name and a unit only; the catalog is bounded; an import answers counts and rows', () => {
    expect(PartChangeSchema.parse({ name: ' 边刷 ', unit: '把' })).toEqual({ name: '边刷', unit: '把' });
    expect(PartChangeSchema.safeParse({ name: '边刷', unit: '把', code: 'X' }).success).toBe(false);
    expect(PartChangeSchema.safeParse({ name: '', unit: '把' }).success).toBe(false);
    expect(PartsCatalogSchema.safeParse({ parts: [part] }).success).toBe(true);
    expect(PartsCatalogSchema.safeParse({ parts: Array.from({ length: PART_LIMITS.parts + 1 }, () => part) }).success).toBe(false);
    expect(PartsImportResultSchema.safeParse({ created: 1, updated: 2, errors: [{ row: 3, column: '零件编号', message: 'expected a part code' }] }).success).toBe(true);
    expect(PartsImportResultSchema.safeParse({ created: 1, updated: 2 }).success).toBe(false);
  });
});

describe('the headers of a catalog spreadsheet', () => {
  it.each([
    ['code', ['code', 'CODE', '零件编号', '零件编码', '配件编号', '配件编码', '物料编码', '物料编号', '编号', '编码', 'partCode', 'part code', 'Part Code']],
    ['name', ['name', '零件名称', '配件名称', '物料名称', '名称', 'partName', 'part name']],
    ['unit', ['unit', '单位', '计量单位', 'uom', 'UOM']],
  ] as const)('%s', (column, headers) => {
    for (const header of headers) expect(partColumnOfHeader(header), header).toBe(column);
  });

  it('anything else names no column', () => {
    for (const header of ['', '数量', 'price', 'codes', '名']) expect(partColumnOfHeader(header), header).toBeNull();
  });
});
