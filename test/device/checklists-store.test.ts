import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { deviceChecklists, registryChecklists, storedChecklistRefs, storeDownloadedChecklist } from '../../src/device/checklists-store';
import { openOnsiteDB } from '../../src/device/db';
import { checklistRegistry } from '../../src/domain/checklist-registry';
import { checklist, v2WithTorch } from '../fixtures/checklists';

describe('the phone\'s checklist versions', () => {
  it('are the app\'s own and the downloaded ones; where both have a version, the app\'s wins', async () => {
    const db = await openOnsiteDB(`checklists-${crypto.randomUUID()}`);
    try {
      const v2 = v2WithTorch();
      const tampered = { ...structuredClone(checklist), title: { 'zh-CN': '下载的', en: 'downloaded' } };
      await storeDownloadedChecklist(db, tampered, 0);
      await storeDownloadedChecklist(db, v2, 0);
      expect(await storedChecklistRefs(db)).toEqual([{ id: 'onsite-service', version: 1 }, { id: 'onsite-service', version: 2 }]);
      const phone = deviceChecklists(db, async () => ({ registry: checklistRegistry([checklist]), visitChecklistId: 'onsite-service' }));
      expect(await phone.get({ id: 'onsite-service', version: 1 })).toBe(checklist);
      expect(await phone.get({ id: 'onsite-service', version: 2 })).toEqual(v2);
      expect(await phone.get({ id: 'onsite-service', version: 3 })).toBeUndefined();
      expect((await phone.newest()).version).toBe(2);
    } finally {
      db.close();
    }
  });

  it('say so, naming what there is, when there is no version of the visits\' checklist', async () => {
    const versions = registryChecklists(checklistRegistry([checklist]), 'winter-service');
    await expect(versions.newest()).rejects.toThrow('no version of checklist winter-service on this phone (it has onsite-service v1)');
  });
});
