// Named queries over outlets and feeds: adding sources, claiming due feeds, recording fetch outcomes.
import type { Feed, FeedReport, FeedSource, FeedState, ScheduleHints } from '../model.js';
import type { Queryable } from './db/db.js';

const UPSERT_OUTLET = `
INSERT INTO outlets (name, site, region) VALUES ($1, $2, $3)
ON CONFLICT (name) DO UPDATE SET site = coalesce(outlets.site, excluded.site), region = coalesce(outlets.region, excluded.region)
RETURNING id`;

const INSERT_FEED = `
INSERT INTO feeds (url, outlet_id, section, title) VALUES ($1, $2, $3, $4)
ON CONFLICT (url) DO NOTHING
RETURNING id`;

// Many sources at once (an OPML import): outlets upserted (the first site and region given are kept,
// as addFeed does one by one), then the new feeds inserted in the order given; a URL already stored
// is left as it is. Returns the feeds created.
const ADD_FEEDS = `
WITH src AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
    AS s(url, outlet, section, title, site, region, n)
), outlet_rows AS (
  INSERT INTO outlets (name, site, region)
  SELECT outlet, (array_agg(site ORDER BY n) FILTER (WHERE site IS NOT NULL))[1], (array_agg(region ORDER BY n) FILTER (WHERE region IS NOT NULL))[1]
  FROM src GROUP BY outlet
  ON CONFLICT (name) DO UPDATE SET site = coalesce(outlets.site, excluded.site), region = coalesce(outlets.region, excluded.region)
  RETURNING id, name
), inserted AS (
  INSERT INTO feeds (url, outlet_id, section, title)
  SELECT f.url, o.id, f.section, f.title
  FROM (SELECT DISTINCT ON (url) * FROM src ORDER BY url, n) f JOIN outlet_rows o ON o.name = f.outlet
  ORDER BY f.n
  ON CONFLICT (url) DO NOTHING
  RETURNING id, url, outlet_id
)
SELECT i.id, i.url, o.name AS outlet FROM inserted i JOIN outlet_rows o ON o.id = i.outlet_id ORDER BY i.id`;

const FEED_COLUMNS = `f.id, f.url, f.outlet_id, o.name AS outlet, f.section, f.title, f.etag, f.last_modified, f.body_hash,
  f.schedule_hints, f.state, f.next_fetch_at, f.last_fetched_at, f.last_status, f.error_count, f.error_kind, f.error_message, f.failing_since`;

const SELECT_FEED_BY_URL = `SELECT ${FEED_COLUMNS} FROM feeds f JOIN outlets o ON o.id = f.outlet_id WHERE f.url = $1`;
const SELECT_FEED_BY_ID = `SELECT ${FEED_COLUMNS} FROM feeds f JOIN outlets o ON o.id = f.outlet_id WHERE f.id = $1`;

// Due feeds, oldest due first; a feed whose lease expired (its worker died) is due again.
const CLAIM_DUE_FEEDS = `
WITH due AS (
  SELECT id FROM feeds
  WHERE state = 'active' AND next_fetch_at <= $1 AND (locked_until IS NULL OR locked_until <= $2)
    AND NOT (id = ANY($5::int[]))
  ORDER BY next_fetch_at, id
  LIMIT $3
  FOR UPDATE SKIP LOCKED
), claimed AS (
  UPDATE feeds f SET locked_until = $2::timestamptz + make_interval(secs => $6), locked_by = $4
  FROM due WHERE f.id = due.id
  RETURNING f.*
)
SELECT ${FEED_COLUMNS} FROM claimed f JOIN outlets o ON o.id = f.outlet_id ORDER BY f.next_fetch_at, f.id`;

