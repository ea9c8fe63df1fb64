import { defineConfig } from 'vitest/config';

// Two projects. `candor`: each test file opens its own database, copied from a migrated
// template (test/support/databaseTemplates.ts), so files run in parallel forks and tests
// inside a file share one instance. Files share their fork (`isolate: false`) so that the
// application's modules load once per fork, not once per file; test/support/fileIsolation.ts
// puts back what a file may change for the whole process. The child-process tests start the
// `candor` command compiled once per run (test/globalSetup.ts).
//
// `browser`: the web app in Chromium (test/e2e/), against one server with a small demo
// workspace that test/e2e/globalSetup.ts starts once for all of them. Its files run one at a
// time, after the `candor` project (groupOrder), so the browser does not compete with the
// API tests for the 2 cores. It never runs in the PostgreSQL leg: `npm run test:postgres`
// runs only the files importing test/support/testDatabase.ts, and these use the API through
// the browser and the server only.
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'candor',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts', 'web/src/**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**'],
          isolate: false,
          setupFiles: ['test/support/fileIsolation.ts'],
          globalSetup: ['test/globalSetup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/globalSetup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
