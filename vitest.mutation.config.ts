// The tests Stryker runs against mutants of src/domain (stryker.config.mjs): the domain tests only.
import { defineConfig } from 'vitest/config';
import base from './vitest.config';

export default defineConfig({ ...base, test: { ...base.test, include: ['test/domain/**/*.test.ts'] } });
