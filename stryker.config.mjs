// Mutation testing of the domain (npm run test:mutation; not part of npm test or CI: it takes long).
// Mutates src/domain with the domain tests only; one file at a time while working:
//   npx stryker run --mutate src/domain/service-form.ts
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: ['src/domain/**/*.ts'],
  // the machine is small and shared
  concurrency: 1,
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  thresholds: { high: 90, low: 80, break: null },
  timeoutMS: 60_000,
};
