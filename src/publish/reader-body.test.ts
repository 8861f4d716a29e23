import { describe, expect, it } from 'vitest';
import { bodyText, renderReaderBody, type ReaderBodyOptions } from './reader-body.js';

const sha = 'ab'.repeat(32);
const page: ReaderBodyOptions = { format: 'html', articleUrl: 'https://news.example.org/2026/a.html', root: '../../', remote: 'link' };

describe('renderReaderBody', () => {
  it('keeps archived images local and lazy, and makes remote images and players plain links', () => {
    const html = `<p><img src="../../assets/ab/${sha}.png" alt="图" srcset="https://cdn.example/x.png 2x" data-original-src="https://cdn.example/x.png"></p><img src="https://cdn.example/y.png" alt="远"><iframe src="https://www.youtube.com/embed/v"></iframe>`;
    expect(renderReaderBody(html, page)).toBe(
      `<p><img src="../../assets/ab/${sha}.png" alt="图" loading="lazy" decoding="async"></p><a class="remote-image" href="https://cdn.example/y.png" rel="noopener noreferrer">[图片：远]</a><a class="remote-embed" href="https://www.youtube.com/embed/v" rel="noopener noreferrer">[视频：www.youtube.com]</a>`,
    );
  });

  it('resolves relative links against the original article and moves the image root', () => {
    const html = `<a href="../b.html">b</a><a href="#n">n</a><a href="../../assets/ab/${sha}.jpg">大图</a><img src="../../assets/ab/${sha}.jpg">`;
    expect(renderReaderBody(html, { ...page, root: 'https://mirror.example/', remote: 'keep' })).toBe(
      `<a href="https://news.example.org/b.html" rel="noopener noreferrer">b</a><a href="#n" rel="noopener noreferrer">n</a><a href="https://mirror.example/assets/ab/${sha}.jpg" rel="noopener noreferrer">大图</a><img src="https://mirror.example/assets/ab/${sha}.jpg" loading="lazy" decoding="async">`,
    );
  });

  it('sanitizes an old, never-sanitized body before anything else', () => {
    const out = renderReaderBody('<p onclick="x()">文<script>alert(1)</script></p><a href="javascript:alert(1)">链</a><img src="x.png" onerror="alert(1)">', page);
    expect(out).toBe('<p>文</p>链<a class="remote-image" href="https://news.example.org/2026/x.png" rel="noopener noreferrer">[图片]</a>');
  });

  it('renders a Markdown body as sanitized HTML, and gives the text of a body for search', () => {
    const markdown = renderReaderBody('# 标题\n\n<script>alert(1)</script>\n\n**粗体** & [链接](javascript:alert(1))', { ...page, format: 'markdown' });
    expect(markdown).toContain('<h1>标题</h1>');
    expect(markdown).toContain('<strong>粗体</strong> &amp; 链接');
    expect(markdown).not.toMatch(/script|javascript|alert/);
    expect(bodyText('<p>台<b>湾</b></p><p>选举&amp;结果</p>')).toBe(' 台湾 选举&结果');
  });
});
