import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { configSchema } from '../src/config/config-schema.js';
import type { Config } from '../src/config/load-config.js';
import { compactImage } from '../src/content/compact-image.js';
import { readImageInfo } from '../src/content/image-bytes.js';
import { compactPath } from '../src/pipeline/store-image.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { CleanPool } from '../src/pipeline/clean-pool.js';
import { runArchive } from '../src/pipeline/run-archive.js';
import { round, timeOnce } from './measure.js';

/** Bytes per archived article and the cost of compact images, against the publishers' own bytes (issue 16, part 4). */
export interface GrowthResult {
  articles: number;
  /** Pictures the feed carried (distinct bytes: crops of the real set), and those the archive stored. */
  pictures: number;
  stored: number;
  /** Bytes per article of text (articles/ and lists/, images hotlinked: the baseline run). */
  textBytesPerArticle: number;
  /** Image bytes per article: as the publishers serve them, as compact copies, and compact + originals (originals: keep). */
  originalBytesPerArticle: number;
  compactBytesPerArticle: number;
  keptBytesPerArticle: number;
  /** compact / original image bytes (target ≤ 0.2). */
  compactRatio: number;
  /** The same on the real pictures alone, as their publishers served them (the crops are saved again at quality 90, smaller than a camera's). */
  compactRatioRealBytes: number;
  /** Every stored picture decodes and fits the 1280 box. */
  allDecodeInBox: boolean;
  largestSide: number;
  /** Pictures re-encoded per second (compactImage alone, two at once as the archive runs it). */
  imagesPerSec: number;
  /** The run's items/s with images archived, and the same feed with images hotlinked. */
  itemsPerSecWithImages: number;
  itemsPerSecWithout: number;
  ratioWithVsWithout: number;
}

const SIDE = 1280;

/** The set's pictures as bytes, those over the default pixel cap left out (they are never stored). */
async function readCorpus(dir: string): Promise<{ name: string; bytes: Buffer }[]> {
  const names = (await readdir(dir)).filter((n) => /\.(jpe?g|png|gif|webp|avif)$/.test(n)).sort();
  const out: { name: string; bytes: Buffer }[] = [];
  for (const name of names) {
    const bytes = await readFile(join(dir, name));
    const fits = await sharp(bytes, { limitInputPixels: 40_000_000 }).metadata().then(() => true, () => false);
    if (fits) out.push({ name, bytes });
  }
  return out;
}

/**
 * The n-th variant of a real picture: variant 0 is the publisher's bytes; later ones are crops
 * (a few percent off each side, more for each variant), saved in the picture's own format at a
 * publisher's quality, so that every article carries distinct pictures of the same kind.
 */
async function variant(bytes: Buffer, n: number): Promise<Buffer> {
  if (n === 0) return bytes;
  const meta = await sharp(bytes).metadata();
  const cut = (side: number) => Math.floor((side * Math.min(n, 20)) / 100);
  const image = sharp(bytes).extract({ left: cut(meta.width), top: cut(meta.height), width: meta.width - 2 * cut(meta.width), height: meta.height - 2 * cut(meta.height) });
  switch (readImageInfo(bytes)?.type) {
    case 'png':
      return image.png().toBuffer();
    case 'webp':
      return image.webp({ quality: 85 }).toBuffer();
    case 'avif':
      return image.avif({ quality: 60 }).toBuffer();
    case 'gif':
      return image.gif().toBuffer();
    default:
      return image.jpeg({ quality: 90 }).toBuffer();
  }
}

