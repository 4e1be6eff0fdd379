import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Preact's JSX runtime, as in vite.config.ts (no root tsconfig.json for the transformer to read)
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    // bounds, never expectations: a test waits for its events, and on a busy 2-core box a CPU-bound one
    // (500 fuzzed forms, a lunar calendar for 50 years) takes many times what it takes on an idle one
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
