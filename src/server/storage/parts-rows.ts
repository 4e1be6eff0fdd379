// The parts catalog's rows, for both adapters.
import type { CatalogPart } from '../../domain/parts-catalog';
import type { Row } from './rows';

export const partFromRow = (row: Row): CatalogPart => ({ code: String(row.code), name: String(row.name), unit: String(row.unit) });

/** The parts to save, a code given twice keeping its last; in the order first given. */
export function lastOfEachCode(parts: readonly CatalogPart[]): CatalogPart[] {
  const byCode = new Map<string, CatalogPart>();
  for (const part of parts) byCode.set(part.code, part);
  return [...byCode.values()];
}
