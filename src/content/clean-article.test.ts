import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanArticle } from './clean-article.js';
import { sanitizeArticleHtml } from './sanitize-html.js';

const clean = (html: string, url?: string): string => cleanArticle(url ? { html, url } : { html }).html;

describe('cleanArticle: generic rules', () => {
  it('removes scripts, styles, <noscript> messages, templates and page plumbing', () => {
    const html =
      '<link rel="stylesheet" href="x.css"><style>p{}</style><p>正文。</p><script>track()</script>' +
      '<noscript><p>请启用 JavaScript</p></noscript><template><p>t</p></template><meta name="x" content="y">';
    expect(clean(html)).toBe('<p>正文。</p>');
  });

  it('removes HTML comments', () => {
    expect(clean('<p>正文<!-- cached 2024-01-01 12:00:00 -->。</p><!-- wp:paragraph -->')).toBe('<p>正文。</p>');
  });

  it('removes tracking pixels: 1×1 images, hidden images, counting hosts', () => {
    const html =
      '<p>正文。<img src="https://e.com/p.gif" width="1" height="1"><img src="https://e.com/q.gif" style="display: none"></p>' +
      '<img src="https://feeds.feedburner.com/~r/example/~4/abc" height="1" width="1" alt=""><img src="https://pixel.wp.com/g.gif?v=1">' +
      '<p><img src="https://e.com/photo.jpg" width="1" height="600"></p>';
    expect(clean(html)).toBe('<p>正文。</p><p><img height="600" src="https://e.com/photo.jpg" width="1" /></p>');
  });

  it('removes empty links and placeholders, keeping the space an empty inline element held', () => {
    const html =
      '<div data-selfpromo-newsletter></div><p><a href="https://e.com/"><span></span></a>正文</p><p>&nbsp;</p><p><br><br></p>' +
      '<p><strong>BY</strong><strong>&nbsp;</strong><strong>lin</strong></p><div><div></div></div><table><tr><td></td><td>1</td></tr></table>';
    expect(clean(html)).toBe('<p>正文</p><p><strong>BY</strong>\u00a0<strong>lin</strong></p><table><tr><td></td><td>1</td></tr></table>');
  });

  it("removes the feed mirror's advert footer and the rule and breaks before it", () => {
    const html =
      '<p>正文。</p><br><hr><div>获取更多RSS：<br><a href="https://feedx.net" style="color:orange" target="_blank">https://feedx.net</a> <br>' +
      '<a href="https://feedx.best" style="color:orange" target="_blank">https://feedx.best</a><br></div>';
    expect(clean(html)).toBe('<p>正文。</p>');
  });

  it('keeps a rule that is not the footer separator', () => {
    expect(clean('<p>一。</p><hr><p>二。</p>')).toBe('<p>一。</p><hr /><p>二。</p>');
  });

  it('removes share blocks of any site by their targets, with their label', () => {
    const html =
      '<p>正文。</p><ul class="share"><li><span>分享到：</span></li><li><a href="https://service.weibo.com/share/share.php?url=x">微博</a></li>' +
      '<li><a href="https://www.facebook.com/sharer/sharer.php?u=x">Facebook</a></li><li><a href="mailto:?subject=x">Email</a></li></ul>';
    expect(clean(html)).toBe('<p>正文。</p>');
  });

  it('keeps a paragraph that has a share link among its words, removing only the link', () => {
    const html = '<p>这是一段很长的正文，作者在这里写了很多字，<a href="https://twitter.com/intent/tweet?text=x">转推</a>然后继续写。</p>';
    expect(clean(html)).toBe('<p>这是一段很长的正文，作者在这里写了很多字，然后继续写。</p>');
  });

  it('resolves lazy images and <noscript> copies', () => {
    const html =
      '<img class="lazyload" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="https://e.com/a.jpg" data-srcset="https://e.com/a.jpg 1x">' +
      '<noscript><img src="https://e.com/a.jpg"></noscript>' +
      '<p><img src="https://e.com/blank.gif"><noscript><img src="https://e.com/b.jpg" alt="b"></noscript></p>' +
      '<p><noscript><img src="https://e.com/c.jpg"></noscript></p>';
    expect(clean(html)).toBe(
      '<img src="https://e.com/a.jpg" srcset="https://e.com/a.jpg 1x" /><p><img alt="b" src="https://e.com/b.jpg" /></p><p><img src="https://e.com/c.jpg" /></p>',
    );
  });

  it('removes images and players the sanitizer would drop, and the wrappers they leave empty', () => {
    const html =
      '<div><img src="data:image/svg+xml,%3Csvg%3E%3C/svg%3E"></div><div><iframe src="https://ads.example/player"></iframe></div>' +
      '<p>正文。</p><div><iframe src="https://www.youtube-nocookie.com/embed/x"></iframe></div>';
    expect(clean(html)).toBe('<p>正文。</p><div><iframe src="https://www.youtube-nocookie.com/embed/x"></iframe></div>');
    expect(cleanArticle({ html, iframeHosts: ['ads.example'] }).html).toBe(
      '<div><iframe src="https://ads.example/player"></iframe></div><p>正文。</p>',
    );
  });

  it('resolves relative links and images against the article URL', () => {
    const html = '<p><a href="/cn/a">a</a><img src="img/b.jpg"></p>';
    expect(clean(html, 'https://www.example.org/news/1.html')).toBe(
      '<p><a href="https://www.example.org/cn/a" rel="noopener noreferrer">a</a><img src="https://www.example.org/news/img/b.jpg" /></p>',
    );
  });

  it('names the site rule it used and counts what it removed', () => {
    const result = cleanArticle({ html: '<p>正文。</p><script>x</script><!-- c -->', url: 'https://www.rfi.fr/cn/x' });
    expect(result).toEqual({ html: '<p>正文。</p>', rule: 'rfi', removed: 2 });
    expect(cleanArticle({ html: '<p>正文。</p>', url: 'https://example.com/x' })).toEqual({ html: '<p>正文。</p>', removed: 0 });
  });

  it('sanitizes what it returns', () => {
    const html = '<p onclick="x()">正文<a href="javascript:alert(1)">链接</a></p><svg onload="alert(1)"></svg><form><input></form>';
    expect(clean(html)).toBe('<p>正文链接</p>');
  });
});

