import type { ItemRecord } from '../../src/catalog/catalog.js';

/** A catalog row for tests: article `id` of `source`, with the given fields changed. */
export function itemRecord(source: string, id: number, fields: Partial<ItemRecord> = {}): ItemRecord {
  return {
    source,
    id,
    guid: null,
    link: `https://example.com/${id}`,
    canonicalLink: null,
    title: `t${id}`,
    published: id,
    firstSeen: 0,
    contentHash: 'h',
    path: `articles/${source}/${id}.md`,
    bodySource: null,
    ...fields,
  };
}
