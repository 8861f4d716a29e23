import { configSchema } from '../src/config/config-schema.js';
import type { Config } from '../src/config/load-config.js';
import type { BenchFeed } from './corpus/feed-set.js';

/**
 * A config for generated feeds on 127.0.0.1, built as the demo command builds
 * its own. Images stay hotlinked and no article page is fetched: the generated
 * articles point at real hosts, which a loopback benchmark must never call
 * (with no network each call waits for its timeout), and the run is
 * feed → file. Everything else is the default a user gets.
 */
export function benchConfig(archiveDir: string, base: string, feeds: readonly BenchFeed[], concurrency?: number): Config {
  const parsed = configSchema.parse({
    archive: archiveDir,
    allowPrivateNetworks: true,
    ...(concurrency !== undefined ? { concurrency } : {}),
    readme: { title: 'newsmirror bench', footer: '' },
    sources: feeds.map((feed) => ({ name: feed.name, slug: feed.slug, url: `${base}${feed.path}`, images: 'keep', fullText: 'never' })),
  });
  return { ...parsed, archiveDir, file: undefined };
}
