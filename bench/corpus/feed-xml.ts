import iconv from 'iconv-lite';
import type { GeneratedArticle } from './article-html.js';

export type FeedFormat = 'rss' | 'atom';
/** How the HTML sits inside the XML: in CDATA sections, or entity-escaped text. */
export type FeedEscaping = 'cdata' | 'entities';
export type FeedEncoding = 'utf-8' | 'gbk';

export interface FeedShape {
  format: FeedFormat;
  escaping: FeedEscaping;
  encoding: FeedEncoding;
  /** RSS only: put the HTML in content:encoded with a short description, as WordPress does. */
  contentEncoded?: boolean;
}

export interface RenderedFeed {
  bytes: Uint8Array;
  /** The Content-Type a server would send, charset included for GBK as the real GBK servers do. */
  contentType: string;
  items: number;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

function htmlText(html: string, escaping: FeedEscaping): string {
  return escaping === 'cdata' ? cdata(html) : escapeXml(html);
}

function rssItem(article: GeneratedArticle, shape: FeedShape): string {
  const body = htmlText(article.html, shape.escaping);
  const description = shape.contentEncoded ? htmlText(article.html.slice(0, 200).replace(/<[^>]*$/, ''), shape.escaping) : body;
  return [
    '<item>',
    `<title>${shape.escaping === 'cdata' ? cdata(article.title) : escapeXml(article.title)}</title>`,
    `<link>${escapeXml(article.url)}</link>`,
    `<guid isPermaLink="false">${escapeXml(article.guid)}</guid>`,
    `<pubDate>${new Date(article.published).toUTCString()}</pubDate>`,
    `<description>${description}</description>`,
    shape.contentEncoded ? `<content:encoded>${body}</content:encoded>` : '',
    '</item>',
  ].join('\n');
}

function atomEntry(article: GeneratedArticle, shape: FeedShape): string {
  const date = new Date(article.published).toISOString();
  return [
    '<entry>',
    `<title type="html">${shape.escaping === 'cdata' ? cdata(article.title) : escapeXml(article.title)}</title>`,
    `<link rel="alternate" type="text/html" href="${escapeXml(article.url)}"/>`,
    `<id>urn:bench:${escapeXml(article.guid)}</id>`,
    `<published>${date}</published>`,
    `<updated>${date}</updated>`,
    `<content type="html">${htmlText(article.html, shape.escaping)}</content>`,
    '</entry>',
  ].join('\n');
}

/**
 * A whole feed document, newest item first as feeds list them. GBK feeds
 * declare it in the XML prolog (and the server's Content-Type), as the
 * legacy Chinese feeds do.
 */
export function renderFeed(title: string, site: string, articles: readonly GeneratedArticle[], shape: FeedShape): RenderedFeed {
  const label = shape.encoding === 'gbk' ? 'GBK' : 'UTF-8';
  let xml: string;
  if (shape.format === 'rss') {
    const ns = shape.contentEncoded ? ' xmlns:content="http://purl.org/rss/1.0/modules/content/"' : '';
    xml = `<?xml version="1.0" encoding="${label}"?>\n<rss version="2.0"${ns}>\n<channel>\n<title>${escapeXml(title)}</title>\n<link>${escapeXml(site)}</link>\n<description>${escapeXml(title)}</description>\n<language>zh-cn</language>\n${articles.map((a) => rssItem(a, shape)).join('\n')}\n</channel>\n</rss>\n`;
  } else {
    const updated = new Date(articles[0]?.published ?? 0).toISOString();
    xml = `<?xml version="1.0" encoding="${label}"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">\n<title>${escapeXml(title)}</title>\n<link href="${escapeXml(site)}"/>\n<id>${escapeXml(site)}</id>\n<updated>${updated}</updated>\n${articles.map((a) => atomEntry(a, shape)).join('\n')}\n</feed>\n`;
  }
  const mime = shape.format === 'rss' ? 'application/rss+xml' : 'application/atom+xml';
  if (shape.encoding === 'gbk') {
    return { bytes: new Uint8Array(iconv.encode(xml, 'gbk')), contentType: `${mime}; charset=gbk`, items: articles.length };
  }
  return { bytes: new Uint8Array(Buffer.from(xml, 'utf8')), contentType: `${mime}; charset=utf-8`, items: articles.length };
}
