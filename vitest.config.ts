import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Preact's JSX runtime, as in vite.config.ts (no root tsconfig.json for the transformer to read)
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
