/**
 * RSS 2.0 written under a namespace prefix (`<r:rss xmlns:r="http://backend.userland.com/rss2">`,
 * `<r:channel>`, `<r:item>`): RSS elements have no namespace in the spec, and
 * feedsmith finds no channel in such a document. The prefix of the root is
 * dropped from every element name that carries it (outside CDATA sections and
 * comments), with its declaration, so both readers see plain RSS. Returns the
 * body as it is when the root has no prefix. An unclosed CDATA section or
 * comment runs to the end (one scan, not one per opening).
 */
export function unprefixRss(body: string, rootTag: string): string {
  const prefix = /^<([\w.-]+):rss\b/i.exec(rootTag)?.[1];
  if (prefix === undefined) return body;
  const escaped = prefix.replace(/[.-]/g, '\\$&');
  const pattern = new RegExp(`<!\\[CDATA\\[[\\s\\S]*?(?:\\]\\]>|$)|<!--[\\s\\S]*?(?:-->|$)|<(/?)${escaped}:(?=[\\w.-])|\\sxmlns:${escaped}\\s*=\\s*(?:"[^"]*"|'[^']*')`, 'g');
  return body.replace(pattern, (whole, slash: string | undefined) => {
    if (whole.startsWith('<!')) return whole;
    return whole.startsWith('<') ? `<${slash ?? ''}` : '';
  });
}
