// GET /api/feeds's document, written by the database: every feed's health as the API shows it
// (server/api/json.ts feedReportJson over listFeedReports, byte for byte). Read into JavaScript, 5,000 feeds
// cost 100 ms or more of the server's thread in row parsing and dates alone (issue 12); as one text
// column they cost a few milliseconds in Postgres and nothing in the server.
import type { Queryable } from '../db/db.js';

// The same rendering as the server's: ISO 8601 in UTC to the millisecond (Date.toISOString, which
// truncates microseconds as to_char's MS does), and the user-info of a URL hidden as
// redact.ts hideCredentials hides it (the same pattern; JavaScript's \b before the scheme's first
// letter is the lookbehind).
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const iso = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', ${ISO})`;
const HIDE_USER_INFO = `regexp_replace(f.url, '(?<![a-zA-Z0-9_])([a-z][a-z0-9+.-]*://)[^\\s/?#@]+@', '\\1***@', 'gi')`;

// The status as feeds.ts feedStatus decides it; the next fetch only for a feed still polled.
const SELECT_FEED_REPORTS_DOCUMENT = `
SELECT '{"feeds":[' || coalesce(string_agg(doc, ',' ORDER BY outlet, section NULLS FIRST, url), '') || ']}' AS body,
  max(last_fetched_at) AS last_fetched_at
FROM (
  SELECT o.name AS outlet, f.section, f.url, f.last_fetched_at, row_to_json((SELECT r FROM (SELECT
    f.id, ${HIDE_USER_INFO} AS url, o.name AS outlet, f.section, f.title,
    CASE WHEN f.state <> 'active' THEN f.state WHEN f.error_count > 0 THEN 'failing' WHEN f.last_fetched_at IS NOT NULL THEN 'ok' ELSE 'new' END AS status,
    f.last_status AS "lastStatus", ${iso('f.last_fetched_at')} AS "lastFetchedAt", ${iso('f.last_success_at')} AS "lastSuccessAt",
    CASE WHEN f.state = 'active' THEN ${iso('f.next_fetch_at')} END AS "nextFetchAt", f.error_message AS error, f.error_kind AS "errorKind",
    f.error_count AS "errorCount", ${iso('f.failing_since')} AS "failingSince", f.item_count AS items
  ) r))::text AS doc
  FROM feeds f JOIN outlets o ON o.id = f.outlet_id
) x`;

/** The body of GET /api/feeds (`{"feeds":[…]}`) and the newest fetch among the feeds. */
export async function readFeedReportsDocument(q: Queryable): Promise<{ body: string; lastFetchedAt: Date | null }> {
  const row = (await q.query<{ body: string; last_fetched_at: Date | null }>(SELECT_FEED_REPORTS_DOCUMENT)).rows[0]!;
  return { body: row.body, lastFetchedAt: row.last_fetched_at };
}
