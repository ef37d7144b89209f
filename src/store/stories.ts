// Named queries of the story writer (src/worker/stories/) over stories and the items they hold: the
// story lock, the items still without a story, the decisions as written, and the stories' stats.
// Each takes and returns plain records; the writer decides, these only read and write.
import type { AssignReason, PendingItem } from '../model.js';
import type { Queryable, Tx } from './db/db.js';

/** One process groups at a time, so no item is ever in two stories. */
export const STORY_LOCK = 7_146_020_002;
export const LOCK_STORIES = 'SELECT pg_advisory_xact_lock($1)';

/** Takes the story lock until the transaction ends. */
export async function lockStories(tx: Tx): Promise<void> {
  await tx.query(LOCK_STORIES, [STORY_LOCK]);
}

// What the grouping reads of an item, and what crediting an article to an outlet needs.
const ITEM_TEXT = `i.id, i.title, i.summary, coalesce(i.canonical_url, i.url) AS url,
  coalesce(i.outlet_name, o.name) AS outlet, i.published_at, i.duplicate_of,
  nullif(i.outlet_name, '') AS named_outlet, coalesce(o.site, f.url) AS site`;
export const ITEM_JOIN = 'items i JOIN feeds f ON f.id = i.feed_id JOIN outlets o ON o.id = f.outlet_id';

/** The outlet a reader is shown for an item: the credited one, else the one the item names, else its feed's. */
export const ITEM_OUTLET = "coalesce(i.credited_outlet, nullif(i.outlet_name, ''), o.name)";

interface ItemTextRow {
  id: number;
  title: string;
  summary: string;
  url: string | null;
  outlet: string;
  published_at: Date;
  duplicate_of: number | null;
  named_outlet: string | null;
  site: string;
}

function pendingItemOf(r: ItemTextRow): PendingItem {
  return {
    id: r.id,
    title: r.title,
    summary: r.summary,
    url: r.url,
    outlet: r.outlet,
    publishedAt: r.published_at,
    duplicateOf: r.duplicate_of,
    namedOutlet: r.named_outlet,
    site: r.site,
  };
}

export const SELECT_PENDING = `
SELECT ${ITEM_TEXT} FROM ${ITEM_JOIN}
WHERE i.story_id IS NULL ORDER BY i.published_at, i.id LIMIT $1`;

// The same, among the items a pass stored (src/worker/grouping-lane.ts): a chunk of its arrivals.
export const SELECT_PENDING_AMONG = `
SELECT ${ITEM_TEXT} FROM ${ITEM_JOIN}
WHERE i.id = ANY($1::bigint[]) AND i.story_id IS NULL ORDER BY i.published_at, i.id LIMIT $2`;

/** The oldest `limit` items without a story (among `itemIds` when given), in published order. */
export async function readPendingItems(tx: Tx, limit: number, itemIds?: readonly number[]): Promise<PendingItem[]> {
  const rows = (
    await (itemIds
      ? tx.query<ItemTextRow>(SELECT_PENDING_AMONG, [itemIds, limit])
      : tx.query<ItemTextRow>(SELECT_PENDING, [limit]))
  ).rows;
  return rows.map(pendingItemOf);
}

// Items still without a story (items_unassigned_idx): whether there is work, and how much for progress.
export const HAS_PENDING = 'SELECT EXISTS (SELECT 1 FROM items WHERE story_id IS NULL) AS pending';
export const COUNT_PENDING = 'SELECT count(*)::int AS n FROM items WHERE story_id IS NULL';

/** Whether any item is without a story. */
export async function hasPendingItems(db: Queryable): Promise<boolean> {
  return (await db.query<{ pending: boolean }>(HAS_PENDING)).rows[0]!.pending;
}

/** How many items are without a story. */
export async function countPendingItems(db: Queryable): Promise<number> {
  return (await db.query<{ n: number }>(COUNT_PENDING)).rows[0]!.n;
}

// The first appearances of articles that reached a batch through another feed, and their stories.
export const SELECT_ORIGINALS = `
SELECT ${ITEM_TEXT}, i.story_id FROM ${ITEM_JOIN} WHERE i.id = ANY($1::bigint[])`;

