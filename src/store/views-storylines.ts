// Storylines as the server shows them: the recent ones of several stories, one with its stories in
// the order they broke, its topics and its articles per day, and the storyline each story is part of.
// The story writer keeps the storylines rows (sql/011_storylines.sql); a story may still name a
// storyline since merged into another, so every read follows merges: up to the live storyline from a
// story, down to every merged one from a live storyline.
import type { Queryable } from './db.js';
import { buildListQuery, findTopicId, MAX_CANDIDATES, timeClauses, type ClauseTable, type ResolvedFilter } from './views-filters.js';
import { STORY_COLUMNS, withOutletsAndTopics, type StoryRow } from './views-stories.js';
import type { CoverageDay, StorylineDetail, StorylineFilter, StorylineRef, StorylineSummary, StorySummary, TopicRef } from './views.js';

// Merges form chains (a storyline merged into one that later merged itself). Walks stop at this
// depth: a guard against a cycle the story writer never makes, far beyond any chain it does make.
const MAX_MERGE_DEPTH = 32;

/** Most stories shown on one storyline (the latest ones): a situation of months stays one page. */
export const MAX_TIMELINE_STORIES = 200;

/** Most days in the coverage chart (the latest ones). */
export const MAX_CHART_DAYS = 90;

/** Topics named for one storyline. */
const MAX_TOPICS = 8;

// Down from each live storyline to every storyline merged into it, at any depth: `start` selects the
// live ones as (root, id, depth) rows.
const membersFrom = (start: string): string => `members(root, id, depth) AS (
  ${start}
  UNION ALL
  SELECT m.root, l.id, m.depth + 1 FROM members m JOIN storylines l ON l.merged_into = m.id WHERE m.depth < ${MAX_MERGE_DEPTH}
)`;
// The storylines whose ids are $1; the list's row l, inside the list query.
const MEMBERS = membersFrom('SELECT r, r, 0 FROM unnest($1::int8[]) r');
const MEMBERS_OF_ROW = membersFrom('SELECT l.id, l.id, 0');

// The live stories of the members (stories_storyline_idx).
const MEMBER_STORIES = 'members m JOIN stories s ON s.storyline_id = m.id AND s.merged_into IS NULL';

const STORYLINE_COLUMNS = `l.id, l.title, l.first_seen_at, l.last_seen_at, l.updated_at, l.story_count, l.item_count,
  l.outlet_count, l.merged_into, (extract(epoch FROM l.last_seen_at) * 1000000)::int8 AS position_us`;

interface StorylineRow {
  id: number;
  title: string;
  first_seen_at: Date;
  last_seen_at: Date;
  updated_at: Date;
  story_count: number;
  item_count: number;
  outlet_count: number;
  merged_into: number | null;
  position_us: number;
}

// Newest activity first among the live storylines of several stories, walking storylines_recent_idx
// (or reading the candidates a topic found). A topic matches a storyline through any of its stories.
const SELECT_STORYLINES = `SELECT ${STORYLINE_COLUMNS} FROM storylines l
WHERE l.merged_into IS NULL AND l.story_count > 1/*filters*/
ORDER BY l.last_seen_at DESC, l.id DESC
LIMIT $limit`;

const STORYLINE_CLAUSES: ClauseTable = [
  { applies: (f) => f.candidates !== null, sql: 'l.id = ANY($candidates::int8[])' },
  {
    applies: (f) => f.topicId !== null,
    sql: `EXISTS (WITH RECURSIVE ${MEMBERS_OF_ROW}
    SELECT 1 FROM ${MEMBER_STORIES} JOIN story_topics st ON st.story_id = s.id AND st.topic_id = $topic::int)`,
  },
  ...timeClauses('l.last_seen_at', 'l.id'),
];

// The live storylines of the stories carrying a topic: each story's storyline, followed up its merges.
const SELECT_TOPIC_STORYLINES = `WITH RECURSIVE up(id, merged_into, depth) AS (
  SELECT l.id, l.merged_into, 0 FROM storylines l
  WHERE l.id IN (SELECT s.storyline_id FROM story_topics st JOIN stories s ON s.id = st.story_id WHERE st.topic_id = $1 AND s.merged_into IS NULL)
  UNION ALL
  SELECT l.id, l.merged_into, up.depth + 1 FROM up JOIN storylines l ON l.id = up.merged_into WHERE up.depth < ${MAX_MERGE_DEPTH}
)
SELECT DISTINCT id FROM up WHERE merged_into IS NULL`;

