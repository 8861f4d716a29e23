/**
 * Feeds of the shapes a hostile mirror can serve to hold a run (issue 15):
 * generated here, sized by the caller, the same bytes on every machine. Each
 * is well-formed RSS 2.0 whose one bad trait is its size in one dimension.
 */

const DATE = 'Thu, 01 Jan 2026 00:00:00 GMT';

function channel(title: string, items: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${title}</title><link>https://example.org/${title}/</link><description>${title}</description>\n${items}</channel></rss>\n`;
}

/** One item whose escaped HTML body is `count` character and entity references (numeric, named, hex). */
export function entityFeed(count: number): string {
  // Each unit is four references: XML decodes `&amp;nbsp;` to `&nbsp;`, which the HTML cleaner decodes again.
  const units = Math.ceil(count / 4);
  const body = '&#x4e2d;&amp;nbsp;&#25991;&amp;amp;'.repeat(units);
  return channel('entities', `<item><title>实体 entities</title><link>https://example.org/entities/1</link><pubDate>${DATE}</pubDate><description>${body}</description></item>\n`);
}

/** One item whose HTML is `depth` elements nested inside one another. */
export function deepFeed(depth: number): string {
  const html = `${'<div>'.repeat(depth)}深处 deep${'</div>'.repeat(depth)}`;
  return channel('deep', `<item><title>嵌套 deep</title><link>https://example.org/deep/1</link><pubDate>${DATE}</pubDate><description><![CDATA[${html}]]></description></item>\n`);
}

/** `count` tiny items, newest first, one second apart. */
export function manyItemsFeed(count: number): string {
  const start = Date.UTC(2026, 0, 1);
  const items: string[] = [];
  for (let k = count - 1; k >= 0; k -= 1) {
    items.push(`<item><title>t${k}</title><link>https://example.org/many/${k}</link><pubDate>${new Date(start + k * 1000).toUTCString()}</pubDate></item>\n`);
  }
  return channel('many', items.join(''));
}

/** A small good feed: `count` items of a paragraph each, titled `${name} n`. */
export function goodFeed(name: string, count = 3): string {
  const start = Date.UTC(2026, 0, 1);
  const items: string[] = [];
  for (let k = count - 1; k >= 0; k -= 1) {
    items.push(
      `<item><title>${name} ${k}</title><link>https://example.org/${name}/${k}</link><pubDate>${new Date(start + k * 3600_000).toUTCString()}</pubDate><description><![CDATA[<p>${name} 正文 ${k}</p>]]></description></item>\n`,
    );
  }
  return channel(name, items.join(''));
}
