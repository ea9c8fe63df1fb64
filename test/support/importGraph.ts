import { dirname, join, normalize } from 'node:path';
// The oxc TypeScript parser that vite ships (typescript 7 has no in-process parser API).
import { parseSync } from 'vite';

/*
 * The import graph of src/ and the layering rules test/architecture.test.ts checks it
 * against (issue 8): folder arrows drawn in docs/architecture.md, and no import cycle.
 * Paths are relative to the repository root with forward slashes ("src/kernel/audit.ts").
 */

/** One module reference: an import, a re-export, a dynamic import() or a type-position import('…'). */
export type ImportEdge = {
  from: string;
  to: string;
  line: number;
  /** `import type`, `export type`, every specifier marked `type`, or `import('…').T` in a type. */
  typeOnly: boolean;
};

type Node = { type: string; start: number; end: number; [key: string]: unknown };
type Specifier = Node & { importKind?: string; exportKind?: string };

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
const children = (node: Node): Node[] => Object.values(node).flatMap((value) => (Array.isArray(value) ? value.filter(isNode) : isNode(value) ? [value] : []));
const literal = (node: unknown) => (isNode(node) && node.type === 'Literal' && typeof node.value === 'string' ? node.value : undefined);

/** Whether a declaration brings in types only (so it is erased from the JavaScript). */
function declaresTypesOnly(node: Node): boolean {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specifiers = (node.specifiers ?? []) as Specifier[];
  return specifiers.length > 0 && specifiers.every((specifier) => specifier.importKind === 'type' || specifier.exportKind === 'type');
}

/** One module specifier a file names, as written: "./x.ts", "react", "node:fs". */
export type ModuleReference = { specifier: string; line: number; typeOnly: boolean };

/** Every module a source file (.ts or .tsx) imports or re-exports, packages included. */
export function moduleReferencesOf(file: string, text: string): ModuleReference[] {
  const { program, errors } = parseSync(file, text, { lang: file.endsWith('.tsx') ? 'tsx' : 'ts', sourceType: 'module' });
  if (errors.length > 0) throw new Error(`${file} does not parse: ${errors[0].message}`);
  const references: ModuleReference[] = [];
  const add = (node: Node, specifier: string | undefined, typeOnly: boolean) => {
    if (specifier !== undefined) references.push({ specifier, line: text.slice(0, node.start).split('\n').length, typeOnly });
  };
  const visit = (node: Node): void => {
    if (['ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration'].includes(node.type)) add(node, literal(node.source), declaresTypesOnly(node));
    else if (node.type === 'ImportExpression') add(node, literal(node.source), false);
    else if (node.type === 'TSImportType') add(node, literal(node.source) ?? literal((node.argument as Node | undefined)?.literal), true);
    for (const child of children(node)) visit(child);
  };
  visit(program as unknown as Node);
  return references;
}

/**
 * The relative imports of one source file, resolved to repository paths. Package imports
 * ("drizzle-orm", "node:fs") are not edges of the graph: layering is about Candor's own code.
 */
export function importsOf(file: string, text: string): ImportEdge[] {
  return moduleReferencesOf(file, text)
    .filter((reference) => reference.specifier.startsWith('.'))
    .map((reference) => ({ from: file, to: normalize(join(dirname(file), reference.specifier)), line: reference.line, typeOnly: reference.typeOnly }));
}

/**
 * The top-level entry of src/ a path belongs to: the folder ("src/kernel/audit/head.ts" →
 * "kernel") or, for a file directly in src/, its name without ".ts" ("src/server.ts" →
 * "server"). Undefined outside src/.
 */
export function topLevelEntry(path: string): string | undefined {
  const parts = path.split('/');
  if (parts[0] !== 'src' || parts.length < 2) return undefined;
  return parts.length === 2 ? parts[1].replace(/\.ts$/, '') : parts[1];
}

export type AllowedArrows = { nodes: Set<string>; arrows: Set<string> };

