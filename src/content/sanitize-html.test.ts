import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMENT_NODE, parseHtmlFragment, selectAll, type HtmlNode } from './parse-html.js';
import {
  ALLOWED_ATTRIBUTES,
  ALLOWED_SCHEMES,
  ALLOWED_SCHEMES_BY_TAG,
  ALLOWED_TAGS,
  DEFAULT_IFRAME_HOSTS,
  LINK_REL,
  MAX_DATA_IMAGE_CHARS,
  URL_ATTRIBUTES,
  sanitizeArticleHtml,
} from './sanitize-html.js';

const sanitize = (html: string, iframeHosts?: string[]): string =>
  sanitizeArticleHtml(html, iframeHosts ? { iframeHosts } : undefined);

/**
 * The independent check of an output: parsed again (linkedom), every
 * element and attribute must be on the allowlist, every URL of an allowed
 * scheme, every player from an allowed host. Returns the violations.
 */
function findExecutableConstructs(html: string, iframeHosts: readonly string[] = DEFAULT_IFRAME_HOSTS): string[] {
  const problems: string[] = [];
  const document = parseHtmlFragment(html);
  const hasComment = (node: HtmlNode): boolean =>
    node.childNodes.some((child) => child.nodeType === COMMENT_NODE || hasComment(child));
  if (hasComment(document.body)) problems.push('comment');
  for (const element of selectAll(document.body, '*')) {
    const tag = element.localName;
    if (!ALLOWED_TAGS.includes(tag)) problems.push(`<${tag}>`);
    const allowed = [...(ALLOWED_ATTRIBUTES['*'] ?? []), ...(ALLOWED_ATTRIBUTES[tag] ?? [])];
    for (const { name, value } of Array.from(element.attributes)) {
      if (!allowed.includes(name) || /^on/i.test(name)) problems.push(`<${tag} ${name}>`);
      if (URL_ATTRIBUTES.includes(name) && !isSafeUrl(tag, name, value)) problems.push(`<${tag} ${name}="${value}">`);
      if (name === 'srcset' && value.split(',').some((c) => !isSafeUrl('srcset', name, c.trim().split(/\s+/)[0] ?? ''))) {
        problems.push(`<${tag} srcset="${value}">`);
      }
    }
    if (tag === 'iframe' && !isAllowedPlayer(element.getAttribute('src') ?? '', iframeHosts)) problems.push(`<iframe src>`);
    if (tag === 'a' && element.getAttribute('rel') !== LINK_REL) problems.push('<a> without rel');
  }
  return problems;
}

function isSafeUrl(tag: string, name: string, value: string): boolean {
  const seen = value.replace(/[\u0000-\u0020]+/g, '');
  const scheme = /^([a-z][a-z0-9+.\-]*):/i.exec(seen)?.[1]?.toLowerCase();
  if (scheme === undefined) return true;
  if (scheme === 'data') {
    return tag === 'img' && name === 'src' && /^data:image\/(?:png|jpeg|gif|webp);base64,/i.test(seen);
  }
  return (ALLOWED_SCHEMES_BY_TAG[tag] ?? ALLOWED_SCHEMES).includes(scheme);
}

function isAllowedPlayer(src: string, hosts: readonly string[]): boolean {
  try {
    const url = new URL(src);
    return url.protocol === 'https:' && hosts.some((h) => url.hostname === h || url.hostname.endsWith(`.${h}`));
  } catch {
    return false;
  }
}

