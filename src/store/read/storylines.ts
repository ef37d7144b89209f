// Storylines as the server shows them: the recent ones of several stories, one with its stories in
// the order they broke, its topics and its articles per day, and the storyline each story is part of.
// The story writer keeps the storylines rows (sql/011_storylines.sql); every read follows merges
// (storyline-merges.ts): up to the live storyline from a story, down to every merged one from a
// live storyline, whose stories are read as its own.
import type { Position, Story, TopicRef } from '../../model.js';
import type { Queryable } from '../db/db.js';
import { MAX_MERGE_DEPTH, resolveStorylines, withMergedStorylines, type StorylineRef } from './storyline-merges.js';
import {
  buildListQuery,
  findTopicId,
  MAX_CANDIDATES,
  timeClauses,
  type ClauseTable,
  type ResolvedFilter,
  type StorylineFilter,
} from './filters.js';
import { STORY_COLUMNS, withOutletsAndTopics, type StoryRow } from './stories.js';

/** A storyline: the stories of one running situation, linked over days. */
export interface Storyline extends StorylineRef {
  firstSeenAt: Date;
  lastSeenAt: Date;
  updatedAt: Date;
  itemCount: number;
  outletCount: number;
  /** Its live stories' topics: on the most stories first, then by summed weight. */
  topics: TopicRef[];
  position: Position;
}

/** Articles of one UTC day, `day` as YYYY-MM-DD. */
export interface CoverageDay {
  day: string;
  items: number;
}

/** One storyline with its stories and articles per day; a merged one says only where it went. */
export interface StorylineDetail extends Storyline {
  /** The live storyline a merged one's id resolves to (through every merge); null when live. */
  mergedInto: number | null;
  /** Its live stories in the order they broke (empty for a merged storyline). */
  stories: Story[];
  /** Articles per day from its first day to its last, days without any included (empty when merged). */
  days: CoverageDay[];
}

/** Most stories shown on one storyline (the latest ones): a situation of months stays one page. */
export const MAX_TIMELINE_STORIES = 200;

/** Most days in the coverage chart (the latest ones). */
export const MAX_CHART_DAYS = 90;

/** Topics named for one storyline. */
const MAX_TOPICS = 8;

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
// (a topic on few stories reads its candidates instead, below). A topic matches a storyline through any of its stories.
const SELECT_STORYLINES = `SELECT ${STORYLINE_COLUMNS} FROM storylines l
WHERE l.merged_into IS NULL AND l.story_count > 1/*filters*/
ORDER BY l.last_seen_at DESC, l.id DESC
LIMIT $limit`;

// One storyline's merges, walked down from the row: the same storylines withMergedStorylines finds.
const HAS_TOPIC = `EXISTS (WITH RECURSIVE members(id, depth) AS (
      SELECT l.id, 0 UNION ALL SELECT c.id, m.depth + 1 FROM members m JOIN storylines c ON c.merged_into = m.id WHERE m.depth < ${MAX_MERGE_DEPTH}
    ) SELECT 1 FROM members m JOIN stories s ON s.storyline_id = m.id AND s.merged_into IS NULL
      JOIN story_topics st ON st.story_id = s.id AND st.topic_id = $topic::int)`;

const STORYLINE_CLAUSES: ClauseTable = [
  { applies: (f) => f.topicId !== null, sql: HAS_TOPIC },
  ...timeClauses('l.last_seen_at', 'l.id'),
];

// A topic's candidates, newest first, checked for the topic one at a time until the page is full:
// OFFSET 0 keeps the check out of the sort, so a page costs a page of checks, not one per candidate.
const SELECT_CANDIDATE_STORYLINES = `SELECT * FROM (
  SELECT ${STORYLINE_COLUMNS} FROM storylines l
  WHERE l.merged_into IS NULL AND l.story_count > 1 AND l.id = ANY($candidates::int8[])/*filters*/
  ORDER BY l.last_seen_at DESC, l.id DESC
  OFFSET 0
) l
WHERE ${HAS_TOPIC}
ORDER BY l.last_seen_at DESC, l.id DESC
LIMIT $limit`;

const CANDIDATE_CLAUSES: ClauseTable = timeClauses('l.last_seen_at', 'l.id');

// The storylines the live stories carrying a topic name (story_topics_topic_idx, then primary-key
// probes: OFFSET 0 keeps them probes, where a join hashed the whole stories table), and whether each
// was merged into another: only those are followed up their merges.
const SELECT_TOPIC_STORYLINES = `SELECT DISTINCT named.id, named.merged
FROM story_topics st CROSS JOIN LATERAL (
  SELECT l.id, l.merged_into IS NOT NULL AS merged FROM stories s JOIN storylines l ON l.id = s.storyline_id
  WHERE s.id = st.story_id AND s.merged_into IS NULL
  OFFSET 0
) named
WHERE st.topic_id = $1`;

const SELECT_STORYLINE = `SELECT ${STORYLINE_COLUMNS} FROM storylines l WHERE l.id = $1`;

const SELECT_STORY_STORYLINES =
  'SELECT id, storyline_id FROM stories WHERE id = ANY($1::int8[]) AND storyline_id IS NOT NULL';

