import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BudgetError, HttpError, describeError } from '../domain/errors.js';
import type { ParsedConfig } from '../config/config-schema.js';
import type { Catalog } from '../catalog/catalog.js';
import type { HttpClient } from '../http/http-client.js';
import { readImageInfo } from '../content/image-bytes.js';
import { listImageUrls, rewriteImages } from '../content/localize-images.js';
import { storeImage } from './store-image.js';
import { DEFAULT_CAPS } from '../domain/caps.js';
import type { ImageBudget } from './image-budget.js';

/** Article files sit at articles/<slug>/<id>.md: two folders below the archive root. */
const FROM_ARTICLE = '../../';
const IMAGES_IN_FLIGHT = 4;
/** Failures that say the host is unreachable: the run stops asking it. */
const HOST_DOWN = new Set(['dns', 'network', 'timeout', 'tls']);
/** A URL or host as reached through a proxy (a source's own) or directly: what fails one way may work the other. */
const via = (proxy: string | undefined, target: string) => `${proxy ?? ''} ${target}`;

/**
 * Downloads images and stores their compact copies (store-image.ts), named
 * by the source bytes, so the same image in two articles is stored once; each URL is fetched once
 * (the catalog remembers it across runs). Image URLs come from feed content:
 * the SSRF guard applies.
 */
export class ImageStore {
  private readonly pending = new Map<string, Promise<string | undefined>>();
  private readonly failures = new Map<string, string>();
  private readonly downHosts = new Map<string, string>();

  constructor(
    private readonly root: string,
    private readonly catalog: Catalog,
    private readonly http: HttpClient,
    /** With the link cap (maxUrlLength): an image address longer than it is not asked for. */
    private readonly settings: ParsedConfig['images'] & { maxUrlLength?: number },
    /** The size budgets (config `budgets`); none: every picture is stored. */
    private readonly budget?: ImageBudget,
  ) {}

  private referer(url: string): Record<string, string> {
    const host = new URL(url).hostname;
    for (const [suffix, referer] of Object.entries(this.settings.referers)) {
      if (host === suffix || host.endsWith(`.${suffix}`)) return { referer };
    }
    return {};
  }

  private async download(url: string, proxy: string | undefined, article: object): Promise<string | undefined> {
    const known = this.catalog.findAsset(url);
    // The catalog may know an image whose file is not here: one a run downloaded whose commit never
    // got pushed (its catalog restored from a CI cache), or deleted by hand. It is downloaded again.
    if (known !== undefined && existsSync(join(this.root, known))) return known;
    const host = new URL(url).host;
    const route = via(proxy, host);
    const down = this.downHosts.get(route);
    if (down !== undefined) {
      this.failures.set(via(proxy, url), `${url}: not fetched, ${host} failed earlier in this run (${down})`);
      return undefined;
    }
    try {
      // A budget used up already: the picture is not even downloaded.
      await this.budget?.check(article);
      const result = await this.http.fetch(url, { headers: this.referer(url), maxBytes: this.settings.maxBytes, tries: 2, ...(proxy !== undefined ? { proxy } : {}) });
      if (result.kind !== 'fetched') throw new Error(`${url}: 304 to an unconditional request`);
      const info = readImageInfo(result.body);
      if (!info) throw new Error(`${url}: not an image (its bytes are no PNG, JPEG, GIF, WebP or AVIF)`);
      if (info.width !== undefined && info.height !== undefined && info.width * info.height > this.settings.maxPixels) {
        throw new Error(`${url}: ${info.width}×${info.height} pixels is over the ${this.settings.maxPixels} pixel cap`);
      }
      const admit = this.budget ? (bytes: number) => this.budget!.admit(article, bytes) : undefined;
      const stored = await storeImage(this.root, result.body, info, this.settings, url, admit);
      this.catalog.putAsset({ url, ...stored });
      return stored.path;
    } catch (error) {
      if (error instanceof HttpError && HOST_DOWN.has(error.code)) this.downHosts.set(route, error.code);
      this.failures.set(via(proxy, url), error instanceof BudgetError ? `${url}: ${error.message}` : describeError(error));
      return undefined;
    }
  }

  private fetchOnce(url: string, proxy: string | undefined, article: object): Promise<string | undefined> {
    const key = via(proxy, url);
    let promise = this.pending.get(key);
    if (!promise) this.pending.set(key, (promise = this.download(url, proxy, article)));
    return promise;
  }

  /**
   * Rewrites a sanitized body to use local copies of its images. An image that
   * fails keeps its original URL and is named in the warnings; the article is
   * archived either way. `proxy` is the source's own (images go the way its feed and pages go).
   */
  async localize(html: string, proxy?: string): Promise<{ html: string; warnings: string[] }> {
    const maxUrl = this.settings.maxUrlLength ?? DEFAULT_CAPS.maxUrlLength;
    const warnings: string[] = [];
    const all = listImageUrls(html).filter((url) => {
      if (url.length <= maxUrl) return true;
      warnings.push(`image kept remote: ${url.slice(0, 60)}…: an address of ${url.length} characters is over maxUrlLength (${maxUrl})`);
      return false;
    });
    // The first ones, as a reader sees them; a body of thousands of images (a hostile feed's) asks for no more.
    const urls = all.slice(0, this.settings.maxPerArticle);
    const local = new Map<string, string>();
    // Stands for this article in the budget's count of its images.
    const article = {};
    const over = all.length - urls.length;
    if (over > 0) warnings.push(`${over} more images kept remote (images.maxPerArticle: ${this.settings.maxPerArticle} an article)`);
    for (let i = 0; i < urls.length; i += IMAGES_IN_FLIGHT) {
      const batch = urls.slice(i, i + IMAGES_IN_FLIGHT);
      const paths = await Promise.all(batch.map((url) => this.fetchOnce(url, proxy, article)));
      batch.forEach((url, j) => {
        const path = paths[j];
        if (path !== undefined) local.set(url, `${FROM_ARTICLE}${path}`);
        else warnings.push(`image kept remote: ${this.failures.get(via(proxy, url)) ?? url}`);
      });
    }
    return { html: rewriteImages(html, local), warnings };
  }
}
