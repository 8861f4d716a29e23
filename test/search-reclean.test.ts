import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { rss } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

const BODY = '<p>正文第一段。</p><br><hr><div>获取更多RSS：<br><a href="https://feedx.net">https://feedx.net</a> <br></div>';

describe('search after reclean', () => {
  let server: LocalFeedServer;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
  });
  afterEach(() => server.stop());

  it('indexes the rewritten body: boilerplate cleaned away is no longer found', async () => {
    server.routes.set('/t.xml', { body: rss([{ title: '标题', link: 'https://www.rfi.fr/cn/a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: BODY }]) });
    const dir = await tempDir();
    const config = join(dir, 'newsmirror.yaml');
    const write = (clean: boolean) => writeFile(config, `sources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml", clean: ${clean}, fullText: never }\n`);
    const total = async (q: string) => JSON.parse((await runCli(['search', '--config', config, '--json', q])).stdout).total as number;
    await write(false);
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    expect(await total('获取更多')).toBe(1);
    await write(true);
    expect((await runCli(['reclean', '--config', config])).code).toBe(0);
    expect(await total('获取更多')).toBe(0);
    expect(await total('feedx')).toBe(0);
    expect(await total('第一段')).toBe(1);
  });

  it('still finds an article by what its recorded edits added', async () => {
    const item = { title: '标题', guid: 'urn:a', link: 'https://www.rfi.fr/cn/a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT' };
    const dir = await tempDir();
    const config = join(dir, 'newsmirror.yaml');
    const write = (clean: boolean) => writeFile(config, `sources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml", clean: ${clean}, fullText: never }\n`);
    const ids = async (q: string) => (JSON.parse((await runCli(['search', '--config', config, '--json', q])).stdout).hits as Array<{ id: number }>).map((h) => h.id);
    await write(false);
    server.routes.set('/t.xml', { body: rss([{ ...item, description: BODY }]) });
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    server.routes.set('/t.xml', { body: rss([{ ...item, description: `<p>正文第一段。</p><p>法院周二开庭审理。</p>` }]) });
    const edited = await runCli(['run', '--config', config, '--json']);
    expect(JSON.parse(edited.stdout).sources[0].edited).toEqual([1048574]);
    expect(await ids('开庭审理')).toEqual([1048574]);
    await write(true);
    const reclean = await runCli(['reclean', '--config', config, '--json']);
    expect(reclean.code).toBe(0);
    expect(await ids('获取更多')).toEqual([]);
    // The article file was rewritten; its edit file was not, and the search still holds what it added.
    expect(await ids('开庭审理')).toEqual([1048574]);
  });
});
