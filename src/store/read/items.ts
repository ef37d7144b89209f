// Items as the server lists them: newest first with keyset positions, and full-text search.
import type { OutletRef, Position } from '../../model.js';
import type { Queryable } from '../db/db.js';
import { buildListQuery, resolveFilter, timeClauses, type ClauseTable, type ListFilter } from './filters.js';

/** An item as read back from the store: with its outlet, its story and its place in a list. */
export interface StoredItem {
  id: number;
  title: string;
  url: string | null;
  summary: string;
  author: string | null;
  /** The outlet whose feed carried the item. */
  outlet: OutletRef;
  /** Publisher the entry names itself (Google News), when it differs from the feed's outlet. */
  source: string | null;
  publishedAt: Date;
  dateEstimated: boolean;
  changedAt: Date;
  categories: string[];
  storyId: number | null;
  /** A wire copy of this earlier item from another outlet. */
  copyOf: number | null;
  /** The same article (same canonical URL) first seen in another feed. */
  duplicateOf: number | null;
  position: Position;
}

/** A search result: the item, its rank and the headline of its story. */
export interface SearchHit extends StoredItem {
  rank: number;
  storyHeadline: string | null;
}

/** Columns every item read selects; the FROM clause must join feeds f and outlets o. */
export const ITEM_COLUMNS = `i.id, i.title, i.url, i.canonical_url, i.summary, i.author, i.outlet_name, i.published_at,
  i.date_estimated, i.changed_at, i.categories, i.story_id, i.copy_of, i.duplicate_of,
  o.id AS outlet_id, o.name AS outlet, (extract(epoch FROM i.published_at) * 1000000)::int8 AS position_us`;

export interface ItemRow {
  id: number;
  title: string;
  url: string | null;
  canonical_url: string | null;
  summary: string;
  author: string | null;
  outlet_name: string | null;
  published_at: Date;
  date_estimated: boolean;
  changed_at: Date;
  categories: string[] | null;
  story_id: number | null;
  copy_of: number | null;
  duplicate_of: number | null;
  outlet_id: number;
  outlet: string;
  position_us: number;
}

/** A row of ITEM_COLUMNS as the item it is. */
export function toStoredItem(r: ItemRow): StoredItem {
  const source = r.outlet_name && r.outlet_name.toLowerCase() !== r.outlet.toLowerCase() ? r.outlet_name : null;
  return {
    id: r.id,
    title: r.title,
    url: r.url ?? r.canonical_url,
    summary: r.summary,
    author: r.author,
    outlet: { id: r.outlet_id, name: r.outlet },
    source,
    publishedAt: r.published_at,
    dateEstimated: r.date_estimated,
    changedAt: r.changed_at,
    categories: r.categories ?? [],
    storyId: r.story_id,
    copyOf: r.copy_of,
    duplicateOf: r.duplicate_of,
    position: { us: r.position_us, id: r.id },
  };
}

// Duplicates (the same article in a second feed) are left out: a reader would see it twice. Newest
// first: walking items_published_idx, or reading a selective filter's candidates (filters.ts).
const SELECT_ITEMS = `SELECT ${ITEM_COLUMNS}
FROM (
  SELECT i.* FROM items i
  WHERE i.duplicate_of IS NULL/*filters*/
  ORDER BY i.published_at DESC, i.id DESC
  LIMIT $limit
) i JOIN feeds f ON f.id = i.feed_id JOIN outlets o ON o.id = f.outlet_id
ORDER BY i.published_at DESC, i.id DESC`;

const ITEM_CLAUSES: ClauseTable = [
  { applies: (f) => f.candidates !== null, sql: 'i.id = ANY($candidates::int8[])' },
  {
    applies: (f) => f.topicId !== null,
    sql: 'EXISTS (SELECT 1 FROM story_topics st WHERE st.story_id = i.story_id AND st.topic_id = $topic::int)',
  },
  {
    applies: (f) => f.outletFeeds !== null,
    sql: '(i.feed_id = ANY($outletFeeds::int[]) OR lower(i.outlet_name) = $publisher::text)',
  },
  { applies: (f) => f.q !== null, sql: "i.search @@ websearch_to_tsquery('english', $q::text)" },
  {
    applies: (f) => f.minSources > 0,
    sql: 'EXISTS (SELECT 1 FROM stories s WHERE s.id = i.story_id AND s.outlet_count >= $minSources::int)',
  },
  ...timeClauses('i.published_at', 'i.id'),
];

/** Items newest first (by publication time, then id), after the filter's position. */
export async function listItems(q: Queryable, filter: ListFilter): Promise<StoredItem[]> {
  const f = await resolveFilter(q, filter, 'items');
  if (!f || f.candidates?.length === 0) return [];
  const { sql, params } = buildListQuery(SELECT_ITEMS, ITEM_CLAUSES, f);
  return (await q.query<ItemRow>(sql, params)).rows.map(toStoredItem);
}

// Search ranks a bounded pool: the SEARCH_POOL newest matches (all of them when fewer). The planner
// finds them either from the text index (a rare word: few matches to sort) or by walking
// items_published_idx until enough match (a common one), so neither ranks every match in the table.
export const SEARCH_POOL = 500;

// Ranked on the items alone; only the page's rows are joined to their feeds and stories.
const SEARCH_ITEMS = `WITH pool AS (
  SELECT id FROM items WHERE search @@ websearch_to_tsquery('english', $1) AND duplicate_of IS NULL
  ORDER BY published_at DESC, id DESC LIMIT ${SEARCH_POOL}
), ranked AS (
  SELECT i.id, ts_rank(i.search, websearch_to_tsquery('english', $1)) AS rank, i.published_at
  FROM pool p JOIN items i ON i.id = p.id
  ORDER BY rank DESC, i.published_at DESC, i.id DESC
  LIMIT $2 OFFSET $3
)
SELECT ${ITEM_COLUMNS}, r.rank, s.headline AS story_headline
FROM ranked r JOIN items i ON i.id = r.id JOIN feeds f ON f.id = i.feed_id JOIN outlets o ON o.id = f.outlet_id
  LEFT JOIN stories s ON s.id = i.story_id
ORDER BY r.rank DESC, r.published_at DESC, r.id DESC`;

/** Items matching a web-search style query (quotes, or, -not), best match first among the newest matches. */
export async function searchItems(q: Queryable, query: string, limit: number, offset: number): Promise<SearchHit[]> {
  const res = await q.query<ItemRow & { rank: number; story_headline: string | null }>(SEARCH_ITEMS, [
    query,
    limit,
    offset,
  ]);
  return res.rows.map((r) => ({ ...toStoredItem(r), rank: r.rank, storyHeadline: r.story_headline }));
}
