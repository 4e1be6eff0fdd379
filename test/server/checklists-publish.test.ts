// Publishing a checklist version into a temporary copy of checklists/: validated, put in its place,
// added to the lock; a published version is never overwritten, and a failed publication changes nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChecklistError } from '../../src/domain/checklist';
import { loadChecklists, PublishedChecklistsError, sha256OfBytes } from '../../src/server/checklists';
import { publishChecklist, PublishRefusedError } from '../../src/server/checklists-publish';
import { REPO_ROOT } from '../../src/server/config';
import { checklist, tempChecklistsDir, v2WithTorch } from '../fixtures/checklists';

const temps: Array<{ remove(): void }> = [];
afterEach(() => temps.splice(0).forEach((t) => t.remove()));

function setup() {
  const temp = tempChecklistsDir();
  temps.push(temp);
  const draft = (name: string, json: unknown) => {
    const path = join(temp.dir, '..', `${name}-${crypto.randomUUID()}.json`);
    writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
    temps.push({ remove: () => rmSync(path, { force: true }) });
    return path;
  };
  return { dir: temp.dir, draft };
}

function refusal(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('it was published');
}

describe('publishing a checklist version', () => {
  it('puts the file at <id>/v<version>.json byte for byte and adds it to the lock, one line, v1 untouched', () => {
    const { dir, draft } = setup();
    const lockBefore = readFileSync(join(dir, 'lock.json'), 'utf8');
    const file = draft('v2', v2WithTorch());
    const { entry, target } = publishChecklist(dir, file);
    expect(target).toBe(join(dir, 'onsite-service/v2.json'));
    expect(readFileSync(target)).toEqual(readFileSync(file));
    expect(entry).toEqual({ path: 'onsite-service/v2.json', id: 'onsite-service', version: 2, sha256: sha256OfBytes(readFileSync(file)) });
    const lockAfter = readFileSync(join(dir, 'lock.json'), 'utf8');
    const v1Line = lockBefore.split('\n').find((line) => line.includes('"onsite-service/v1.json"'))!;
    const v2Line = `    { "path": "onsite-service/v2.json", "id": "onsite-service", "version": 2, "sha256": "${entry.sha256}" }`;
    expect(lockAfter).toBe(lockBefore.replace(`${v1Line}\n`, `${v1Line},\n${v2Line}\n`));
    expect(loadChecklists(dir).versions()).toEqual([{ id: 'onsite-service', version: 1 }, { id: 'onsite-service', version: 2 }]);
  });

  it('publishes a file already in its place', () => {
    const { dir } = setup();
    const target = join(dir, 'onsite-service/v2.json');
    writeFileSync(target, JSON.stringify(v2WithTorch()));
    expect(publishChecklist(dir, target).entry.version).toBe(2);
    expect(loadChecklists(dir).newest('onsite-service')?.version).toBe(2);
  });

  it('refuses to overwrite a published version, even with other content', () => {
    const { dir, draft } = setup();
    const edited = { ...structuredClone(checklist), title: { 'zh-CN': '改过的', en: 'edited' } };
    const error = refusal(() => publishChecklist(dir, draft('edited-v1', edited)));
    expect(error).toBeInstanceOf(PublishRefusedError);
    expect(error.message).toContain('onsite-service v1 is already published (onsite-service/v1.json); a published version never changes');
    expect(sha256OfBytes(readFileSync(join(dir, 'onsite-service/v1.json')))).toBe(sha256OfBytes(readFileSync(join(REPO_ROOT, 'checklists/onsite-service/v1.json'))));
  });

  it('refuses a version that skips a number, and one that is not a valid checklist, naming the file and the path', () => {
    const { dir, draft } = setup();
    const gap = draft('v3', { ...v2WithTorch(), version: 3 });
    expect(refusal(() => publishChecklist(dir, gap)).message).toBe(`${gap}: is version 3, but the next version of onsite-service is 2`);
    const broken = draft('broken', { ...v2WithTorch(), title: { 'zh-CN': '冬季' } });
    const error = refusal(() => publishChecklist(dir, broken));
    expect(error).toBeInstanceOf(ChecklistError);
    expect(error.message).toContain(`${broken}: title.en: `);
    expect(existsSync(join(dir, 'onsite-service/v2.json')) || existsSync(join(dir, 'onsite-service/v3.json'))).toBe(false);
  });

  it('refuses when another file is in the version\'s place', () => {
    const { dir, draft } = setup();
    writeFileSync(join(dir, 'onsite-service/v2.json'), '{"something":"else"}');
    expect(refusal(() => publishChecklist(dir, draft('v2', v2WithTorch()))).message).toContain('onsite-service/v2.json already exists with other content');
  });

  it('changes nothing when the directory would not load afterwards', () => {
    const { dir, draft } = setup();
    writeFileSync(join(dir, 'stray.json'), '{}');
    const lockBefore = readFileSync(join(dir, 'lock.json'));
    const error = refusal(() => publishChecklist(dir, draft('v2', v2WithTorch())));
    expect(error).toBeInstanceOf(PublishedChecklistsError);
    expect(error.message).toContain('stray.json: is not where a checklist lives');
    expect(readFileSync(join(dir, 'lock.json'))).toEqual(lockBefore);
    expect(existsSync(join(dir, 'onsite-service/v2.json'))).toBe(false);
  });
});

describe('npm run checklist:publish', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/server/cli/publish-checklist.ts'), ...args], { encoding: 'utf8', timeout: 120_000 });

  it('publishes, and refuses a second time with the reason', () => {
    const { dir, draft } = setup();
    const file = draft('v2', v2WithTorch());
    const first = cli('--', file, '--dir', dir);
    expect([first.status, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toMatch(/^published onsite-service v2 at .*onsite-service\/v2\.json \(sha256 [0-9a-f]{64}\)\n$/);
    const again = cli(file, '--dir', dir);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('not published: ');
    expect(again.stderr).toContain('onsite-service v2 is already published');
    expect(cli().status).toBe(2);
  }, 150_000);
});
