import { describe, expect, it } from 'vitest';
import { bodiesDiffer } from './text-overlap.js';

const STORY = '<p>香港特区政府周三宣布，将于下月起调整公共交通票价，平均加幅约百分之三。</p><p>运输署表示，调整是考虑到营运成本上升及通胀因素，低收入家庭可申请交通津贴。</p>';
const OTHER = '<p>日本气象厅表示，今年第十二号台风预计周五在九州南部登陆，沿海地区需防范大浪和暴雨。</p><p>多家航空公司已宣布取消周五往返福冈和鹿儿岛的航班。</p>';

describe('bodiesDiffer', () => {
  it('tells two stories of one headline apart', () => {
    expect(bodiesDiffer(STORY, OTHER)).toBe(true);
  });

  it('takes the same story as the same: cleaned, marked up otherwise, cut to a summary, or with a line added', () => {
    expect(bodiesDiffer(STORY, STORY)).toBe(false);
    expect(bodiesDiffer(STORY, `<div class="share">分享</div>${STORY.replace(/<\/?p>/g, '')}<div>获取更多RSS：<a href="https://feedx.net">https://feedx.net</a></div>`)).toBe(false);
    expect(bodiesDiffer(STORY.slice(0, 60), STORY)).toBe(false);
    expect(bodiesDiffer(`${STORY}<p>（更新：运输署稍后补充，新票价将于三月一日生效。）</p>`, STORY)).toBe(false);
    expect(bodiesDiffer(STORY.replace(/，/g, '&#65292;'), STORY)).toBe(false);
  });

  it('never calls bodies too short to compare different', () => {
    expect(bodiesDiffer('<p>快讯 1</p>', '<p>快讯 2</p>')).toBe(false);
    expect(bodiesDiffer('', OTHER)).toBe(false);
  });
});
