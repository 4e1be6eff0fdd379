import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the long fault run (1,000 forms on SQLite and on PostgreSQL, with server
// processes killed mid-batch). Kept out of `npm test`, whose config takes only *.test.ts; the quick run
// (fault-run-smoke.test.ts) and the one in Chromium (fault-run-chromium.test.ts) stay there.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.faults.ts'],
    environment: 'node',
    // one run at a time: each one wants both cores of a CI box
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 240_000,
  },
});
