import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allowedArrows, forbiddenArrows, importCycles, importsOf, topLevelEntry, type ImportEdge } from './support/importGraph.ts';

/*
 * The layers of src/ (issue 8): docs/architecture.md draws the allowed arrows between the
 * top-level entries of src/ as a mermaid diagram, and this test holds the code to it. It
 * fails on an import along an arrow the diagram does not draw, on any import cycle between
 * files (type-only imports included: a type cycle knots two modules as surely as a value
 * cycle), and on a diagram that is itself cyclic or names entries src/ does not have.
 * Unit tests beside the code (*.test.ts) are left out: a test may build the layers above
 * what it tests, e.g. create a workspace to exercise the kernel.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const srcEdges = (): ImportEdge[] =>
  sourceFiles(join(root, 'src'))
    .map((path) => relative(root, path))
    .flatMap((file) => importsOf(file, readFileSync(join(root, file), 'utf8')));
const architecture = () => allowedArrows(readFileSync(join(root, 'docs/architecture.md'), 'utf8'));
const srcEntries = () =>
  readdirSync(join(root, 'src'))
    .filter((name) => !name.endsWith('.test.ts'))
    .map((name) => topLevelEntry(`src/${name}`)!);
const arrowEdges = (arrows: Set<string>) => [...arrows].map((arrow) => ({ from: arrow.split(' -> ')[0], to: arrow.split(' -> ')[1] }));

describe('the layers of src/', () => {
  it('every import between top-level folders follows an arrow docs/architecture.md draws', () => {
    expect(forbiddenArrows(srcEdges(), architecture())).toEqual([]);
  });

  it('no file of src/ is on an import cycle', () => {
    expect(importCycles(srcEdges())).toEqual([]);
  });

  it('the diagram places every top-level entry of src/ and nothing else', () => {
    expect([...architecture().nodes].sort()).toEqual(srcEntries().sort());
  });

  it('the allowed arrows form layers: the diagram has no cycle', () => {
    expect(importCycles(arrowEdges(architecture().arrows))).toEqual([]);
  });

  it('the kernel imports nothing from crm, privacy, accounts, webhooks or http', () => {
    const above = ['crm', 'privacy', 'accounts', 'webhooks', 'http'];
    expect([...architecture().arrows].filter((arrow) => above.some((folder) => arrow === `kernel -> ${folder}`))).toEqual([]);
  });
});

describe('the architecture check itself', () => {
  const diagram = (lines: string) => `# Layers\n\n\`\`\`mermaid\ngraph TD\n${lines}\n\`\`\`\n`;
  const layers = allowedArrows(diagram('  crm --> kernel & shared\n  kernel --> db & shared\n  db --> shared\n  shared'));

  it('reads the arrows and nodes of the mermaid diagram, labels and comments included', () => {
    const read = allowedArrows(diagram('  %% a comment\n  server[server.ts] --> http & db\n  http --> db\n  config[config.ts]'));
    expect([...read.arrows].sort()).toEqual(['http -> db', 'server -> db', 'server -> http']);
    expect([...read.nodes].sort()).toEqual(['config', 'db', 'http', 'server']);
  });

  it('refuses a diagram line it cannot read, so the picture cannot say more than the test checks', () => {
    expect(() => allowedArrows(diagram('  crm -.-> kernel'))).toThrow(/Cannot read the node/);
    expect(() => allowedArrows(diagram('  crm --> kernel --> db'))).toThrow(/One arrow per line/);
    expect(() => allowedArrows('no diagram here')).toThrow(/exactly one mermaid diagram/);
  });

  it('fails when a kernel file imports from src/crm', () => {
    const edges = importsOf(
      'src/kernel/lookupTokens.ts',
      `import { normalizeEmail } from '../crm/normalize.ts';\nimport { blindIndex } from './vault/index.ts';`,
    );
    expect(forbiddenArrows(edges, layers)).toEqual(['src/kernel/lookupTokens.ts:1 imports src/crm/normalize.ts, but kernel -> crm is not an allowed arrow']);
  });

  it('fails on a type-only import along a forbidden arrow too', () => {
    const edges = importsOf('src/kernel/policy/decide.ts', `import type { Role } from '../../crm/roles.ts';`);
    expect(edges).toEqual([{ from: 'src/kernel/policy/decide.ts', to: 'src/crm/roles.ts', line: 1, typeOnly: true }]);
    expect(forbiddenArrows(edges, layers)).toHaveLength(1);
  });

  it('passes imports along drawn arrows, inside one folder, and of packages', () => {
    const code = `import { sql } from 'drizzle-orm';\nimport { appendAudit } from '../../kernel/index.ts';\nimport { invalid } from '../../shared/domainError.ts';\nimport { staleVersion } from '../deals/versions.ts';`;
    expect(forbiddenArrows(importsOf('src/crm/contacts/contactService.ts', code), layers)).toEqual([]);
  });

  it('sees re-exports, dynamic imports and import types, and tells type-only ones apart', () => {
    const code = [
      `export { recordChange } from '../platform/changes.ts';`,
      `export type { Change } from '../webhooks/fanout.ts';`,
      `import { type Role, type Action } from '../shared/roles.ts';`,
      `import { type Purpose, installDefaultPurposes } from '../privacy/purposes.ts';`,
      `const jobs = await import('../jobs/candorJobs.ts');`,
      `type Runner = import('../queue/jobRunner.ts').JobRunner;`,
    ].join('\n');
    expect(importsOf('src/crm/example.ts', code).map((edge) => `${edge.to}${edge.typeOnly ? ' (type)' : ''}`)).toEqual([
      'src/platform/changes.ts',
      'src/webhooks/fanout.ts (type)',
      'src/shared/roles.ts (type)',
      'src/privacy/purposes.ts',
      'src/jobs/candorJobs.ts',
      'src/queue/jobRunner.ts (type)',
    ]);
  });

  it('fails on an import cycle and names the files round it', () => {
    const edges = [
      ...importsOf('src/platform/changes.ts', `import { queueWebhookDeliveries } from '../webhooks/fanout.ts';`),
      ...importsOf('src/webhooks/fanout.ts', `import type { Change } from '../platform/changes.ts';\nimport { queueFirstAttempts } from './deliveryJobs.ts';`),
      ...importsOf('src/webhooks/deliveryJobs.ts', `import { sendJob } from '../queue/sendJob.ts';`),
    ];
    expect(importCycles(edges)).toEqual(['src/platform/changes.ts -> src/webhooks/fanout.ts -> src/platform/changes.ts']);
  });

  it('finds a longer cycle inside one folder, a self-import, and each cycle once', () => {
    const edges = [
      { from: 'src/kernel/a.ts', to: 'src/kernel/b.ts' },
      { from: 'src/kernel/b.ts', to: 'src/kernel/c.ts' },
      { from: 'src/kernel/c.ts', to: 'src/kernel/a.ts' },
      { from: 'src/kernel/c.ts', to: 'src/kernel/d.ts' },
      { from: 'src/db/self.ts', to: 'src/db/self.ts' },
      { from: 'src/shared/x.ts', to: 'src/shared/y.ts' },
    ];
    expect(importCycles(edges)).toEqual(['src/db/self.ts -> src/db/self.ts', 'src/kernel/a.ts -> src/kernel/b.ts -> src/kernel/c.ts -> src/kernel/a.ts']);
  });

  it('finds a cycle in the diagram itself', () => {
    const cyclic = allowedArrows(diagram('  kernel --> db\n  db --> kernel'));
    expect(importCycles(arrowEdges(cyclic.arrows))).toEqual(['db -> kernel -> db']);
  });

  it('names the top-level entry of a path: the folder, or a file directly in src/', () => {
    expect(['src/kernel/audit/head.ts', 'src/server.ts', 'test/support/testApp.ts'].map(topLevelEntry)).toEqual(['kernel', 'server', undefined]);
  });
});