describe('sanitizeArticleHtml: hostile bodies come out inert', () => {
  const hostile: Record<string, string> = {
    script: '<p>a<script>alert(1)</script>b</p>',
    'event handler': '<img src="https://e.com/a.jpg" onerror="alert(1)"><p onclick="alert(1)">t</p>',
    'javascript: link': '<a href="javascript:alert(1)">x</a>',
    'javascript: with case and whitespace': '<a href="  JaVaScRiPt:alert(1)">x</a><a href="java\tscript:alert(1)">y</a>',
    'javascript: with entities': '<a href="&#106;avascript:alert(1)">x</a><a href="jav&#x09;ascript:alert(1)">y</a><a href="javascript&colon;alert(1)">z</a>',
    'vbscript: link': '<a href="vbscript:msgbox(1)">x</a>',
    'data:text/html link': '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    'SVG with onload': '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    'SVG data image': '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIj48L3N2Zz4=">',
    'iframe srcdoc': '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    'iframe from another host': '<iframe src="https://evil.example/player"></iframe>',
    'meta refresh': '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    'form action': '<form action="https://evil.example/"><input name="q"><button formaction="javascript:alert(1)">go</button></form>',
    'CSS expression': '<div style="width: expression(alert(1)); background: url(javascript:alert(1))">t</div>',
    'style element': '<style>body{background:url(javascript:alert(1))}</style>',
    'base href': '<base href="https://evil.example/"><a href="/x">x</a>',
    'object and embed': '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    'link stylesheet': '<link rel="stylesheet" href="https://evil.example/x.css">',
    'srcset with javascript:': '<img src="https://e.com/a.jpg" srcset="https://e.com/a.jpg 1x, javascript:alert(1) 2x">',
  };
  for (const [name, html] of Object.entries(hostile)) {
    it(name, () => {
      // The check itself sees the danger in the raw input...
      expect(findExecutableConstructs(html)).not.toEqual([]);
      // ...and none in the output.
      const output = sanitize(html);
      expect(findExecutableConstructs(output)).toEqual([]);
      expect(output).not.toMatch(/javascript:|vbscript:|<script/i);
    });
  }

  it('keeps the article: images, figures, tables, lists, quotes, headings, code and links', () => {
    const html =
      '<h2>H</h2><figure><img src="https://e.com/a.jpg" srcset="https://e.com/a.jpg 1x, https://e.com/b.jpg 2x" alt="A" width="10" height="5"><figcaption>C</figcaption></figure>' +
      '<table><thead><tr><th colspan="2">T</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>' +
      '<ul><li>a</li></ul><ol start="3"><li>b</li></ol><blockquote cite="https://e.com/">q</blockquote><pre><code>x &lt; y</code></pre>' +
      '<p><a href="https://e.com/" title="t">l</a></p>';
    expect(sanitize(html)).toBe(
      '<h2>H</h2><figure><img alt="A" height="5" src="https://e.com/a.jpg" srcset="https://e.com/a.jpg 1x, https://e.com/b.jpg 2x" width="10" /><figcaption>C</figcaption></figure>' +
        '<table><thead><tr><th colspan="2">T</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>' +
        '<ul><li>a</li></ul><ol start="3"><li>b</li></ol><blockquote cite="https://e.com/">q</blockquote><pre><code>x &lt; y</code></pre>' +
        '<p><a href="https://e.com/" rel="noopener noreferrer" title="t">l</a></p>',
    );
  });

  it('gives every link rel="noopener noreferrer", replacing the source rel and dropping target', () => {
    expect(sanitize('<a href="https://e.com/" target="_blank" rel="nofollow">x</a>')).toBe(
      '<a href="https://e.com/" rel="noopener noreferrer">x</a>',
    );
  });

  it('writes attributes in a stable order whatever the source order', () => {
    const a = sanitize('<img width="1" src="https://e.com/a.jpg" alt="x">');
    const b = sanitize('<img alt="x" src="https://e.com/a.jpg" width="1">');
    expect(a).toBe(b);
    expect(a).toBe('<img alt="x" src="https://e.com/a.jpg" width="1" />');
  });

  it('keeps small PNG, JPEG, GIF and WebP data images, not large ones', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    expect(sanitize(`<img src="${png}">`)).toBe(`<img src="${png}" />`);
    expect(sanitize('<img src="data:image/webp;base64,UklGRg==">')).toContain('data:image/webp');
    const large = `data:image/png;base64,${'A'.repeat(MAX_DATA_IMAGE_CHARS)}`;
    expect(sanitize(`<img src="${large}">`)).toBe('');
  });

  it('allows players from the default video hosts, or from the configured ones', () => {
    const youtube = '<iframe src="https://www.youtube.com/embed/abc" allowfullscreen></iframe>';
    expect(sanitize(youtube)).toBe('<iframe allowfullscreen src="https://www.youtube.com/embed/abc"></iframe>');
    expect(sanitize('<iframe src="https://player.vimeo.com/video/1"></iframe>')).toContain('player.vimeo.com');
    expect(sanitize('<iframe src="http://www.youtube.com/embed/abc"></iframe>')).toBe('');
    expect(sanitize(youtube, ['player.example'])).toBe('');
    expect(sanitize('<iframe src="https://player.example/v/1"></iframe>', ['player.example'])).toContain('player.example');
  });
});

