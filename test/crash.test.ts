import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { parseArticleFile } from '../src/archive/article-file.js';
import { numberedItems, rss } from './helpers/feeds.js';
import { spawnCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

const ITEMS = 40;

describe('a run killed with SIGKILL', () => {
  let server: LocalFeedServer;
  beforeAll(async () => {
    server = await new LocalFeedServer().start();
    server.routes.set('/a.xml', { body: rss(numberedItems(ITEMS, 'a')) });
    server.routes.set('/b.xml', { body: rss(numberedItems(ITEMS, 'b')) });
  });
  afterAll(() => server.stop());

  it.each([
    'temp-written:1',
    'temp-written:25',
    'article-written:1',
    'article-written:30',
    'article-recorded:12',
    'before-lists:1',
    'before-lists:2',
    'before-state:1',
  ])('at %s leaves no partial file, and the next run archives every item exactly once', async (point) => {
    const dir = await tempDir();
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(
      config,
      `archive: archive\nconcurrency: 2\nsources:\n  - { name: A, slug: a, url: "${server.url}/a.xml", fullText: never }\n  - { name: B, slug: b, url: "${server.url}/b.xml", fullText: never }\n`,
    );
    const archive = join(dir, 'archive');
    const killed = await spawnCli(['run', '--config', config], { env: { NEWSMIRROR_FAILPOINT: point } }).done;
    expect(killed.signal, killed.stderr).toBe('SIGKILL');

    for (const slug of ['a', 'b']) {
      const names = await readdir(join(archive, 'articles', slug)).catch(() => [] as string[]);
      for (const name of names) {
        expect(name).toMatch(/^\d+\.md$/);
        const file = parseArticleFile(await readFile(join(archive, 'articles', slug, name), 'utf8'), name);
        expect(file.body).toMatch(/^<p>正文 \d+<\/p><p>第二段 \d+<\/p>$/);
      }
    }
    for (const name of await readdir(join(archive, 'lists')).catch(() => [] as string[])) expect(name).toMatch(/\.md$|^[AB]$/);

    const next = await spawnCli(['run', '--config', config, '--json']).done;
    expect(next.code, next.stderr).toBe(0);
    expect(await readdir(join(archive, '.newsmirror/tmp')).catch(() => [])).toEqual([]);
    for (const slug of ['a', 'b']) {
      const names = await readdir(join(archive, 'articles', slug));
      const links = await Promise.all(
        names.map(async (name) => parseArticleFile(await readFile(join(archive, 'articles', slug, name), 'utf8'), name).url),
      );
      expect(names).toHaveLength(ITEMS);
      expect(new Set(links).size).toBe(ITEMS);
      const list = await readFile(join(archive, 'lists', `${slug.toUpperCase()}.md`), 'utf8');
      expect(list.match(/\]\(\/articles\//g)).toHaveLength(ITEMS);
    }
    // And a third run finds nothing new.
    const third = JSON.parse((await spawnCli(['run', '--config', config, '--json']).done).stdout);
    expect(third.sources.map((s: { added: number[] }) => s.added.length)).toEqual([0, 0]);
  });
});
