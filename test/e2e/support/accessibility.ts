import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

// axe-core is evaluated in the page through the DevTools protocol, like the recorder: the
// page's CSP allows no injected <script>, and must not be loosened for the test.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export type Violation = { id: string; impact: string | null; help: string; targets: string[] };

/** The serious and critical WCAG 2.2 A/AA violations axe-core finds on the page as it is now. */
export async function seriousAccessibilityViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    type Axe = {
      run(
        context: object,
        options: object,
      ): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }>;
    };
    const axe = (globalThis as unknown as { axe: Axe }).axe;
    // React Aria's live announcer is left out: a visually hidden region whose transient
    // messages point at labels by id (role img + aria-labelledby), as screen readers need.
    const scope = { exclude: [['[data-live-announcer]']] };
    const results = await axe.run(scope, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}
