import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { moduleReferencesOf } from './support/importGraph.ts';

/*
 * The web app talks to Candor only through the public API: web/ imports nothing of src/ (the
 * server's modules would bundle server code, and could let the app do what the API refuses).
 * What it knows of the API is the generated web/src/api/schema.d.ts. The architecture test
 * covers src/; this one covers web/.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const webPackage = JSON.parse(readFileSync(join(root, 'web/package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

const sourceFiles = (dir: string) =>
  readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));

const appFiles = sourceFiles('web/src');
const toolFiles = [...sourceFiles('web/scripts'), 'web/vite.config.ts'];

/** The package a bare specifier names: "@tanstack/react-query/x" → "@tanstack/react-query". */
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier);

function references(files: string[]) {
  return files.flatMap((file) => moduleReferencesOf(file, readFileSync(join(root, file), 'utf8')).map((reference) => ({ file, ...reference })));
}

describe('the web app', () => {
  it('reads its own files and no others: nothing of src/, test/ or the rest of the repository', () => {
    const all = references([...appFiles, ...toolFiles]);
    expect(appFiles.length).toBeGreaterThan(20);
    const outside = all
      .filter((reference) => reference.specifier.startsWith('.'))
      .filter((reference) => !normalize(join(dirname(reference.file), reference.specifier)).startsWith('web/'))
      .map((reference) => `${reference.file}:${reference.line} imports ${reference.specifier}`);
    expect(outside).toEqual([]);
  });

  it('uses only the packages web/package.json names, and no Node.js module in the browser code', () => {
    const allowed = new Set([...Object.keys(webPackage.dependencies), ...Object.keys(webPackage.devDependencies)]);
    const misplaced = references(appFiles)
      .filter((reference) => !reference.specifier.startsWith('.'))
      // Unit tests beside the app's code run in vitest, the repository's test runner.
      .filter((reference) => !(reference.file.endsWith('.test.ts') && reference.specifier === 'vitest'))
      .filter((reference) => isBuiltin(reference.specifier) || !allowed.has(packageOf(reference.specifier)))
      .map((reference) => `${reference.file}:${reference.line} imports ${reference.specifier}`);
    expect(misplaced).toEqual([]);
  });

  it('knows the API only from the types generated from its OpenAPI document', () => {
    const typeSources = references(appFiles).filter((reference) => reference.specifier.endsWith('/schema') || reference.specifier.endsWith('schema.d.ts'));
    expect(typeSources.map((reference) => reference.file)).toEqual(['web/src/api/client.ts', 'web/src/api/types.ts']);
  });
});