describe('cleanArticle: stability', () => {
  /** One CDT page as two fetches would return it: only per-request values differ. */
  function fetchPage(visit: { nonce: string; rocket: string; stamp: string; key: number; secret: string; ago: string }): string {
    const email = Buffer.from('editor@example.org');
    const cfemail =
      visit.key.toString(16).padStart(2, '0') + [...email].map((byte) => (byte ^ visit.key).toString(16).padStart(2, '0')).join('');
    return `<!DOCTYPE html><html><head>
<script type="${visit.rocket}-text/javascript" nonce="${visit.nonce}">var x = "${visit.nonce}";</script>
<link rel="stylesheet" href="/style.css?ver=${visit.stamp}"></head>
<body class="page-${visit.stamp}"><!-- generated in 0.${visit.stamp}s --><div class="post-content" id="post-${visit.secret}">
<p data-cf-modified-${visit.rocket}="">正文第一段，<a href="https://e.com/a?id=1&amp;utm_source=${visit.stamp}&amp;fbclid=${visit.secret}">链接</a>。</p>
<p><time datetime="2025-02-14">${visit.ago}</time></p>
<p><img src="/files/a.jpg?ver=${visit.stamp}" srcset="/files/a.jpg?v=${visit.stamp} 1x, /files/a-2x.jpg?_=${visit.stamp} 2x" data-cf-nonce="${visit.nonce}"></p>
<p>联系：<a href="/cdn-cgi/l/email-protection" class="__cf_email__" data-cfemail="${cfemail}">[email&#160;protected]</a></p>
<iframe src="https://www.youtube.com/embed/x#?secret=${visit.secret}" data-secret="${visit.secret}"></iframe>
<script data-cfasync="false" nonce="${visit.nonce}" src="/cdn-cgi/scripts/${visit.rocket}/rocket-loader.min.js" data-cf-settings="${visit.rocket}-|49" defer></script>
</div></body></html>`;
  }

  const first = { nonce: 'Zm9vYmFy', rocket: '8f3a1b2c3d4e5f60a7b8c9d0', stamp: '1739576127', key: 0x5a, secret: 'AWV15bxGVB', ago: '15 分钟前' };
  const second = { nonce: 'cXV4YmF6', rocket: '0d9c8b7a6f5e4d3c2b1a0f9e', stamp: '1739579999', key: 0x3c, secret: 'LcKpV4dabI', ago: '2 小时前' };

  it('gives the same bytes for two fetches that differ only in nonces, cache-busters, trackers and per-request ids', () => {
    const url = 'https://chinadigitaltimes.net/chinese/700003.html';
    const a = fetchPage(first);
    const b = fetchPage(second);
    expect(a).not.toBe(b);
    const cleanedA = cleanArticle({ html: a, url }).html;
    expect(cleanArticle({ html: b, url }).html).toBe(cleanedA);
    expect(cleanedA).toBe(
      '<p>正文第一段，<a href="https://e.com/a?id=1" rel="noopener noreferrer">链接</a>。</p>\n' +
        '<p><time datetime="2025-02-14">2025-02-14</time></p>\n' +
        '<p><img src="https://chinadigitaltimes.net/files/a.jpg" srcset="https://chinadigitaltimes.net/files/a.jpg 1x, https://chinadigitaltimes.net/files/a-2x.jpg 2x" /></p>\n' +
        '<p>联系：<a href="mailto:editor@example.org" rel="noopener noreferrer">editor@example.org</a></p>\n' +
        '<iframe src="https://www.youtube.com/embed/x"></iframe>',
    );
  });

  it('is deterministic and idempotent', () => {
    const html = fetchPage(first);
    const once = cleanArticle({ html, url: 'https://chinadigitaltimes.net/chinese/1.html' }).html;
    expect(cleanArticle({ html, url: 'https://chinadigitaltimes.net/chinese/1.html' }).html).toBe(once);
    expect(cleanArticle({ html: once, url: 'https://chinadigitaltimes.net/chinese/1.html' }).html).toBe(once);
  });
});

