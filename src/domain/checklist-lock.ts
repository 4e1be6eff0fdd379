// The lock of published checklist versions (checklists/lock.json): each version's path, id, version
// and the SHA-256 of its file's bytes. A published version never changes: a changed rule is a new
// version, so every form filled under the old one keeps validating and showing as it was filled.
import { z } from 'zod/mini';
import { publishedPath } from './checklist-registry';

export const LOCK_FILE = 'lock.json';

const PublishedVersionSchema = z.strictObject({
  path: z.string(),
  id: z.string(),
  version: z.int().check(z.positive()),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
});
export type PublishedVersion = z.infer<typeof PublishedVersionSchema>;

export const ChecklistLockSchema = z.strictObject({
  $comment: z.optional(z.string()),
  lockVersion: z.literal(1),
  published: z.array(PublishedVersionSchema),
});
export type ChecklistLock = z.infer<typeof ChecklistLockSchema>;

/** A version file found under checklists/, with the SHA-256 of its bytes. */
export interface VersionFile {
  /** relative to checklists/, e.g. `onsite-service/v1.json` */
  path: string;
  sha256: string;
}

/** One thing wrong, naming the file it is about. */
export interface LockProblem {
  file: string;
  message: string;
}

const PUBLISH_HINT = 'publish a new version with `npm run checklist:publish -- FILE`';

/** Everything that disagrees between the lock and the files: each message names its file. */
export function lockProblems(lock: ChecklistLock, files: readonly VersionFile[]): LockProblem[] {
  const problems: LockProblem[] = [];
  const onDisk = new Map(files.map((f) => [f.path, f]));
  const locked = new Set<string>();
  for (const entry of lock.published) {
    const expected = publishedPath(entry);
    if (entry.path !== expected) {
      problems.push({ file: LOCK_FILE, message: `the entry for ${entry.id} v${entry.version} names ${entry.path}; it lives at ${expected}` });
      continue;
    }
    if (locked.has(entry.path)) {
      problems.push({ file: LOCK_FILE, message: `${entry.path} is listed twice` });
      continue;
    }
    locked.add(entry.path);
    const file = onDisk.get(entry.path);
    if (!file) {
      problems.push({ file: entry.path, message: `is published in ${LOCK_FILE} but missing: a published version is never removed` });
    } else if (file.sha256 !== entry.sha256) {
      problems.push({
        file: entry.path,
        message: `changed after it was published (its SHA-256 is ${file.sha256}, ${LOCK_FILE} says ${entry.sha256}): a published version never changes; put the change in a new version and ${PUBLISH_HINT}`,
      });
    }
  }
  for (const file of files) {
    if (!locked.has(file.path)) problems.push({ file: file.path, message: `is not in ${LOCK_FILE}: ${PUBLISH_HINT}` });
  }
  return problems;
}
