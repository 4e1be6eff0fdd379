// The parts catalog on the phone: kept under one key of the settings store (no new database version),
// replaced whole, and a damaged record read as no catalog.
import { describe, expect, it } from 'vitest';
import { getPartsCatalog, PARTS_CATALOG_KEY, storePartsCatalog } from '../../src/device/parts-catalog-store';
import { openTestDb, T0 } from '../sync/support';

describe('the parts catalog store', () => {
  it('keeps the catalog under one key of the settings store (a store of every version), replaced whole', async () => {
    const db = await openTestDb();
    expect(await getPartsCatalog(db)).toBeNull();
    await storePartsCatalog(db, [{ code: 'A-1', name: '滤网', unit: '片' }, { code: 'A-2', name: '边刷', unit: '' }], T0);
    await storePartsCatalog(db, [{ code: 'A-2', name: '边刷', unit: '把' }], T0 + 1000);
    expect(await getPartsCatalog(db)).toEqual({ parts: [{ code: 'A-2', name: '边刷', unit: '把' }], downloadedAt: new Date(T0 + 1000).toISOString() });
    expect(db.objectStoreNames.contains('settings')).toBe(true);
  });

  it('reads a damaged or foreign record as no catalog', async () => {
    const db = await openTestDb();
    for (const damaged of [null, 'x', { parts: [{ code: 1 }], downloadedAt: 'x' }, { parts: [{ code: 'A', name: '', unit: '' }], downloadedAt: 'x' }, { parts: 'none', downloadedAt: 'x' }]) {
      await db.put('settings', damaged, PARTS_CATALOG_KEY);
      expect(await getPartsCatalog(db), JSON.stringify(damaged)).toBeNull();
    }
  });
});
