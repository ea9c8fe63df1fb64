import { defineConfig } from 'vitest/config';

// Each test file opens its own database, copied from a migrated template
// (test/support/databaseTemplates.ts), so files run in parallel forks and tests inside a file
// share one instance.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