const arrowKey = (from: string, to: string) => `${from} -> ${to}`;
// A node as the diagram writes it: its id, optionally with a label ("server[server.ts]").
const nodeToken = /^([A-Za-z][\w-]*)(?:\[[^\]]*\])?$/;

/**
 * The allowed arrows: the edges of the one ```mermaid block of docs/architecture.md. Each
 * line is `graph TD`/`flowchart TD`, a `%%` comment, a node, or `a --> b & c` (a may import
 * from b and from c). Any other line is refused, so the picture cannot say more than the
 * test reads.
 */
export function allowedArrows(markdown: string): AllowedArrows {
  const blocks = [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```/gm)];
  if (blocks.length !== 1) throw new Error(`docs/architecture.md must hold exactly one mermaid diagram (found ${blocks.length}).`);
  const nodes = new Set<string>();
  const arrows = new Set<string>();
  const node = (token: string, line: string) => {
    const match = nodeToken.exec(token.trim());
    if (!match) throw new Error(`Cannot read the node "${token.trim()}" in the diagram line "${line}".`);
    nodes.add(match[1]);
    return match[1];
  };
  for (const raw of blocks[0][1].split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('%%') || /^(graph|flowchart)\s+(TD|TB|BT|LR|RL)$/.test(line)) continue;
    const sides = line.split('-->');
    if (sides.length > 2) throw new Error(`One arrow per line in the diagram: "${line}".`);
    const from = node(sides[0], line);
    if (sides.length === 1) continue;
    for (const target of sides[1].split('&')) arrows.add(arrowKey(from, node(target, line)));
  }
  return { nodes, arrows };
}

/** Imports that cross from one top-level entry to another along an arrow the diagram does not draw. */
export function forbiddenArrows(edges: readonly ImportEdge[], allowed: AllowedArrows): string[] {
  return edges.flatMap((edge) => {
    const from = topLevelEntry(edge.from);
    const to = topLevelEntry(edge.to);
    if (from === undefined || to === undefined || from === to || allowed.arrows.has(arrowKey(from, to))) return [];
    return [`${edge.from}:${edge.line} imports ${edge.to}, but ${arrowKey(from, to)} is not an allowed arrow`];
  });
}

/**
 * Every import cycle, one per strongly connected component of the graph, written as the
 * path round it ("a -> b -> a"). Tarjan's algorithm, iterative so deep graphs cannot
 * overflow the stack.
 */
export function importCycles(edges: ReadonlyArray<Pick<ImportEdge, 'from' | 'to'>>): string[] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    next.set(from, [...(next.get(from) ?? []), to]);
    if (!next.has(to)) next.set(to, []);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  for (const root of [...next.keys()].sort()) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; child: number }> = [{ node: root, child: 0 }];
    index.set(root, index.size);
    low.set(root, index.get(root)!);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const targets = next.get(frame.node)!;
      if (frame.child < targets.length) {
        const target = targets[frame.child++];
        if (!index.has(target)) {
          index.set(target, index.size);
          low.set(target, index.get(target)!);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, child: 0 });
        } else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      if (component.length > 1 || targets.includes(frame.node)) components.push(component);
    }
  }
  return components.map((component) => cyclePath(component, next).join(' -> ')).sort();
}

/** The shortest path round a strongly connected component through its first member (sorted). */
function cyclePath(component: string[], next: Map<string, string[]>): string[] {
  const members = new Set(component);
  const start = [...members].sort()[0];
  const previous = new Map<string, string>();
  const queue = [start];
  for (let at = 0; at < queue.length; at += 1) {
    const node = queue[at];
    for (const target of next.get(node) ?? []) {
      if (target === start) {
        const path = [start];
        for (let back = node; back !== start; back = previous.get(back)!) path.splice(1, 0, back);
        return [...path, start];
      }
      if (!members.has(target) || previous.has(target)) continue;
      previous.set(target, node);
      queue.push(target);
    }
  }
  throw new Error(`${start} is in a strongly connected component but on no cycle`);
}