// Many feeds' 304/unchanged outcomes at once: the feed rows updated and the fetch log written in one
// statement (a feed deleted meanwhile is skipped by the join).
const RECORD_QUIET_FETCHES = `
WITH outcome AS (
  SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::int[],
    $7::text[], $8::timestamptz[], $9::int[], $10::text[])
    AS o(feed_id, etag, last_modified, next_fetch_at, fetched_at, status, outcome, started_at, duration_ms, worker)
), updated AS (
  UPDATE feeds f SET
    etag = o.etag, last_modified = o.last_modified, next_fetch_at = o.next_fetch_at,
    last_fetched_at = o.fetched_at, last_success_at = o.fetched_at, last_status = o.status,
    error_count = 0, error_kind = NULL, error_message = NULL, failing_since = NULL,
    locked_until = NULL, locked_by = NULL
  FROM outcome o WHERE f.id = o.feed_id
  RETURNING f.id
)
INSERT INTO fetch_log (feed_id, started_at, duration_ms, outcome, status, worker)
SELECT o.feed_id, o.started_at, o.duration_ms, o.outcome, o.status, o.worker
FROM outcome o JOIN updated u ON u.id = o.feed_id`;

const RECORD_ERROR = `
UPDATE feeds SET
  next_fetch_at = $2, last_fetched_at = $3, last_status = $4,
  error_count = error_count + 1, error_kind = $5, error_message = $6, failing_since = coalesce(failing_since, $3),
  state = $7, locked_until = NULL, locked_by = NULL
WHERE id = $1`;

// A permanent redirect moves the feed unless another feed already has that address.
const MOVE_FEED = `UPDATE feeds SET url = $2 WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM feeds WHERE url = $2)`;

const RELEASE_FEEDS = `UPDATE feeds SET locked_until = NULL, locked_by = NULL WHERE locked_by = $1`;

const DELETE_FEED = `DELETE FROM feeds WHERE id = $1 OR url = $2`;

const SELECT_SOURCES = `
SELECT f.url, o.name AS outlet, f.section, f.title, o.site, o.region
FROM feeds f JOIN outlets o ON o.id = f.outlet_id ORDER BY o.name, f.section NULLS FIRST, f.url`;

const SELECT_FEED_REPORTS = `
SELECT f.id, f.url, o.name AS outlet, f.section, f.title, f.state, f.last_status, f.last_fetched_at, f.last_success_at,
  f.next_fetch_at, f.error_message, f.error_kind, f.error_count, f.failing_since,
  f.item_count AS items
FROM feeds f JOIN outlets o ON o.id = f.outlet_id
ORDER BY o.name, f.section NULLS FIRST, f.url`;

interface FeedRow {
  id: number;
  url: string;
  outlet_id: number;
  outlet: string;
  section: string | null;
  title: string | null;
  etag: string | null;
  last_modified: string | null;
  body_hash: string | null;
  schedule_hints: ScheduleHints | null;
  state: FeedState;
  next_fetch_at: Date;
  last_fetched_at: Date | null;
  last_status: number | null;
  error_count: number;
  error_kind: string | null;
  error_message: string | null;
  failing_since: Date | null;
}

function toFeed(r: FeedRow): Feed {
  return {
    id: r.id,
    url: r.url,
    outletId: r.outlet_id,
    outlet: r.outlet,
    section: r.section,
    title: r.title,
    etag: r.etag,
    lastModified: r.last_modified,
    bodyHash: r.body_hash,
    scheduleHints: r.schedule_hints,
    state: r.state,
    nextFetchAt: r.next_fetch_at,
    lastFetchedAt: r.last_fetched_at,
    lastStatus: r.last_status,
    errorCount: r.error_count,
    errorKind: r.error_kind,
    errorMessage: r.error_message,
    failingSince: r.failing_since,
  };
}

/** Adds the feed (and its outlet) unless its URL is already stored. */
export async function addFeed(q: Queryable, source: FeedSource): Promise<{ feed: Feed; created: boolean }> {
  const outlet = await q.query<{ id: number }>(UPSERT_OUTLET, [source.outlet, source.site, source.region]);
  const inserted = await q.query<{ id: number }>(INSERT_FEED, [
    source.url,
    outlet.rows[0]!.id,
    source.section,
    source.title,
  ]);
  const feed = await findFeedByUrl(q, source.url);
  if (!feed) throw new Error(`store: feed ${source.url} vanished while being added`);
  return { feed, created: inserted.rowCount > 0 };
}

