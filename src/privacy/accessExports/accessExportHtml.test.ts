import { describe, expect, it } from 'vitest';
import { escapeHtml } from './accessExportHtml.ts';

describe('escapeHtml', () => {
  it('turns every character that could open markup or an attribute into an entity', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'quoted'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;');
    expect(escapeHtml('plain text, 42 €')).toBe('plain text, 42 €');
  });
});
