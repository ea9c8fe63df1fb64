import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { seriousAccessibilityViolations } from './accessibility.ts';

/** Where each run leaves its screenshots (gitignored), to look at the screens a change touched. */
export const screenshotDir = fileURLToPath(new URL('../screenshots/', import.meta.url));

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: options.fullPage ?? false });
}

/** A screen as the run records it: no serious or critical accessibility violation (axe-core), and its screenshot. */
export async function checkScreen(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await screenshot(page, name, options);
}
