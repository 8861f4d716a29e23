import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalFeedServer } from '../../src/demo/local-feed-server.js';
import { tempDir } from './temp-dir.js';

/** A feed server on 127.0.0.1 and, in a temp folder, a config of one source, 测试 (slug t), read from /t.xml there. */
export interface OneSource {
  server: LocalFeedServer;
  config: string;
  archive: string;
  /** Writes the config again with `more` among the source's settings (`, clean: false`). */
  configure(more?: string): Promise<void>;
}

/** Starts the server and writes the config (fullText: never: items are archived from the feed alone). Stop the server after. */
export async function startOneSource(): Promise<OneSource> {
  const server = await new LocalFeedServer().start();
  const dir = await tempDir();
  const config = join(dir, 'newsmirror.yaml');
  const configure = (more = '') => writeFile(config, `sources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml", fullText: never${more} }\n`);
  await configure();
  return { server, config, archive: join(dir, 'archive'), configure };
}
