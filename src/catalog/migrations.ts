/**
 * Numbered, append-only migrations: never edit one that has shipped, add the
 * next. `PRAGMA user_version` records how many have been applied. (The one
 * exception, 6, became a no-op when 8 undid it: every catalog ends the same.)
 */
export const MIGRATIONS: readonly string[] = [
  // 1: sources, archived items, runs.
  `
  CREATE TABLE sources (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL
  );
  CREATE TABLE items (
    source TEXT NOT NULL,
    id INTEGER NOT NULL,
    guid TEXT,
    link TEXT,
    canonical_link TEXT,
    title TEXT NOT NULL,
    published INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,
    content_hash TEXT,
    path TEXT NOT NULL,
    PRIMARY KEY (source, id)
  ) WITHOUT ROWID;
  CREATE INDEX items_by_guid ON items (source, guid) WHERE guid IS NOT NULL;
  CREATE INDEX items_by_link ON items (source, canonical_link) WHERE canonical_link IS NOT NULL;
  CREATE INDEX items_by_title ON items (source, title);
  CREATE INDEX items_by_published ON items (source, published DESC, id);
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started INTEGER NOT NULL,
    finished INTEGER,
    status TEXT NOT NULL,
    report TEXT
  );
  `,
  // 2: one row per source per run, for health (last attempt, last success, errors).
  `
  CREATE TABLE fetches (
    source TEXT NOT NULL,
    at INTEGER NOT NULL,
    status TEXT NOT NULL,
    url TEXT NOT NULL,
    code TEXT,
    message TEXT,
    added INTEGER NOT NULL,
    ms INTEGER NOT NULL
  );
  CREATE INDEX fetches_by_source ON fetches (source, at DESC);
  `,
  // 3: the body as received (before cleaning), gzip-compressed, so cleaning rules can be re-applied.
  `
  CREATE TABLE raw_bodies (
    source TEXT NOT NULL,
    id INTEGER NOT NULL,
    html BLOB NOT NULL,
    PRIMARY KEY (source, id)
  ) WITHOUT ROWID;
  `,
  // 4: where each body came from: the feed, or the article page (site rule or Readability).
  `
  ALTER TABLE items ADD COLUMN body_source TEXT;
  `,
  // 5: archived images by original URL, so an image is downloaded once across runs.
  `
  CREATE TABLE assets (
    url TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    type TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 6: full-text search. It moved to a file of its own (search-file.ts): a catalog made
  // since applies nothing here, and migration 8 drops the tables from catalogs made before.
  `
  -- moved to catalog.sqlite-search
  `,
  // 7: a fingerprint of the last feed body each source archived completely, so an
  // identical 200 (a server that ignores validators) is "unchanged" without parsing.
  `
  CREATE TABLE feed_bodies (
    source TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 8: the search index lives in catalog.sqlite-search now (search-file.ts): a catalog made
  // before loses its copy, and its articles are indexed again into the new file.
  `
  DROP TRIGGER IF EXISTS main.search_forget_item;
  DROP TABLE IF EXISTS main.search_terms;
  DROP TABLE IF EXISTS main.search_chars;
  DROP TABLE IF EXISTS main.search_text;
  DROP TABLE IF EXISTS main.search_docs;
  DROP TABLE IF EXISTS main.search_meta;
  `,
  // 9: other guids and links of an archived article: a feed item taken for it by its title
  // (republished under a new link) is then known by its own guid and link on later runs.
  `
  CREATE TABLE item_aliases (
    source TEXT NOT NULL,
    key TEXT NOT NULL,
    id INTEGER NOT NULL,
    PRIMARY KEY (source, key)
  ) WITHOUT ROWID;
  `,
  // 10: the link of the article each raw body was kept for (as its file writes it), so a file that
  // another clone put under the id of a killed run's raw body is not taken for that article's.
  `
  ALTER TABLE raw_bodies ADD COLUMN link TEXT;
  `,
  // 11: the versions of an archived article its feed has carried since (record-edits.ts): each
  // one's raw body and title; \`path\` names the file an edit was written to (edits/...), NULL for
  // the version an article was first compared from.
  `
  CREATE TABLE item_versions (
    source TEXT NOT NULL,
    id INTEGER NOT NULL,
    seen INTEGER NOT NULL,
    title TEXT NOT NULL,
    raw BLOB NOT NULL,
    path TEXT,
    PRIMARY KEY (source, id, seen)
  ) WITHOUT ROWID;
  `,
  // 12: the title as an article's file writes it, where that is not how escapeTitle writes the
  // title (the family's older files left entities such as &quot; as their feeds had them): lists
  // write it as it is, so continuing an archive leaves its entries as they were. Rows taken in
  // from files before this have none: reindex reads them again.
  `
  ALTER TABLE items ADD COLUMN written_title TEXT;
  `,
  // 13: which field of the feed item a raw body or version is (the source's \`content\` setting then:
  // auto, content or summary), so versions are compared field with field after the setting changes.
  // NULL where it is not known (kept before this migration).
  `
  ALTER TABLE raw_bodies ADD COLUMN basis TEXT;
  ALTER TABLE item_versions ADD COLUMN basis TEXT;
  `,
];
