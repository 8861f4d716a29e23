import { describe, expect, it } from 'vitest';
import { normalizeSearchText } from './search-normalize.js';
import { addedText, searchTextFromHtml } from './search-text.js';

describe('searchTextFromHtml', () => {
  it('keeps inline elements inside a word and separates blocks', () => {
    expect(searchTextFromHtml('<p>台<b>湾</b>新闻</p><p>第二段</p><br>第三<a href="/x">段</a>')).toBe('台湾新闻 第二段 第三段');
  });

  it('drops scripts, styles and comments, and decodes entities once', () => {
    expect(searchTextFromHtml('<script>var a = "<p>x</p>";</script><style>p{}</style><!-- 注释 -->A &amp;lt; B &lt;i&gt;')).toBe('A &lt; B <i>');
  });

  it('keeps the text of Markdown links and images, not their targets', () => {
    expect(searchTextFromHtml('据[路透社](https://example.org/a_(b)) 报道 ![图片说明](https://example.org/x.jpg "标题")。')).toBe('据路透社 报道 图片说明。');
  });
});

describe('addedText', () => {
  it('keeps the sentences of later versions that the text does not hold, each once', () => {
    const own = '警方逮捕两人。调查仍在进行。Police said on Monday. More later.';
    const later = ['警方逮捕三人。调查仍在进行。Police said on Monday. A spokesman denied it.', '警方逮捕三人。法院周二开庭！'];
    expect(addedText(own, later)).toBe('警方逮捕三人。 A spokesman denied it. 法院周二开庭！');
  });

  it('adds nothing when every sentence is there already', () => {
    expect(addedText('第一句。第二句。', ['第二句。', '第一句。第二句。'])).toBe('');
  });
});

describe('normalizeSearchText', () => {
  it('folds Traditional to Simplified, full-width to ASCII and case, keeping the length', () => {
    const text = '臺灣與香港的ＡＩ發展 iPhone 麼';
    const folded = normalizeSearchText(text);
    expect(folded).toBe('台湾与香港的ai发展 iphone 幺');
    expect(folded).toHaveLength(text.length);
    expect(normalizeSearchText(folded)).toBe(folded);
  });

  it('leaves characters outside the BMP and lone surrogates in place', () => {
    const text = '𠮷野家\ud800x';
    expect(normalizeSearchText(text)).toBe('𠮷野家\ud800x');
  });
});
