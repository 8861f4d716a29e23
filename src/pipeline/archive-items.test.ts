import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { Catalog } from '../catalog/catalog.js';
import { sourceSchema } from '../config/config-schema.js';
import { archiveItems } from './archive-items.js';
import type { Candidate } from './prepare-item.js';

describe('archiveItems', () => {
  it('moves an item whose id a file took meanwhile to the next id, raw body and all, and leaves that file alone', async () => {
    const root = await tempDir();
    const catalog = Catalog.open(join(root, '.newsmirror/catalog.sqlite'));
    try {
      // Another article landed under the planned id after the folder was read (a git pull during the run).
      const theirs = `<!--1767225600000-->\n[他们的](https://example.org/theirs)\n------\n\n<p>他们的正文</p>\n`;
      await mkdir(join(root, 'articles/t'), { recursive: true });
      await writeFile(join(root, 'articles/t/1048574.md'), theirs);
      const ours: Candidate = {
        index: 0,
        guid: 'urn:ours',
        url: 'https://example.org/ours',
        canonicalLink: 'https://example.org/ours',
        title: '我们的',
        published: Date.UTC(2026, 0, 2),
        html: '<p>我们的原文</p>',
        fields: { content: '<p>我们的原文</p>' },
        body: '<p>我们的正文</p>',
        categories: [],
        bodySource: 'feed',
      };
      const source = sourceSchema.parse({ name: 'T', slug: 't', url: 'https://example.org/feed.xml' });
      expect(await archiveItems([ours], [], { root, catalog, source, now: Date.UTC(2026, 0, 3) })).toEqual([1048573]);
      expect(await readFile(join(root, 'articles/t/1048574.md'), 'utf8')).toBe(theirs);
      expect(await readFile(join(root, 'articles/t/1048573.md'), 'utf8')).toContain('[我们的](https://example.org/ours)');
      expect(catalog.sqlite.prepare('SELECT id FROM raw_bodies ORDER BY id').pluck().all()).toEqual([1048573]);
    } finally {
      catalog.close();
    }
  });
});
