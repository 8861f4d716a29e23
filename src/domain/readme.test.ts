import { describe, expect, it } from 'vitest';
import { parseReadme } from './readme.js';

describe('parseReadme', () => {
  it('reads the heading and the footer around the links to the lists', () => {
    const text = '抓取新闻媒体文章\n------\n\n[纽约时报](lists/纽约时报.md)\n\n[C\\#](lists/C%23.md)\n\n鸣谢\n------\n\nhttps://feedx.net/\n';
    expect(parseReadme(text)).toEqual({ title: '抓取新闻媒体文章', footer: '鸣谢\n------\n\nhttps://feedx.net/\n' });
    expect(parseReadme('新闻镜像\n------\n\n[法广](lists/法广.md)\n\n')).toEqual({ title: '新闻镜像', footer: '' });
  });

  it('reads nothing from a README of another shape', () => {
    expect(parseReadme('# My news\n\nSome text\n')).toBeUndefined();
    expect(parseReadme('标题\n------\n\n没有列表的链接\n')).toBeUndefined();
    expect(parseReadme('### 此列表已迁移\n\n[曹教授](articles/399577_x.md)\n')).toBeUndefined();
  });
});
