import { chineseParagraph, chineseSentence, chineseTitle, personName } from './chinese-text.js';
import { SeededRandom, hashString } from './seeded-random.js';

/** The nine sources of the family's archives (FORMAT.md), with the host and markup habits of each. */
export const BENCH_SOURCES = [
  { slug: 'rfi', name: '法广', host: 'www.rfi.fr', path: '/cn/国际/' },
  { slug: 'nyt', name: '纽约时报', host: 'cn.nytimes.com', path: '/world/' },
  { slug: 'bbc', name: 'BBC', host: 'www.bbc.com', path: '/zhongwen/simp/world-' },
  { slug: 'voa', name: '美国之音', host: 'www.voachinese.com', path: '/a/' },
  { slug: 'dw', name: '德国之声', host: 'www.dw.com', path: '/zh/' },
  { slug: 'cdt', name: '中国数字时代', host: 'chinadigitaltimes.net', path: '/chinese/' },
  { slug: 'rfa', name: '自由亚洲电台', host: 'www.rfa.org', path: '/mandarin/yataibaodao/' },
  { slug: 'reuters', name: '路透社', host: 'cn.reuters.com', path: '/article/' },
  { slug: 'ft', name: 'FT中文网', host: 'www.ftchinese.com', path: '/story/' },
] as const;

export type BenchSource = (typeof BENCH_SOURCES)[number];

/** The promo block feedx.net appends to every item it mirrors (see FORMAT.md, "cleaning"). */
const FEEDX_FOOTER =
  '<br><hr><div>获取更多RSS：<br><a href="https://feedx.net" style="color:orange" target="_blank">https://feedx.net</a> <br><a href="https://feedx.site" style="color:orange" target="_blank">https://feedx.site</a><br></div>';

function imageUrl(rng: SeededRandom, source: BenchSource): string {
  switch (source.slug) {
    case 'rfi':
      return `https://s.rfi.fr/media/display/${rng.hex(8)}-${rng.hex(4)}-11ee-${rng.hex(4)}-${rng.hex(12)}/w:1280/p:16x9/${rng.hex(10).toUpperCase()}.JPG`;
    case 'bbc':
      return `https://images.weserv.nl/?url=ichef.bbci.co.uk/ace/ws/640/cpsprodpb/${rng.hex(5).toUpperCase()}/production/_${rng.int(1e8, 2e8)}_${rng.hex(8)}.jpg.webp`;
    case 'cdt':
      return `https://chinadigitaltimes.net/chinese/files/2025/0${rng.int(1, 9)}/${rng.hex(8)}.jpg`;
    default:
      return `https://images.weserv.nl/?url=static.${source.host.replace(/^(www|cn)\./, '')}/image/${rng.int(7e7, 8e7)}_303.jpg`;
  }
}

function percentEncoded(text: string): string {
  return encodeURIComponent(text);
}

/** RFI's share row: long percent-encoded links, as in the real items, then the Vue placeholders. */
function rfiShare(rng: SeededRandom, title: string): string {
  const short = `https%3A%2F%2Frfi.my%2F${rng.hex(4)}.`;
  const text = percentEncoded(title);
  const links = [
    `https://www.facebook.com/dialog/share?app_id=113191652055439&amp;href=${short}F&amp;redirect_uri=${percentEncoded(percentEncoded(title))}`,
    `https://x.com/intent/tweet?url=${short}X&amp;via=RFI_Cn&amp;text=${text}&amp;lang=zh-cn`,
    `https://api.whatsapp.com/send?text=${text}%20-%20${short}W`,
    `https://t.me/share/url?url=${short}T&amp;text=${text}`,
  ];
  const anchors = links.map((href) => `<a href="${href}" target="_blank" rel="noopener nofollow"><span></span></a>`).join('');
  return `<div><div>分享 :</div><div>${anchors}<span data-root-share><share-button v-on:open="openModal"></share-button><share-modal v-if="displayModal" v-on:close="closeModal"></share-modal></span></div></div>`;
}

/** China Digital Times' AddToAny block, as WordPress renders it into the feed. */
function addToAny(url: string, title: string): string {
  const q = `linkurl=${percentEncoded(url)}&amp;linkname=${percentEncoded(title)}`;
  const buttons = ['facebook', 'twitter', 'telegram', 'reddit', 'whatsapp', 'email', 'copy_link']
    .map((b) => `<a class="a2a_button_${b}" href="https://www.addtoany.com/add_to/${b}?${q}" title="${b}" rel="nofollow noopener" target="_blank"></a>`)
    .join('');
  return `<div class="addtoany_share_save_container addtoany_content addtoany_content_bottom"><div class="a2a_kit a2a_kit_size_32 addtoany_list" data-a2a-url="${url}" data-a2a-title="${title}">${buttons}<a class="a2a_dd addtoany_share_save addtoany_share" href="https://www.addtoany.com/share"></a></div></div>`;
}

function paragraphMarkup(rng: SeededRandom, source: BenchSource, text: string): string {
  switch (source.slug) {
    case 'rfa':
      return `<p><span style="font-weight: 400;">${text}</span></p>`;
    case 'bbc':
      return `<div><p>${text}</p></div>`;
    case 'voa':
      return `<p>${text}</p><p> </p>`;
    case 'dw':
      return rng.chance(0.3) ? `<div><img src="${imageUrl(rng, source)}" width="100%"><br><b>${chineseSentence(rng).slice(0, 8)}</b>：${text}</div>` : `<p>${text}</p>`;
    default:
      return `<p>${text}</p>`;
  }
}

