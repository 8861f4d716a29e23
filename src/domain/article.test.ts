import { describe, expect, it } from 'vitest';
import { editPath, fromEditFileBody, toEditFileBody } from './article.js';

describe('edit files', () => {
  it('sit under edits/ by article and time, with image links one folder deeper and back', () => {
    expect(editPath('rfi', 1048574, 1767758400000)).toBe('edits/rfi/1048574/1767758400000.md');
    const sha = 'c4'.padEnd(64, '0');
    const html = `<p>x</p><img src="../../assets/c4/${sha}.png" data-original-src="https://e.org/a.png"><a href="../../assets/x">../../assets/</a>`;
    const markdown = `![图](../../assets/c4/${sha}.png)`;
    expect(toEditFileBody(html)).toBe(`<p>x</p><img src="../../../assets/c4/${sha}.png" data-original-src="https://e.org/a.png"><a href="../../../assets/x">../../assets/</a>`);
    expect(toEditFileBody(markdown)).toBe(`![图](../../../assets/c4/${sha}.png)`);
    for (const body of [html, markdown]) expect(fromEditFileBody(toEditFileBody(body))).toBe(body);
  });
});
