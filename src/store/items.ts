// Named queries over items: one multi-row upsert per feed document, and the fetch log.
import type { Item } from '../model.js';
import type { Queryable } from './db.js';

// One statement per document ($1 feed, $2 now, $3–$16 one array per column). An entry whose content
// hash is unchanged matches the conflict but fails the WHERE, so it costs no row write. An estimated
// date never replaces a stored one. A new item whose article another feed already holds points at
// the earliest copy (duplicate_of); those rows are committed, so the statement's snapshot sees them.
export const UPSERT_ITEMS = `
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

const INSERT_FETCH_LOG = `
INSERT INTO fetch_log (feed_id, started_at, duration_ms, outcome, status, bytes, items_found, items_new, items_updated,
  error_kind, error_message, worker)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;

export interface UpsertResult {
  inserted: number[];
  updated: number[];
  unchanged: number;
}

/** One statement cannot touch a row twice: a key repeated in a document keeps its first entry. */
export function uniqueByKey(all: readonly Item[]): Item[] {
  const seen = new Set<string>();
  return all.filter((i) => !seen.has(i.key) && seen.add(i.key) !== undefined);
}

/** UPSERT_ITEMS's parameters: feed, time, then one array per column. */
export function itemParameters(feedId: number, items: readonly Item[], now: Date): unknown[] {
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
export function upsertResult(rows: ReadonlyArray<{ id: number; inserted: boolean }>, offered: number): UpsertResult {
  const inserted = rows.filter((r) => r.inserted).map((r) => r.id);
  const updated = rows.filter((r) => !r.inserted).map((r) => r.id);
  return { inserted, updated, unchanged: offered - rows.length };
}

/** Stores a document's items for one feed: new ones inserted, changed ones updated, the rest untouched. */
export async function upsertItems(q: Queryable, feedId: number, all: readonly Item[], now: Date): Promise<UpsertResult> {
  const items = uniqueByKey(all);
  if (items.length === 0) return { inserted: [], updated: [], unchanged: 0 };
  const res = await q.query<{ id: number; inserted: boolean }>(UPSERT_ITEMS, itemParameters(feedId, items, now));
  return upsertResult(res.rows, items.length);
}

export interface FetchLogEntry {
  feedId: number;
  startedAt: Date;
  durationMs: number;
  outcome: 'ok' | 'not-modified' | 'unchanged' | 'error';
  status: number | null;
  bytes: number | null;
  itemsFound: number | null;
  itemsNew: number | null;
  itemsUpdated: number | null;
  errorKind: string | null;
  errorMessage: string | null;
  worker: string;
}

export async function logFetch(q: Queryable, e: FetchLogEntry): Promise<void> {
  await q.query(INSERT_FETCH_LOG, [
    e.feedId,
    e.startedAt,
    Math.round(e.durationMs),
    e.outcome,
    e.status,
    e.bytes,
    e.itemsFound,
    e.itemsNew,
    e.itemsUpdated,
    e.errorKind,
    e.errorMessage,
    e.worker,
  ]);
}
