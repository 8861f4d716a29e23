import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import { cleanForSource } from './clean-for-source.js';

const [source] = configSchema.parse({ sources: [{ name: 'R', slug: 'r', url: 'https://example.org/rss' }] }).sources;
const footer = '<div>获取更多RSS：<br><a href="https://feedx.net">https://feedx.net</a></div>';

describe('cleanForSource', () => {
  it('sanitizes alone, without a DOM, a body of more references than the DOM cleaner can take', () => {
    const many = `<p>${'&#x4e2d;&amp;'.repeat(60_000)}</p><script>x()</script>${footer}`;
    const out = cleanForSource(many, undefined, source!);
    expect(out.startsWith('<p>中&amp;中&amp;')).toBe(true);
    expect(out).not.toContain('<script');
    // The DOM cleaner's rules (the feed-mirror footer) are what such a body goes without.
    expect(out).toContain('feedx.net');
    const few = `<p>${'&#x4e2d;&amp;'.repeat(100)}</p>${footer}`;
    expect(cleanForSource(few, undefined, source!)).not.toContain('feedx.net');
  });
});
