import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// The oxc TypeScript parser that vite ships (typescript 7 has no in-process parser API).
import { parseSync } from 'vite';
import { describe, expect, it } from 'vitest';

/*
 * The privacy kernel's boundary (issue 3, "enforced architecture"): personal values are
 * stored only in the columns and tables below, and only code under src/kernel/ may touch
 * them. Every other .ts file under src/ (tests aside) is parsed and refused when it
 *   1. names a personal-data column of a schema table: contacts.personal, visitors.personal,
 *      activities.content, events.properties, importStaging.personal, consentEvents.evidence,
 *      rightsRequests.requesterIdentity;
 *   2. imports a personal-data table from the schema: lookupTokens, subjectKeys, importStaging,
 *      importUploads;
 *   3. mentions one of those columns or tables in SQL text — a sql`` template, sql.raw(),
 *      or a string handed to .query() / .exec();
 *   4. reads whole rows of a table with a personal column, which carry that column without
 *      naming it: .select().from(contacts), insert/update/delete(contacts)….returning(),
 *      db.query.contacts.
 * src/db/schema/ is exempt: it declares the columns (the migrations are SQL, not scanned).
 */

const personalColumns: Record<string, string> = {
  contacts: 'personal',
  visitors: 'personal',
  activities: 'content',
  events: 'properties',
  importStaging: 'personal',
  consentEvents: 'evidence',
  consentRequests: 'evidence',
  rightsRequests: 'requesterIdentity',
};
const personalTables = new Set(['lookupTokens', 'subjectKeys', 'importStaging', 'importUploads', 'accessExportFiles']);
// Column and table names as SQL spells them. Whole words only, case-insensitive.
const personalSql =
  /\b(personal|properties|content|evidence|lookup_tokens|subject_keys|import_staging|import_uploads|requester_identity|access_export_files)\b/i;

type Violation = { file: string; line: number; rule: 'column' | 'table' | 'sql' | 'whole row' | 'private module'; text: string };

// The ESTree nodes the rules look at; everything else is only walked through.
type Node = { type: string; start: number; end: number; [key: string]: unknown };
type Identifier = Node & { name: string };
type Literal = Node & { value: unknown };
type TemplateLiteral = Node & { quasis: Array<Node & { value: { raw: string } }> };

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const schemaDirectory = join(root, 'src/db/schema');
const kernelDirectory = join(root, 'src/kernel');
// The kernel's one public face: the only module of src/kernel/ that code outside it may import.
const kernelFace = join(kernelDirectory, 'index.ts');

/** Whether a relative import of `file` reaches into the kernel anywhere but its public face. */
function importsKernelPrivately(file: string, specifier: string): boolean {
  if (!specifier.startsWith('.')) return false;
  const target = resolve(root, dirname(file), specifier);
  return target.startsWith(`${kernelDirectory}/`) && target !== kernelFace;
}

function fromSchema(file: string, specifier: string): boolean {
  if (!specifier.startsWith('.')) return false;
  const target = resolve(root, dirname(file), specifier);
  return target === schemaDirectory || target.startsWith(`${schemaDirectory}/`);
}

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
const identifierName = (node: unknown) => (isNode(node) && node.type === 'Identifier' ? (node as Identifier).name : undefined);
const stringValue = (node: unknown) =>
  isNode(node) && node.type === 'Literal' && typeof (node as Literal).value === 'string' ? ((node as Literal).value as string) : undefined;

function children(node: Node): Node[] {
  return Object.values(node).flatMap((value) => (Array.isArray(value) ? value.filter(isNode) : isNode(value) ? [value] : []));
}

