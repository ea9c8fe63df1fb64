import { expect } from 'vitest';
import type { RecordedPage } from './browser.ts';

/**
 * What every page of the app must hold to, checked on all a test file's browsing: every
 * request went to Candor's own origin; every HTML document came with the strict CSP and
 * holds no inline script; nothing broke the CSP or threw.
 */
export function expectCandorOnly(recorded: RecordedPage, candorUrl: string): void {
  const origin = new URL(candorUrl).origin;
  expect(recorded.requests.length).toBeGreaterThan(0);
  expect(recorded.requests.filter((request) => new URL(request.url).origin !== origin).map((request) => request.url)).toEqual([]);
  expect(recorded.htmlResponses.length).toBeGreaterThan(0);
  for (const document of recorded.htmlResponses) {
    const csp = document.headers['content-security-policy'] ?? '';
    expect({ url: document.url, csp }).toEqual({ url: document.url, csp: expect.stringContaining("script-src 'self'") });
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    // Every <script> loads a file; none carries code of its own.
    expect(document.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
  }
  expect(recorded.faults).toEqual([]);
}
