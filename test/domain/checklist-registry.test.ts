import { describe, expect, it } from 'vitest';
import { ChecklistError } from '../../src/domain/checklist';
import { ChecklistRegistryError, checklistRegistry, publishedPath, refFromPath, registryFromFiles } from '../../src/domain/checklist-registry';
import { checklist as v1, v2WithTorch } from '../fixtures/checklists';

const v2 = v2WithTorch();

describe('the checklist registry', () => {
  it('looks a version up by id and version, knows the newest of an id, and lists them in order', () => {
    const winter = { ...structuredClone(v1), id: 'winter' };
    const registry = checklistRegistry([v2, winter, v1]);
    expect(registry.get('onsite-service', 1)).toBe(v1);
    expect(registry.get('onsite-service', 2)).toBe(v2);
    expect(registry.get('onsite-service', 3)).toBeUndefined();
    expect(registry.get('winter', 2)).toBeUndefined();
    expect(registry.newest('onsite-service')).toBe(v2);
    expect(registry.newest('winter')).toBe(winter);
    expect(registry.newest('summer')).toBeUndefined();
    expect(registry.versions()).toEqual([{ id: 'onsite-service', version: 1 }, { id: 'onsite-service', version: 2 }, { id: 'winter', version: 1 }]);
    expect(registry.all()).toEqual([v1, v2, winter]);
    expect(registry.describe()).toBe('onsite-service v1, onsite-service v2, winter v1');
    expect(checklistRegistry([]).describe()).toBe('no checklist');
  });

  it('refuses the same id and version twice', () => {
    expect(() => checklistRegistry([v1, structuredClone(v1)])).toThrow(new ChecklistRegistryError('onsite-service/v1.json', 'onsite-service v1 is there twice'));
  });
});

describe('published paths', () => {
  it('are <id>/v<version>.json, read back from a bare or a longer path', () => {
    expect(publishedPath({ id: 'onsite-service', version: 12 })).toBe('onsite-service/v12.json');
    expect(refFromPath('onsite-service/v12.json')).toEqual({ id: 'onsite-service', version: 12 });
    expect(refFromPath('../../checklists/onsite-service/v1.json')).toEqual({ id: 'onsite-service', version: 1 });
    for (const bad of ['onsite-service.json', 'onsite-service/v0.json', 'onsite-service/v01.json', 'onsite-service/1.json', 'Onsite/v1.json', 'onsite-service/v1.json.bak']) {
      expect(refFromPath(bad), bad).toBeNull();
    }
  });
});

describe('registryFromFiles', () => {
  it('parses each file under its path', () => {
    const registry = registryFromFiles({ '../../checklists/onsite-service/v1.json': structuredClone(v1), '../../checklists/onsite-service/v2.json': structuredClone(v2) });
    expect(registry.versions()).toEqual([{ id: 'onsite-service', version: 1 }, { id: 'onsite-service', version: 2 }]);
  });

  it('refuses a file whose id or version is not its path\'s, and a path that is not a version\'s, naming the file', () => {
    expect(() => registryFromFiles({ 'x/onsite-service/v2.json': v1 })).toThrow('onsite-service/v2.json: the file says onsite-service v1, its path says onsite-service v2');
    expect(() => registryFromFiles({ 'x/winter/v1.json': v1 })).toThrow('winter/v1.json: the file says onsite-service v1, its path says winter v1');
    expect(() => registryFromFiles({ 'x/onsite-service.json': v1 })).toThrow('x/onsite-service.json: a published checklist lives at <id>/v<version>.json');
  });

  it('refuses a file that is not a valid checklist, naming the file and the path inside it', () => {
    const error = (() => {
      try {
        registryFromFiles({ 'onsite-service/v2.json': { ...v2, title: null } });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ChecklistError);
    expect((error as Error).message).toMatch(/^onsite-service\/v2\.json: title: /);
  });
});
