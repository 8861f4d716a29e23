import type { SiteRule } from '../registry.js';

/**
 * BBC News 中文 (www.bbc.com/zhongwen). The feed content is the page's
 * <main> (Next.js markup): advert slots and lazy-load placeholders are not
 * article; the "图像来源" image credits and caption spans are. The relative
 * timestamp ("15 分钟前") is handled by the generic volatile-markup rule.
 */
export const bbcRule: SiteRule = {
  name: 'bbc',
  hosts: ['bbc.co.uk', 'bbc.com'],
  body: 'main',
  remove: [
    'section[data-e2e="advertisement"]',
    '[id^="dotcom-"]',
    '.lazyload-placeholder',
    '[data-e2e="related-content-heading"]',
  ],
};
