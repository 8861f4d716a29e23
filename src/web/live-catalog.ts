import { Catalog } from '../catalog/catalog.js';
import { ArchiveError, describeError } from '../domain/errors.js';

/** How often a reader looks whether its catalog was replaced: two stat calls, at most this often. */
export const REPLACED_CHECK_MS = 1000;

export interface LiveCatalogOptions<V> {
  /** The catalog file (.newsmirror/catalog.sqlite of the archive). */
  file: string;
  /**
   * What requests use of one catalog (the reader's app). `rebuilding` says
   * whether the search index of this catalog is being made anew (it was
   * found damaged, and the first sync has not indexed the files yet).
   */
  view: (catalog: Catalog, rebuilding: () => boolean) => V;
  /** Brings a catalog just opened in line with the files (syncReaderCatalog): returns the problems met. */
  sync: (catalog: Catalog) => Promise<string[]>;
  /** Problems met after the start (a sync of a catalog opened again, an open that failed): one line each. */
  log: (line: string) => void;
  checkEveryMs?: number | undefined;
}

/** One opened catalog and the requests (and sync) using it. */
interface Generation<V> {
  catalog: Catalog;
  view: V;
  users: number;
  retired: boolean;
  rebuilding: boolean;
  /** Resolves when the catalog is closed (retired, and its last user done). */
  closed: Promise<void>;
  close: () => void;
}

/**
 * The catalog of a long-running reader (serve), opened again when it no
 * longer is the archive's: another process replaced its file (a reindex
 * sets it aside and makes a new one; runs then write the new one, never
 * the file this connection holds), or the search file was found damaged
 * (closing the catalog deletes it; opening makes it anew, and the sync
 * indexes the article files into it). Whether the file was replaced is
 * looked at once a REPLACED_CHECK_MS at most, on a request. Requests in
 * flight finish on the catalog they started with; it is closed after them.
 */
export class LiveCatalog<V> {
  private current: Generation<V>;
  private readonly generations = new Set<Generation<V>>();
  private checkedAt = Date.now();
  private switching: Promise<void> | undefined;
  /** The syncs of catalogs opened again, one after the other (each takes the archive's lock). */
  private syncing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly options: LiveCatalogOptions<V>,
    first: Catalog,
  ) {
    this.current = this.generation(first, false);
  }

  /** Opens the catalog and syncs it (awaited: the first request already reads it whole). */
  static async open<V>(options: LiveCatalogOptions<V>): Promise<{ live: LiveCatalog<V>; warnings: string[] }> {
    const catalog = Catalog.open(options.file);
    try {
      const live = new LiveCatalog(options, catalog);
      const warnings = await options.sync(catalog);
      return { live, warnings };
    } catch (error) {
      catalog.close();
      throw error;
    }
  }

  /** Runs `fn` (a request) on the archive's current catalog, opening it again first when it is due. */
  async use<T>(fn: (view: V) => T | Promise<T>): Promise<T> {
    if (this.switching === undefined) {
      const reason = this.due();
      if (reason !== undefined) this.switching = this.reopen(reason).finally(() => (this.switching = undefined));
    }
    // A failed reopen was logged. A catalog replaced is still served as it was; one closed for its
    // damaged search file is not there to serve: the request is refused, and the next one tries again.
    if (this.switching !== undefined) await this.switching.catch(() => undefined);
    const generation = this.current;
    if (generation.catalog.closed) {
      throw new ArchiveError('catalog_unavailable', `${this.options.file}: could not be opened again after its search index was found damaged; try again shortly`);
    }
    generation.users += 1;
    try {
      return await fn(generation.view);
    } finally {
      this.release(generation);
    }
  }

  /** Waits for a reopen and its sync in progress, then closes every catalog. */
  async close(): Promise<void> {
    await this.switching?.catch(() => undefined);
    await this.syncing;
    for (const generation of this.generations) generation.close();
  }

  private generation(catalog: Catalog, rebuilding: boolean): Generation<V> {
    let closed!: () => void;
    const generation: Generation<V> = {
      catalog,
      view: undefined as V,
      users: 0,
      retired: false,
      rebuilding,
      closed: new Promise<void>((resolve) => (closed = resolve)),
      close: () => {
        catalog.close();
        this.generations.delete(generation);
        closed();
      },
    };
    generation.view = this.options.view(catalog, () => generation.rebuilding);
    this.generations.add(generation);
    return generation;
  }

  private release(generation: Generation<V>): void {
    generation.users -= 1;
    if (generation.retired && generation.users === 0) generation.close();
  }

  /** Closed once its users are done. */
  private retire(generation: Generation<V>): Promise<void> {
    generation.retired = true;
    if (generation.users === 0) generation.close();
    return generation.closed;
  }

  private due(): 'damaged' | 'replaced' | undefined {
    const { catalog } = this.current;
    // Closed: a reopen failed after its catalog was closed (see reopen).
    if (catalog.closed || catalog.searchDamage !== undefined) return 'damaged';
    const now = Date.now();
    if (now - this.checkedAt < (this.options.checkEveryMs ?? REPLACED_CHECK_MS)) return undefined;
    this.checkedAt = now;
    return catalog.replaced() ? 'replaced' : undefined;
  }

  private async reopen(reason: 'damaged' | 'replaced'): Promise<void> {
    const old = this.current;
    // The damaged search file is deleted when its catalog closes, so that comes first: a catalog
    // opened before would attach the damaged file again. Requests meanwhile wait (as long as the
    // requests in flight take).
    if (reason === 'damaged') await this.retire(old);
    let catalog: Catalog;
    try {
      catalog = Catalog.open(this.options.file);
    } catch (error) {
      this.options.log(`could not open the catalog again (the next request tries again): ${describeError(error)}`);
      throw error;
    }
    const next = this.generation(catalog, reason === 'damaged');
    this.current = next;
    if (reason === 'replaced') void this.retire(old);
    // In the background, as a user of the catalog: requests go on meanwhile (after a reindex the new
    // catalog is whole, the sync is a quick check; a search file made anew is indexed from the files).
    next.users += 1;
    this.syncing = this.syncing.then(async () => {
      try {
        for (const warning of await this.options.sync(catalog)) this.options.log(warning);
      } catch (error) {
        this.options.log(`${this.options.file}: ${describeError(error)}`);
      } finally {
        next.rebuilding = false;
        this.release(next);
      }
    });
  }
}
