import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArticleFile } from '../src/archive/article-file.js';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { readTree } from './helpers/archive-tree.js';
import { rss } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { SEED_FILE, hasSeed, noteSkip } from './helpers/shared.js';
import { tempDir } from './helpers/temp-dir.js';

describe.skipIf(noteSkip(hasSeed, 'the seed test'))('the seed article', () => {
  let server: LocalFeedServer;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
  });
  afterEach(() => server.stop());

  async function setUp(): Promise<{ dir: string; config: string }> {
    const seed = parseArticleFile(readFileSync(SEED_FILE, 'utf8'), 'seed');
    server.routes.set('/rfi.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([{ title: seed.title, link: seed.url, guid: seed.url, pubDate: 'Tue, 26 Sep 2023 09:45:01 GMT', description: seed.body }]),
    });
    const dir = await tempDir();
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, `archive: archive\nsources:\n  - name: 法广\n    slug: rfi\n    url: ${server.url}/rfi.xml\n    clean: false\n`);
    return { dir, config };
  }

  it('is written byte for byte, with its list', async () => {
    const { dir, config } = await setUp();
    const result = await runCli(['run', '--config', config]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const archive = join(dir, 'archive');
    expect(await readFile(join(archive, 'articles/rfi/1048574.md'))).toEqual(readFileSync(SEED_FILE));
    expect(await readFile(join(archive, 'lists/法广.md'), 'utf8')).toBe(
      '法广\n------\n\n9-26 [中国称反对“不计后果扩大军事联盟”](/articles/rfi/1048574.md)\n\n',
    );
    expect(await readFile(join(archive, 'lists/法广/2023-09.md'), 'utf8')).toBe(
      '法广 2023-09\n------\n\n9-26 [中国称反对“不计后果扩大军事联盟”](/articles/rfi/1048574.md)\n\n',
    );
    expect(await readFile(join(archive, 'README.md'), 'utf8')).toBe('新闻镜像\n------\n\n[法广](lists/法广.md)\n\n');
  });

  it('changes no byte when run again with the same feed', async () => {
    const { dir, config } = await setUp();
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    const before = await readTree(join(dir, 'archive'));
    const again = await runCli(['run', '--config', config, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).sources[0].added).toEqual([]);
    expect(await readTree(join(dir, 'archive'))).toEqual(before);
    expect([...before.keys()].sort()).toEqual([
      '.gitignore',
      '.newsmirror/state.json',
      'README.md',
      'articles/rfi/1048574.md',
      'lists/法广.md',
      'lists/法广/2023-09.md',
    ]);
  });
});
