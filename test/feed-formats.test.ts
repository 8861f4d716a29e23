/**
 * The long tail of feed formats through `newsmirror run` (issue 15): a real
 * server on 127.0.0.1, a real archive folder, catalog and state file.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTree } from './helpers/archive-tree.js';
import { numberedItems, rss } from './helpers/feeds.js';
import { startOneSource, type OneSource } from './helpers/one-source.js';
import { runCli } from './helpers/run-cli.js';

describe('feed formats through newsmirror run', () => {
  let one: OneSource;
  beforeEach(async () => {
    one = await startOneSource();
  });
  afterEach(() => one.server.stop());

  const run = async () => {
    const result = await runCli(['run', '--config', one.config, '--json']);
    return { code: result.code, report: JSON.parse(result.stdout) };
  };
  const articles = async () =>
    [...(await readTree(one.archive)).entries()]
      .filter(([p]) => p.startsWith('articles/'))
      .map(([p, base64]): [string, string] => [p, Buffer.from(base64, 'base64').toString('utf8')]);

  it('takes an empty feed for 0 items: a warning, the source not failing, and status shows it until items come', async () => {
    one.server.routes.set('/t.xml', { body: rss([]) });
    const first = await run();
    expect(first.code).toBe(0);
    expect(first.report.sources[0]).toMatchObject({ status: 'ok', items: 0, added: [] });
    expect(first.report.sources[0].warnings[0]).toMatch(/0 items: the feed is well-formed but empty/);
    const state = JSON.parse(await readFile(join(one.archive, '.newsmirror/state.json'), 'utf8'));
    expect(state.sources.t).toEqual({ emptyFeed: true });

    const status = await runCli(['status', '--config', one.config]);
    expect(status.stdout).toMatch(/^~ t \(测试\) /m);
    expect(status.stdout).toContain('0 items in the feed when last read (well-formed, but empty)');
    expect(JSON.parse((await runCli(['status', '--config', one.config, '--json'])).stdout).sources[0]).toMatchObject({
      emptyFeed: true,
      consecutiveFailures: 0,
      lastError: null,
    });

    one.server.routes.set('/t.xml', { body: rss(numberedItems(1)) });
    expect((await run()).report.sources[0].added).toHaveLength(1);
    expect(JSON.parse((await runCli(['status', '--config', one.config, '--json'])).stdout).sources[0].emptyFeed).toBe(false);
    expect(await articles()).toHaveLength(1);
  });

  it("names an item linked to the feed's site by its guid in the warnings of its body, not by the site's link", async () => {
    await one.configure(', images: archive');
    // A picture at a private address (the guard keeps it remote): the warning says which item it is in.
    const body = `<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour</title><link>https://harbour.example.org/news/</link><item><title>Tide tables</title><guid>urn:uuid:0b7c1e8a</guid><description>&lt;p&gt;Tides &lt;img src="${one.server.url}/p.png"&gt;&lt;/p&gt;</description></item></channel></rss>`;
    one.server.routes.set('/t.xml', { body });
    const warnings: string[] = (await run()).report.sources[0].warnings;
    expect(warnings.find((w) => w.includes('image kept remote'))).toMatch(/^urn:uuid:0b7c1e8a: image kept remote/);
  });

  it('links an item whose only link is a urn: or tag: guid to the feed\'s site, and archives each once', async () => {
    const items = [
      ['Tide tables', 'urn:uuid:0b7c1e8a-5a43-4d7e-9d0e-3f1b2a6c9d10', 'Mon, 05 Oct 2026 08:00:00 GMT'],
      ['Storm warning', 'tag:harbour.example.org,2026:storm', 'Mon, 05 Oct 2026 09:00:00 GMT'],
    ];
    const body = `<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour</title><link>https://harbour.example.org/news/</link>${items
      .map(([title, guid, date]) => `<item><title>${title}</title><guid>${guid}</guid><pubDate>${date}</pubDate><description>&lt;p&gt;${title} text&lt;/p&gt;</description></item>`)
      .join('')}</channel></rss>`;
    one.server.routes.set('/t.xml', { body });
    expect((await run()).report.sources[0].added).toEqual([1048574, 1048573]);
    one.server.routes.set('/t.xml', { body: `${body}\n` });
    expect((await run()).report.sources[0]).toMatchObject({ status: 'ok', added: [] });
    const files = await articles();
    expect(files.map(([p, text]) => [p, text.split('\n')[1]])).toEqual([
      ['articles/t/1048573.md', '[Storm warning](https://harbour.example.org/news/)'],
      ['articles/t/1048574.md', '[Tide tables](https://harbour.example.org/news/)'],
    ]);
  });

  it('archives RSS 1.0 items that have neither rdf:about nor a link, once over two runs', async () => {
    const rdf = (extra: string) => `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://bulletin.example.org/"><title>Bulletin</title><link>https://bulletin.example.org/</link></channel>
  <item><title>Council meets</title><description>Agenda for Tuesday</description><dc:date>2026-10-05T08:00:00Z</dc:date></item>
  <item><title>Library hours</title><description>Open late on Fridays</description></item>
  ${extra}
</rdf:RDF>`;
    one.server.routes.set('/t.xml', { body: rdf('') });
    const first = await run();
    expect(first.report.sources[0]).toMatchObject({ status: 'ok', items: 2 });
    expect(first.report.sources[0].added).toHaveLength(2);
    // Changed bytes (a new item) make the next run read the feed again: the two are known, the new one comes in.
    one.server.routes.set('/t.xml', { body: rdf('<item><title>Road works</title><description>Main street closed</description></item>') });
    const second = await run();
    expect(second.report.sources[0].added).toHaveLength(1);
    const files = await articles();
    expect(files.map(([, text]) => text.split('\n')[1]).sort()).toEqual([
      '[Council meets](https://bulletin.example.org/)',
      '[Library hours](https://bulletin.example.org/)',
      '[Road works](https://bulletin.example.org/)',
    ]);
  });
});
