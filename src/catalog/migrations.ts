/**
 * Numbered, append-only migrations: never edit one that has shipped, add the
 * next. `PRAGMA user_version` records how many have been applied.
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
  // 6: full-text search (search-index.ts). Each article has a key that orders by publication
  // (its minute, or the next free key when that minute is taken), the FTS rowid, so newest-first
  // is the index's own order. search_terms: bigrams of CJK runs and words, with positions, for
  // phrases; meta holds the source as one token. search_chars: each article's distinct CJK
  // characters and its source, without positions, for one-character queries. search_text: the
  // plain body text for snippets. Deleting an item deletes its search entries (the trigger).
  // automerge 16 (FTS5's default is 4): a bulk import merges segments a fifth as often, queries barely notice.
  `
  CREATE TABLE search_docs (
    key INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    id INTEGER NOT NULL,
    published INTEGER NOT NULL,
    title TEXT NOT NULL
  );
  CREATE UNIQUE INDEX search_docs_by_item ON search_docs (source, id);
  CREATE TABLE search_text (
    key INTEGER PRIMARY KEY,
    body BLOB NOT NULL
  );
  CREATE TABLE search_meta (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE VIRTUAL TABLE search_terms USING fts5(body, title, meta, content='', contentless_delete=1, tokenize='ascii');
  CREATE VIRTUAL TABLE search_chars USING fts5(chars, content='', contentless_delete=1, detail=none, tokenize='ascii');
  INSERT INTO search_terms (search_terms, rank) VALUES ('automerge', 16);
  INSERT INTO search_chars (search_chars, rank) VALUES ('automerge', 16);
  CREATE TRIGGER search_forget_item AFTER DELETE ON items BEGIN
    DELETE FROM search_terms WHERE rowid = (SELECT key FROM search_docs WHERE source = old.source AND id = old.id);
    DELETE FROM search_chars WHERE rowid = (SELECT key FROM search_docs WHERE source = old.source AND id = old.id);
    DELETE FROM search_text WHERE key = (SELECT key FROM search_docs WHERE source = old.source AND id = old.id);
    DELETE FROM search_docs WHERE source = old.source AND id = old.id;
  END;
  `,
  // 7: a fingerprint of the last feed body each source archived completely, so an
  // identical 200 (a server that ignores validators) is "unchanged" without parsing.
  `
  CREATE TABLE feed_bodies (
    source TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
];
