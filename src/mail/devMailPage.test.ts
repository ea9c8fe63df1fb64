import { describe, expect, it } from 'vitest';
import { escapeHtml, renderDevMailPage } from './devMailPage.ts';

describe('the dev mailbox page', () => {
  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('renders no markup from a message and links only http(s) URLs', () => {
    const html = renderDevMailPage([
      {
        id: 'x',
        recipient: '<b>to</b>',
        subject: '</h2><script>x()</script>',
        textBody: 'javascript:alert(1) and https://ok.example/a?b=1&c="2" and http://x/<img>',
        createdAt: new Date('2030-01-01T00:00:00Z'),
      },
    ]);
    expect(html).not.toMatch(/<script|<b>|<img|href="javascript/);
    expect(html).toContain('<a href="https://ok.example/a?b=1&amp;c=&quot;2&quot;">');
    expect(html).toContain('<a href="http://x/&lt;img&gt;">');
  });

  it('says so when there is no mail', () => {
    expect(renderDevMailPage([])).toContain('No mail yet.');
  });
});