/** The personal-data references in one source file (`file` relative to the repository root). */
function personalDataReferences(file: string, text: string): Violation[] {
  const { program, errors } = parseSync(file, text, { lang: 'ts', sourceType: 'module' });
  if (errors.length > 0) throw new Error(`${file} does not parse: ${errors[0].message}`);
  const violations: Violation[] = [];
  const report = (node: Node, rule: Violation['rule'], shown = text.slice(node.start, node.end)) =>
    violations.push({ file, line: text.slice(0, node.start).split('\n').length, rule, text: shown.replace(/\s+/g, ' ').slice(0, 120) });

  // Local names bound to schema tables (import { contacts as c }) and to the schema namespace.
  const tableNames = new Map<string, string>();
  const namespaces = new Set<string>();
  for (const statement of program.body as unknown as Node[]) {
    const isModuleReference = ['ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration'].includes(statement.type);
    const source = isModuleReference ? stringValue(statement.source) : undefined;
    if (source !== undefined && importsKernelPrivately(file, source)) report(statement, 'private module', source);
    if (statement.type !== 'ImportDeclaration' || source === undefined || !fromSchema(file, source)) continue;
    for (const specifier of statement.specifiers as Node[]) {
      const local = identifierName(specifier.local) as string;
      if (specifier.type === 'ImportNamespaceSpecifier') namespaces.add(local);
      if (specifier.type !== 'ImportSpecifier') continue;
      const imported = identifierName(specifier.imported) ?? stringValue(specifier.imported) ?? local;
      tableNames.set(local, imported);
      if (personalTables.has(imported)) report(specifier, 'table');
    }
  }

  /** The schema table an expression denotes (`contacts`, `schema.contacts`), if any. */
  const tableOf = (node: unknown): string | undefined => {
    const name = identifierName(node);
    if (name !== undefined) return tableNames.get(name);
    if (isNode(node) && node.type === 'MemberExpression' && !node.computed && namespaces.has(identifierName(node.object) ?? ''))
      return identifierName(node.property);
    return undefined;
  };
  const memberName = (node: Node) => (node.computed ? stringValue(node.property) : identifierName(node.property));
  const sqlText = (node: Node, raw: string) => {
    if (personalSql.test(raw)) report(node, 'sql', raw);
  };
  const templateText = (node: Node) => {
    // Only the SQL text; interpolated expressions are walked as code.
    for (const quasi of (node as TemplateLiteral).quasis) sqlText(quasi, quasi.value.raw);
  };
  const isSqlTag = (node: unknown) => identifierName(node) === 'sql';
  const takesSqlText = (callee: unknown) =>
    isNode(callee) &&
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    (['query', 'exec'].includes(identifierName(callee.property) ?? '') || (identifierName(callee.property) === 'raw' && isSqlTag(callee.object)));

  const methodCall = (node: unknown, names: string[]): Node | undefined =>
    isNode(node) &&
    node.type === 'CallExpression' &&
    isNode(node.callee) &&
    node.callee.type === 'MemberExpression' &&
    names.includes(identifierName(node.callee.property) ?? '')
      ? node
      : undefined;
  const carriesPersonalColumn = (node: unknown) => personalColumns[tableOf(node) ?? ''] !== undefined;
  /** The insert/update/delete call a builder chain starts from, if any. */
  const writeOf = (node: unknown): Node | undefined => {
    for (let call = node; isNode(call) && call.type === 'CallExpression'; call = ((call.callee as Node).object as Node) ?? null) {
      if (methodCall(call, ['insert', 'update', 'delete'])) return call;
      if (!isNode(call.callee) || call.callee.type !== 'MemberExpression') return undefined;
    }
    return undefined;
  };
  const wholeRows = (node: Node): boolean => {
    const from = methodCall(node, ['from']);
    if (from && carriesPersonalColumn((from.arguments as Node[])[0])) {
      const select = methodCall((from.callee as Node).object, ['select', 'selectDistinct']);
      if (select && (select.arguments as Node[]).length === 0) return true;
    }
    const returning = methodCall(node, ['returning']);
    if (returning && (returning.arguments as Node[]).length === 0) {
      const write = writeOf((returning.callee as Node).object);
      if (write && carriesPersonalColumn((write.arguments as Node[])[0])) return true;
    }
    return (
      node.type === 'MemberExpression' && identifierName((node.object as Node).property) === 'query' && personalColumns[memberName(node) ?? ''] !== undefined
    );
  };

  const visit = (node: Node): void => {
    if (wholeRows(node)) report(node, 'whole row');
    if (node.type === 'MemberExpression') {
      const table = tableOf(node.object);
      const member = memberName(node);
      if (table && member && personalColumns[table] === member) report(node, 'column');
      else if (member && personalTables.has(member) && namespaces.has(identifierName(node.object) ?? '')) report(node, 'table');
    }
    if (node.type === 'TaggedTemplateExpression' && isSqlTag(node.tag)) templateText(node.quasi as Node);
    if (node.type === 'CallExpression' && takesSqlText(node.callee)) {
      const [first] = node.arguments as Node[];
      const literal = stringValue(first);
      if (literal !== undefined) sqlText(first, text.slice(first.start, first.end));
      if (first?.type === 'TemplateLiteral') templateText(first);
    }
    for (const child of children(node)) visit(child);
  };
  visit(program as unknown as Node);
  return violations;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every violation outside the kernel, in src/. */
function kernelBoundaryViolations(): Violation[] {
  const outside = (file: string) => !file.startsWith('src/kernel/') && !file.startsWith('src/db/schema/');
  return sourceFiles(join(root, 'src'))
    .map((path) => relative(root, path))
    .filter(outside)
    .flatMap((file) => personalDataReferences(file, readFileSync(join(root, file), 'utf8')));
}

const describeViolation = (violation: Violation) => `${violation.file}:${violation.line} [${violation.rule}] ${violation.text}`;

describe('the privacy kernel boundary', () => {
  it('code outside src/kernel/ never touches personal-data columns or tables', () => {
    expect(kernelBoundaryViolations().map(describeViolation)).toEqual([]);
  });
});

describe('the boundary check itself', () => {
  const check = (text: string, file = 'src/crm/example.ts') => personalDataReferences(file, text).map((violation) => `${violation.rule}: ${violation.text}`);

  it('finds a personal column named through a schema import, an alias, a namespace or an element access', () => {
    const code = `
      import { contacts, events as ev } from '../db/schema/index.ts';
      import * as schema from '../db/schema/people.ts';
      db.select({ p: contacts.personal }).from(contacts);
      const props = ev.properties;
      const v = schema.visitors['personal'];`;
    expect(check(code)).toEqual(['column: contacts.personal', 'column: ev.properties', "column: schema.visitors['personal']"]);
  });

  it('finds a personal-data table imported from the schema, by name or through the namespace', () => {
    const code = `
      import { lookupTokens, companies } from '../../db/schema/index.ts';
      import * as schema from '../../db/schema/index.ts';
      db.delete(schema.subjectKeys);`;
    expect(check(code, 'src/crm/contacts/example.ts')).toEqual(['table: lookupTokens', 'table: schema.subjectKeys']);
  });

  it('finds personal columns and tables in SQL text, but not in the expressions a template interpolates', () => {
    const code = `
      await tx.execute(sql\`select c.personal->>'email' from contacts c where c.id = \${id}\`);
      await tx.execute(sql\`delete from lookup_tokens where tenant_id = \${tenantId}\`);
      await database.query('select properties from events');
      await tx.execute(sql.raw('truncate import_staging'));
      await tx.execute(sql\`select id from companies where name = \${personal}\`);`;
    expect(check(code)).toEqual([
      "sql: select c.personal->>'email' from contacts c where c.id = ",
      'sql: delete from lookup_tokens where tenant_id = ',
      "sql: 'select properties from events'",
      "sql: 'truncate import_staging'",
    ]);
  });

  it('finds whole-row reads and writes of a table with a personal column', () => {
    const code = `
      import { contacts, companies } from '../db/schema/index.ts';
      await db.select().from(contacts).where(eq(contacts.id, id));
      await db.insert(contacts).values(row).returning();
      await db.query.visitors.findMany();
      await db.select().from(companies);
      await db.select({ id: contacts.id }).from(contacts);
      await db.update(contacts).set({ version: 2 }).returning({ id: contacts.id });`;
    expect(check(code)).toEqual([
      'whole row: db.select().from(contacts)',
      'whole row: db.insert(contacts).values(row).returning()',
      'whole row: db.query.visitors',
    ]);
  });

  it('finds an import or re-export of a kernel module other than its public face', () => {
    const code = `
      import { insertContacts } from '../../kernel/contactRecords.ts';
      import type { VisitorRead } from '../../kernel/visitorRecords.ts';
      export { shredSubjects } from '../../kernel/vault/index.ts';
      import { listPermittedContacts } from '../../kernel/index.ts';
      import { normalizeEmail } from '../normalize.ts';`;
    expect(check(code, 'src/crm/contacts/example.ts')).toEqual([
      'private module: ../../kernel/contactRecords.ts',
      'private module: ../../kernel/visitorRecords.ts',
      'private module: ../../kernel/vault/index.ts',
    ]);
  });

  it('leaves alone same-named properties of other objects and words that merely contain a name', () => {
    const code = `
      import { contacts } from '../db/schema/index.ts';
      const personal = request.body.personal;
      const content = message.content;
      await tx.execute(sql\`select contact_id, personalised from contacts where id = \${contacts.id}\`);`;
    expect(check(code)).toEqual([]);
  });
});
