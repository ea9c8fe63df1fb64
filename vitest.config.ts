import { defineConfig } from 'vitest/config';

// Each test file opens its own database, copied from a migrated template
// (test/support/databaseTemplates.ts), so files run in parallel forks and tests inside a file
// share one instance. Files share their fork (`isolate: false`) so that the application's
// modules load once per fork, not once per file; test/support/fileIsolation.ts puts back
// what a file may change for the whole process. The child-process tests start the `candor`
// command compiled once per run (test/globalSetup.ts).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    pool: 'forks',
    isolate: false,
    setupFiles: ['test/support/fileIsolation.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
