// Regenerates docs/roles.md from the role matrix: npx tsx src/accounts/writeRoleMatrixDoc.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRoleMatrixMarkdown, roleMatrixDocPath } from './roleMatrixDoc.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const target = resolve(projectRoot, roleMatrixDocPath);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, renderRoleMatrixMarkdown());
process.stdout.write(`wrote ${roleMatrixDocPath}\n`);
