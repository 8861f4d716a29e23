import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { rss, type TestItem } from './helpers/feeds.js';
import { runCli } from './helpers/run-cli.js';
import { startOneSource } from './helpers/one-source.js';

const STORY = '<p>香港特区政府周三宣布，将于下月起调整公共交通票价，平均加幅约百分之三。</p><p>运输署表示，调整是考虑到营运成本上升及通胀因素。</p>';
const CORRECTED = `${STORY}<p>立法会议员批评加幅过高，要求政府押后实施。</p>`;

describe('search finds an article by what its recorded edits added', () => {
  let server: LocalFeedServer;
  let config: string;
  let archive: string;
  beforeEach(async () => {
    ({ server, config, archive } = await startOneSource());
  });
  afterEach(() => server.stop());

  const serve = (title: string, description: string) => {
    const item: TestItem = { title, guid: 'urn:fare', link: 'https://example.org/fare', pubDate: 'Wed, 07 Jan 2026 04:00:00 GMT', description };
    server.routes.set('/t.xml', { body: rss([item]) });
  };
  async function run(): Promise<{ added: number[]; edited: number[] }> {
    const result = await runCli(['run', '--config', config, '--json']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    return JSON.parse(result.stdout).sources[0];
  }
  async function search(q: string): Promise<Array<{ id: number; title: string; snippet: string }>> {
    const result = await runCli(['search', q, '--config', config, '--json']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    return JSON.parse(result.stdout).hits;
  }
  /** Whether the static site's search index holds `term` (its shards are keyed by term). */
  async function siteIndexHas(out: string, term: string): Promise<boolean> {
    const built = await runCli(['site', '--config', config, '--out', out]);
    expect([built.code, built.stderr]).toEqual([0, '']);
    const dir = join(out, 'search-index');
    for (const name of await readdir(dir)) if ((await readFile(join(dir, name), 'utf8')).includes(`"${term}":`)) return true;
    return false;
  }

  it('in the catalog a run updates, after a reindex, and in the static site', async () => {
    const out = join(archive, '..', 'site');
    serve('票价调整', STORY);
    expect((await run()).added).toEqual([1048574]);
    expect(await search('押后实施')).toEqual([]);
    expect(await siteIndexHas(out, '押后')).toBe(false);

    serve('票价调整引发争议', CORRECTED);
    expect((await run()).edited).toEqual([1048574]);
    const [hit] = await search('押后实施');
    // Shown as archived: its own title, the added sentence in the snippet.
    expect(hit).toMatchObject({ id: 1048574, title: '票价调整' });
    expect(hit!.snippet).toContain('<mark>押后实施</mark>');
    expect((await search('争议')).map((h) => h.id)).toEqual([1048574]);
    expect((await search('营运成本')).map((h) => h.id)).toEqual([1048574]);

    // A catalog rebuilt from the files reads the edit files too.
    expect((await runCli(['reindex', '--config', config])).code).toBe(0);
    expect((await search('押后实施')).map((h) => h.id)).toEqual([1048574]);
    expect((await search('争议')).map((h) => h.id)).toEqual([1048574]);

    // The site's index is made again for the article whose edit came since the last build.
    expect(await siteIndexHas(out, '押后')).toBe(true);
    expect(await siteIndexHas(out, '争议')).toBe(true);
  });

  it('when the edit file was there before the run that saw the edit (another clone\'s, pulled; a killed run\'s)', async () => {
    serve('票价调整', STORY);
    expect((await run()).added).toEqual([1048574]);
    // Another clone of the archive records the correction; its edit file is pulled into this one.
    const other = join(archive, '..', 'other');
    await cp(archive, other, { recursive: true });
    const otherConfig = join(archive, '..', 'other.yaml');
    await writeFile(otherConfig, (await readFile(config, 'utf8')).replace('sources:', 'archive: other\nsources:'));
    serve('票价调整', CORRECTED);
    const recorded = await runCli(['run', '--config', otherConfig, '--json']);
    expect(JSON.parse(recorded.stdout).sources[0].edited).toEqual([1048574]);
    await cp(join(other, 'edits'), join(archive, 'edits'), { recursive: true });
    // This clone's run sees the same correction: that file is its version, and the article is searched by it.
    expect((await run()).edited).toEqual([]);
    expect((await search('押后实施')).map((h) => h.id)).toEqual([1048574]);
  });
});
