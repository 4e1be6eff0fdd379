// The storage contract's parts catalog part: listed by code in byte order, saved by code (added or
// changed, unchanged parts counted in neither), removed, each change with its audit entry in the same
// transaction; run against both adapters by describeStorageContract.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogPart } from '../../src/domain/parts-catalog';
import type { NewAuditEntry } from '../../src/server/storage/account-storage';
import type { PartCounts, Storage } from '../../src/server/storage/storage';
import type { StorageFactory } from './helpers';

const T0 = '2026-03-10T08:00:00.000Z';
const entry = (action: string, target: string, details: Record<string, unknown> = {}): NewAuditEntry =>
  ({ at: T0, userId: null, userName: 'li', address: '127.0.0.1', action, target, details });

export function describePartsContract(name: string, factory: StorageFactory): void {
  describe(`storage contract, parts catalog: ${name}`, () => {
    let storage: Storage;
    const audit = async () => (await storage.listAudit({}, { before: null, limit: 100 })).entries.map((e) => ({ action: e.action, target: e.target, details: e.details })).reverse();
    const save = (parts: CatalogPart[]) => storage.saveParts(parts, T0, (counts: PartCounts) => entry('parts.imported', 'csv', { ...counts }));

    beforeEach(async () => {
      storage = await factory();
    });
    afterEach(async () => {
      await storage.close();
    });

    it('adds parts, lists them by code in byte order, and records the import with its counts', async () => {
      expect(await storage.listParts()).toEqual([]);
      const parts = [
        { code: 'b-2', name: '边刷', unit: '把' }, { code: 'B-10', name: '主刷', unit: '个' },
        { code: 'A-1', name: '滤网', unit: '' }, { code: '零-1', name: '中文编号', unit: '件' },
      ];
      expect(await save(parts)).toEqual({ created: 4, updated: 0 });
      expect((await storage.listParts()).map((p) => p.code)).toEqual(['A-1', 'B-10', 'b-2', '零-1']);
      expect(await storage.listParts()).toContainEqual({ code: 'A-1', name: '滤网', unit: '' });
      expect(await audit()).toEqual([{ action: 'parts.imported', target: 'csv', details: { created: 4, updated: 0 } }]);
    });

    it('changes the name and unit of a part by its code; a part given as it is counts in neither; a code given twice keeps the last', async () => {
      await save([{ code: 'A-1', name: '滤网', unit: '片' }, { code: 'A-2', name: '边刷', unit: '把' }]);
      expect(await save([
        { code: 'A-1', name: '滤网', unit: '片' },
        { code: 'A-2', name: '边刷（长）', unit: '把' },
        { code: 'A-3', name: '第一次', unit: '' },
        { code: 'A-3', name: '第二次', unit: '个' },
      ])).toEqual({ created: 1, updated: 1 });
      expect(await storage.listParts()).toEqual([
        { code: 'A-1', name: '滤网', unit: '片' }, { code: 'A-2', name: '边刷（长）', unit: '把' }, { code: 'A-3', name: '第二次', unit: '个' },
      ]);
      // an import that changes nothing is still recorded
      expect(await save([])).toEqual({ created: 0, updated: 0 });
      expect((await audit()).map((e) => e.details)).toEqual([{ created: 2, updated: 0 }, { created: 1, updated: 1 }, { created: 0, updated: 0 }]);
    });

    it('saves a thousand parts and more in one call', async () => {
      const many = Array.from({ length: 2500 }, (_, i) => ({ code: `P-${String(i).padStart(5, '0')}`, name: `零件 ${i}`, unit: '个' }));
      expect(await save(many)).toEqual({ created: 2500, updated: 0 });
      expect(await save(many.map((p, i) => (i % 2 === 0 ? { ...p, unit: '套' } : p)))).toEqual({ created: 0, updated: 1250 });
      expect((await storage.listParts()).length).toBe(2500);
    });

    it('removes a part with its audit entry; no such part is false, with none', async () => {
      await save([{ code: 'A-1', name: '滤网', unit: '片' }]);
      expect(await storage.removePart('A-1', entry('part.removed', 'A-1'))).toBe(true);
      expect(await storage.removePart('A-1', entry('part.removed', 'A-1'))).toBe(false);
      expect(await storage.removePart('nope', entry('part.removed', 'nope'))).toBe(false);
      expect(await storage.listParts()).toEqual([]);
      expect((await audit()).map((e) => e.action)).toEqual(['parts.imported', 'part.removed']);
    });
  });
}
