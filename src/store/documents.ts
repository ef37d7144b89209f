// A fetched document stored in one statement: its items upserted, the feed's state after a success,
// and the fetch-log line. One statement is atomic without a transaction and costs one round trip
// instead of six (begin, items, feed, log, commit), which is most of the per-feed database work.
import type { Item, ScheduleHints } from '../model.js';
import type { Queryable } from './db.js';
import { UPSERT_ITEMS, itemParameters, uniqueByKey, upsertResult, type UpsertResult } from './items.js';

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
export async function storeDocument(q: Queryable, feedId: number, all: readonly Item[], fetch: DocumentFetch): Promise<UpsertResult> {
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
