// The parts catalog on the phone, for the parts picker offline: the last one downloaded with the visits.
// Kept in the settings store under one key (a store every version of the database has), so the
// catalog needs no new database version. Checked by hand on read, without zod (the picker's chunk): a
// damaged record reads as no catalog, and the picker still takes parts typed by name.
import type { SearchablePart } from '../domain/parts-search';
import type { OnsiteDatabase } from './db';

export const PARTS_CATALOG_KEY = 'partsCatalog';

export interface StoredPartsCatalog {
  parts: SearchablePart[];
  downloadedAt: string;
}

const isPart = (value: unknown): value is SearchablePart => {
  const p = value as Partial<Record<keyof SearchablePart, unknown>> | null;
  return typeof p === 'object' && p !== null && typeof p.code === 'string' && p.code !== '' && typeof p.name === 'string' && p.name !== '' && typeof p.unit === 'string';
};

export function isStoredPartsCatalog(value: unknown): value is StoredPartsCatalog {
  const c = value as Partial<Record<keyof StoredPartsCatalog, unknown>> | null;
  return typeof c === 'object' && c !== null && typeof c.downloadedAt === 'string' && Array.isArray(c.parts) && c.parts.every(isPart);
}

/** Replaces the phone's catalog with the one downloaded (validated by the caller). */
export async function storePartsCatalog(db: OnsiteDatabase, parts: readonly SearchablePart[], now: number): Promise<void> {
  const record: StoredPartsCatalog = { parts: parts.map(({ code, name, unit }) => ({ code, name, unit })), downloadedAt: new Date(now).toISOString() };
  await db.put('settings', record, PARTS_CATALOG_KEY);
}

/** The catalog last downloaded, or null when there is none (never downloaded, an older server, a damaged record). */
export async function getPartsCatalog(db: OnsiteDatabase): Promise<StoredPartsCatalog | null> {
  const stored: unknown = await db.get('settings', PARTS_CATALOG_KEY);
  return isStoredPartsCatalog(stored) ? stored : null;
}
