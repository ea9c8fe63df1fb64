import type { Page } from 'playwright-core';

// Given as text: it runs in the page, whose DOM this Node project has no types for.
// Focus inside a shadow root (the consent widget's) is followed down to the element itself.
const focusedNameScript = `(() => {
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) element = element.shadowRoot.activeElement;
  if (!element) return '';
  const root = element.getRootNode();
  const labelledBy = element.getAttribute('aria-labelledby');
  const byIds = labelledBy ? labelledBy.split(' ').map((id) => root.getElementById(id)?.textContent ?? '').join(' ') : '';
  const label = element.getAttribute('aria-label') ?? element.labels?.[0]?.textContent ?? (byIds || element.textContent) ?? '';
  return label.replace(/\\s+/g, ' ').trim();
})()`;

/** The accessible name of the focused element, roughly as a screen reader says it (aria-label, its label, its text). */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(focusedNameScript) as Promise<string>;
}

/**
 * Presses Tab (or Shift+Tab) until the focused element's name matches, as a keyboard user
 * moves through the page; fails when it is not reached within `limit` presses.
 */
export async function tabTo(page: Page, name: string | RegExp, options: { backwards?: boolean; limit?: number } = {}): Promise<void> {
  const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
  const seen: string[] = [];
  for (let presses = 0; presses < (options.limit ?? 80); presses++) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    const focused = await focusedName(page);
    if (matches(focused)) return;
    seen.push(focused);
  }
  throw new Error(`Tab never reached "${String(name)}"; it went through: ${seen.join(' | ')}`);
}