function head(rng: SeededRandom, source: BenchSource, published: number): string {
  const date = new Date(published);
  const img = imageUrl(rng, source);
  switch (source.slug) {
    case 'rfi':
      return `<div>${date.toISOString().slice(0, 10)} - ${date.toISOString().slice(11, 16)}</div><img src="${img}"><p><strong>${chineseParagraph(rng, 80)}</strong></p>`;
    case 'nyt':
      return `<address>${personName(rng)}</address><time datetime="${date.toISOString()}">${date.getUTCFullYear()}年${date.getUTCMonth() + 1}月${date.getUTCDate()}日</time><figure><img src="${img}" width="1050" height="700"><figcaption> <cite>${chineseSentence(rng)}</cite></figcaption></figure>`;
    case 'voa':
      return `<div><i>${date.toUTCString()}</i></div><img src="${img}" width="100%"><div><small style="color: #999;">${chineseSentence(rng)}</small></div>`;
    case 'bbc':
      return `<main role="main"><div><ul role="list"><li role="listitem">${personName(rng)}</li><li role="listitem">BBC中文</li></ul></div><div><time dateTime="${date.toISOString().slice(0, 10)}">${rng.int(1, 59)} 分钟前</time></div><div><img src="${img}" srcSet="${img} 240w, ${img} 480w, ${img} 800w" sizes="(min-width: 1008px) 645px, 100vw" alt="${chineseSentence(rng).slice(0, 6)}" width="1024" height="576"/></div>`;
    case 'cdt':
      return `<p><img decoding="async" src="${img}" alt=""></p>`;
    default:
      return rng.chance(0.6) ? `<figure><img src="${img}" alt=""><figcaption>${chineseSentence(rng)}</figcaption></figure>` : '';
  }
}

function tail(rng: SeededRandom, source: BenchSource, url: string, title: string): string {
  switch (source.slug) {
    case 'rfi':
      return `<div data-selfpromo-newsletter></div><div data-selfpromo-app></div>${rfiShare(rng, title)}`;
    case 'nyt':
      return `<footer><p>${personName(rng)}是时报记者。</p><p>翻译：${personName(rng)}</p>点击查看本文英文版。</footer>${FEEDX_FOOTER}`;
    case 'bbc':
      return '</main>';
    case 'cdt':
      return addToAny(url, title);
    case 'rfa':
      return `<p><br/><br/></p><p><span style="font-weight: 400;">记者：${personName(rng)}  责编：${personName(rng)}</span></p>`;
    case 'voa':
    case 'dw':
      return FEEDX_FOOTER;
    default:
      return rng.chance(0.3) ? '<img src="https://pixel.example-tracker.com/t.gif?id=1" width="1" height="1">' : '';
  }
}

export interface ArticleSpec {
  source: BenchSource;
  /** Size of the HTML in UTF-8 bytes, within a paragraph's length. */
  bytes: number;
  published: number;
  url: string;
  title: string;
  /** Put a newline between blocks, as many feeds do (the body line joins them again). */
  multiline: boolean;
}

/** One article body in the markup habits of its source, about `spec.bytes` of UTF-8. */
export function renderArticleHtml(rng: SeededRandom, spec: ArticleSpec): string {
  const { source } = spec;
  const end = tail(rng, source, spec.url, spec.title);
  const blocks = [head(rng, source, spec.published)];
  let size = Buffer.byteLength(blocks[0]!) + Buffer.byteLength(end);
  while (size < spec.bytes) {
    const remaining = Math.max(20, Math.floor((spec.bytes - size) / 3));
    const text = chineseParagraph(rng, Math.min(remaining, rng.int(60, 260)));
    const withLink = rng.chance(0.15) ? `${text}<a href="https://${source.host}${source.path}${rng.int(1000, 99999)}.html">${chineseSentence(rng).slice(0, 6)}</a>` : text;
    const block = paragraphMarkup(rng, source, withLink);
    blocks.push(block);
    size += Buffer.byteLength(block) + (spec.multiline ? 1 : 0);
  }
  blocks.push(end);
  return blocks.join(spec.multiline ? '\n' : '');
}

export interface GeneratedArticle {
  title: string;
  url: string;
  guid: string;
  published: number;
  html: string;
}

/**
 * The n-th article of a feed, deterministic in (seed, feed, n): a run's
 * corpus and a later run's corpus agree on every article they share.
 */
export function generateArticle(seed: number, source: BenchSource, feedKey: string, n: number, bytes: number, published: number): GeneratedArticle {
  const rng = new SeededRandom(seed ^ Math.imul(n + 1, 0x85ebca6b) ^ hashString(feedKey));
  const title = chineseTitle(rng);
  const url = new URL(`https://${source.host}${source.path}${feedKey}/${20250000 + (n % 10000)}-${n}.html`).href;
  const multiline = rng.chance(0.4);
  const html = renderArticleHtml(rng, { source, bytes, published, url, title, multiline });
  return { title, url, guid: `${feedKey}-${n}`, published, html };
}
