import type { TestProject } from 'vitest/node';
import { buildCandorCommand } from './support/candorCommand.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The compiled `candor` command the child-process tests start (test/support/candorCommand.ts). */
    candorCommand: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const command = await buildCandorCommand();
  project.provide('candorCommand', command.file);
  return () => command.remove();
}