/** Pieces hostile markup is built from. */
const TAGS = [
  'a', 'img', 'p', 'div', 'span', 'table', 'td', 'iframe', 'script', 'style', 'svg', 'math', 'form', 'input',
  'button', 'meta', 'base', 'link', 'object', 'embed', 'template', 'noscript', 'textarea', 'title', 'xmp',
  'select', 'option', 'video', 'source', 'animate', 'set', 'foreignObject', 'use', 'body', 'html', 'head',
  'frameset', 'isindex', 'figure', 'blockquote', 'pre', 'code',
];
const ATTRIBUTES = [
  'href', 'src', 'srcset', 'onerror', 'onload', 'ONCLICK', 'OnMouseOver', 'style', 'srcdoc', 'action',
  'formaction', 'xlink:href', 'data', 'poster', 'background', 'http-equiv', 'content', 'id', 'class', 'name',
  'rel', 'target', 'title', 'alt', 'width', 'lang', 'data-original-src', 'cite', 'values', 'attributeName', 'to',
];
const VALUES = [
  'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)',
  'jav&#x09;ascript:alert(1)', '&#106;avascript:alert(1)', '&#x6A;avascript&#x3A;alert(1)', 'javascript&colon;alert(1)',
  '\u0001javascript:alert(1)', 'vbscript:msgbox(1)', 'data:text/html,<script>alert(1)</script>',
  'data:image/svg+xml;base64,PHN2Zz4=', 'data:image/png;base64,iVBORw0KGgo=', 'https://example.com/a.jpg',
  '//evil.example/x', 'https://www.youtube.com/embed/x', 'https://evil.example/embed', 'expression(alert(1))',
  'url(javascript:alert(1))', '0;url=javascript:alert(1)', 'alert(1)', 'https://a.example/1.jpg 1x, javascript:alert(1) 2x',
  '"><script>alert(1)</script>', "'><img src=x onerror=alert(1)>", 'href', '',
];
const TEXTS = ['text', 'a & b', '<', '>', '&lt;script&gt;alert(1)&lt;/script&gt;', '\u00a0', '分享', '"', "'", '&amp;'];
const RAW = ['<!--', '-->', '<![CDATA[', ']]>', '</', '<', '>', '<!doctype html>', '<?xml ?>', '</script>', '=', '"', "'"];

const attributeArb = fc
  .tuple(fc.constantFrom(...ATTRIBUTES), fc.constantFrom(...VALUES), fc.constantFrom('"', "'", ''))
  .map(([name, value, quote]) => (quote === '' ? ` ${name}=${value.replace(/[\s"'>]/g, '')}` : ` ${name}=${quote}${value.split(quote).join('')}${quote}`));

const htmlArb = fc.letrec<{ node: string; nodes: string }>((tie) => ({
  node: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...TEXTS) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...TAGS), fc.array(attributeArb, { maxLength: 3 }), tie('nodes'), fc.boolean())
        .map(([tag, attributes, children, close]) => `<${tag}${attributes.join('')}>${children}${close ? `</${tag}>` : ''}`),
    },
  ),
  nodes: fc.array(tie('node'), { maxLength: 4 }).map((parts) => parts.join('')),
})).nodes;

/** More runs for a deeper search: `FUZZ_RUNS=100000 npx vitest run src/content/sanitize-html.test.ts`. */
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 2000);

describe('sanitizeArticleHtml: properties', () => {
  it('fuzz: no output built from hostile pieces has an executable construct', () => {
    fc.assert(
      fc.property(htmlArb, (html) => {
        expect(findExecutableConstructs(sanitize(html))).toEqual([]);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('is idempotent: sanitizing twice equals sanitizing once', () => {
    fc.assert(
      fc.property(htmlArb, (html) => {
        const once = sanitize(html);
        expect(sanitize(once)).toBe(once);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
