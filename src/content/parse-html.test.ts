import { describe, expect, it } from 'vitest';
import { parseHtmlFragment, renderBodyHtml } from './parse-html.js';

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