/** Adds every source whose URL is not stored yet, in one statement; returns the feeds it created. */
export async function addFeeds(
  q: Queryable,
  sources: readonly FeedSource[],
): Promise<Array<{ id: number; url: string; outlet: string }>> {
  if (sources.length === 0) return [];
  const col = <T>(pick: (s: FeedSource) => T): T[] => sources.map(pick);
  const res = await q.query<{ id: number; url: string; outlet: string }>(ADD_FEEDS, [
    col((s) => s.url),
    col((s) => s.outlet),
    col((s) => s.section),
    col((s) => s.title),
    col((s) => s.site),
    col((s) => s.region),
  ]);
  return res.rows;
}

export async function findFeedByUrl(q: Queryable, url: string): Promise<Feed | null> {
  const res = await q.query<FeedRow>(SELECT_FEED_BY_URL, [url]);
  return res.rows[0] ? toFeed(res.rows[0]) : null;
}

export async function findFeedById(q: Queryable, id: number): Promise<Feed | null> {
  const res = await q.query<FeedRow>(SELECT_FEED_BY_ID, [id]);
  return res.rows[0] ? toFeed(res.rows[0]) : null;
}

/** Removes a feed given its id or URL, with its items; true when one was removed. */
export async function removeFeed(q: Queryable, idOrUrl: number | string): Promise<boolean> {
  const res = await q.query(DELETE_FEED, typeof idOrUrl === 'number' ? [idOrUrl, null] : [null, idOrUrl]);
  return res.rowCount > 0;
}

export interface ClaimOptions {
  now: Date;
  /** Claim feeds due up to this time (fetch --once passes a far future to take every feed). */
  dueBy?: Date;
  limit: number;
  leaseMs: number;
  workerId: string;
  /** Feeds this pass already handled. */
  excludeIds?: number[];
}

/** Claims due feeds for this worker with a lease; concurrent workers never receive the same feed. */
export async function claimDueFeeds(q: Queryable, o: ClaimOptions): Promise<Feed[]> {
  const params = [o.dueBy ?? o.now, o.now, o.limit, o.workerId, o.excludeIds ?? [], o.leaseMs / 1000];
  const res = await q.query<FeedRow>(CLAIM_DUE_FEEDS, params);
  return res.rows.map(toFeed);
}

/** A fetch that stored nothing: 304, or 200 with the body already stored. */
export interface QuietFetch {
  feedId: number;
  outcome: 'not-modified' | 'unchanged';
  etag: string | null;
  lastModified: string | null;
  status: number;
  nextFetchAt: Date;
  startedAt: Date;
  fetchedAt: Date;
  worker: string;
}

/** Records several quiet fetches in one statement: each feed's row, and one fetch-log line each. */
export async function recordQuietFetches(q: Queryable, fetches: readonly QuietFetch[]): Promise<void> {
  if (fetches.length === 0) return;
  const col = <T>(pick: (f: QuietFetch) => T): T[] => fetches.map(pick);
  await q.query(RECORD_QUIET_FETCHES, [
    col((f) => f.feedId),
    col((f) => f.etag),
    col((f) => f.lastModified),
    col((f) => f.nextFetchAt),
    col((f) => f.fetchedAt),
    col((f) => f.status),
    col((f) => f.outcome),
    col((f) => f.startedAt),
    col((f) => Math.round(f.fetchedAt.getTime() - f.startedAt.getTime())),
    col((f) => f.worker),
  ]);
}

export interface ErrorRecord {
  nextFetchAt: Date;
  fetchedAt: Date;
  status: number | null;
  kind: string;
  message: string;
  gone: boolean;
}

export async function recordFetchError(q: Queryable, feedId: number, r: ErrorRecord): Promise<void> {
  await q.query(RECORD_ERROR, [
    feedId,
    r.nextFetchAt,
    r.fetchedAt,
    r.status,
    r.kind,
    r.message,
    r.gone ? 'gone' : 'active',
  ]);
}

