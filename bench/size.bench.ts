// Bytes over the wire, gzip level 9, each file compressed on its own as a server would send it:
// the first-load JS + CSS of the technician app (the entry, what it preloads and statically imports;
// not lazy chunks), and the whole precache (every file the service worker's manifest lists) — each
// beside the same figure for the bare Preact page built the same way.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { firstLoadFiles } from '../test/browser/first-load';
import { appBuild, baselineBuild } from './builds';
import { compared, type Measurement } from './measurement';

const BASELINE = 'bare Preact page';
/** The budget for the first-load JS + CSS: 30 kB gzip (1 kB = 1000 B). */
const FIRST_LOAD_BUDGET = 30_000;

async function gzipBytes(outDir: string, paths: readonly string[]): Promise<number> {
  let total = 0;
  for (const path of paths) total += gzipSync(await readFile(join(outDir, path)), { level: 9 }).length;
  return total;
}

/** The URLs (from the site root) in the precache manifest Workbox injected into sw.js. */
async function precachedFiles(outDir: string): Promise<string[]> {
  const sw = await readFile(join(outDir, 'sw.js'), 'utf8');
  const urls = [...sw.matchAll(/"url":"([^"]+)"/g)].map((match) => `/${match[1]!}`);
  if (urls.length === 0) throw new Error(`no precache manifest found in ${join(outDir, 'sw.js')}`);
  return urls;
}

const size: Measurement = {
  name: 'size',
  async run() {
    const [app, baseline] = await Promise.all([appBuild(), baselineBuild()]);
    const firstLoad = async (outDir: string) => gzipBytes(outDir, await firstLoadFiles(outDir));
    const precache = async (outDir: string) => gzipBytes(outDir, await precachedFiles(outDir));
    return [
      compared({
        metric: 'first-load JS + CSS (gzip)',
        value: await firstLoad(app.outDir),
        unit: 'B',
        baseline: BASELINE,
        baselineValue: await firstLoad(baseline.outDir),
        aim: { max: FIRST_LOAD_BUDGET, of: 'value' },
      }),
      compared({
        metric: 'whole precache (gzip)',
        value: await precache(app.outDir),
        unit: 'B',
        baseline: BASELINE,
        baselineValue: await precache(baseline.outDir),
      }),
    ];
  },
};

export default size;
