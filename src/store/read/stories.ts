// Stories as the server lists them: top stories or newest activity first, each with its outlets and
// topics, and one story with its whole coverage and why each item joined.
import type { Story, StoryOutlet, TopicRef } from '../../model.js';
import type { Queryable } from '../db/db.js';
import { ITEM_OUTLET } from '../stories.js';
import { buildListQuery, resolveFilter, timeClauses, type ClauseTable, type ListFilter } from './filters.js';
import { ITEM_COLUMNS, toStoredItem, type ItemRow, type StoredItem } from './items.js';

/** An item inside a story, with why it joined. */
export interface CoverageItem extends StoredItem {
  reason: string | null;
  score: number | null;
  sharedTerms: string[];
}

/** One story with its whole coverage; a merged one says where it went. */
export interface StoryDetail extends Story {
  mergedInto: number | null;
  items: CoverageItem[];
}

/** Columns every story read selects; the FROM clause must join the representative item as ri. */
export const STORY_COLUMNS = `s.id, s.headline, s.summary, s.first_seen_at, s.last_seen_at, s.updated_at, s.item_count,
  s.outlet_count, s.merged_into, coalesce(ri.url, ri.canonical_url) AS url,
  (extract(epoch FROM s.last_seen_at) * 1000000)::int8 AS position_us`;

export interface StoryRow {
  id: number;
  headline: string;
  summary: string;
  first_seen_at: Date;
  last_seen_at: Date;
  updated_at: Date;
  item_count: number;
  outlet_count: number;
  merged_into: number | null;
  url: string | null;
  position_us: number;
}

// Newest activity first: walking stories_recent_idx and checking each story, or reading only the
// candidates a selective filter found (filters.ts). Each filter given adds its clause.
// The representative article is joined to the page's rows only, after the limit.
const SELECT_STORIES = `SELECT ${STORY_COLUMNS}
FROM (
  SELECT s.* FROM stories s
  WHERE s.merged_into IS NULL/*filters*/
  ORDER BY s.last_seen_at DESC, s.id DESC
  LIMIT $limit
) s LEFT JOIN items ri ON ri.id = s.representative_item_id
ORDER BY s.last_seen_at DESC, s.id DESC`;

const STORY_CLAUSES: ClauseTable = [
  { applies: (f) => f.candidates !== null, sql: 's.id = ANY($candidates::int8[])' },
  {
    applies: (f) => f.topicId !== null,
    sql: 'EXISTS (SELECT 1 FROM story_topics st WHERE st.story_id = s.id AND st.topic_id = $topic::int)',
  },
  {
    applies: (f) => f.outletFeeds !== null,
    sql: 'EXISTS (SELECT 1 FROM items i WHERE i.story_id = s.id AND (i.feed_id = ANY($outletFeeds::int[]) OR lower(i.outlet_name) = $publisher::text))',
  },
  {
    applies: (f) => f.q !== null,
    sql: "EXISTS (SELECT 1 FROM items i WHERE i.story_id = s.id AND i.search @@ websearch_to_tsquery('english', $q::text))",
  },
  { applies: (f) => f.minSources > 0, sql: 's.outlet_count >= $minSources::int' },
  ...timeClauses('s.last_seen_at', 's.id'),
];

/** Top stories are ranked among this many candidates, the most significant by the stored order. */
export const TOP_CANDIDATES = 500;

// Weight over (age in hours + 2)^1.8, as Hacker News ranks: fresh coverage first among live news, the
// most covered first among stories all far in the past (an archived week). The candidates are the most
// significant by the stored order (stories_significance_idx), filtered as the newest-first list is.
const SELECT_TOP_STORIES = `SELECT * FROM (
  SELECT ${STORY_COLUMNS}, s.weight / power(greatest(extract(epoch FROM ($now::timestamptz - s.last_seen_at)), 0) / 3600 + 2, 1.8) AS score
  FROM (
    SELECT s.* FROM stories s
    WHERE s.merged_into IS NULL/*filters*/
    ORDER BY s.significance DESC, s.id DESC
    LIMIT ${TOP_CANDIDATES}
  ) s LEFT JOIN items ri ON ri.id = s.representative_item_id
) ranked
ORDER BY score DESC, id DESC
OFFSET $offset LIMIT $limit`;

