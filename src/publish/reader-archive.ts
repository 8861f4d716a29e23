import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArticleFile } from '../archive/article-file.js';
import { readEditFiles, type EditFile } from '../archive/scan-archive.js';
import { SLUG_PATTERN } from '../domain/article.js';
import type { Catalog } from '../catalog/catalog.js';
import { findArticleNeighbours, listNewestAcrossSources, listSourceArticles, listSourceSummaries, type Neighbours } from '../catalog/reader-queries.js';
import { CONFIG_FILE, loadConfig, type Config } from '../config/load-config.js';
import { renderAtomFeed, type AtomEntryInput } from './render-atom.js';
import { renderReaderBody } from './reader-body.js';
import type { ListEntry, SiteInfo, SourceInfo } from './render-list-pages.js';
import { ALL_FEED, articlePage, feedFile, HOME_PAGE, sourcePage } from './site-paths.js';

const SOURCES_TTL_MS = 5000;

/** Entries per Atom feed: the newest, each with its full text. */
export const FEED_ENTRIES = 50;

export interface ReadArticle extends Neighbours {
  source: SourceInfo;
  title: string;
  url: string;
  published: number;
  /** The body as the file holds it (not yet sanitized). */
  body: string;
}

/**
 * The config the reader uses for an archive: --config, else the archive's
 * own newsmirror.yaml (an `init` repository keeps it at its root), else the
 * usual lookup (./newsmirror.yaml, then the built-in sources). A DIR that
 * holds a config but no articles/ is such a repository's top: its config
 * names the archive folder (archive: archive), as for run there.
 */
export async function loadReaderConfig(options: { config?: string | undefined; archive?: string | undefined; cwd: string }): Promise<Config> {
  if (options.config === undefined && options.archive !== undefined) {
    const dir = resolve(options.cwd, options.archive);
    const own = join(dir, CONFIG_FILE);
    if (existsSync(own)) {
      const isArchive = existsSync(join(dir, 'articles'));
      return loadConfig({ ...options, config: own, archive: isArchive ? options.archive : undefined });
    }
  }
  return loadConfig(options);
}

/** What the pages read: the config's names and order, the catalog's lists, the files' bodies. */
export class ReaderArchive {
  readonly site: SiteInfo;
  private cached: { at: number; sources: SourceInfo[] } | undefined;

  constructor(
    readonly root: string,
    readonly catalog: Catalog,
    readonly config: Pick<Config, 'timezone' | 'readme' | 'sources' | 'body' | 'file'>,
  ) {
    this.site = { title: config.readme.title, timeZone: config.timezone };
  }

  /**
   * Configured sources in config order, then any other source the catalog
   * has articles of (old folders), by slug. Remembered for a few seconds: one page
   * asks many times, and a run may add a source meanwhile.
   */
  sources(): SourceInfo[] {
    const now = Date.now();
    if (this.cached && now - this.cached.at < SOURCES_TTL_MS) return this.cached.sources;
    const summaries = listSourceSummaries(this.catalog, 0);
    const counted = new Set(summaries.filter((s) => s.count > 0).map((s) => s.slug));
    // The built-in sources (no config file) are shown only where the archive has their articles.
    const configured = this.config.sources
      .filter((s) => this.config.file !== undefined || counted.has(s.slug))
      .map((s) => ({ slug: s.slug, name: s.name }));
    const seen = new Set(this.config.sources.map((s) => s.slug));
    // An old folder named like a configured source (the family's BBC/ beside bbc/) is told apart by its folder.
    const names = new Set(configured.map((s) => s.name.toLowerCase()));
    const others = summaries
      .filter((s) => !seen.has(s.slug) && s.count > 0)
      .map((s) => ({ slug: s.slug, name: s.name ?? s.slug }))
      .map((s) => (names.has(s.name.toLowerCase()) ? { ...s, name: `${s.name} (articles/${s.slug})` } : s));
    const sources = [...configured, ...others];
    this.cached = { at: now, sources };
    return sources;
  }

  source(slug: string): SourceInfo | undefined {
    if (!SLUG_PATTERN.test(slug)) return undefined;
    return this.sources().find((s) => s.slug === slug);
  }

