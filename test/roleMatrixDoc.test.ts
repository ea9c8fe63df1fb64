import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRoleMatrixMarkdown, roleMatrixDocPath } from '../src/accounts/roleMatrixDoc.ts';
import { can, resources, roleMatrix, roles, verbs, type Action, type Role } from '../src/shared/roles.ts';

const documented = readFileSync(resolve(import.meta.dirname, '..', roleMatrixDocPath), 'utf8');

/** Reads the role × resource table back out of the Markdown, independently of the renderer. */
function parseDocumentedMatrix(markdown: string): Record<string, Set<string>> {
  const lines = markdown.split('\n').filter((line) => line.startsWith('| '));
  const header = lines[0]
    .split('|')
    .slice(2, -1)
    .map((cell) => cell.trim());
  const matrix: Record<string, Set<string>> = Object.fromEntries(header.map((role) => [role, new Set<string>()]));
  for (const line of lines.slice(1)) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const resource = /`([a-z_]+)`/.exec(cells[0])?.[1];
    if (!resource) throw new Error(`row without a resource: ${line}`);
    cells.slice(1).forEach((cell, index) => {
      for (const letter of cell.split(' ')) {
        const verb = { R: 'read', W: 'write', D: 'delete' }[letter];
        if (verb) matrix[header[index]].add(`${resource}:${verb}`);
      }
    });
  }
  return matrix;
}

describe('the documented role matrix (docs/roles.md)', () => {
  it('is exactly what the renderer makes of roleMatrix (regenerate: npx tsx src/accounts/writeRoleMatrixDoc.ts)', () => {
    expect(documented).toBe(renderRoleMatrixMarkdown());
  });

  it('grants each role exactly the actions the enforced matrix grants', () => {
    const parsed = parseDocumentedMatrix(documented);
    expect(Object.keys(parsed).sort()).toEqual([...roles].sort());
    for (const role of roles) {
      expect([...parsed[role]].sort(), role).toEqual([...roleMatrix[role]].sort());
    }
  });

  it('lists every resource and names only real actions', () => {
    const parsed = parseDocumentedMatrix(documented);
    const known = new Set<string>(resources.flatMap((resource) => verbs.map((verb) => `${resource}:${verb}`)));
    for (const resource of resources) expect(documented).toContain(`| \`${resource}\``);
    for (const role of roles) for (const action of parsed[role]) expect(known.has(action), action).toBe(true);
  });

  it('documents that an analyst reads aggregates but cannot read or delete a contact', () => {
    const parsed = parseDocumentedMatrix(documented);
    const analyst: Role = 'analyst';
    expect(parsed[analyst].has('aggregate:read')).toBe(true);
    expect(parsed[analyst].has('contact:delete')).toBe(false);
    expect(can(analyst, 'contact:delete' as Action)).toBe(false);
  });
});
