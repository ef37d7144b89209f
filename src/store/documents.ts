// A fetched document stored in one statement: its items upserted, the feed's state after a success,
// and the fetch-log line. One statement is atomic without a transaction and costs one round trip
// instead of six (begin, items, feed, log, commit), which is most of the per-feed database work.
import type { Item, ScheduleHints } from '../model.js';
import type { Queryable } from './db/db.js';

// One statement per document ($1 feed, $2 now, $3–$16 one array per column). An entry whose content
// hash is unchanged matches the conflict but fails the WHERE, so it costs no row write. An estimated
// date never replaces a stored one. A new item whose article another feed already holds points at
// the earliest copy (duplicate_of); those rows are committed, so the statement's snapshot sees them.
const UPSERT_ITEMS = `
INSERT INTO items (feed_id, item_key, url, canonical_url, title, summary, content_html, author, outlet_name,
  published_at, date_estimated, updated_at, categories, image_url, content_hash, first_seen_at, changed_at, duplicate_of)
SELECT $1, u.item_key, u.url, u.canonical_url, u.title, u.summary, u.content_html, u.author, u.outlet_name,
  u.published_at, u.date_estimated, u.updated_at,
  ARRAY(SELECT jsonb_array_elements_text(u.categories::jsonb)), u.image_url, u.content_hash, $2, $2,
  (SELECT min(o.id) FROM items o WHERE o.canonical_url = u.canonical_url AND o.feed_id <> $1)
FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
  $11::timestamptz[], $12::boolean[], $13::timestamptz[], $14::text[], $15::text[], $16::text[])
  AS u(item_key, url, canonical_url, title, summary, content_html, author, outlet_name,
       published_at, date_estimated, updated_at, categories, image_url, content_hash)
ON CONFLICT (feed_id, item_key) DO UPDATE SET
  url = excluded.url, canonical_url = excluded.canonical_url, title = excluded.title, summary = excluded.summary,
  content_html = excluded.content_html, author = excluded.author, outlet_name = excluded.outlet_name,
  published_at = CASE WHEN excluded.date_estimated THEN items.published_at ELSE excluded.published_at END,
  date_estimated = excluded.date_estimated AND items.date_estimated,
  updated_at = excluded.updated_at, categories = excluded.categories, image_url = excluded.image_url,
  content_hash = excluded.content_hash, changed_at = excluded.changed_at
WHERE items.content_hash IS DISTINCT FROM excluded.content_hash
RETURNING id, (xmax = 0) AS inserted`;

export interface UpsertResult {
  inserted: number[];
  updated: number[];
  unchanged: number;
}

/** One statement cannot touch a row twice: a key repeated in a document keeps its first entry. */
function uniqueByKey(all: readonly Item[]): Item[] {
  const seen = new Set<string>();
  return all.filter((i) => !seen.has(i.key) && seen.add(i.key) !== undefined);
}

/** UPSERT_ITEMS's parameters: feed, time, then one array per column. */
function itemParameters(feedId: number, items: readonly Item[], now: Date): unknown[] {
  const col = <T>(pick: (i: Item) => T): T[] => items.map(pick);
  return [
    feedId,
    now,
    col((i) => i.key),
    col((i) => i.url),
    col((i) => i.canonicalUrl),
    col((i) => i.title),
    col((i) => i.summary),
    col((i) => i.contentHtml),
    col((i) => i.author),
    col((i) => i.outletName),
    col((i) => i.publishedAt),
    col((i) => i.dateEstimated),
    col((i) => i.updatedAt),
    col((i) => JSON.stringify(i.categories)),
    col((i) => i.imageUrl),
    col((i) => i.contentHash),
  ];
}

/** Splits the upsert's returned rows into inserted and updated ids. */
function upsertResult(rows: ReadonlyArray<{ id: number; inserted: boolean }>, offered: number): UpsertResult {
  const inserted = rows.filter((r) => r.inserted).map((r) => r.id);
  const updated = rows.filter((r) => !r.inserted).map((r) => r.id);
  return { inserted, updated, unchanged: offered - rows.length };
}

// $1–$16 as in UPSERT_ITEMS ($2 is the fetch time); $17–$28 the feed's new state and the log line.
const STORE_DOCUMENT = `
WITH stored AS (${UPSERT_ITEMS}),
feed AS (
  UPDATE feeds SET
    etag = $17, last_modified = $18, body_hash = coalesce($19, body_hash), schedule_hints = coalesce($20::jsonb, schedule_hints),
    next_fetch_at = $21, last_fetched_at = $2, last_success_at = $2, last_status = $22,
    title = coalesce(title, $23),
    error_count = 0, error_kind = NULL, error_message = NULL, failing_since = NULL,
    locked_until = NULL, locked_by = NULL
  WHERE id = $1
), logged AS (
  INSERT INTO fetch_log (feed_id, started_at, duration_ms, outcome, status, bytes, items_found, items_new, items_updated, worker)
  SELECT $1, $24, $25, 'ok', $22, $26, $27, count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted), $28
  FROM stored
)
SELECT id, inserted FROM stored`;

/** The feed's state after a successful fetch, and what the fetch log records of it. */
export interface DocumentFetch {
  etag: string | null;
  lastModified: string | null;
  /** Hash of the body, to skip it unparsed when it comes back unchanged; null keeps the stored one. */
  bodyHash: string | null;
  hints: ScheduleHints | null;
  nextFetchAt: Date;
  fetchedAt: Date;
  status: number;
  /** The feed's own title, kept only when none is stored. */
  title: string | null;
  startedAt: Date;
  bytes: number | null;
  worker: string;
}

/** Stores a document's items and records the successful fetch on its feed, atomically. */
export async function storeDocument(
  q: Queryable,
  feedId: number,
  all: readonly Item[],
  fetch: DocumentFetch,
): Promise<UpsertResult> {
  const items = uniqueByKey(all);
  const res = await q.query<{ id: number; inserted: boolean }>(STORE_DOCUMENT, [
    ...itemParameters(feedId, items, fetch.fetchedAt),
    fetch.etag,
    fetch.lastModified,
    fetch.bodyHash,
    fetch.hints ? JSON.stringify(fetch.hints) : null,
    fetch.nextFetchAt,
    fetch.status,
    fetch.title,
    fetch.startedAt,
    Math.round(fetch.fetchedAt.getTime() - fetch.startedAt.getTime()),
    fetch.bytes,
    all.length,
    fetch.worker,
  ]);
  return upsertResult(res.rows, items.length);
}