/** An article's first appearance, and the story it is in (null: not assigned yet). */
export interface OriginalItem extends PendingItem {
  storyId: number | null;
}

/** The given items with their stories, by id. */
export async function readOriginals(tx: Tx, ids: readonly number[]): Promise<Map<number, OriginalItem>> {
  const rows = (await tx.query<ItemTextRow & { story_id: number | null }>(SELECT_ORIGINALS, [ids])).rows;
  return new Map(rows.map((r) => [r.id, { ...pendingItemOf(r), storyId: r.story_id }]));
}

export const RESERVE_STORY_IDS =
  "SELECT nextval(pg_get_serial_sequence('stories', 'id')) AS id FROM generate_series(1, $1)";

/** Reserves `count` new story ids. */
export async function reserveStoryIds(tx: Tx, count: number): Promise<number[]> {
  return (await tx.query<{ id: number }>(RESERVE_STORY_IDS, [count])).rows.map((x) => x.id);
}

export const INSERT_STORIES = `
INSERT INTO stories (id, headline, first_seen_at, last_seen_at, updated_at)
SELECT u.id, u.headline, u.at, u.at, $2 FROM unnest($1::bigint[], $3::text[], $4::timestamptz[]) AS u(id, headline, at)`;

/** A story a batch started: its reserved id, and the item that started it. */
export interface NewStory {
  id: number;
  headline: string;
  firstSeen: Date;
}

/** Inserts the stories a batch started (their stats are set by refreshStoryStats). */
export async function insertStories(tx: Tx, stories: readonly NewStory[], now: Date): Promise<void> {
  await tx.query(INSERT_STORIES, [
    stories.map((s) => s.id),
    now,
    stories.map((s) => s.headline),
    stories.map((s) => s.firstSeen),
  ]);
}

export const INSERT_ASSIGNMENTS = `
INSERT INTO story_assignments (item_id, story_id, reason, score, shared_terms, assigned_at)
SELECT u.item_id, u.story_id, u.reason, u.score, ARRAY(SELECT jsonb_array_elements_text(u.terms::jsonb)), $1
FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::real[], $6::text[]) WITH ORDINALITY AS u(item_id, story_id, reason, score, terms, n)
ORDER BY u.n
RETURNING seq`;

/** One decision as written: the item, its story, why, and the copy it is (null: none). */
export interface StoryAssignment {
  itemId: number;
  storyId: number;
  reason: AssignReason;
  /** As stored (see storedScore). */
  score: number;
  sharedTerms: string[];
  copyOf: number | null;
}

/** Logs the decisions in order; returns the seq each got. */
export async function insertAssignments(tx: Tx, decisions: readonly StoryAssignment[], now: Date): Promise<number[]> {
  const inserted = await tx.query<{ seq: number }>(INSERT_ASSIGNMENTS, [
    now,
    decisions.map((d) => d.itemId),
    decisions.map((d) => d.storyId),
    decisions.map((d) => d.reason),
    decisions.map((d) => d.score),
    decisions.map((d) => JSON.stringify(d.sharedTerms)),
  ]);
  return inserted.rows.map((r) => Number(r.seq));
}

export const UPDATE_ITEM_STORIES = `
UPDATE items i SET story_id = u.story_id, copy_of = u.copy_of
FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS u(item_id, story_id, copy_of)
WHERE i.id = u.item_id`;

/** Sets each decided item's story and the item it copies. */
export async function setItemStories(tx: Tx, decisions: readonly StoryAssignment[]): Promise<void> {
  await tx.query(UPDATE_ITEM_STORIES, [
    decisions.map((d) => d.itemId),
    decisions.map((d) => d.storyId),
    decisions.map((d) => d.copyOf),
  ]);
}

export const CREDIT_OUTLETS = `
UPDATE items i SET credited_outlet = u.outlet FROM unnest($1::bigint[], $2::text[]) AS u(id, outlet) WHERE i.id = u.id`;