function feedXml(base: string, articles: number, perArticle: (i: number) => number[]): string {
  const text = '<p>记者报道，港口灯光节周一晚间开幕，约有十万市民沿海滨步道观看。主办方表示，今年首次加入本地中学生设计的图案。</p>'.repeat(6);
  const items = Array.from({ length: articles }, (_, i) => {
    const images = perArticle(i).map((p) => `<p><img src="${base}/img/${p}" alt="图${p}"></p>`).join('');
    const date = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toUTCString();
    return `<item><title>图片新闻第${i}篇</title><link>https://example.org/growth/${i}</link><guid>https://example.org/growth/${i}</guid><pubDate>${date}</pubDate><description><![CDATA[${text}${images}]]></description></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>growth</title><link>https://example.org/</link><description>bench</description>\n${items.join('\n')}\n</channel></rss>\n`;
}

async function folderBytes(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

async function archiveOnce(dir: string, base: string, images: Record<string, unknown> | 'keep'): Promise<{ seconds: number; items: number }> {
  const parsed = configSchema.parse({
    archive: dir,
    allowPrivateNetworks: true,
    readme: { title: 'newsmirror growth bench', footer: '' },
    ...(images !== 'keep' ? { images } : {}),
    sources: [{ name: '图片新闻', slug: 'growth', url: `${base}/feed.xml`, fullText: 'never', images: images === 'keep' ? 'keep' : 'archive' }],
  });
  const config: Config = { ...parsed, archiveDir: dir, file: undefined };
  const { seconds, value } = await timeOnce(() => CleanPool.using((clean) => runArchive(config, { clean })));
  const source = value.sources[0];
  if (source?.status === 'failed') throw new Error(`growth: the run failed: ${source.error?.message ?? '?'}`);
  return { seconds, items: source?.added.length ?? 0 };
}

export async function benchGrowth(options: { quick: boolean; workDir: string; imagesDir: string }, log: (line: string) => void): Promise<GrowthResult | null> {
  if (!existsSync(options.imagesDir)) {
    log(`growth: skipped, needs the real images in ${options.imagesDir} (../shared beside the project)`);
    return null;
  }
  const corpus = await readCorpus(options.imagesDir);
  const articles = options.quick ? 8 : 40;
  // 2.4 pictures an article, as the family's: 2, 3, 2, 3, 2, ...
  const counts = Array.from({ length: articles }, (_, i) => (i % 5 === 1 || i % 5 === 3 ? 3 : 2));
  const served: Buffer[] = [];
  for (let p = 0; p < counts.reduce((a, b) => a + b, 0); p++) {
    const source = corpus[p % corpus.length]!;
    served.push(await variant(source.bytes, Math.floor(p / corpus.length)));
  }
  log(`growth: ${articles} articles, ${served.length} distinct pictures from ${corpus.length} real ones`);
  const server = await new LocalFeedServer().start();
  const work = await mkdtemp(join(options.workDir, 'growth-'));
  try {
    served.forEach((bytes, p) => server.routes.set(`/img/${p}`, { body: bytes }));
    let next = 0;
    const perArticle = counts.map((c) => Array.from({ length: c }, () => next++));
    server.routes.set('/feed.xml', { body: feedXml(server.url, articles, (i) => perArticle[i]!) });

    const text = await archiveOnce(join(work, 'text'), server.url, 'keep');
    const compact = await archiveOnce(join(work, 'compact'), server.url, {});
    const kept = await archiveOnce(join(work, 'kept'), server.url, { originals: 'keep' });
    const textBytes = (await folderBytes(join(work, 'text/articles'))) + (await folderBytes(join(work, 'text/lists')));
    const compactAssets = join(work, 'compact/assets');
    let largestSide = 0;
    let allDecodeInBox = true;
    let stored = 0;
    for (const entry of existsSync(compactAssets) ? await readdir(compactAssets, { withFileTypes: true, recursive: true }) : []) {
      if (!entry.isFile()) continue;
      stored++;
      try {
        const meta = await sharp(join(entry.parentPath, entry.name), { animated: true }).metadata();
        const side = Math.max(meta.width, meta.pageHeight ?? meta.height);
        largestSide = Math.max(largestSide, side);
        if (side > SIDE) allDecodeInBox = false;
      } catch {
        allDecodeInBox = false;
      }
    }
    const originalBytes = served.reduce((sum, b) => sum + b.length, 0);
    const compactBytes = await folderBytes(compactAssets);
    const keptBytes = await folderBytes(join(work, 'kept/assets'));
    const real = served.slice(0, corpus.length);
    const realCompact = await Promise.all(real.map(async (b) => (await stat(join(work, 'compact', compactPath(createHash('sha256').update(b).digest('hex'), 'webp')))).size));
    const realRatio = realCompact.reduce((a, b) => a + b, 0) / real.reduce((a, b) => a + b.length, 0);

    const settings = { format: 'webp', maxSide: SIDE, quality: 72, animated: 'animate', maxPixels: 40_000_000 } as const;
    const encode = await timeOnce(() => Promise.all(served.map((b) => compactImage(b, readImageInfo(b)!.type, settings))));

    return {
      articles,
      pictures: served.length,
      stored,
      textBytesPerArticle: Math.round(textBytes / articles),
      originalBytesPerArticle: Math.round(originalBytes / articles),
      compactBytesPerArticle: Math.round(compactBytes / articles),
      keptBytesPerArticle: Math.round(keptBytes / articles),
      compactRatio: round(compactBytes / originalBytes, 3),
      compactRatioRealBytes: round(realRatio, 3),
      allDecodeInBox,
      largestSide,
      imagesPerSec: round(served.length / encode.seconds, 1),
      itemsPerSecWithImages: round(compact.items / compact.seconds, 1),
      itemsPerSecWithout: round(text.items / text.seconds, 1),
      ratioWithVsWithout: round(compact.items / compact.seconds / (text.items / text.seconds), 3),
    };
  } finally {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}