/** Tangled markup: misnested tables, lists and paragraphs, wrappers the sanitizer drops, links it unwraps. */
const TANGLE_TAGS = ['p', 'div', 'span', 'a', 'b', 'font', 'center', 'td', 'tr', 'table', 'li', 'ul', 'dd', 'h2', 'figure', 'noscript', 'form', 'main'];
const tangleArb = fc.letrec<{ node: string; nodes: string }>((tie) => ({
  node: fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom('文字', ' ', '\u00a0', '<br>', '<hr>', '<img src="https://e.com/a.jpg">', '</p>', '</td>') },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...TANGLE_TAGS), fc.constantFrom('', ' href="https://e.com/"', ' href="javascript:x"'), tie('nodes'), fc.boolean())
        .map(([tag, attribute, children, close]) => `<${tag}${attribute}>${children}${close ? `</${tag}>` : ''}`),
    },
  ),
  nodes: fc.array(tie('node'), { maxLength: 4 }).map((parts) => parts.join('')),
})).nodes;

describe('cleanArticle: properties', () => {
  it('cleaning a cleaned body changes nothing, and neither does sanitizing it again', () => {
    fc.assert(
      fc.property(tangleArb, (html) => {
        const once = clean(html, 'https://example.org/a');
        expect(clean(once, 'https://example.org/a')).toBe(once);
        expect(sanitizeArticleHtml(once)).toBe(once);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });
});
