import { openDatabase } from '../src/catalog/sqlite.js';
import { existsSync } from 'node:fs';
import { copyFile, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFeedServer } from '../src/demo/local-feed-server.js';
import { damagePages } from './helpers/damage-pages.js';
import { rss, type TestItem } from './helpers/feeds.js';
import { runCli, spawnCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/temp-dir.js';

const BODY =
  '<p>正文第一段。</p>\n<p>正文第二段。</p><div data-selfpromo-newsletter></div><br><hr><div>获取更多RSS：<br><a href="https://feedx.net" style="color:orange" target="_blank">https://feedx.net</a> <br></div>';

describe('raw bodies and reclean', () => {
  let server: LocalFeedServer;
  beforeEach(async () => {
    server = await new LocalFeedServer().start();
  });
  afterEach(() => server.stop());

  /** An archive of the feed's items, run once with cleaning off; `write(true)` turns it on. */
  async function archiveUncleaned(items: TestItem[]) {
    server.routes.set('/t.xml', { body: rss(items) });
    const dir = await tempDir();
    const config = join(dir, 'newsmirror.yaml');
    const write = (clean: boolean) =>
      writeFile(config, `sources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml", clean: ${clean}, fullText: never }\n`);
    await write(false);
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    return { dir, config, write };
  }

  it('keeps the body as received and rewrites files from it with today\'s rules, same ids', async () => {
    const { dir, config, write } = await archiveUncleaned([{ title: '标题', link: 'https://www.rfi.fr/cn/a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: BODY }]);
    const file = join(dir, 'archive/articles/t/1048574.md');
    const raw = await readFile(file, 'utf8');
    expect(raw).toContain('获取更多RSS');

    await write(true);
    const result = await runCli(['reclean', '--config', config, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).sources).toEqual([{ slug: 't', rewritten: [1048574], unchanged: 0, withoutRawBody: 0, changedByHand: [], keptWhole: [] }]);
    const cleaned = await readFile(file, 'utf8');
    expect(cleaned.split('\n').slice(0, 4)).toEqual(raw.split('\n').slice(0, 4));
    expect(cleaned).not.toContain('获取更多RSS');
    expect(cleaned).not.toContain('selfpromo');
    expect(cleaned).toContain('正文第一段。');
    expect(cleaned).toContain('正文第二段。');

    const again = JSON.parse((await runCli(['reclean', '--config', config, '--json'])).stdout);
    expect(again.sources).toEqual([{ slug: 't', rewritten: [], unchanged: 1, withoutRawBody: 0, changedByHand: [], keptWhole: [] }]);
    // A run afterwards finds the item archived and changes nothing.
    expect(JSON.parse((await runCli(['run', '--config', config, '--json'])).stdout).sources[0].added).toEqual([]);
    expect(await readFile(file, 'utf8')).toBe(cleaned);
  });

  it('says so when it finds the search index damaged, which the next run makes anew', async () => {
    const { dir, config, write } = await archiveUncleaned([{ title: '标题', link: 'https://www.rfi.fr/cn/a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: BODY }]);
    expect(damagePages(join(dir, 'archive/.newsmirror/catalog.sqlite-search'), 'search_docs')).toBeGreaterThan(0);
    await write(true);
    const result = await runCli(['reclean', '--config', config]);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(
      /^t: 1 rewritten, 0 unchanged\n! search index: .*catalog\.sqlite-search: database disk image is malformed; the file is damaged: it is deleted, and the next catalog sync makes it anew from the article files\n$/,
    );
    expect(JSON.parse((await runCli(['run', '--config', config, '--json'])).stdout).warnings).toEqual([]);
    const found = JSON.parse((await runCli(['search', '正文', '--config', config, '--json'])).stdout);
    expect(found.hits.map((h: { id: number }) => h.id)).toEqual([1048574]);
  });

  it('reindex keeps the raw bodies, guids and fetch history that the files do not hold', async () => {
    const { dir, config, write } = await archiveUncleaned([
      { title: '标题', link: 'https://www.rfi.fr/cn/a', guid: 'urn:a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: BODY },
      { title: '另一篇', link: 'https://www.rfi.fr/cn/b', guid: 'urn:b', pubDate: 'Thu, 01 Jan 2026 01:00:00 GMT', description: BODY },
    ]);
    const catalogFile = join(dir, 'archive/.newsmirror/catalog.sqlite');
    const before = openDatabase(catalogFile, { readonly: true });
    const guids = before.prepare('SELECT id, guid, first_seen FROM items ORDER BY id').all();
    const fetches = before.prepare('SELECT count(*) FROM fetches').pluck().get();
    before.close();
    // An article file changed by hand: its raw body is another article's now, and is not carried over.
    const edited = join(dir, 'archive/articles/t/1048573.md');
    await writeFile(edited, (await readFile(edited, 'utf8')).replace('另一篇', '改过的标题'));

    const reindex = await runCli(['reindex', '--config', config]);
    expect(reindex.code).toBe(0);
    expect(reindex.stdout).toContain('kept from the catalog before: 1 raw body (for reclean), guids, fetch history');
    expect((await readdir(join(dir, 'archive/.newsmirror'))).filter((n) => n.includes('before-reindex'))).toEqual([]);
    const after = openDatabase(catalogFile, { readonly: true });
    expect(after.prepare('SELECT id, guid, first_seen FROM items WHERE id = 1048574').all()).toEqual(guids.filter((g) => (g as { id: number }).id === 1048574));
    expect(after.prepare('SELECT count(*) FROM fetches').pluck().get()).toBe(fetches);
    after.close();

    await write(true);
    const result = JSON.parse((await runCli(['reclean', '--config', config, '--json'])).stdout);
    expect(result.sources).toEqual([{ slug: 't', rewritten: [1048574], unchanged: 0, withoutRawBody: 1, changedByHand: [], keptWhole: [] }]);
    const text = await runCli(['reclean', '--config', config]);
    expect(text.stdout).toBe('t: 0 rewritten, 1 unchanged, 1 without a raw body (left as they are)\n');
  });

  it('a reindex that cannot finish (a full disk) puts the catalog back as it was, raw bodies and all', async () => {
    const { dir, config } = await archiveUncleaned([{ title: '标题', link: 'https://www.rfi.fr/cn/a', guid: 'urn:a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: BODY }]);
    // The new catalog cannot grow past 100 KiB. It was left in place, partial and used by every later command;
    // the old one waited as catalog.sqlite.before-reindex-<ms>, named nowhere, so reclean found no raw body.
    const failed = await spawnCli(['reindex', '--config', config], { maxFileKiB: 100 }).done;
    expect([failed.code, failed.stderr]).toEqual([1, expect.stringMatching(/^newsmirror reindex: .*catalog\.sqlite: cannot open the catalog \([^)]+\); reindex stopped, and the catalog is as it was before it\n$/)]);
    expect((await readdir(join(dir, 'archive/.newsmirror'))).filter((n) => n.startsWith('catalog.sqlite.'))).toEqual([]);
    expect((await runCli(['reclean', '--config', config])).stdout).toBe('t: 0 rewritten, 1 unchanged\n');
  });

  it('refuses a folder with no articles/ (a mistyped --archive) and makes nothing in it', async () => {
    const dir = await tempDir();
    const typo = join(dir, 'typo');
    const result = await runCli(['reclean', '--archive', typo]);
    expect([result.code, result.stderr]).toEqual([1, `newsmirror reclean: ${typo}: no articles/ folder here, so nothing to reclean (use --archive DIR)\n`]);
    expect(existsSync(typo)).toBe(false);
  });

  it('reindex brings the lists, monthly ones too, in line with a title corrected by hand; nothing else changes', async () => {
    const { dir, config } = await archiveUncleaned([
      { title: '二〇二四年的错标题', link: 'https://www.rfi.fr/cn/a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: BODY },
      { title: '另一篇', link: 'https://www.rfi.fr/cn/b', pubDate: 'Sun, 01 Feb 2026 00:00:00 GMT', description: BODY },
    ]);
    const archive = join(dir, 'archive');
    const file = join(archive, 'articles/t/1048574.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('二〇二四年的错标题', '改正的标题'));
    const reindex = await runCli(['reindex', '--config', config, '--json']);
    expect(JSON.parse(reindex.stdout).lists).toEqual(['lists/测试.md', 'lists/测试/2026-01.md']);
    expect(await readFile(join(archive, 'lists/测试.md'), 'utf8')).toContain('[改正的标题](/articles/t/1048574.md)');
    expect(await readFile(join(archive, 'lists/测试/2026-01.md'), 'utf8')).toContain('[改正的标题](/articles/t/1048574.md)');
    // Nothing else to do: a second reindex writes nothing.
    expect(JSON.parse((await runCli(['reindex', '--config', config, '--json'])).stdout).lists).toEqual([]);
  });

  it('reindex keeps every damaged catalog it could not read in full, each under its own name', async () => {
    const { dir, config } = await archiveUncleaned([{ title: '甲', link: 'https://www.rfi.fr/cn/a', guid: 'urn:a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: BODY }]);
    const folder = join(dir, 'archive/.newsmirror');
    const catalogFile = join(folder, 'catalog.sqlite');
    expect(damagePages(catalogFile, 'raw_bodies')).toBeGreaterThan(0);
    // Two reindexes cut off after they set a catalog aside, and the damaged current one: three to keep.
    for (const n of [1, 2]) await copyFile(catalogFile, `${catalogFile}.before-reindex-${n}`);
    const reindex = JSON.parse((await runCli(['reindex', '--config', config, '--json'])).stdout);
    expect(reindex.warnings).toHaveLength(3);
    const kept = (await readdir(folder)).filter((n) => /^catalog\.sqlite\.corrupt-/.test(n));
    expect(kept).toHaveLength(3);
  });

  it('reindex keeps from a catalog a reindex left aside and from the newer one a run made since, newest first', async () => {
    const { dir, config } = await archiveUncleaned([{ title: '甲', link: 'https://www.rfi.fr/cn/a', guid: 'urn:a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: BODY }]);
    const catalogFile = join(dir, 'archive/.newsmirror/catalog.sqlite');
    // A reindex cut off after it set the catalog aside; then a run made a new catalog and archived B.
    await rename(catalogFile, `${catalogFile}.before-reindex-1`);
    await Promise.all(['-wal', '-shm'].map((suffix) => rm(catalogFile + suffix, { force: true })));
    server.routes.set('/t.xml', {
      body: rss([
        { title: '甲', link: 'https://www.rfi.fr/cn/a', guid: 'urn:a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: BODY },
        { title: '乙', link: 'https://www.rfi.fr/cn/b', guid: 'urn:b', pubDate: 'Thu, 01 Jan 2026 01:00:00 GMT', description: BODY },
      ]),
    });
    expect((await runCli(['run', '--config', config])).code).toBe(0);
    const reindex = await runCli(['reindex', '--config', config, '--json']);
    expect(JSON.parse(reindex.stdout)).toMatchObject({ keptRawBodies: 2, warnings: [] });
    const db = openDatabase(catalogFile, { readonly: true });
    expect(db.prepare('SELECT guid FROM items ORDER BY id DESC').pluck().all()).toEqual(['urn:a', 'urn:b']);
    db.close();
    expect((await readdir(join(dir, 'archive/.newsmirror'))).filter((n) => n.includes('before-reindex'))).toEqual([]);
  });

  it('reindex says of a catalog that is no database at all that it could not be read, and counts in the singular', async () => {
    const { dir, config } = await archiveUncleaned([{ title: '甲', link: 'https://www.rfi.fr/cn/a', guid: 'urn:a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: BODY }]);
    const catalogFile = join(dir, 'archive/.newsmirror/catalog.sqlite');
    await Promise.all(['-wal', '-shm'].map((suffix) => rm(catalogFile + suffix, { force: true })));
    await writeFile(catalogFile, 'not a database, but some text of the same length as a page '.repeat(300));
    const reindex = await runCli(['reindex', '--config', config]);
    expect(reindex.code, reindex.stderr).toBe(0);
    // It read 'could not read file is not a database; the rest of it was kept', and '1 articles in 1 folders'.
    expect(reindex.stdout).toMatch(/^newsmirror: catalog rebuilt from 1 article in 1 folder in /);
    expect(reindex.stdout).toMatch(/^! .*catalog\.sqlite\.corrupt-\d+: the catalog before this rebuild, kept there: it could not be read \(file is not a database\); nothing of it was kept$/m);
  });

  it('reindex keeps what it can read of a damaged catalog, and keeps that catalog aside instead of deleting it', async () => {
    const { dir, config } = await archiveUncleaned([{ title: '甲', link: 'https://www.rfi.fr/cn/a', guid: 'urn:a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: BODY }]);
    const catalogFile = join(dir, 'archive/.newsmirror/catalog.sqlite');
    expect(damagePages(catalogFile, 'raw_bodies')).toBeGreaterThan(0);
    const reindex = JSON.parse((await runCli(['reindex', '--config', config, '--json'])).stdout);
    expect(reindex.keptRawBodies).toBe(0);
    expect(reindex.warnings).toEqual([expect.stringMatching(/catalog\.sqlite\.corrupt-\d+: the catalog before this rebuild, kept there: could not read raw_bodies \(.*malformed.*\); the rest of it was kept$/)]);
    const db = openDatabase(catalogFile, { readonly: true });
    expect(db.prepare('SELECT guid FROM items').pluck().all()).toEqual(['urn:a']);
    expect(db.prepare('SELECT count(*) FROM fetches').pluck().get()).toBe(1);
    db.close();
    expect((await readdir(join(dir, 'archive/.newsmirror'))).some((n) => /^catalog\.sqlite\.corrupt-\d+$/.test(n))).toBe(true);
  });

  it('never rewrites an article file changed by hand (a redaction), not even after a reindex', async () => {
    const { dir, config, write } = await archiveUncleaned([
      { title: '甲', link: 'https://www.rfi.fr/cn/a', guid: 'urn:a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: BODY },
      { title: '乙', link: 'https://www.rfi.fr/cn/b', guid: 'urn:b', pubDate: 'Thu, 01 Jan 2026 01:00:00 GMT', description: BODY },
    ]);
    const redacted = join(dir, 'archive/articles/t/1048574.md');
    const text = (await readFile(redacted, 'utf8')).replace('正文第一段。', '（应当事人要求删除）');
    await writeFile(redacted, text);

    await write(true);
    const result = await runCli(['reclean', '--config', config, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).sources).toEqual([{ slug: 't', rewritten: [1048573], unchanged: 0, withoutRawBody: 0, changedByHand: [1048574], keptWhole: [] }]);
    expect(await readFile(redacted, 'utf8')).toBe(text);
    const plain = await runCli(['reclean', '--config', config]);
    expect(plain.stdout).toBe('t: 0 rewritten, 1 unchanged\n! articles/t/1048574.md: changed since newsmirror wrote it (by hand?): left as it is\n');

    // A rebuilt catalog knows the file only as it is now: it must not take the raw body that would undo the edit.
    expect((await runCli(['reindex', '--config', config])).code).toBe(0);
    const again = JSON.parse((await runCli(['reclean', '--config', config, '--json'])).stdout);
    expect(again.sources).toEqual([{ slug: 't', rewritten: [], unchanged: 1, withoutRawBody: 1, changedByHand: [], keptWhole: [] }]);
    expect(await readFile(redacted, 'utf8')).toBe(text);
  });

  it('takes a file already as reclean would write it for unchanged, also when a reclean was killed before it recorded its hash', async () => {
    const { dir, config, write } = await archiveUncleaned([{ title: '甲', link: 'https://www.rfi.fr/cn/a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: BODY }]);
    await write(true);
    expect(JSON.parse((await runCli(['reclean', '--config', config, '--json'])).stdout).sources[0].rewritten).toEqual([1048574]);
    // Killed between the rename and the catalog update: the file is new, its recorded hash the old one.
    const db = openDatabase(join(dir, 'archive/.newsmirror/catalog.sqlite'));
    db.prepare("UPDATE items SET content_hash = 'stale'").run();
    db.close();
    const again = JSON.parse((await runCli(['reclean', '--config', config, '--json'])).stdout);
    expect(again.sources).toEqual([{ slug: 't', rewritten: [], unchanged: 1, withoutRawBody: 0, changedByHand: [], keptWhole: [] }]);
  });

  it('reindex keeps the raw bodies of a catalog from before raw bodies named their link', async () => {
    const { dir, config } = await archiveUncleaned([{ title: '甲', link: 'https://www.rfi.fr/cn/a', pubDate: 'Thu, 01 Jan 2026 00:00:00 GMT', description: BODY }]);
    const db = openDatabase(join(dir, 'archive/.newsmirror/catalog.sqlite'));
    db.exec('ALTER TABLE raw_bodies DROP COLUMN link');
    db.pragma('user_version = 9');
    db.close();
    const reindex = JSON.parse((await runCli(['reindex', '--config', config, '--json'])).stdout);
    expect(reindex).toMatchObject({ keptRawBodies: 1, warnings: [] });
  });
});
