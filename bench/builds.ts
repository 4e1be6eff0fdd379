// The builds the measurements compare, made once per benchmark run: the app (dist/, as `npm run build`
// makes it, shared with the browser tests) and the bare Preact baseline page (.bench/baseline/).
import { join } from 'node:path';
import { ensureBuild, ensureProductionBuild, REPO_ROOT, type Build } from '../test/browser/builds';

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | null = null;
  return () => (made ??= make());
}

export const appBuild = once(ensureProductionBuild);

export const baselineBuild = once(
  (): Promise<Build> =>
    ensureBuild({
      configFile: 'bench/baseline-page/vite.config.ts',
      outDir: join(REPO_ROOT, '.bench/baseline'),
      inputs: ['bench/baseline-page', 'vite.config.ts', 'package-lock.json'],
    }),
);
