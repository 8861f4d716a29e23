import { describe, expect, it } from 'vitest';
import { renderReadme } from './list-file.js';

describe('README', () => {
  it('links each source list by a target that names its file, whatever characters the name holds', () => {
    const readme = renderReadme('新闻', ['法广', 'C# 周刊', '100%中国', '问答?', 'a(b)'], '');
    expect(readme).toBe(
      '新闻\n------\n\n[法广](lists/法广.md)\n\n[C# 周刊](lists/C%23%20周刊.md)\n\n[100%中国](lists/100%25中国.md)\n\n[问答?](lists/问答%3F.md)\n\n[a(b)](lists/a%28b%29.md)\n\n',
    );
  });
});
