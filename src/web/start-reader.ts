import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { readState } from '../archive/state-file.js';
import { Catalog } from '../catalog/catalog.js';
import type { Config } from '../config/load-config.js';
import { CATALOG_FILE } from '../catalog/catalog-location.js';
import { sourceHealth } from '../pipeline/source-health.js';
import { ReaderArchive, syncReaderCatalog } from '../publish/reader-archive.js';
import type { HomeSource } from '../publish/render-home-page.js';
import { createReaderApp } from './reader-app.js';
import type { SearchFn } from './search-params.js';

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
  /** Full-text search over the catalog (undefined: pages say search is not available). */
  search?: ((catalog: Catalog) => SearchFn) | undefined;
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
 * and serves the reader on host:port (port 0: any free port).
 */
export async function startReader(options: StartReaderOptions): Promise<RunningReader> {
  const { config } = options;
  const catalog = Catalog.open(join(config.archiveDir, CATALOG_FILE));
  let server: ReturnType<typeof serve> | undefined;
  try {
    const search = options.search?.(catalog);
    const warnings = await syncReaderCatalog(config.archiveDir, catalog, Date.now());
    const archive = new ReaderArchive(config.archiveDir, catalog, config);
    const app = createReaderApp({ archive, search, health: readerHealth(config, catalog) });
    const address = await new Promise<AddressInfo>((resolve, reject) => {
      server = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, resolve);
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
        catalog.close();
      },
    };
  } catch (error) {
    server?.close();
    catalog.close();
    throw error;
  }
}
