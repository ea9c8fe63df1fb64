/*
 * The fenced code blocks of a Markdown file, sorted for the README walk
 * (test/readmeWalk.test.ts): every shell block runs, in order, unless the line before it is
 * `<!-- not run: reason -->`; a `json` block right after a shell block (blank lines between
 * at most) is what that block prints.
 */

export type FencedBlock = {
  /** The info string's first word (`sh`, `json`, … or '' for none). */
  language: string;
  /** The block's lines, without the fence's indentation, each ending in a newline. */
  text: string;
  /** Line number (1-based) of the opening fence. */
  line: number;
  /** The heading the block sits under. */
  heading: string;
  /** The reason given by a `<!-- not run: reason -->` line right before the block, if any. */
  notRun: string | null;
  /** Whether only blank lines separate this block from the previous block's closing fence. */
  followsBlock: boolean;
};

export const shellLanguages: ReadonlySet<string> = new Set(['sh', 'bash', 'shell', 'zsh', 'console']);

const notRunMarker = /^<!--\s*not run:\s*(.*?)\s*-->$/;

export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  let heading = '';
  let lastClose = -2;
  for (let index = 0; index < lines.length; index += 1) {
    const heads = /^#{1,6} (.*)$/.exec(lines[index]);
    if (heads) heading = heads[1];
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)/.exec(lines[index]);
    if (!open) continue;
    const [, indent, fence, language] = open;
    const start = index;
    const body: string[] = [];
    for (index += 1; index < lines.length && !isClosingFence(lines[index], fence); index += 1) {
      body.push(lines[index].startsWith(indent) ? lines[index].slice(indent.length) : lines[index].trimStart());
    }
    const before =
      lines
        .slice(0, start)
        .findLast((line) => line.trim() !== '')
        ?.trim() ?? '';
    const between = lines.slice(lastClose + 1, start);
    blocks.push({
      language,
      text: body.map((line) => `${line}\n`).join(''),
      line: start + 1,
      heading,
      notRun: notRunMarker.exec(before)?.[1] ?? null,
      followsBlock: lastClose >= 0 && between.every((line) => line.trim() === ''),
    });
    lastClose = index;
  }
  return blocks;
}

function isClosingFence(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith(fence) && new RegExp(`^\\${fence[0]}+$`).test(trimmed);
}

export type WalkStep = {
  block: FencedBlock;
  /** The JSON the README shows it prints, if it shows any. */
  output: FencedBlock | null;
};

export type WalkPlan = {
  /** The shell blocks to run, in order. */
  steps: WalkStep[];
  /** Shell blocks marked `<!-- not run: reason -->`. */
  notRun: FencedBlock[];
  /** Marked blocks that give no reason. */
  unexplained: FencedBlock[];
  /** Blocks in another language that hold a command a reader would run (`curl …`, `npx …`). */
  commandsOutsideShell: FencedBlock[];
};

const commandLine = /^\s*(\$\s+)?(curl|npx|npm|candor)\s/m;

export function walkPlan(markdown: string): WalkPlan {
  const blocks = fencedBlocks(markdown);
  const plan: WalkPlan = { steps: [], notRun: [], unexplained: [], commandsOutsideShell: [] };
  blocks.forEach((block, index) => {
    if (!shellLanguages.has(block.language)) {
      if (commandLine.test(block.text) && block.language !== 'sql') plan.commandsOutsideShell.push(block);
      return;
    }
    if (block.notRun === '') plan.unexplained.push(block);
    if (block.notRun !== null) {
      plan.notRun.push(block);
      return;
    }
    const next = blocks[index + 1];
    plan.steps.push({ block, output: next?.language === 'json' && next.followsBlock ? next : null });
  });
  return plan;
}

/** Where a block is, for messages: `README.md:89 (A first API call)`. */
export function blockPlace(block: FencedBlock): string {
  return `README.md:${block.line} (${block.heading})`;
}
