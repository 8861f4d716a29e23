/** Test feeds written by us. */

export interface TestItem {
  title: string;
  link?: string;
  guid?: string;
  pubDate?: string;
  description?: string;
  contentEncoded?: string;
  categories?: string[];
}

const cdata = (text: string) => `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

export function rss(items: TestItem[], title = 'Test feed'): string {
  const body = items
    .map((item) =>
      [
        '<item>',
        `<title>${cdata(item.title)}</title>`,
        item.link !== undefined ? `<link>${item.link}</link>` : '',
        item.guid !== undefined ? `<guid isPermaLink="false">${item.guid}</guid>` : '',
        item.pubDate !== undefined ? `<pubDate>${item.pubDate}</pubDate>` : '',
        ...(item.categories ?? []).map((c) => `<category>${cdata(c)}</category>`),
        item.description !== undefined ? `<description>${cdata(item.description)}</description>` : '',
        item.contentEncoded !== undefined ? `<content:encoded>${cdata(item.contentEncoded)}</content:encoded>` : '',
        '</item>',
      ].join(''),
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${title}</title><link>https://example.org/</link><description>t</description>\n${body}\n</channel></rss>\n`;
}

/** n items with distinct links, one hour apart, newest first as feeds list them. */
export function numberedItems(n: number, prefix = 'item', start = Date.UTC(2026, 9, 1)): TestItem[] {
  return Array.from({ length: n }, (_, i) => {
    const k = n - 1 - i;
    return {
      title: `${prefix} ${k} 第${k}篇`,
      link: `https://example.org/${prefix}/${k}`,
      guid: `urn:${prefix}:${k}`,
      pubDate: new Date(start + k * 3600_000).toUTCString(),
      description: `<p>正文 ${k}</p>\n<p>第二段 ${k}</p>`,
    };
  });
}