const SELECT_STORY = `SELECT ${STORY_COLUMNS} FROM stories s LEFT JOIN items ri ON ri.id = s.representative_item_id WHERE s.id = $1`;

// The outlets a story counts (stories.outlet_count): its independent items' outlets, an article credited to
// the outlet whose site it is on (items.credited_outlet), and Google News items to the publisher they name.
const SELECT_STORY_OUTLETS = `SELECT i.story_id, (array_agg(coalesce(co.id, o.id) ORDER BY i.published_at, i.id))[1] AS id,
  ${ITEM_OUTLET} AS name, count(*)::int AS items,
  (array_agg(coalesce(i.url, i.canonical_url) ORDER BY i.published_at, i.id)
     FILTER (WHERE coalesce(i.url, i.canonical_url) IS NOT NULL))[1] AS url,
  min(i.published_at) AS first_at
FROM items i JOIN feeds f ON f.id = i.feed_id JOIN outlets o ON o.id = f.outlet_id
  LEFT JOIN outlets co ON co.name = i.credited_outlet
WHERE i.story_id = ANY($1::int8[]) AND i.copy_of IS NULL
GROUP BY i.story_id, ${ITEM_OUTLET}
ORDER BY i.story_id, first_at, name`;

// Each topic is read by its primary key (OFFSET 0 keeps the lookup a probe per row): joined, a page's
// few hundred rows were hashed against the whole topics table (issue 12).
const SELECT_STORY_TOPICS = `SELECT st.story_id, t.slug, t.name, t.kind
FROM story_topics st CROSS JOIN LATERAL (SELECT slug, name, kind FROM topics WHERE id = st.topic_id OFFSET 0) t
WHERE st.story_id = ANY($1::int8[])
ORDER BY st.story_id, st.weight DESC, t.name`;

/** Most items shown for one story: a story of hundreds of articles stays a readable page. */
export const MAX_COVERAGE = 500;

const SELECT_COVERAGE = `SELECT ${ITEM_COLUMNS}, a.reason, a.score, a.shared_terms
FROM items i JOIN feeds f ON f.id = i.feed_id JOIN outlets o ON o.id = f.outlet_id
  LEFT JOIN story_assignments a ON a.item_id = i.id
WHERE i.story_id = $1
ORDER BY i.published_at, i.id
LIMIT ${MAX_COVERAGE}`;

// The newest articles of each story, for feed entries: duplicates left out, at most $2 per story.
const SELECT_COVERAGE_OF_MANY = `SELECT * FROM (
  SELECT ${ITEM_COLUMNS}, NULL::text AS reason, NULL::real AS score, NULL::text[] AS shared_terms,
    row_number() OVER (PARTITION BY i.story_id ORDER BY i.published_at DESC, i.id DESC) AS n
  FROM items i JOIN feeds f ON f.id = i.feed_id JOIN outlets o ON o.id = f.outlet_id
  WHERE i.story_id = ANY($1::int8[]) AND i.duplicate_of IS NULL) x
WHERE n <= $2
ORDER BY story_id, published_at DESC, id DESC`;

type CoverageRow = ItemRow & { reason: string | null; score: number | null; shared_terms: string[] | null };

function toSummary(r: StoryRow, outlets: StoryOutlet[], topics: TopicRef[]): Story {
  return {
    id: r.id,
    headline: r.headline,
    summary: r.summary,
    url: r.url,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    updatedAt: r.updated_at,
    itemCount: r.item_count,
    outletCount: r.outlet_count,
    outlets,
    topics,
    position: { us: r.position_us, id: r.id },
  };
}

