// The fetch log's line for a failed fetch. Successful fetches write theirs in the statements that
// record them (documents.ts for a stored document, feeds.ts for 304s and unchanged bodies).
import type { Queryable } from './db/db.js';

const INSERT_FETCH_LOG = `
INSERT INTO fetch_log (feed_id, started_at, duration_ms, outcome, status, bytes, items_found, items_new, items_updated,
  error_kind, error_message, worker)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;

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
