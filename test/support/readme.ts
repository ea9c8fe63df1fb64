import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Executor } from '../../src/db/connection.ts';
import { selectRows } from '../../src/db/rows.ts';

// Running README examples as written: sections, code blocks, shell words and curl requests.

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

export function readmeSection(title: string): string {
  const start = readme.indexOf(`\n### ${title}\n`);
  if (start < 0) throw new Error(`README has no section ${title}`);
  const end = readme.indexOf('\n### ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

export function codeBlocks(section: string, language: string): string[] {
  return [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((match) => match[1]);
}

/** Shell words of a command: quotes, backslash-newline continuations and $VARIABLES, as sh reads them. */
export function shellWords(text: string, variables: Record<string, string>): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '\\' && text[i + 1] === '\n') {
      i += 1;
    } else if (/\s/.test(char)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (char === "'") {
      const end = text.indexOf("'", i + 1);
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (char === '"') {
      const end = text.indexOf('"', i + 1);
      word = (word ?? '') + text.slice(i + 1, end).replace(/\$(\w+)/g, (_, name: string) => variables[name] ?? '');
      i = end;
    } else if (char === '$') {
      const name = /^\w+/.exec(text.slice(i + 1))?.[0] ?? '';
      word = (word ?? '') + (variables[name] ?? '');
      i += name.length;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

type CurlRequest = { method: string; url: string; headers: Record<string, string>; body?: string };

/**
 * The curl commands of a shell block as written, each from `curl` to the end of its command:
 * a line end (not one continued by a backslash), a pipe, or the `)` closing a `$( … )` around it.
 */
export function curlCommands(block: string): string[] {
  const commands: string[] = [];
  for (const match of block.matchAll(/(?<![\w-])curl /g)) {
    let quote: string | null = null;
    let end = match.index;
    for (; end < block.length; end += 1) {
      const char = block[end];
      if (quote) {
        if (char === quote) quote = null;
      } else if (char === '"' || char === "'") quote = char;
      else if (char === ')' || char === '|' || (char === '\n' && block[end - 1] !== '\\')) break;
    }
    commands.push(block.slice(match.index, end));
  }
  return commands;
}

/** A curl command's request; `files` holds what `--data-binary @name` reads, by name. */
export function curlRequest(words: string[], files: Record<string, string> = {}): CurlRequest {
  expect(words[0]).toBe('curl');
  const request: CurlRequest = { method: 'GET', url: '', headers: {} };
  for (let i = 1; i < words.length; i += 1) {
    const word = words[i];
    if (word === '-X') request.method = words[++i];
    else if (word === '-H') {
      const header = words[++i];
      const colon = header.indexOf(':');
      request.headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else if (word === '-d') request.body = words[++i];
    else if (word === '-s') continue;
    else if (word === '--data-binary') {
      const name = words[++i].replace(/^@/, '');
      expect(Object.keys(files), `--data-binary @${name}`).toContain(name);
      request.body = files[name];
      // curl sends a body as POST unless told otherwise.
      if (request.method === 'GET') request.method = 'POST';
    } else request.url = new URL(word).pathname + new URL(word).search;
  }
  return request;
}

/**
 * Whether `actual` is what the README shows: "…" matches any value, a "…" key allows further
 * keys, and a last "…" item in a list allows further items.
 */
export function matchesDocumented(actual: unknown, documented: unknown): boolean {
  if (documented === '…') return true;
  if (Array.isArray(documented)) {
    if (!Array.isArray(actual)) return false;
    const open = documented.at(-1) === '…';
    const items = open ? documented.slice(0, -1) : documented;
    const lengthFits = open ? actual.length >= items.length : actual.length === items.length;
    return lengthFits && items.every((item, index) => matchesDocumented(actual[index], item));
  }
  if (documented && typeof documented === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const entries = Object.entries(documented).filter(([key]) => key !== '…');
    const open = '…' in documented;
    if (!open && Object.keys(actual).length !== entries.length) return false;
    return entries.every(([key, value]) => matchesDocumented((actual as Record<string, unknown>)[key], value));
  }
  return actual === documented;
}

/**
 * Checks that README statements `CREATE INDEX CONCURRENTLY IF NOT EXISTS "…"` build exactly
 * the indexes of the migration named `…_<migrationName>.sql` (found whatever its number):
 * the migrated indexes are dropped, the statements run, and the definitions must be the same.
 */
export async function expectReadmeIndexesMatchMigration(db: Executor, statements: string[], migrationName: string): Promise<void> {
  const names = statements.map((statement) => /IF NOT EXISTS "(\w+)"/.exec(statement)![1]);
  const migrations = new URL('../../src/db/migrations/', import.meta.url);
  const file = readdirSync(migrations).find((name) => name.endsWith(`_${migrationName}.sql`));
  expect(file, migrationName).toBeDefined();
  const migration = readFileSync(new URL(file!, migrations), 'utf8');
  expect([...names].sort()).toEqual([...migration.matchAll(/CREATE INDEX IF NOT EXISTS "(\w+)"/g)].map((match) => match[1]).sort());
  const definitions = () =>
    selectRows<{ indexname: string; indexdef: string }>(
      db,
      sql`select indexname, indexdef from pg_indexes where indexname = any(${sql.param(names)}::text[]) order by indexname`,
    );
  const migrated = await definitions();
  expect(migrated).toHaveLength(names.length);
  for (const name of names) await db.execute(sql`drop index ${sql.identifier(name)}`);
  expect(await definitions()).toEqual([]);
  for (const statement of statements) await db.execute(sql.raw(statement));
  expect(await definitions()).toEqual(migrated);
}
