import { describe, expect, it } from 'vitest';
import { ChecklistLockSchema, lockProblems, type ChecklistLock } from '../../src/domain/checklist-lock';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const lock = (...published: ChecklistLock['published']): ChecklistLock => ({ lockVersion: 1, published });
const v1 = { path: 'onsite-service/v1.json', id: 'onsite-service', version: 1, sha256: A };

describe('lockProblems', () => {
  it('finds nothing when the lock lists exactly the files there are, with their hashes', () => {
    expect(lockProblems(lock(v1), [{ path: 'onsite-service/v1.json', sha256: A }])).toEqual([]);
    expect(lockProblems(lock(), [])).toEqual([]);
  });

  it('names a published file whose bytes changed, one missing, and one never published', () => {
    expect(lockProblems(lock(v1), [{ path: 'onsite-service/v1.json', sha256: B }])).toEqual([{
      file: 'onsite-service/v1.json',
      message: `changed after it was published (its SHA-256 is ${B}, lock.json says ${A}): a published version never changes; put the change in a new version and publish a new version with \`npm run checklist:publish -- FILE\``,
    }]);
    expect(lockProblems(lock(v1), [])).toEqual([{ file: 'onsite-service/v1.json', message: 'is published in lock.json but missing: a published version is never removed' }]);
    expect(lockProblems(lock(v1), [{ path: 'onsite-service/v1.json', sha256: A }, { path: 'onsite-service/v2.json', sha256: B }])).toEqual([
      { file: 'onsite-service/v2.json', message: 'is not in lock.json: publish a new version with `npm run checklist:publish -- FILE`' },
    ]);
  });

  it('names a lock entry at the wrong path and one listed twice', () => {
    expect(lockProblems(lock({ ...v1, path: 'onsite-service/v2.json' }), [])).toEqual([
      { file: 'lock.json', message: 'the entry for onsite-service v1 names onsite-service/v2.json; it lives at onsite-service/v1.json' },
    ]);
    expect(lockProblems(lock(v1, v1), [{ path: 'onsite-service/v1.json', sha256: A }])).toEqual([{ file: 'lock.json', message: 'onsite-service/v1.json is listed twice' }]);
  });
});

describe('the lock file\'s schema', () => {
  it('takes lowercase hex SHA-256 and positive integer versions only', () => {
    expect(ChecklistLockSchema.safeParse(lock(v1)).success).toBe(true);
    expect(ChecklistLockSchema.safeParse(lock({ ...v1, sha256: A.toUpperCase() })).success).toBe(false);
    expect(ChecklistLockSchema.safeParse(lock({ ...v1, version: 0 })).success).toBe(false);
    expect(ChecklistLockSchema.safeParse({ lockVersion: 2, published: [] }).success).toBe(false);
  });
});
