// Publishing a checklist version: the file is validated, put at `<id>/v<version>.json` and added to
// the lock with its bytes' SHA-256. A version already published is never overwritten, and the whole
// directory must load afterwards, or nothing is changed.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseChecklist, type Checklist } from '../domain/checklist';
import { LOCK_FILE, type ChecklistLock, type PublishedVersion } from '../domain/checklist-lock';
import { publishedPath } from '../domain/checklist-registry';
import { loadChecklists, readLock, sha256OfBytes } from './checklists';

export class PublishRefusedError extends Error {
  constructor(readonly file: string, readonly detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'PublishRefusedError';
  }
}

export interface Published {
  entry: PublishedVersion;
  /** where the version now lives */
  target: string;
}

/** One entry a line, so that a publication is a one-line diff. */
export function formatLock(lock: ChecklistLock): string {
  const line = (value: object) => `{ ${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`;
  const head = lock.$comment === undefined ? '' : `  "$comment": ${JSON.stringify(lock.$comment)},\n`;
  return `{\n${head}  "lockVersion": ${lock.lockVersion},\n  "published": [\n${lock.published.map((e) => `    ${line(e)}`).join(',\n')}\n  ]\n}\n`;
}

/** Publishes `file` (anywhere, or already at its place) into the checklists directory `dir`. */
export function publishChecklist(dir: string, file: string): Published {
  const bytes = readFileSync(file);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new PublishRefusedError(file, `is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const checklist: Checklist = parseChecklist(json, file);
  const lock = readLock(dir);
  const path = publishedPath(checklist);
  const target = join(dir, path);
  const label = `${checklist.id} v${checklist.version}`;
  if (lock.published.some((e) => e.path === path || (e.id === checklist.id && e.version === checklist.version))) {
    throw new PublishRefusedError(file, `${label} is already published (${path}); a published version never changes: give the change the next version number`);
  }
  const newest = Math.max(0, ...lock.published.filter((e) => e.id === checklist.id).map((e) => e.version));
  if (checklist.version !== newest + 1) {
    throw new PublishRefusedError(file, `is version ${checklist.version}, but the next version of ${checklist.id} is ${newest + 1}`);
  }
  const inPlace = resolve(file) === resolve(target);
  if (!inPlace && existsSync(target) && !readFileSync(target).equals(bytes)) {
    throw new PublishRefusedError(file, `${relative(process.cwd(), target) || target} already exists with other content; move it away first`);
  }
  const entry: PublishedVersion = { path, id: checklist.id, version: checklist.version, sha256: sha256OfBytes(bytes) };
  const lockPath = join(dir, LOCK_FILE);
  const lockBefore = readFileSync(lockPath);
  const copied = !inPlace && !existsSync(target);
  if (copied) {
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
  writeFileSync(lockPath, formatLock({ ...lock, published: [...lock.published, entry] }));
  try {
    loadChecklists(dir);
  } catch (error) {
    writeFileSync(lockPath, lockBefore);
    if (copied) rmSync(target);
    throw error;
  }
  return { entry, target };
}
