import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { readState } from '../archive/state-file.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Config } from '../config/load-config.js';
import { ArchiveError } from '../domain/errors.js';
import { CATALOG_FILE } from '../catalog/catalog-location.js';
import { sourceHealth } from '../pipeline/source-health.js';
import { ReaderArchive } from '../publish/reader-archive.js';
import { syncReaderCatalog } from '../pipeline/sync-reader-catalog.js';
import type { HomeSource } from '../publish/render-home-page.js';
import { LiveCatalog } from './live-catalog.js';
import { createReaderApp } from './reader-app.js';
import type { SearchFn } from './search-params.js';
import { escapeControlCharacters } from '../domain/control-characters.js';

export interface RunningReader {
  /** `http://host:port/` */
  url: string;
  /** Problems met while syncing the catalog with the files (unreadable files). */
  warnings: string[];
  close(): Promise<void>;
}

export interface StartReaderOptions {
  config: Config;
  port: number;
  host: string;
  /**
   * Full-text search over the catalog (undefined: pages say search is not available).
   * `rebuilding`: whether the catalog's search index is being made anew (see LiveCatalog).
   */
  search?: ((catalog: Catalog, rebuilding: () => boolean) => SearchFn) | undefined;
  /** Problems met after the start (a catalog opened again: see LiveCatalog), one line each; default: stderr. */
  log?: ((line: string) => void) | undefined;
}

/** Health badges for the home page, from the state file and the catalog's fetch log (as `status` shows them). */
export function readerHealth(config: Config, catalog: Catalog) {
  return async (): Promise<ReadonlyMap<string, HomeSource['health']>> => {
    const { state } = await readState(config.archiveDir);
    const now = Date.now();
    const badges = new Map<string, HomeSource['health']>();
    for (const source of config.sources) {
      const h = sourceHealth(source, state.sources[source.slug], catalog, now);
      if (h.consecutiveFailures > 0) badges.set(source.slug, { state: 'failing', text: `${h.consecutiveFailures}× ${h.lastError?.code ?? ''}: ${h.lastError?.message ?? ''}` });
      else if (h.stale) badges.set(source.slug, { state: 'stale', text: `no new article for more than ${h.staleAfterHours} h` });
      else if (h.lastSuccess !== null) badges.set(source.slug, { state: 'ok', text: `last success ${h.lastSuccess}` });
    }
    return badges;
  };
}

/**
 * Opens the archive's catalog (bringing it in line with the files first),
 * and serves the reader on host:port (port 0: any free port). A catalog
 * replaced meanwhile (reindex) or with a damaged search file is opened
 * again, and synced, on a later request (LiveCatalog).
 */
export async function startReader(options: StartReaderOptions): Promise<RunningReader> {
  const { config } = options;
  // The catalog could not be opened again (LiveCatalog.use): 503 with the reason, not a bare 500.
  const unavailable = (error: unknown): Response => {
    if (!(error instanceof ArchiveError && error.code === 'catalog_unavailable')) throw error;
    return new Response(`newsmirror serve: ${error.message}\n`, { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' } });
  };
  const { live, warnings } = await LiveCatalog.open({
    file: join(config.archiveDir, CATALOG_FILE),
    view: (catalog, rebuilding) => {
      const archive = new ReaderArchive(config.archiveDir, catalog, config);
      return createReaderApp({ archive, search: options.search?.(catalog, rebuilding), health: readerHealth(config, catalog) });
    },
    sync: (catalog) => syncReaderCatalog(config.archiveDir, catalog, Date.now()),
    log: options.log ?? ((line) => console.error(escapeControlCharacters(`newsmirror serve: ${line}`))),
  });
  let server: ReturnType<typeof serve> | undefined;
  try {
    const address = await new Promise<AddressInfo>((resolve, reject) => {
      server = serve({ fetch: (request, env) => live.use((app) => app.fetch(request, env)).catch(unavailable), port: options.port, hostname: options.host }, resolve);
      server.once('error', reject);
    });
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const running = server!;
    return {
      url: `http://${host}:${address.port}/`,
      warnings,
      close: async () => {
        await new Promise<void>((resolve) => {
          running.close(() => resolve());
          if ('closeAllConnections' in running) running.closeAllConnections();
        });
        await live.close();
      },
    };
  } catch (error) {
    server?.close();
    await live.close();
    throw error;
  }
}
