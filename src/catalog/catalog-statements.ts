import type { Database } from './sqlite.js';

/** 0001-01-01T00:00:00Z: no list names a month before it. */
const YEAR_ONE = -62_135_596_800_000;

/**
 * The time lists give an article: its date, or the time it was first seen
 * when its date is later (an older archive's file dated by a feed's future
 * date; a run clamps new ones, clampToSeen) or before year 1. The file keeps
 * its date; no list names a month to come, and the time is the catalog's,
 * so the lists stay the same from run to run.
 */
const LISTED = `CASE WHEN published > first_seen OR published < ${YEAR_ONE} THEN first_seen ELSE published END`;

/** The catalog's SQL, prepared once per connection (Catalog's constructor). */
export function prepareStatements(db: Database) {
  return {
    // A write to the catalog file alone: see transaction().
    lockCatalog: db.prepare('DELETE FROM main.feed_bodies WHERE 0'),
    // The same for the search file: see transaction().
    lockSearch: db.prepare('DELETE FROM search.search_meta WHERE 0'),
    upsertSource: db.prepare('INSERT INTO sources (slug, name) VALUES (?, ?) ON CONFLICT (slug) DO UPDATE SET name = excluded.name'),
    ids: db.prepare('SELECT id FROM items WHERE source = ?').pluck(),
    insert: db.prepare(`INSERT INTO items (source, id, guid, link, canonical_link, title, published, first_seen, content_hash, path, body_source, written_title)
      VALUES (@source, @id, @guid, @link, @canonicalLink, @title, @published, @firstSeen, @contentHash, @path, @bodySource, @writtenTitle)`),
    item: db.prepare('SELECT * FROM items WHERE source = ? AND id = ?'),
    delete: db.prepare('DELETE FROM items WHERE source = ? AND id = ?'),
    deleteAliases: db.prepare('DELETE FROM item_aliases WHERE source = ? AND id = ?'),
    byGuid: db.prepare('SELECT * FROM items WHERE source = ? AND guid = ? LIMIT 1'),
    byLink: db.prepare('SELECT * FROM items WHERE source = ? AND canonical_link = ? LIMIT 1'),
    byLinkNoGuid: db.prepare('SELECT * FROM items WHERE source = ? AND canonical_link = ? AND guid IS NULL AND title = ? AND published BETWEEN ? AND ? LIMIT 1'),
    byTitle: db.prepare('SELECT * FROM items WHERE source = ? AND title = ? AND published BETWEEN ? AND ? ORDER BY abs(published - ?), id DESC'),
    byAlias: db.prepare('SELECT i.* FROM item_aliases a JOIN items i ON i.source = a.source AND i.id = a.id WHERE a.source = ? AND a.key = ?'),
    putAlias: db.prepare('INSERT OR IGNORE INTO item_aliases (source, key, id) VALUES (?, ?, ?)'),
    moveAliases: db.prepare('UPDATE item_aliases SET id = ? WHERE source = ? AND id = ?'),
    byTitleAny: db.prepare('SELECT * FROM items WHERE source = ? AND title = ? ORDER BY published DESC, id DESC'),
    newest: db.prepare(`SELECT id, title, ${LISTED} AS published, written_title AS writtenTitle FROM items WHERE source = ? ORDER BY 3 DESC, id ASC LIMIT ?`),
    between: db.prepare(
      `SELECT id, title, ${LISTED} AS published, written_title AS writtenTitle FROM items WHERE source = ? AND ${LISTED} >= ? AND ${LISTED} < ? ORDER BY 3 DESC, id ASC`,
    ),
    publishedAll: db.prepare('SELECT published FROM items WHERE source = ?').pluck(),
    count: db.prepare('SELECT count(*) AS count, max(published) AS newest FROM items WHERE source = ?'),
    recordFetch: db.prepare(
      'INSERT INTO fetches (source, at, status, url, code, message, added, ms) VALUES (@source, @at, @status, @url, @code, @message, @added, @ms)',
    ),
    recentFetchCodes: db.prepare("SELECT code FROM fetches WHERE source = ? AND status != 'failed' ORDER BY at DESC, rowid DESC LIMIT ?").pluck(),
    lastFetch: db.prepare('SELECT * FROM fetches WHERE source = ? ORDER BY at DESC, rowid DESC LIMIT 1'),
    lastSuccess: db.prepare("SELECT max(at) FROM fetches WHERE source = ? AND status != 'failed'").pluck(),
    recentPublished: db.prepare('SELECT published FROM items WHERE source = ? ORDER BY published DESC LIMIT ?').pluck(),
    putRaw: db.prepare('INSERT OR REPLACE INTO raw_bodies (source, id, html, link, basis) VALUES (?, ?, ?, ?, ?)'),
    deleteRaw: db.prepare('DELETE FROM raw_bodies WHERE source = ? AND id = ?'),
    deleteForeignRaw: db.prepare('DELETE FROM raw_bodies WHERE source = ? AND id = ? AND link IS NOT NULL AND link != ?'),
    rawIds: db.prepare('SELECT r.id FROM raw_bodies r JOIN items i ON i.source = r.source AND i.id = r.id WHERE r.source = ? ORDER BY r.id DESC').pluck(),
    rawItem: db.prepare('SELECT i.*, r.html AS raw, r.basis AS basis FROM items i JOIN raw_bodies r ON r.source = i.source AND r.id = i.id WHERE i.source = ? AND i.id = ?'),
    setHash: db.prepare('UPDATE items SET content_hash = ? WHERE source = ? AND id = ?'),
    latestVersion: db.prepare('SELECT seen, title, raw, path, basis FROM item_versions WHERE source = ? AND id = ? ORDER BY seen DESC LIMIT 1'),
    putVersion: db.prepare('INSERT OR REPLACE INTO item_versions (source, id, seen, title, raw, path, basis) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    setVersionRaw: db.prepare('UPDATE item_versions SET raw = ?, basis = ? WHERE source = ? AND id = ? AND seen = ?'),
    setVersionPath: db.prepare('UPDATE item_versions SET path = ? WHERE source = ? AND path = ?'),
    editPaths: db.prepare('SELECT path FROM item_versions WHERE source = ? AND id = ? AND path IS NOT NULL ORDER BY seen').pluck(),
    deleteVersions: db.prepare('DELETE FROM item_versions WHERE source = ? AND id = ?'),
    sourceEditPaths: db.prepare('SELECT path FROM item_versions WHERE source = ? AND path IS NOT NULL').pluck(),
    deleteVersionAt: db.prepare('DELETE FROM item_versions WHERE source = ? AND path = ?'),
    moveVersions: db.prepare("UPDATE item_versions SET id = @to, path = replace(path, 'edits/' || source || '/' || @from || '/', 'edits/' || source || '/' || @to || '/') WHERE source = @source AND id = @from"),
    findAsset: db.prepare('SELECT path FROM assets WHERE url = ?').pluck(),
    putAsset: db.prepare('INSERT OR REPLACE INTO assets (url, path, sha256, bytes, type) VALUES (@url, @path, @sha256, @bytes, @type)'),
    repointAssets: db.prepare('UPDATE assets SET path = @to, bytes = @bytes, type = @type WHERE path = @from'),
    startRun: db.prepare("INSERT INTO runs (started, status) VALUES (?, 'running')"),
    finishRun: db.prepare('UPDATE runs SET finished = ?, status = ?, report = ? WHERE id = ?'),
  };
}