// A storyline's topics are its stories' (not stored): on the most stories first, then by summed weight.
// Each topic is a primary-key probe (OFFSET 0), not a hash of the whole topics table.
// $1 and $2 pair each storyline asked for with itself and each storyline merged into it.
const SELECT_STORYLINE_TOPICS = `WITH counted AS (
  SELECT m.root, st.topic_id, count(*) AS stories, sum(st.weight) AS weight
  FROM unnest($1::int8[], $2::int8[]) AS m(root, id)
    JOIN stories s ON s.storyline_id = m.id AND s.merged_into IS NULL
    JOIN story_topics st ON st.story_id = s.id
  GROUP BY m.root, st.topic_id
), ranked AS (
  SELECT c.root, t.slug, t.name, t.kind, row_number() OVER (PARTITION BY c.root ORDER BY c.stories DESC, c.weight DESC, t.name) AS n
  FROM counted c CROSS JOIN LATERAL (SELECT slug, name, kind FROM topics WHERE id = c.topic_id OFFSET 0) t
)
SELECT root AS storyline_id, slug, name, kind FROM ranked WHERE n <= ${MAX_TOPICS} ORDER BY root, n`;

// The latest stories by when they broke (stories_storyline_idx), shown oldest first; $1 the storyline and those merged into it.
const SELECT_STORYLINE_STORIES = `SELECT ${STORY_COLUMNS} FROM (
  SELECT s.* FROM stories s
  WHERE s.storyline_id = ANY($1::int8[]) AND s.merged_into IS NULL
  ORDER BY s.first_seen_at DESC, s.id DESC
  LIMIT ${MAX_TIMELINE_STORIES}
) s LEFT JOIN items ri ON ri.id = s.representative_item_id
ORDER BY s.first_seen_at, s.id`;

// Articles per UTC day over the storyline's stories (items_story_idx), every day of its last
// MAX_CHART_DAYS included so a quiet day shows as one.
const SELECT_STORYLINE_DAYS = `WITH counts AS (
  SELECT (i.published_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS items
  FROM stories s JOIN items i ON i.story_id = s.id
  WHERE s.storyline_id = ANY($1::int8[]) AND s.merged_into IS NULL
  GROUP BY 1
), span AS (
  SELECT greatest(min(day), max(day) - ${MAX_CHART_DAYS - 1}) AS first, max(day) AS last FROM counts
)
SELECT to_char(d, 'YYYY-MM-DD') AS day, coalesce(c.items, 0) AS items
FROM span, generate_series(span.first, span.last, interval '1 day') d LEFT JOIN counts c ON c.day = d::date
ORDER BY d`;

function toSummary(r: StorylineRow, topics: TopicRef[]): Storyline {
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
  const members = await withMergedStorylines(q, ids);
  const res = await q.query<{ storyline_id: number; slug: string; name: string; kind: string }>(
    SELECT_STORYLINE_TOPICS,
    [members.roots, members.ids],
  );
  for (const r of res.rows)
    out.set(r.storyline_id, [...(out.get(r.storyline_id) ?? []), { slug: r.slug, name: r.name, kind: r.kind }]);
  return out;
}

/** The live storylines of the stories carrying a topic. */
async function topicStorylines(q: Queryable, topicId: number): Promise<number[]> {
  const named = (await q.query<{ id: number; merged: boolean }>(SELECT_TOPIC_STORYLINES, [topicId])).rows;
  const merged = named.filter((r) => r.merged).map((r) => r.id);
  const survivors = merged.length > 0 ? [...(await resolveStorylines(q, merged)).values()].map((l) => l.id) : [];
  return [...new Set([...named.filter((r) => !r.merged).map((r) => r.id), ...survivors])];
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
    if (topic.storyCount <= MAX_CANDIDATES) candidates = await topicStorylines(q, topic.id);
  }
  const after = f.after ? { us: f.after.us, id: f.after.id } : null;
  return {
    sort: 'latest',
    topic: f.topic,
    outlet: null,
    q: null,
    minSources: 0,
    since: f.since,
    until: f.until,
    after,
    limit: f.limit,
    topicId,
    outletFeeds: null,
    publisher: null,
    candidates,
  };
}

/** Live storylines of more than one story after the filter's position, the latest activity first. */
export async function listStorylines(q: Queryable, filter: StorylineFilter): Promise<Storyline[]> {
  const f = await resolveStorylineFilter(q, filter);
  if (!f || f.candidates?.length === 0) return [];
  const { sql, params } = f.candidates
    ? buildListQuery(SELECT_CANDIDATE_STORYLINES, CANDIDATE_CLAUSES, f)
    : buildListQuery(SELECT_STORYLINES, STORYLINE_CLAUSES, f);
  const rows = (await q.query<StorylineRow>(sql, params)).rows;
  const topics = await listStorylineTopics(
    q,
    rows.map((r) => r.id),
  );
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
    const live = (await resolveStorylines(q, [id])).get(id);
    return { ...toSummary(row, []), mergedInto: live?.id ?? row.merged_into, stories: [], days: [] };
  }
  const { ids } = await withMergedStorylines(q, [id]);
  const [topics, storyRows, days] = await Promise.all([
    listStorylineTopics(q, [id]),
    q.query<StoryRow>(SELECT_STORYLINE_STORIES, [ids]),
    q.query<CoverageDay>(SELECT_STORYLINE_DAYS, [ids]),
  ]);
  const stories: Story[] = await withOutletsAndTopics(q, storyRows.rows);
  return { ...toSummary(row, topics.get(id) ?? []), mergedInto: null, stories, days: days.rows };
}

/** The live storyline of each story the story writer has linked, keyed by story id. */
export async function listStorylinesOfStories(q: Queryable, storyIds: number[]): Promise<Map<number, StorylineRef>> {
  if (storyIds.length === 0) return new Map();
  const named = (await q.query<{ id: number; storyline_id: number }>(SELECT_STORY_STORYLINES, [storyIds])).rows;
  const live = await resolveStorylines(q, [...new Set(named.map((r) => r.storyline_id))]);
  return new Map(named.flatMap((r) => (live.has(r.storyline_id) ? [[r.id, live.get(r.storyline_id)!] as const] : [])));
}
