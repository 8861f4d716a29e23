/**
 * The demo's sources: written by us, in Chinese and English, with the
 * boilerplate real mirrors carry (share blocks, promo placeholders, tracking
 * pixels, the feedx footer) so cleaning has something to do.
 */

export interface DemoArticle {
  slug: string;
  title: string;
  published: string;
  paragraphs: string[];
  /** The alt text of a photograph the article carries (served at /photos/<slug>.jpg). */
  photo?: string;
}

const FEEDX_FOOTER =
  '<br><hr><div>获取更多RSS：<br><a href="https://feedx.net" style="color:orange" target="_blank">https://feedx.net</a> <br></div>';

const SHARE_BLOCK =
  '<div><div>分享 :</div><div><a href="https://www.facebook.com/dialog/share?href=x" target="_blank"><span></span></a><span data-root-share><share-button></share-button></span></div></div>';

const NEWS: DemoArticle[] = [
  {
    slug: 'harbour-lights',
    title: '港口夜景灯光节开幕 &quot;十万市民&quot;到场观看',
    published: 'Mon, 02 Nov 2026 12:30:00 GMT',
    photo: '海滨步道上的灯光表演',
    paragraphs: [
      '一年一度的港口灯光节周一晚间开幕，主办方估计约有十万市民沿着海滨步道观看灯光表演。',
      '今年的表演首次加入了由本地中学生设计的图案，主办方表示，希望让更多年轻人参与城市公共艺术。',
      '灯光节将持续两周，每晚七点至十点举行。',
    ],
  },
  {
    slug: 'library-hours',
    title: '市立图书馆延长开放时间至晚上十点',
    published: 'Tue, 03 Nov 2026 02:00:00 GMT',
    paragraphs: [
      '市立图书馆宣布，自下月起，总馆及三间分馆的开放时间将延长至晚上十点。',
      '馆方表示，延长开放是回应读者问卷调查的结果，超过六成受访者希望在下班后仍可借阅书籍。',
    ],
  },
  {
    slug: 'river-cleanup',
    title: '志愿者周末清理河岸 收集垃圾逾两吨',
    published: 'Wed, 04 Nov 2026 09:15:00 GMT',
    paragraphs: [
      '约三百名志愿者周末参与了河岸清理活动，在六公里长的河段收集了超过两吨垃圾。',
      '组织者说，塑料瓶和包装袋仍占收集垃圾的大部分。',
    ],
  },
];

const WIRE: DemoArticle[] = [
  {
    slug: 'tide-tables',
    title: 'Coastal towns publish new tide tables [updated]',
    published: '2026-11-02T08:00:00Z',
    paragraphs: [
      'Harbour authorities in three coastal towns published revised tide tables on Monday,',
      'after a survey found that the old tables were off by up to twelve minutes.',
      'The survey, carried out over eighteen months with new gauges at the harbour mouths, found that silt had changed how quickly the water rises in the inner basins.',
      'Fishing crews and ferry operators had long complained that the printed tables did not match what they saw on the water, especially at spring tides.',
      'The new tables are available at harbour offices and will be printed in the local papers from next week.',
    ],
  },
  {
    slug: 'night-trains',
    title: 'Night trains return to the northern line',
    published: '2026-11-03T18:45:00Z',
    paragraphs: [
      'The operator said the sleeper service would run three times a week until March.',
      'Tickets go on sale on Friday, with couchettes and private compartments, and bicycles may be taken on board in a dedicated carriage.',
      'The service was cut four years ago for lack of passengers; the operator said bookings for its summer trial had been strong enough to bring it back for the winter.',
      'Local councils along the line have welcomed the decision, saying it will bring visitors to towns that have no airport.',
    ],
  },
];

function escapeXml(text: string): string {
  return text.replace(/&(?!quot;)/g, '&amp;').replace(/</g, '&lt;');
}

/** A feedx-style RSS 2.0 feed: full page HTML with boilerplate in <description>. */
export function renderDemoNews(base: string): string {
  const items = NEWS.map((a) => {
    const html = [
      `<div>${a.published}</div>`,
      a.photo !== undefined ? `<img src="${base}/photos/${a.slug}.jpg" alt="${a.photo}">` : `<img src="${base}/images/${a.slug}.png">`,
      ...a.paragraphs.map((p) => `<p>${p}</p>`),
      '<div data-selfpromo-newsletter></div>',
      `<img src="${base}/pixel.gif?a=${a.slug}" width="1" height="1">`,
      SHARE_BLOCK,
      FEEDX_FOOTER,
    ].join('\n');
    return `<item><title><![CDATA[${a.title}]]></title><link>${base}/news/${a.slug}.html</link><guid>${base}/news/${a.slug}.html</guid><pubDate>${a.published}</pubDate><description><![CDATA[${html}]]></description></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>演示新闻</title><link>${base}/news/</link><description>newsmirror demo</description>\n${items.join('\n')}\n</channel></rss>\n`;
}

/**
 * An English Atom 1.0 feed that carries only a summary of each story (its
 * first sentence, split over two lines): newsmirror fetches the full text
 * from the story's page (see renderDemoWirePage).
 */
export function renderDemoWire(base: string): string {
  const entries = WIRE.map(
    (a) => `<entry><id>tag:demo.newsmirror,2026:${a.slug}</id><title>${escapeXml(a.title)}</title><link rel="alternate" href="${base}/wire/${a.slug}"/><updated>${a.published}</updated><published>${a.published}</published><summary type="html">${escapeXml(
      `<p>${a.paragraphs.slice(0, 2).join('\n')}</p>`,
    )}</summary></entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Demo Wire</title><id>tag:demo.newsmirror,2026:wire</id><updated>2026-11-03T18:45:00Z</updated><link href="${base}/wire/"/>\n${entries.join('\n')}\n</feed>\n`;
}

/** The slugs of the demo's pages: /news/<slug>.html images, /wire/<slug> stories. */
export const DEMO_NEWS_SLUGS = NEWS.map((a) => a.slug);
export const DEMO_WIRE_SLUGS = WIRE.map((a) => a.slug);
/** The news articles that carry a photograph (served at /photos/<slug>.jpg). */
export const DEMO_PHOTO_SLUGS = NEWS.filter((a) => a.photo !== undefined).map((a) => a.slug);

/** A wire story's web page: the article inside navigation, a sidebar and a footer, as news sites have. */
export function renderDemoWirePage(slug: string): string | undefined {
  const a = WIRE.find((w) => w.slug === slug);
  if (!a) return undefined;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeXml(a.title)} | Demo Wire</title>
<meta property="article:published_time" content="${a.published}"></head>
<body><header><nav><a href="/">Home</a> <a href="/wire/">Latest</a> <a href="/subscribe">Subscribe</a></nav></header>
<main><article><h1>${escapeXml(a.title)}</h1>
${a.paragraphs.map((p) => `<p>${p}</p>`).join('\n')}
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/wire/x">Another story</a></li><li><a href="/wire/y">Yet another</a></li></ul></aside>
<footer>© Demo Wire. <a href="/privacy">Privacy</a></footer><script>trackPageView()</script></body></html>
`;
}

/** A 1×1 transparent PNG (the demo's images; archiving them comes with the images feature). */
export const DEMO_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
