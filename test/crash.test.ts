import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
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

describe('a run killed before its first article file landed', () => {
  it('leaves no raw body that a file arriving later under that id would pass for its own', async () => {
    const server = await new LocalFeedServer().start();
    try {
      const body = '<p>我们的正文</p><div data-selfpromo-newsletter></div>';
      server.routes.set('/t.xml', { body: rss([{ title: '我们的', guid: 'urn:ours', link: 'https://example.org/ours', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: body }]) });
      const dir = await tempDir();
      const config = join(dir, 'newsmirror.yaml');
      const write = (clean: boolean) => writeFile(config, `archive: archive\nsources:\n  - { name: T, slug: t, url: "${server.url}/t.xml", fullText: never, clean: ${clean} }\n`);
      await write(false);
      const killed = await spawnCli(['run', '--config', config], { env: { NEWSMIRROR_FAILPOINT: 'temp-written:1' } }).done;
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      // Meanwhile another clone's article came in under the id the killed run had planned (git pull).
      const theirs = '<!--1767232800000-->\n[他们的](https://example.org/theirs)\n------\n\n<p>他们的正文</p><div data-selfpromo-newsletter></div>\n';
      await mkdir(join(dir, 'archive/articles/t'), { recursive: true });
      await writeFile(join(dir, 'archive/articles/t/1048574.md'), theirs);
      const next = await spawnCli(['run', '--config', config, '--json']).done;
      expect(next.code, next.stderr).toBe(0);
      expect(JSON.parse(next.stdout).sources[0].added).toEqual([1048573]);
      await write(true);
      const reclean = await spawnCli(['reclean', '--config', config, '--json']).done;
      expect(reclean.code, reclean.stderr).toBe(0);
      expect(await readFile(join(dir, 'archive/articles/t/1048574.md'), 'utf8')).toBe(theirs);
      expect(JSON.parse(reclean.stdout).sources[0]).toMatchObject({ rewritten: [1048573], withoutRawBody: 1 });
    } finally {
      await server.stop();
    }
  });
});
