import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanArticle } from './clean-article.js';
import { parseHtmlFragment, TEXT_NODE, type HtmlNode } from './parse-html.js';
import { fragmentText, measureParagraphRetention, normalizeText } from './paragraph-text.js';

/*
 * Every real archived article in ../shared (read in place, never copied
 * into the project): cleaned, it must carry no share, promo or mirror
 * footer markup, and keep ≥ 98% of its paragraph text.
 */

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const NEWS = join(SHARED, 'corpus/archive/duty-machine-news/articles');
const CDT_2020 = join(SHARED, 'corpus/archive/duty-machine-chinadigitaltimes/articles');
const SEED = join(SHARED, 'seed/000_3be1d82dba63e46b.txt');

const present = existsSync(NEWS) && existsSync(CDT_2020) && existsSync(SEED);
if (!present) console.log(`clean-article corpus test skipped: ${SHARED}corpus is absent (a fresh clone has no ../shared)`);

interface ArchivedArticle {
  name: string;
  url: string;
  body: string;
}

/**
 * Both layouts: `<!--ms-->`, `[title](url)`, `------`, blank, body (the
 * current one) and `[title](url)`, `------`, `日期：...`, blank, body (2020).
 */
function readArchivedArticle(path: string, name: string): ArchivedArticle {
  const lines = readFileSync(path, 'utf8').split('\n');
  const rule = lines.indexOf('------');
  const url = /\]\((https?:\/\/[^\s)]+)\)\s*$/.exec(lines[rule - 1] ?? '')?.[1];
  const blank = lines.indexOf('', rule);
  if (rule < 1 || url === undefined || blank < 0) throw new Error(`not an archived article: ${path}`);
  return { name, url, body: lines.slice(blank + 1).join('\n') };
}

function listArticles(): ArchivedArticle[] {
  if (!present) return [];
  const news = readdirSync(NEWS).flatMap((site) =>
    readdirSync(join(NEWS, site)).map((file) => readArchivedArticle(join(NEWS, site, file), `${site}/${file}`)),
  );
  const cdt = readdirSync(CDT_2020)
    .sort()
    .map((file) => readArchivedArticle(join(CDT_2020, file), `cdt-2020/${file}`));
  return [readArchivedArticle(SEED, 'seed'), ...news, ...cdt];
}

/** Markup that must not survive cleaning anywhere. */
const FORBIDDEN = [
  '获取更多RSS', 'feedx.', 'data-selfpromo', 'data-root-share', 'share-button', 'share-modal',
  'facebook.com/dialog/share', 'facebook.com/sharer', 'whatsapp:', 'whatsapp.com/send',
  'x.com/intent/', 'twitter.com/intent/', 'addtoany', 'a2a_', 'Feed enhanced by', 'del.icio.us',
  'get_post_time', '<script', '<style', 'dw.chinese', 'images.weserv.nl', 'data-secret', 'nonce=',
];

/**
 * Paragraphs that are boilerplate by design and removed on purpose, so not
 * counted as article text: CDT's feed footer (copyright, permalink, tags,
 * "Feed enhanced by"), DW's Instagram advert.
 */
const DECLARED_BOILERPLATE = [/Feed enhanced by/, /get_post_time\('Y'\)/, /欢迎搜寻dw\.chinese/];

/** The text of each element's own text nodes, normalized: the unit a label or a sentence comes in. */
function textRuns(html: string): string[] {
  const runs: string[] = [];
  const visit = (node: HtmlNode): void => {
    const own = node.childNodes.filter((child) => child.nodeType === TEXT_NODE).map((child) => child.textContent ?? '');
    const text = normalizeText(own.join(''));
    if (text !== '') runs.push(text);
    for (const child of node.childNodes) visit(child);
  };
  visit(parseHtmlFragment(html).body);
  return runs;
}

/** Where two strings part, with some context, for a readable failure. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i += 1;
  return `at ${i}: ${JSON.stringify(a.slice(Math.max(0, i - 60), i + 60))} vs ${JSON.stringify(b.slice(Math.max(0, i - 60), i + 60))}`;
}

describe.skipIf(!present)('cleaning the real archive (../shared/corpus)', () => {
  const articles = listArticles();
  const results = articles.map((article) => ({ article, cleaned: cleanArticle({ html: article.body, url: article.url }) }));

  it('reads every article of both layouts and the seed', () => {
    // The seed, the 22 article files of duty-machine/news and the 227 of the 2020 CDT archive.
    expect(articles.length).toBe(1 + 22 + 227);
  });

  it('leaves no share, promo or mirror footer markup', () => {
    for (const { article, cleaned } of results) {
      for (const marker of FORBIDDEN) {
        expect(cleaned.html.includes(marker), `${article.name} still has ${marker}`).toBe(false);
      }
      expect(fragmentText(cleaned.html), article.name).not.toMatch(/分享\s*[:：]/);
      // "分享" is an ordinary word too; share widgets use it in short labels ("分享", "分享到微信").
      for (const run of textRuns(cleaned.html).filter((t) => t.includes('分享'))) {
        expect(run.length, `${article.name}: share label "${run}"`).toBeGreaterThan(12);
      }
    }
  });

  it('keeps at least 98% of the paragraph text of every article', () => {
    const ignore = (p: string): boolean => DECLARED_BOILERPLATE.some((pattern) => pattern.test(p));
    const rows = results.map(({ article, cleaned }) => ({
      name: article.name,
      rule: cleaned.rule ?? '-',
      removed: cleaned.removed,
      ...measureParagraphRetention(article.body, cleaned.html, ignore),
    }));
    const total = { before: 0, kept: 0, after: 0, ignored: 0, removed: 0 };
    for (const r of rows) {
      total.before += r.before;
      total.kept += r.kept;
      total.after += r.after;
      total.ignored += r.ignored;
      total.removed += r.removed;
    }
    const ratio = (kept: number, before: number): number => (before === 0 ? 1 : kept / before);
    const worst = [...rows].sort((a, b) => ratio(a.kept, a.before) - ratio(b.kept, b.before)).slice(0, 5);
    console.log(
      [
        `paragraph text kept: ${total.kept}/${total.before} chars (${((100 * total.kept) / total.before).toFixed(2)}%) over ${rows.length} articles;`,
        `declared boilerplate paragraphs set aside: ${total.ignored} chars; <p> text after/before: ${((100 * total.after) / total.before).toFixed(2)}%; nodes removed: ${total.removed}`,
        ...worst.map((r) => `  lowest: ${r.name} [${r.rule}] ${r.kept}/${r.before} (${(100 * ratio(r.kept, r.before)).toFixed(2)}%)`),
      ].join('\n'),
    );
    for (const row of rows) {
      expect(ratio(row.kept, row.before), `${row.name} lost: ${row.lost.join(' | ').slice(0, 300)}`).toBeGreaterThanOrEqual(0.98);
    }
  });

  it('is idempotent on every article: cleaning the cleaned article changes nothing', () => {
    for (const { article, cleaned } of results) {
      const again = cleanArticle({ html: cleaned.html, url: article.url }).html;
      if (again !== cleaned.html) expect.fail(`${article.name} changed ${firstDifference(cleaned.html, again)}`);
    }
  });
});