  /** One article with its neighbours; undefined when the catalog or the folder does not have it. */
  async readArticle(slug: string, id: number): Promise<ReadArticle | undefined> {
    const source = this.source(slug);
    if (!source || !Number.isSafeInteger(id)) return undefined;
    const found = findArticleNeighbours(this.catalog, slug, id);
    if (!found) return undefined;
    const rel = `articles/${slug}/${id}.md`;
    let text: string;
    try {
      text = await readFile(join(this.root, rel), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const file = parseArticleFile(text, rel);
    return { ...found, source, title: file.title, url: file.url, published: file.published ?? found.row.published, body: file.body };
  }

  /** The later versions of an article (edits/...), oldest first, as their files hold them. */
  readEdits(slug: string, id: number): Promise<EditFile[]> {
    return readEditFiles(this.root, slug, id);
  }

  /** A body ready for a page at articles/<slug>/<id>.html. */
  pageBody(article: ReadArticle): string {
    return renderReaderBody(article.body, { format: this.config.body, articleUrl: article.url, root: '../../', remote: 'link' });
  }

  entries(rows: readonly { id: number; title: string; published: number; source?: string }[], source?: SourceInfo): ListEntry[] {
    const names = new Map(this.sources().map((s) => [s.slug, s]));
    return rows.map((r) => ({ id: r.id, title: r.title, published: r.published, ...(r.source && !source ? { source: names.get(r.source) ?? { slug: r.source, name: r.source } } : {}) }));
  }

  /**
   * The Atom feed of one source, or of all sources (`undefined`), at
   * feeds/<slug>.xml. `base` is the site's absolute URL when known; else
   * links are relative to the site root, which the feed's xml:base names
   * (`../`, resolved against the feed's own address). `assetsRoot`: where
   * article pages find the pictures when the site has no copies of its own
   * (site --assets link), as a page at articles/<slug>/ reaches them.
   */
  async renderFeed(slug: string | undefined, base = '', assetsRoot?: string): Promise<string | undefined> {
    const source = slug === undefined ? undefined : this.source(slug);
    if (slug !== undefined && !source) return undefined;
    const rows =
      slug === undefined
        ? listNewestAcrossSources(this.catalog, FEED_ENTRIES)
        : (listSourceArticles(this.catalog, slug, { limit: FEED_ENTRIES })?.items ?? []).map((r) => ({ ...r, source: slug }));
    const root = base; // '' (relative to xml:base) or the site's URL
    // From the site's root, not from a page two folders below it.
    const images = assetsRoot === undefined ? root : /^https?:\/\//i.test(assetsRoot) ? assetsRoot : root + assetsRoot.replace(/^\.\.\/\.\.\//, '');
    const entries: AtomEntryInput[] = [];
    for (const row of rows) {
      const article = await this.readArticle(row.source, row.id);
      if (!article) continue;
      entries.push({
        sourceSlug: article.source.slug,
        sourceName: article.source.name,
        id: article.row.id,
        title: article.title,
        url: article.url,
        published: article.published,
        pageHref: root + articlePage(article.source.slug, article.row.id),
        contentHtml: renderReaderBody(article.body, { format: this.config.body, articleUrl: article.url, root: images, remote: 'keep' }),
      });
    }
    const title = source ? `${source.name} · ${this.site.title}` : this.site.title;
    // The feed's id must not change with the address it is read at (RFC 4287 4.2.6): made from
    // the archive's title, the source and the feed it mirrors, never from the host.
    const upstream = this.config.sources.find((s) => s.slug === slug)?.url ?? '';
    return renderAtomFeed({
      idSeed: `${this.site.title}\n${slug ?? ''}\n${upstream}`,
      title,
      author: source?.name ?? this.site.title,
      selfHref: root + (slug === undefined ? ALL_FEED : feedFile(slug)),
      pageHref: root + (slug === undefined ? HOME_PAGE : sourcePage(slug)),
      entries,
      xmlBase: base === '' ? '../' : undefined,
    });
  }
}