function groupBy<T extends { story_id: number }, U>(rows: T[], map: (r: T) => U): Map<number, U[]> {
  const out = new Map<number, U[]>();
  for (const r of rows) {
    const list = out.get(r.story_id) ?? [];
    list.push(map(r));
    out.set(r.story_id, list);
  }
  return out;
}

/** Story rows as summaries, with each story's outlets and topics (two queries for all of them). */
export async function withOutletsAndTopics(q: Queryable, rows: StoryRow[]): Promise<Story[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [outletRes, topicRes] = await Promise.all([
    q.query<{ story_id: number; id: number; name: string; items: number; url: string | null }>(SELECT_STORY_OUTLETS, [
      ids,
    ]),
    q.query<{ story_id: number; slug: string; name: string; kind: string }>(SELECT_STORY_TOPICS, [ids]),
  ]);
  const outlets = groupBy(outletRes.rows, (r) => ({ id: r.id, name: r.name, url: r.url, items: r.items }));
  const topics = groupBy(topicRes.rows, (r) => ({ slug: r.slug, name: r.name, kind: r.kind }));
  return rows.map((r) => toSummary(r, outlets.get(r.id) ?? [], topics.get(r.id) ?? []));
}

/**
 * Live stories after the filter's position: top stories by significance at `now`, or the latest
 * activity first (last item time, then id).
 */
export async function listStories(q: Queryable, filter: ListFilter, now: Date): Promise<Story[]> {
  const f = await resolveFilter(q, filter, 'stories');
  if (!f || f.candidates?.length === 0) return [];
  if (f.sort === 'top') {
    const offset = f.after && 'rank' in f.after ? f.after.rank + 1 : 0;
    const { sql, params } = buildListQuery(SELECT_TOP_STORIES, STORY_CLAUSES, f, { now, offset });
    const stories = await withOutletsAndTopics(q, (await q.query<StoryRow>(sql, params)).rows);
    return stories.map((s, i) => ({ ...s, position: { rank: offset + i } }));
  }
  const { sql, params } = buildListQuery(SELECT_STORIES, STORY_CLAUSES, f);
  return withOutletsAndTopics(q, (await q.query<StoryRow>(sql, params)).rows);
}

/** Each story's topics, strongest first, keyed by story id. */
export async function listStoryTopics(q: Queryable, storyIds: number[]): Promise<Map<number, TopicRef[]>> {
  if (storyIds.length === 0) return new Map();
  const res = await q.query<{ story_id: number; slug: string; name: string; kind: string }>(SELECT_STORY_TOPICS, [
    storyIds,
  ]);
  return groupBy(res.rows, (r) => ({ slug: r.slug, name: r.name, kind: r.kind }));
}

function toCoverage(r: CoverageRow): CoverageItem {
  return { ...toStoredItem(r), reason: r.reason, score: r.score, sharedTerms: r.shared_terms ?? [] };
}

/** One story (merged ones too: mergedInto says where it went) with every item and why it joined. */
export async function getStory(q: Queryable, id: number): Promise<StoryDetail | null> {
  const res = await q.query<StoryRow>(SELECT_STORY, [id]);
  const row = res.rows[0];
  if (!row) return null;
  const [[summary], coverage] = await Promise.all([
    withOutletsAndTopics(q, [row]),
    q.query<CoverageRow>(SELECT_COVERAGE, [id]),
  ]);
  return { ...summary!, mergedInto: row.merged_into, items: coverage.rows.map(toCoverage) };
}

/** The newest `perStory` articles of each story, newest first, keyed by story id. */
export async function listCoverage(
  q: Queryable,
  storyIds: number[],
  perStory: number,
): Promise<Map<number, CoverageItem[]>> {
  if (storyIds.length === 0) return new Map();
  const res = await q.query<CoverageRow & { story_id: number }>(SELECT_COVERAGE_OF_MANY, [storyIds, perStory]);
  return groupBy(res.rows, toCoverage);
}
