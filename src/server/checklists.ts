// The checklists the server accepts forms against: every published version under checklists/
// (`<id>/v<version>.json`), checked against checklists/lock.json before anything else starts. A form
// filled against a version the server does not know is refused, never guessed; a published file that
// changed, or one that was never published, stops the server with the file's name.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ChecklistError } from '../domain/checklist';
import { ChecklistLockSchema, LOCK_FILE, lockProblems, type ChecklistLock, type LockProblem, type VersionFile } from '../domain/checklist-lock';
import { ChecklistRegistryError, refFromPath, registryFromFiles, type ChecklistRegistry } from '../domain/checklist-registry';
import { toFieldErrors } from '../domain/validation-issues';

/** Files beside the checklist folders that are not checklists. */
const NOT_CHECKLISTS = new Set([LOCK_FILE, 'festivals.json']);

/** The published checklists cannot be loaded; `problems` names each file and what is wrong with it. */
export class PublishedChecklistsError extends Error {
  constructor(readonly dir: string, readonly problems: LockProblem[]) {
    super(`the published checklists in ${dir} cannot be used:\n${problems.map((p) => `  ${p.file}: ${p.message}`).join('\n')}`);
    this.name = 'PublishedChecklistsError';
  }
}

export function sha256OfBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** checklists/lock.json, validated; throws PublishedChecklistsError naming it. */
export function readLock(dir: string): ChecklistLock {
  const path = join(dir, LOCK_FILE);
  if (!existsSync(path)) throw new PublishedChecklistsError(dir, [{ file: LOCK_FILE, message: 'is missing: it lists every published checklist version' }]);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PublishedChecklistsError(dir, [{ file: LOCK_FILE, message: `is not JSON: ${error instanceof Error ? error.message : String(error)}` }]);
  }
  const parsed = ChecklistLockSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    throw new PublishedChecklistsError(dir, toFieldErrors(parsed.error.issues).map((e) => ({ file: LOCK_FILE, message: `${e.path}: ${e.message}` })));
  }
  return parsed.data;
}

/** Every version file under `dir` with its bytes' SHA-256, and what lies there that is not one. */
export function scanVersionFiles(dir: string): { files: Array<VersionFile & { bytes: Buffer }>; strays: LockProblem[] } {
  const files: Array<VersionFile & { bytes: Buffer }> = [];
  const strays: LockProblem[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (NOT_CHECKLISTS.has(entry)) continue;
    if (!statSync(join(dir, entry)).isDirectory()) {
      if (entry.endsWith('.json')) strays.push({ file: entry, message: 'is not where a checklist lives: a published version is <id>/v<version>.json' });
      continue;
    }
    for (const name of readdirSync(join(dir, entry)).sort()) {
      const path = `${entry}/${name}`;
      if (!name.endsWith('.json')) continue;
      if (!refFromPath(path)) {
        strays.push({ file: path, message: 'is not a version file: a published version is named v<version>.json' });
        continue;
      }
      const bytes = readFileSync(join(dir, entry, name));
      files.push({ path, sha256: sha256OfBytes(bytes), bytes });
    }
  }
  return { files, strays };
}

/**
 * Loads every published version: the lock must list exactly the version files there are, each with
 * its bytes' hash, and each file must be a valid checklist saying the id and version its path does.
 * Throws PublishedChecklistsError naming every bad file.
 */
export function loadChecklists(dir: string): ChecklistRegistry {
  const lock = readLock(dir);
  const { files, strays } = scanVersionFiles(dir);
  const problems = [...strays, ...lockProblems(lock, files)];
  if (problems.length > 0) throw new PublishedChecklistsError(dir, problems);
  const parsed: Record<string, unknown> = {};
  for (const file of files) {
    try {
      parsed[file.path] = JSON.parse(file.bytes.toString('utf8'));
    } catch (error) {
      problems.push({ file: file.path, message: `is not JSON: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  if (problems.length > 0) throw new PublishedChecklistsError(dir, problems);
  if (files.length === 0) throw new PublishedChecklistsError(dir, [{ file: LOCK_FILE, message: 'publishes no checklist' }]);
  try {
    return registryFromFiles(parsed);
  } catch (error) {
    if (error instanceof ChecklistError) throw new PublishedChecklistsError(dir, error.errors.map((e) => ({ file: error.fileName, message: `${e.path}: ${e.message}` })));
    if (error instanceof ChecklistRegistryError) throw new PublishedChecklistsError(dir, [{ file: error.fileName, message: error.detail }]);
    throw error;
  }
}
