import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, hasCorpus, noteSkip } from '../../test/helpers/shared.js';
import { GENERIC_REMOVE_SELECTORS } from './clean-article.js';
import { parseHtmlFragment, renderBodyHtml, selectAll, type HtmlDocument, type HtmlElement } from './parse-html.js';

describe('parseHtmlFragment', () => {
  it('lowers attribute names as a browser does, keeping the first of duplicates, but not inside <svg>', () => {
    const document = parseHtmlFragment(
      '<figure><img srcSet="a.jpg 1x" SRC="first.jpg" src="second.jpg"><time dateTime="2025-01-01">x</time></figure>' +
        '<svg viewBox="0 0 1 1"><g><path fillRule="evenodd"/></g></svg><p Class="lead">t</p>',
    );
    const img = document.body.querySelector('img');
    expect(img?.getAttribute('srcset')).toBe('a.jpg 1x');
    expect(img?.getAttribute('src')).toBe('first.jpg');
    expect(Array.from(img?.attributes ?? [], (a) => a.name).sort()).toEqual(['src', 'srcset']);
    expect(document.body.querySelector('time')?.getAttribute('datetime')).toBe('2025-01-01');
    expect(document.body.querySelector('p')?.getAttribute('class')).toBe('lead');
    const html = renderBodyHtml(document);
    expect(html).toContain('viewBox="0 0 1 1"');
    expect(html).toContain('fillRule="evenodd"');
  });
});

/** Every simple selector shape selectAll matches itself, and a few it hands to css-select. */
const SELECTORS = ['*', 'img', 'a[href]', 'noscript', 'p', 'iframe', 'div', 'template', 'svg', 'img[src]', GENERIC_REMOVE_SELECTORS.join(', '), 'script,style', 'div p', 'a[href^="http"]', '.share'];

/** selectAll against linkedom's own querySelectorAll, as positions in document order. */
function expectSameSelections(document: HtmlDocument, where: string): void {
  const position = new Map<HtmlElement, number>();
  Array.from(document.querySelectorAll('*')).forEach((element, i) => position.set(element, i));
  const at = (elements: ArrayLike<HtmlElement>) => Array.from(elements, (e) => position.get(e) ?? -1);
  const roots: (HtmlElement | HtmlDocument)[] = [document, document.body, ...Array.from(document.body.querySelectorAll('div')).slice(0, 3)];
  for (const root of roots) {
    for (const selectors of SELECTORS) {
      expect(at(selectAll(root, selectors)), `${where}: ${selectors}`).toEqual(at(root.querySelectorAll(selectors)));
    }
  }
}

describe('selectAll', () => {
  it('matches exactly what querySelectorAll matches, in order: tag lists, *, tag[attr], template contents skipped', () => {
    const document = parseHtmlFragment(
      '<div class="share"><p>一</p><a href="x">链接</a><a name="n">锚</a><IMG SRC="a.jpg"><template><p>模板</p><img src="t.jpg"></template></div>' +
        '<svg viewBox="0 0 1 1"><linearGradient id="g"/><path d="M0"/></svg><noscript><img src="n.jpg"></noscript>' +
        '<div><div><div><p>深<span>层</span></p><script>x()</script><style>p{}</style><iframe src="v"></iframe></div></div></div><p>末</p>',
    );
    expectSameSelections(document, 'fixture');
    expect(selectAll(document.body, 'img').map((img) => img.getAttribute('src'))).toEqual(['a.jpg', 'n.jpg']);
  });

  it('walks a tree deeper than the call stack', () => {
    const document = parseHtmlFragment('<div>'.repeat(20_000) + '<img src="deep.jpg">' + '</div>'.repeat(20_000));
    expect(selectAll(document.body, 'img').map((img) => img.getAttribute('src'))).toEqual(['deep.jpg']);
  });

  const pages = join(CORPUS, 'article-pages/readability-test-pages');
  it.skipIf(noteSkip(hasCorpus && existsSync(pages), 'selectAll against querySelectorAll on the real article pages'))(
    'matches exactly what querySelectorAll matches on the real article pages',
    () => {
      const names = readdirSync(pages).filter((name) => existsSync(join(pages, name, 'source.html')));
      expect(names.length).toBeGreaterThan(10);
      for (const name of names) expectSameSelections(parseHtmlFragment(readFileSync(join(pages, name, 'source.html'), 'utf8')), name);
    },
  );
});