/** Credits items (by id) to another outlet than the one they were first seen through. */
export async function creditOutlets(tx: Tx, credits: ReadonlyMap<number, string>): Promise<void> {
  await tx.query(CREDIT_OUTLETS, [[...credits.keys()], [...credits.values()]]);
}

// Counts and times from the rows themselves, so they cannot drift. Copies are not independent outlets;
// a story holding only copies (their first appearance was pruned) still counts the outlets it shows.
// Weight and significance rank top stories (sql/008_story_significance.sql).
export const REFRESH_STORY_STATS = `
UPDATE stories s SET
  item_count = c.items, outlet_count = c.outlets, first_seen_at = c.first_seen, last_seen_at = c.last_seen,
  weight = c.weight, significance = ln(c.weight) / ln(2) + extract(epoch FROM c.last_seen) / 86400,
  headline = coalesce(r.title, s.headline), summary = coalesce(r.summary, s.summary), representative_item_id = r.id,
  updated_at = CASE WHEN c.items <> s.item_count THEN $3 ELSE s.updated_at END
FROM (
  SELECT t.*, t.outlets + sqrt(greatest(t.items - t.outlets, 0)) + t.early_outlets / 4.0 AS weight FROM (
    SELECT x.story_id, count(*)::int AS items, min(x.published_at) AS first_seen, max(x.published_at) AS last_seen,
      greatest(count(DISTINCT x.outlet) FILTER (WHERE x.copy_of IS NULL), least(count(DISTINCT x.outlet), 1))::int AS outlets,
      count(DISTINCT x.outlet) FILTER (WHERE x.copy_of IS NULL AND x.published_at < x.story_first + interval '12 hours')::int AS early_outlets
    FROM (
      SELECT i.story_id, i.published_at, i.copy_of, ${ITEM_OUTLET} AS outlet, min(i.published_at) OVER (PARTITION BY i.story_id) AS story_first
      FROM items i JOIN feeds f ON f.id = i.feed_id JOIN outlets o ON o.id = f.outlet_id
      WHERE i.story_id = ANY($1::bigint[])
    ) x
    GROUP BY x.story_id
  ) t
) c
LEFT JOIN unnest($1::bigint[], $2::bigint[]) AS rep(story_id, item_id) ON rep.story_id = c.story_id
LEFT JOIN items r ON r.id = rep.item_id
WHERE s.id = c.story_id`;

/** Recounts the stories from their items, each headed by its representative item (null: keeps its headline). */
export async function refreshStoryStats(
  tx: Tx,
  storyIds: readonly number[],
  representatives: ReadonlyArray<number | null>,
  now: Date,
): Promise<void> {
  await tx.query(REFRESH_STORY_STATS, [storyIds, representatives, now]);
}

export const SELECT_MERGED_INTO = 'SELECT id, merged_into FROM stories WHERE id = $1';

/** The story an id stands for now, following merges; null when there is no such story. */
export async function resolveStoryId(db: Queryable, id: number): Promise<number | null> {
  let current = id;
  for (let hops = 0; hops < 100; hops++) {
    const row = (await db.query<{ id: number; merged_into: number | null }>(SELECT_MERGED_INTO, [current])).rows[0];
    if (!row) return null;
    if (row.merged_into === null) return row.id;
    current = row.merged_into;
  }
  return current;
}

export const COUNT_ITEMS = 'SELECT count(*)::int AS n FROM items';

/** How many items are stored. */
export async function countItems(db: Queryable): Promise<number> {
  return (await db.query<{ n: number }>(COUNT_ITEMS)).rows[0]!.n;
}

export const CLEAR_STORIES = `
UPDATE items SET story_id = NULL, copy_of = NULL, credited_outlet = NULL WHERE story_id IS NOT NULL;
DELETE FROM item_features; DELETE FROM story_profiles; DELETE FROM story_assignments; DELETE FROM story_merges; DELETE FROM story_topics; DELETE FROM stories; DELETE FROM topic_aliases; DELETE FROM topics;
DELETE FROM story_clock;`;

/** Empties every story, topic and what the writer kept, leaving every item pending (recluster). */
export async function clearStories(tx: Tx): Promise<void> {
  await tx.exec(CLEAR_STORIES);
}
