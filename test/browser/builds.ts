// Production builds for the browser tests and the benchmark: `vite build` in a child process, at most
// once per change. A fingerprint of every input's content is stamped into the output; a build whose
// inputs have not changed since is reused, and a lock makes parallel test files wait for one build.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

export interface BuildSpec {
  /** the Vite config, relative to the repo root */
  configFile: string;
  /** absolute */
  outDir: string;
  /** files and folders, relative to the repo root, whose content the build depends on */
  inputs: readonly string[];
  /** stamped into the build (__ONSITE_BUILD_ID__); defaults to one derived from the inputs */
  buildId?: string;
}

export interface Build {
  outDir: string;
  buildId: string;
}

const STAMP = '.onsite-build.json';
/** How long to wait for another live process's build of the same folder (a dead one's lock is taken over at once): a build on a busy box takes minutes. */
const LOCK_WAIT_MS = 480_000;

/** dist/: the technician app, the back office and the service worker, as `npm run build` makes them. */
export function ensureProductionBuild(): Promise<Build> {
  return ensureBuild({
    configFile: 'vite.config.ts',
    outDir: join(REPO_ROOT, 'dist'),
    inputs: ['index.html', 'backoffice/index.html', 'verify/index.html', 'vite.config.ts', 'package-lock.json', 'public', 'checklists', 'src', 'types'],
  });
}

export async function ensureBuild(spec: BuildSpec): Promise<Build> {
  const fingerprint = await fingerprintOf([...spec.inputs, spec.configFile], spec.buildId ?? '');
  const buildId = spec.buildId ?? `test-${fingerprint.slice(0, 12)}`;
  if (await isBuilt(spec.outDir, fingerprint)) return { outDir: spec.outDir, buildId };
  const release = await acquireLock(spec.outDir);
  try {
    // another process may have built it while this one waited
    if (!(await isBuilt(spec.outDir, fingerprint))) {
      await runViteBuild(spec.configFile, spec.outDir, buildId);
      await writeFile(join(spec.outDir, STAMP), JSON.stringify({ fingerprint, buildId }));
    }
  } finally {
    await release();
  }
  return { outDir: spec.outDir, buildId };
}

/** Whether outDir holds a build of exactly these inputs; a missing or unreadable stamp means it does not. */
async function isBuilt(outDir: string, fingerprint: string): Promise<boolean> {
  try {
    const stamp = JSON.parse(await readFile(join(outDir, STAMP), 'utf8')) as { fingerprint?: unknown } | null;
    return stamp?.fingerprint === fingerprint;
  } catch {
    return false;
  }
}

async function fingerprintOf(inputs: readonly string[], salt: string): Promise<string> {
  const hash = createHash('sha256').update(salt);
  const files = (await Promise.all(inputs.map((input) => listFiles(join(REPO_ROOT, input))))).flat().sort();
  for (const file of files) hash.update(relative(REPO_ROOT, file)).update('\0').update(await readFile(file)).update('\0');
  return hash.digest('hex');
}

async function listFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => null);
  if (info === null) return [];
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path);
  return (await Promise.all(entries.map((entry) => listFiles(join(path, entry))))).flat();
}

function runViteBuild(configFile: string, outDir: string, buildId: string): Promise<void> {
  const vite = join(REPO_ROOT, 'node_modules/vite/bin/vite.js');
  const args = [vite, 'build', '--config', configFile, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'];
  // a production build, whatever the test runner's environment says (vitest sets NODE_ENV=test)
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  Object.assign(env, { NODE_ENV: 'production', ONSITE_BUILD_ID: buildId });
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`vite build --config ${configFile} failed (exit ${code}):\n${output}`)),
    );
  });
}

/** A lock directory per output folder; one left by a process that died is taken over. */
async function acquireLock(outDir: string): Promise<() => Promise<void>> {
  const lock = join(tmpdir(), `onsite-build-${createHash('sha256').update(outDir).digest('hex').slice(0, 16)}.lock`);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, 'pid'), String(process.pid));
      return () => rm(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => 'NaN'));
    if (Number.isInteger(holder) && !isAlive(holder)) await rm(lock, { recursive: true, force: true });
    else if (Date.now() > deadline) throw new Error(`waited ${LOCK_WAIT_MS / 1000}s for another build of ${outDir} (lock ${lock})`);
    else await new Promise((r) => setTimeout(r, 250));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** test/browser/fixtures/bridge-page, the real bridge and service worker, under a given build id. */
export function ensureBridgeFixtureBuild(buildId: string): Promise<Build> {
  return ensureBuild({
    configFile: 'test/browser/fixtures/bridge-page/vite.config.ts',
    outDir: join(REPO_ROOT, 'test-results/builds', `bridge-${buildId}`),
    inputs: ['test/browser/fixtures/bridge-page', 'vite.config.ts', 'package-lock.json', 'src'],
    buildId,
  });
}
