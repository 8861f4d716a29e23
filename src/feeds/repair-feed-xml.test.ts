import { describe, expect, it } from 'vitest';
import { repairFeedXml } from './repair-feed-xml.js';

/** A stand-in parser: well-formed enough when no bare "<" and every <item> closes. */
const reads = (xml: string): boolean =>
  !/<(?![A-Za-z_:/!?])/.test(xml) &&
  (xml.match(/<item>/g) ?? []).length === (xml.match(/<\/item>/g) ?? []).length &&
  !xml.includes('BROKEN') &&
  xml.trimEnd().endsWith('</rss>');

describe('repairFeedXml', () => {
  const rss = (items: string) => `<rss version="2.0"><channel><title>t</title>${items}</channel></rss>`;

  it('escapes a "<" that cannot start markup, and nothing else', () => {
    expect(repairFeedXml(rss('<item><title>5 < 6</title></item>'), 'rss', reads)).toBe(
      rss('<item><title>5 &lt; 6</title></item>'),
    );
  });

  it('closes a truncated document after its last complete item', () => {
    const cut = '<rss version="2.0"><channel><title>t</title><item>a</item><item>b</item><item>c';
    expect(repairFeedXml(cut, 'rss', reads)).toBe('<rss version="2.0"><channel><title>t</title><item>a</item><item>b</item></channel></rss>');
  });

  it('keeps only the items that read on their own', () => {
    const body = rss('<item>a</item><item>BROKEN</item><item>c</item>');
    expect(repairFeedXml(body, 'rss', reads)).toBe(rss('<item>a</item><item>c</item>'));
  });

  it('closes RDF and Atom roots with their own prefix', () => {
    const atomReads = (xml: string) => xml.endsWith('</a:feed>');
    expect(repairFeedXml('<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:entry>x</a:entry><a:entry>y', 'feed', atomReads)).toBe(
      '<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:entry>x</a:entry></a:feed>',
    );
    const rdfReads = (xml: string) => xml.endsWith('</rdf:RDF>');
    expect(repairFeedXml('<rdf:RDF><channel></channel><item>x</item><item>y', 'rdf', rdfReads)).toBe(
      '<rdf:RDF><channel></channel><item>x</item></rdf:RDF>',
    );
  });

  it('gives up when no complete item survives', () => {
    expect(repairFeedXml('<rss version="2.0"><channel><title>t</title><item>a', 'rss', reads)).toBeUndefined();
    expect(repairFeedXml(rss('<item>BROKEN</item>'), 'rss', reads)).toBeUndefined();
    expect(repairFeedXml('<rss><channel><title>no items', 'rss', reads)).toBeUndefined();
  });
});
