// Items as the server lists them: newest first with keyset positions, and full-text search.
import type { Queryable } from './db.js';
import type { ItemView, ListFilter, SearchHit } from './views.js';

/** Columns every item view selects; the FROM clause must join feeds f and outlets o. */
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

export function toItemView(r: ItemRow): ItemView {
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

// Duplicates (the same article in a second feed) are left out: a reader would see it twice.
const SELECT_ITEMS = `SELECT ${ITEM_COLUMNS}
FROM items i JOIN feeds f ON f.id = i.feed_id JOIN outlets o ON o.id = f.outlet_id
WHERE i.duplicate_of IS NULL
  AND ($1::text IS NULL OR EXISTS (SELECT 1 FROM story_topics st JOIN topics t ON t.id = st.topic_id
                                   WHERE st.story_id = i.story_id AND t.slug = $1))
  AND ($2::text IS NULL OR lower(o.name) = lower($2) OR lower(i.outlet_name) = lower($2))
  AND ($3::text IS NULL OR i.search @@ websearch_to_tsquery('english', $3))
  AND ($4::int <= 0 OR EXISTS (SELECT 1 FROM stories s WHERE s.id = i.story_id AND s.outlet_count >= $4))
  AND ($5::timestamptz IS NULL OR i.published_at >= $5)
  AND ($6::timestamptz IS NULL OR i.published_at < $6)
  AND ($7::int8 IS NULL OR (i.published_at, i.id) < (timestamptz 'epoch' + $7::int8 * interval '1 microsecond', $8::int8))
ORDER BY i.published_at DESC, i.id DESC
LIMIT $9`;

/** Items newest first (by publication time, then id), after the filter's position. */
export async function listItems(q: Queryable, f: ListFilter): Promise<ItemView[]> {
  const after = f.after && 'us' in f.after ? f.after : null;
  const res = await q.query<ItemRow>(SELECT_ITEMS, [f.topic, f.outlet, f.q, f.minSources, f.since, f.until, after?.us ?? null, after?.id ?? null, f.limit]);
  return res.rows.map(toItemView);
}

const SEARCH_ITEMS = `SELECT ${ITEM_COLUMNS}, ts_rank(i.search, query) AS rank, s.headline AS story_headline
FROM items i JOIN feeds f ON f.id = i.feed_id JOIN outlets o ON o.id = f.outlet_id
  LEFT JOIN stories s ON s.id = i.story_id,
  websearch_to_tsquery('english', $1) AS query
WHERE i.search @@ query AND i.duplicate_of IS NULL
ORDER BY rank DESC, i.published_at DESC, i.id DESC
LIMIT $2 OFFSET $3`;

/** Items matching a web-search style query (quotes, or, -not), best match first. */
export async function searchItems(q: Queryable, query: string, limit: number, offset: number): Promise<SearchHit[]> {
  const res = await q.query<ItemRow & { rank: number; story_headline: string | null }>(SEARCH_ITEMS, [query, limit, offset]);
  return res.rows.map((r) => ({ ...toItemView(r), rank: r.rank, storyHeadline: r.story_headline }));
}
