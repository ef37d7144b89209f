// The data versions the server's response cache checks: a short string per scope that changes
// whenever the data behind it changes.
import type { Queryable } from '../db/db.js';

// Fingerprints of the data each cache scope shows. A change in any part means "render again". The
// news version counter moves with every write of stories, story topics or topics and every item
// deletion (triggers in sql/006_flat_reads.sql); new and changed items move the newest id and time.
const SELECT_NEWS_VERSION = `SELECT concat_ws('|', (SELECT version FROM data_versions WHERE scope = 'news'),
  (SELECT max(changed_at) FROM items), (SELECT max(id) FROM items)) AS version`;

// The feeds table is the size of the sources list, not of the items: read whole.
const SELECT_FEEDS_VERSION = `SELECT concat_ws('|', count(*), max(id), max(created_at), max(last_fetched_at),
  count(*) FILTER (WHERE state = 'active'), count(*) FILTER (WHERE state = 'disabled'), sum(error_count)) AS version
  FROM feeds`;

export type DataScope = 'news' | 'feeds';

/** A short string that changes whenever the data behind a scope changes. */
export async function readDataVersion(q: Queryable, scope: DataScope): Promise<string> {
  const res = await q.query<{ version: string }>(scope === 'news' ? SELECT_NEWS_VERSION : SELECT_FEEDS_VERSION);
  return res.rows[0]?.version ?? '';
}
