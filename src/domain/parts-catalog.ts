// The parts catalog the back office keeps (code, name, unit) and the phones download with their visits:
// the shape of a part on the wire and in storage, and the columns of a catalog spreadsheet (Chinese or
// English headers). Searching it on the phone is parts-search.ts (no zod, for the picker's chunk).
import { z } from 'zod/mini';
import { headerKey } from './visit-columns';

export const PART_LIMITS = { code: 64, name: 200, unit: 20, parts: 20_000 } as const;

const noNul = (s: string) => !s.includes('\u0000');
const LONE_SURROGATE = /\p{Cs}/u;
const cleanText = (max: number) => z.string().check(
  z.trim(),
  z.maxLength(max, `expected at most ${max} characters`),
  z.refine(noNul, 'contains a NUL character (U+0000)'),
  z.refine((s: string) => !LONE_SURROGATE.test(s), 'expected well-formed Unicode text, found a lone surrogate'),
);

/** A part as the catalog holds it; the code is its key (kept as typed, compared as typed). */
export const CatalogPartSchema = z.strictObject({
  code: cleanText(PART_LIMITS.code).check(z.minLength(1, 'expected a part code'), z.refine((s: string) => !/[\r\n\t]/.test(s), 'expected a code on one line, without tabs')),
  name: cleanText(PART_LIMITS.name).check(z.minLength(1, 'expected a part name')),
  unit: cleanText(PART_LIMITS.unit),
});
export type CatalogPart = z.infer<typeof CatalogPartSchema>;

/** PUT admin.parts/:code: the part's name and unit (the code is the path's). */
export const PartChangeSchema = z.strictObject({ name: CatalogPartSchema.shape.name, unit: CatalogPartSchema.shape.unit });

/** GET /api/v1/parts (the phone) and GET admin.parts (the back office): the whole catalog, by code. */
export const PartsCatalogSchema = z.strictObject({ parts: z.array(CatalogPartSchema).check(z.maxLength(PART_LIMITS.parts)) });
export type PartsCatalog = z.infer<typeof PartsCatalogSchema>;

/** POST admin.partsImport: parts added and changed, and each bad row with its row number and column header. */
export const PartsImportResultSchema = z.strictObject({
  created: z.int(),
  updated: z.int(),
  errors: z.array(z.strictObject({ row: z.int(), column: z.string(), message: z.string() })),
});
export type PartsImportResult = z.infer<typeof PartsImportResultSchema>;

export const PART_COLUMNS = ['code', 'name', 'unit'] as const;
export type PartColumn = (typeof PART_COLUMNS)[number];

export const PART_COLUMN_SPECS: Record<PartColumn, { zh: string; aliases: readonly string[]; required: boolean }> = {
  code: { zh: '零件编号', aliases: ['零件编码', '配件编号', '配件编码', '物料编码', '物料编号', '编号', '编码', 'partCode', 'part code'], required: true },
  name: { zh: '零件名称', aliases: ['配件名称', '物料名称', '名称', 'partName', 'part name'], required: true },
  unit: { zh: '单位', aliases: ['计量单位', 'uom'], required: false },
};

const COLUMN_OF_HEADER: ReadonlyMap<string, PartColumn> = new Map(
  PART_COLUMNS.flatMap((column) => [column, PART_COLUMN_SPECS[column].zh, ...PART_COLUMN_SPECS[column].aliases].map((h) => [headerKey(h), column] as const)),
);

/** The column a header names (Chinese or English, any case, full-width or not), or null. */
export function partColumnOfHeader(header: string): PartColumn | null {
  return COLUMN_OF_HEADER.get(headerKey(header)) ?? null;
}
