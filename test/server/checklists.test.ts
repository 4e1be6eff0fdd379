// The published checklists as the server loads them: checklists/lock.json lists every version file
// with its bytes' SHA-256, and the server refuses to start, naming the file, on any disagreement.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadChecklists, PublishedChecklistsError, sha256OfBytes } from '../../src/server/checklists';
import { REPO_ROOT } from '../../src/server/config';
import { CHECKLISTS_DIR, tempChecklistsDir } from '../fixtures/checklists';

const temps: Array<{ remove(): void }> = [];
afterEach(() => temps.splice(0).forEach((t) => t.remove()));

function copyOfReal(): string {
  const temp = tempChecklistsDir();
  temps.push(temp);
  return temp.dir;
}

function problemsOf(dir: string): string[] {
  try {
    loadChecklists(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(PublishedChecklistsError);
    return (error as PublishedChecklistsError).problems.map((p) => `${p.file}: ${p.message}`);
  }
  throw new Error('the checklists loaded');
}

const lockOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'lock.json'), 'utf8')) as { published: Array<Record<string, unknown>> };
const writeLock = (dir: string, lock: unknown) => writeFileSync(join(dir, 'lock.json'), JSON.stringify(lock));

describe('the published checklists in checklists/', () => {
  it('load: every version in the lock, each file unchanged since it was published', () => {
    const registry = loadChecklists(CHECKLISTS_DIR);
    expect(registry.versions()).toContainEqual({ id: 'onsite-service', version: 1 });
    expect(registry.get('onsite-service', 1)?.title.en).toBe('On-site service etiquette');
    const lock = lockOf(CHECKLISTS_DIR);
    expect(lock.published.map((e) => e.path)).toEqual(registry.versions().map((r) => `${r.id}/v${r.version}.json`));
  });

  it('v1 is the file forms were sealed against before versions had their own files, byte for byte', () => {
    expect(sha256OfBytes(readFileSync(join(CHECKLISTS_DIR, 'onsite-service/v1.json')))).toBe('fe73a8e265dad8462bc59575705127537cadef4818c74552e6448534d705dfe6');
  });
});

describe('loading refuses, naming the file', () => {
  it('a published version edited in place', () => {
    const dir = copyOfReal();
    const file = join(dir, 'onsite-service/v1.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"required": true', '"required": false'));
    const [problem, ...more] = problemsOf(dir);
    expect(more).toEqual([]);
    expect(problem).toMatch(/^onsite-service\/v1\.json: changed after it was published \(its SHA-256 is [0-9a-f]{64}, lock\.json says fe73a8e2/);
    expect(problem).toContain('put the change in a new version');
  });

  it('a version file that is not in the lock', () => {
    const dir = copyOfReal();
    copyFileSync(join(dir, 'onsite-service/v1.json'), join(dir, 'onsite-service/v2.json'));
    expect(problemsOf(dir)).toEqual(['onsite-service/v2.json: is not in lock.json: publish a new version with `npm run checklist:publish -- FILE`']);
  });

  it('a version the lock names whose file is gone', () => {
    const dir = copyOfReal();
    rmSync(join(dir, 'onsite-service/v1.json'));
    expect(problemsOf(dir)).toEqual(['onsite-service/v1.json: is published in lock.json but missing: a published version is never removed']);
  });

  it('a file whose id or version disagrees with its path', () => {
    const dir = copyOfReal();
    const bytes = readFileSync(join(dir, 'onsite-service/v1.json'));
    writeFileSync(join(dir, 'onsite-service/v2.json'), bytes);
    const lock = lockOf(dir);
    writeLock(dir, { ...lock, published: [...lock.published, { path: 'onsite-service/v2.json', id: 'onsite-service', version: 2, sha256: sha256OfBytes(bytes) }] });
    expect(problemsOf(dir)).toEqual(['onsite-service/v2.json: the file says onsite-service v1, its path says onsite-service v2']);
  });

  it('a lock entry whose path is not where its id and version live, or listed twice', () => {
    const dir = copyOfReal();
    const lock = lockOf(dir);
    writeLock(dir, { ...lock, published: [...lock.published, lock.published[0], { ...lock.published[0], version: 2 }] });
    expect(problemsOf(dir)).toEqual([
      'lock.json: onsite-service/v1.json is listed twice',
      'lock.json: the entry for onsite-service v2 names onsite-service/v1.json; it lives at onsite-service/v2.json',
    ]);
  });

  it('a published file that is not a valid checklist, at the path inside it', () => {
    const dir = copyOfReal();
    mkdirSync(join(dir, 'winter'));
    const bytes = Buffer.from(JSON.stringify({ id: 'winter', version: 1 }));
    writeFileSync(join(dir, 'winter/v1.json'), bytes);
    const lock = lockOf(dir);
    writeLock(dir, { ...lock, published: [...lock.published, { path: 'winter/v1.json', id: 'winter', version: 1, sha256: sha256OfBytes(bytes) }] });
    expect(problemsOf(dir)).toContain('winter/v1.json: title: expected object, got nothing');
  });

  it('a checklist file outside the layout: at the top, or not named v<version>.json', () => {
    const dir = copyOfReal();
    copyFileSync(join(dir, 'onsite-service/v1.json'), join(dir, 'onsite-service.json'));
    copyFileSync(join(dir, 'onsite-service/v1.json'), join(dir, 'onsite-service/draft.json'));
    expect(problemsOf(dir)).toEqual([
      'onsite-service/draft.json: is not a version file: a published version is named v<version>.json',
      'onsite-service.json: is not where a checklist lives: a published version is <id>/v<version>.json',
    ]);
  });

  it('a lock that is missing, not JSON, or not a lock', () => {
    const dir = copyOfReal();
    writeFileSync(join(dir, 'lock.json'), '{');
    expect(problemsOf(dir)[0]).toMatch(/^lock\.json: is not JSON: /);
    writeLock(dir, { lockVersion: 1, published: [{ path: 'onsite-service/v1.json', id: 'onsite-service', version: 1, sha256: 'abc' }] });
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/^lock\.json: published\[0\]\.sha256: /)]);
    rmSync(join(dir, 'lock.json'));
    expect(problemsOf(dir)).toEqual(['lock.json: is missing: it lists every published checklist version']);
  });
});

describe('the server', () => {
  it('does not start on a changed published version, and says which file', () => {
    const dir = copyOfReal();
    const file = join(dir, 'onsite-service/v1.json');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n`);
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/server/main.ts')], {
      env: { ...process.env, CHECKLISTS_DIR: dir, PORT: '0', SQLITE_PATH: join(dir, 'never-opened.sqlite') }, encoding: 'utf8', timeout: 120_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Onsite did not start: the published checklists in');
    expect(run.stderr).toContain('onsite-service/v1.json: changed after it was published');
  }, 150_000);
});
