#!/usr/bin/env node
// Runs the TypeScript sources directly so `npx candor` works right after `npm ci`,
// without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