/** Moves a feed to its new permanent address; false when another feed already has it. */
export async function moveFeed(q: Queryable, feedId: number, url: string): Promise<boolean> {
  return (await q.query(MOVE_FEED, [feedId, url])).rowCount > 0;
}

/** Gives back every lease this worker holds (on shutdown). */
export async function releaseFeeds(q: Queryable, workerId: string): Promise<number> {
  return (await q.query(RELEASE_FEEDS, [workerId])).rowCount;
}

// Moved by triggers only when a source changes (sql/015_sources_version.sql), not by fetches.
const SELECT_SOURCES_VERSION = `SELECT version::text FROM data_versions WHERE scope = 'sources'`;

/** A string that changes whenever listSources would return something else. */
export async function readSourcesVersion(q: Queryable): Promise<string> {
  return (await q.query<{ version: string }>(SELECT_SOURCES_VERSION)).rows[0]?.version ?? '';
}

/** Every feed as a source record, for OPML export. */
export async function listSources(q: Queryable): Promise<FeedSource[]> {
  const res = await q.query<FeedSource>(SELECT_SOURCES);
  return res.rows.map((r) => ({
    url: r.url,
    outlet: r.outlet,
    section: r.section,
    title: r.title,
    site: r.site,
    region: r.region,
  }));
}

interface ReportRow {
  id: number;
  url: string;
  outlet: string;
  section: string | null;
  title: string | null;
  state: FeedState;
  last_status: number | null;
  last_fetched_at: Date | null;
  last_success_at: Date | null;
  next_fetch_at: Date;
  error_message: string | null;
  error_kind: string | null;
  error_count: number;
  failing_since: Date | null;
  items: number;
}

function feedStatus(r: ReportRow): FeedReport['status'] {
  if (r.state !== 'active') return r.state;
  if (r.error_count > 0) return 'failing';
  return r.last_fetched_at ? 'ok' : 'new';
}

/** Every feed's health: what `feeds list --json` prints and `GET /api/feeds` returns. */
export async function listFeedReports(q: Queryable): Promise<FeedReport[]> {
  const res = await q.query<ReportRow>(SELECT_FEED_REPORTS);
  return res.rows.map((r) => ({
    id: r.id,
    url: r.url,
    outlet: r.outlet,
    section: r.section,
    title: r.title,
    status: feedStatus(r),
    lastStatus: r.last_status,
    lastFetchedAt: r.last_fetched_at,
    lastSuccessAt: r.last_success_at,
    nextFetchAt: r.state === 'active' ? r.next_fetch_at : null,
    error: r.error_message,
    errorKind: r.error_kind,
    errorCount: r.error_count,
    failingSince: r.failing_since,
    items: r.items,
  }));
}

const SELECT_NOT_IN = `
SELECT url, state, locked_by, locked_until FROM feeds WHERE NOT (id = ANY($1::int[])) ORDER BY id`;

/** A feed a pass did not fetch, with what it was doing instead. */
export interface UnfetchedFeed {
  url: string;
  state: FeedState;
  lockedBy: string | null;
  lockedUntil: Date | null;
}

/** Every feed except those given (the ones a pass fetched): what `fetch --once` reports as skipped. */
export async function listFeedsExcept(q: Queryable, fetchedIds: readonly number[]): Promise<UnfetchedFeed[]> {
  const res = await q.query<{ url: string; state: FeedState; locked_by: string | null; locked_until: Date | null }>(
    SELECT_NOT_IN,
    [fetchedIds],
  );
  return res.rows.map((r) => ({ url: r.url, state: r.state, lockedBy: r.locked_by, lockedUntil: r.locked_until }));
}

// Only one process can open an embedded database, so any lease found in one when it opens was left
// by a process that died (SIGKILL, power loss) and would otherwise block its feeds for FETCH_LEASE.
const RELEASE_ALL_LEASES = `UPDATE feeds SET locked_until = NULL, locked_by = NULL WHERE locked_by IS NOT NULL`;

/** Gives back every lease in the database (embedded start only); returns how many there were. */
export async function releaseStaleLeases(q: Queryable): Promise<number> {
  return (await q.query(RELEASE_ALL_LEASES)).rowCount;
}
