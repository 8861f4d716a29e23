import { describe, expect, it } from 'vitest';
import { canonicalLink, formatLink } from './link.js';

describe('links', () => {
  it('writes links as the WHATWG serializer does, with ( ) and spaces encoded', () => {
    expect(formatLink('https://www.rfi.fr/cn/中国/20230926-中国称')).toBe(
      'https://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD/20230926-%E4%B8%AD%E5%9B%BD%E7%A7%B0',
    );
    expect(formatLink('https://x.org/a_(b)?q=1 2')).toBe('https://x.org/a_%28b%29?q=1%202');
    expect(formatLink('/relative', 'https://x.org/feed')).toBe('https://x.org/relative');
    expect(formatLink('not a url')).toBeUndefined();
  });

  it('canonicalizes case, default ports, fragments and tracking parameters', () => {
    expect(canonicalLink('HTTPS://WWW.RFI.FR:443/cn/a?utm_source=x&id=3&fbclid=y#top')).toBe('https://www.rfi.fr/cn/a?id=3');
    expect(canonicalLink('https://x.org/a?utm_medium=rss')).toBe('https://x.org/a');
  });
});