const SELECT_STORYLINE = `SELECT ${STORYLINE_COLUMNS} FROM storylines l WHERE l.id = $1`;

// Where a merged storyline's id leads: the live storyline at the end of its merges.
const RESOLVE_STORYLINE = `WITH RECURSIVE up(id, merged_into, depth) AS (
  SELECT id, merged_into, 0 FROM storylines WHERE id = $1
  UNION ALL
  SELECT l.id, l.merged_into, up.depth + 1 FROM up JOIN storylines l ON l.id = up.merged_into WHERE up.depth < ${MAX_MERGE_DEPTH}
)
SELECT id FROM up WHERE merged_into IS NULL`;

// Each story's live storyline: the one it names, followed up its merges.
const SELECT_STORYLINES_OF_STORIES = `WITH RECURSIVE up(story_id, id, merged_into, depth) AS (
  SELECT s.id, l.id, l.merged_into, 0 FROM stories s JOIN storylines l ON l.id = s.storyline_id WHERE s.id = ANY($1::int8[])
  UNION ALL
  SELECT up.story_id, l.id, l.merged_into, up.depth + 1 FROM up JOIN storylines l ON l.id = up.merged_into WHERE up.depth < ${MAX_MERGE_DEPTH}
)
SELECT up.story_id, l.id, l.title, l.story_count, l.updated_at FROM up JOIN storylines l ON l.id = up.id WHERE up.merged_into IS NULL`;

// A storyline's topics are its stories' (not stored): on the most stories first, then by summed weight.
const SELECT_STORYLINE_TOPICS = `WITH RECURSIVE ${MEMBERS}, counted AS (
  SELECT m.root, t.id, t.slug, t.name, t.kind, count(*) AS stories, sum(st.weight) AS weight
  FROM ${MEMBER_STORIES} JOIN story_topics st ON st.story_id = s.id JOIN topics t ON t.id = st.topic_id
  GROUP BY m.root, t.id
), ranked AS (
  SELECT c.*, row_number() OVER (PARTITION BY c.root ORDER BY c.stories DESC, c.weight DESC, c.name) AS n FROM counted c
)
SELECT root AS storyline_id, slug, name, kind FROM ranked WHERE n <= ${MAX_TOPICS} ORDER BY root, n`;

// The latest stories by when they broke (stories_storyline_idx), shown oldest first.
const SELECT_STORYLINE_STORIES = `WITH RECURSIVE ${MEMBERS}
SELECT ${STORY_COLUMNS} FROM (
  SELECT s.* FROM ${MEMBER_STORIES}
  ORDER BY s.first_seen_at DESC, s.id DESC
  LIMIT ${MAX_TIMELINE_STORIES}
) s LEFT JOIN items ri ON ri.id = s.representative_item_id
ORDER BY s.first_seen_at, s.id`;

// Articles per UTC day over the storyline's stories (items_story_idx), every day of its last
// MAX_CHART_DAYS included so a quiet day shows as one.
const SELECT_STORYLINE_DAYS = `WITH RECURSIVE ${MEMBERS}, counts AS (
  SELECT (i.published_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS items
  FROM ${MEMBER_STORIES} JOIN items i ON i.story_id = s.id
  GROUP BY 1
), span AS (
  SELECT greatest(min(day), max(day) - ${MAX_CHART_DAYS - 1}) AS first, max(day) AS last FROM counts
)
SELECT to_char(d, 'YYYY-MM-DD') AS day, coalesce(c.items, 0) AS items
FROM span, generate_series(span.first, span.last, interval '1 day') d LEFT JOIN counts c ON c.day = d::date
ORDER BY d`;

