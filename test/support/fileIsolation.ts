import { afterAll } from 'vitest';
import { stopKernel } from '../../src/kernel/index.ts';

/*
 * Test files share their worker process (vitest `isolate: false`): modules are loaded once
 * per worker instead of once per file. What a file may change for the whole process — the
 * environment, the kernel's key store and audit settings — is put back when the file ends,
 * so that the next file starts as if in a process of its own.
 */

const environment = { ...process.env };

afterAll(() => {
  for (const name of Object.keys(process.env)) {
    if (!(name in environment)) delete process.env[name];
  }
  Object.assign(process.env, environment);
  stopKernel();
});