function toSummary(r: StorylineRow, topics: TopicRef[]): StorylineSummary {
  return {
    id: r.id,
    title: r.title,
    storyCount: r.story_count,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    updatedAt: r.updated_at,
    itemCount: r.item_count,
    outletCount: r.outlet_count,
    topics,
    position: { us: r.position_us, id: r.id },
  };
}

/** Each storyline's topics, keyed by storyline id. */
async function listStorylineTopics(q: Queryable, ids: number[]): Promise<Map<number, TopicRef[]>> {
  const out = new Map<number, TopicRef[]>();
  if (ids.length === 0) return out;
  const res = await q.query<{ storyline_id: number; slug: string; name: string; kind: string }>(SELECT_STORYLINE_TOPICS, [ids]);
  for (const r of res.rows) out.set(r.storyline_id, [...(out.get(r.storyline_id) ?? []), { slug: r.slug, name: r.name, kind: r.kind }]);
  return out;
}

/** The filter with the topic resolved; null when the topic names nothing, so the list is empty. */
async function resolveStorylineFilter(q: Queryable, f: StorylineFilter): Promise<ResolvedFilter | null> {
  let topicId: number | null = null;
  let candidates: number[] | null = null;
  if (f.topic !== null) {
    const topic = await findTopicId(q, f.topic);
    if (!topic) return null;
    topicId = topic.id;
    // A topic on few stories names few storylines: read those instead of walking every storyline.
    if (topic.storyCount <= MAX_CANDIDATES) candidates = (await q.query<{ id: number }>(SELECT_TOPIC_STORYLINES, [topic.id])).rows.map((r) => r.id);
  }
  const after = f.after ? { us: f.after.us, id: f.after.id } : null;
  return { sort: 'latest', topic: f.topic, outlet: null, q: null, minSources: 0, since: f.since, until: f.until, after, limit: f.limit, topicId, outletFeeds: null, publisher: null, candidates };
}

/** Live storylines of more than one story after the filter's position, the latest activity first. */
export async function listStorylines(q: Queryable, filter: StorylineFilter): Promise<StorylineSummary[]> {
  const f = await resolveStorylineFilter(q, filter);
  if (!f || f.candidates?.length === 0) return [];
  const { sql, params } = buildListQuery(SELECT_STORYLINES, STORYLINE_CLAUSES, f);
  const rows = (await q.query<StorylineRow>(sql, params)).rows;
  const topics = await listStorylineTopics(q, rows.map((r) => r.id));
  return rows.map((r) => toSummary(r, topics.get(r.id) ?? []));
}

/**
 * One storyline with its stories, topics and articles per day; a merged one (its id keeps resolving)
 * says only where it went, in `mergedInto`.
 */
export async function getStoryline(q: Queryable, id: number): Promise<StorylineDetail | null> {
  const row = (await q.query<StorylineRow>(SELECT_STORYLINE, [id])).rows[0];
  if (!row) return null;
  if (row.merged_into !== null) {
    const live = (await q.query<{ id: number }>(RESOLVE_STORYLINE, [id])).rows[0];
    return { ...toSummary(row, []), mergedInto: live?.id ?? row.merged_into, stories: [], days: [] };
  }
  const [topics, storyRows, days] = await Promise.all([
    listStorylineTopics(q, [id]),
    q.query<StoryRow>(SELECT_STORYLINE_STORIES, [[id]]),
    q.query<CoverageDay>(SELECT_STORYLINE_DAYS, [[id]]),
  ]);
  const stories: StorySummary[] = await withOutletsAndTopics(q, storyRows.rows);
  return { ...toSummary(row, topics.get(id) ?? []), mergedInto: null, stories, days: days.rows };
}

/** The live storyline of each story the story writer has linked, keyed by story id. */
export async function listStorylinesOfStories(q: Queryable, storyIds: number[]): Promise<Map<number, StorylineRef>> {
  if (storyIds.length === 0) return new Map();
  const res = await q.query<{ story_id: number; id: number; title: string; story_count: number; updated_at: Date }>(SELECT_STORYLINES_OF_STORIES, [storyIds]);
  return new Map(res.rows.map((r) => [r.story_id, { id: r.id, title: r.title, storyCount: r.story_count, updatedAt: r.updated_at }]));
}
